from odoo import api, fields, models


class CrmActionOccurrence(models.Model):
    """A customer occurrence (complaint, claim, non-conformity, return) followed up by
    actions; rules on save move it through its statuses."""

    _name = "crm.action.occurrence"
    _description = "Customer Occurrence"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(string="Subject", required=True, tracking=True)
    kind = fields.Selection(
        [
            ("complaint", "Complaint"),
            ("claim", "Claim"),
            ("non_conformity", "Non-Conformity"),
            ("return", "Return"),
        ],
        required=True,
        default="complaint",
    )
    partner_id = fields.Many2one("res.partner", string="Customer", index=True, tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    status_id = fields.Many2one(
        "crm.action.occurrence.status",
        string="Status",
        required=True,
        tracking=True,
        index=True,
        ondelete="restrict",
        group_expand="_read_group_status_ids",
        default=lambda self: self.env["crm.action.occurrence.status"].search([], limit=1),
    )
    is_closed = fields.Boolean(related="status_id.is_closed")
    description = fields.Html()
    action_ids = fields.One2many("crm.action", "occurrence_id", string="Actions")
    action_count = fields.Integer(compute="_compute_action_count", string="Actions Count")

    def _compute_action_count(self):
        counts = dict(
            self.env["crm.action"]._read_group([("occurrence_id", "in", self.ids)], ["occurrence_id"], ["__count"])
        )
        for occurrence in self:
            occurrence.action_count = counts.get(occurrence, 0)

    @api.model
    def _read_group_status_ids(self, statuses, domain):
        return statuses.search([])

    def action_view_actions(self):
        self.ensure_one()
        return self.env["crm.action"]._action_open_actions(
            [("occurrence_id", "=", self.id)],
            name=self.name,
            context={"default_occurrence_id": self.id, "default_partner_id": self.partner_id.id},
        )
