from odoo import fields, models


class CrmActionResult(models.Model):
    _name = "crm.action.result"
    _inherit = ["crm.action.configuration.mixin"]
    _description = "CRM Action Result"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    # Statistics and the result-driven flow read the outcome, never the name.
    outcome = fields.Selection(
        [
            ("positive", "Positive"),
            ("neutral", "Neutral"),
            ("negative", "Negative"),
        ],
        required=True,
        default="neutral",
    )
    detail_ids = fields.One2many("crm.action.result.detail", "result_id", string="Details")
    action_count = fields.Integer(compute="_compute_action_count", string="Actions")

    def _compute_action_count(self):
        counts = dict(self.env["crm.action"]._read_group([("result_id", "in", self.ids)], ["result_id"], ["__count"]))
        for result in self:
            result.action_count = counts.get(result, 0)

    def action_view_actions(self):
        self.ensure_one()
        return self.env["crm.action"]._action_open_actions([("result_id", "=", self.id)], name=self.name)
