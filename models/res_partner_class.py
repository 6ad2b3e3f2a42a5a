from odoo import fields, models


class ResPartnerClass(models.Model):
    """Ordered account classes (Suspect -> Prospect -> Customer -> Key Account).

    Rules on save (crm.action.rule) move partners from one class to another after a
    number of done actions; leads carry a class too."""

    _name = "res.partner.class"
    _description = "Partner Class"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    partner_count = fields.Integer(compute="_compute_partner_count", string="Partners")

    _sql_constraints = [
        ("name_unique", "UNIQUE(name)", "A partner class with this name already exists."),
    ]

    def _compute_partner_count(self):
        counts = dict(self.env["res.partner"]._read_group([("class_id", "in", self.ids)], ["class_id"], ["__count"]))
        for partner_class in self:
            partner_class.partner_count = counts.get(partner_class, 0)

    def action_view_partners(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("class_id", "=", self.id)],
            "context": {"default_class_id": self.id},
        }
