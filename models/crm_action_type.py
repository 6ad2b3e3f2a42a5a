from odoo import fields, models


class CrmActionType(models.Model):
    _name = "crm.action.type"
    _inherit = ["crm.action.configuration.mixin"]
    _description = "CRM Action Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    icon = fields.Char(help="Font Awesome icon shown beside actions of this type, e.g. fa-phone.")
    default_duration = fields.Float(
        string="Default Duration",
        help="Hours proposed for a new action of this type.",
    )
    category_id = fields.Many2one(
        "crm.action.category",
        string="Default Category",
    )
    is_meeting = fields.Boolean(
        string="Meeting",
        help="Actions of this type are meetings: participants, costs and a calendar event.",
    )
    action_count = fields.Integer(compute="_compute_action_count", string="Actions")

    _sql_constraints = [
        (
            "default_duration_positive",
            "CHECK(default_duration >= 0)",
            "The default duration of an action type cannot be negative.",
        ),
    ]

    def _compute_action_count(self):
        counts = dict(self.env["crm.action"]._read_group([("type_id", "in", self.ids)], ["type_id"], ["__count"]))
        for action_type in self:
            action_type.action_count = counts.get(action_type, 0)

    def action_view_actions(self):
        self.ensure_one()
        return self.env["crm.action"]._action_open_actions(
            [("type_id", "=", self.id)], name=self.name, context={"default_type_id": self.id}
        )
