from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmActionCampaignResult(models.Model):
    """What a result of a campaign action triggers: a next action, asked for or
    created automatically, or the end of the flow (negative)."""

    _name = "crm.action.campaign.result"
    _inherit = ["crm.action.configuration.mixin"]
    _description = "Campaign Action Result Flow"
    _order = "line_id, sequence, id"

    line_id = fields.Many2one("crm.action.campaign.line", string="Campaign Action", required=True, ondelete="cascade")
    campaign_id = fields.Many2one(related="line_id.campaign_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    result_id = fields.Many2one("crm.action.result", string="Result", required=True, ondelete="restrict")
    mode = fields.Selection(
        [
            ("ask", "Ask for the next action"),
            ("automatic", "Create the next action automatically"),
            ("negative", "Negative: close the flow, opportunity lost"),
        ],
        required=True,
        default="ask",
    )
    next_type_id = fields.Many2one(
        "crm.action.type",
        string="Next Action Type",
        ondelete="restrict",
        help="Proposed (ask) or created (automatic) after an action with this result.",
    )
    delay_days = fields.Integer(string="Delay (days)", help="Days between the result and the next action.")

    _sql_constraints = [
        (
            "line_result_unique",
            "UNIQUE(line_id, result_id)",
            "A result is configured once per campaign action.",
        ),
        ("delay_days_positive", "CHECK(delay_days >= 0)", "The delay before the next action cannot be negative."),
    ]

    @api.constrains("mode", "next_type_id", "delay_days", "line_id")
    def _check_next_action(self):
        for flow in self:
            if flow.mode == "automatic" and not flow.next_type_id:
                raise ValidationError(
                    self.env._(
                        "Result '%(result)s' of %(line)s creates the next action automatically: choose its type.",
                        result=flow.result_id.name,
                        line=flow.line_id.display_name,
                    )
                )
            if flow.mode == "negative" and flow.next_type_id:
                raise ValidationError(
                    self.env._(
                        "Result '%(result)s' of %(line)s ends the flow: a negative result has no next action.",
                        result=flow.result_id.name,
                        line=flow.line_id.display_name,
                    )
                )
            if flow.next_type_id == flow.line_id.type_id and not flow.delay_days:
                raise ValidationError(
                    self.env._(
                        "Result '%(result)s' of %(line)s would loop: the next action is the same action "
                        "with no delay. Choose another next action or a delay of at least one day.",
                        result=flow.result_id.name,
                        line=flow.line_id.display_name,
                    )
                )
