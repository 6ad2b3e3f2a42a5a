from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    crm_action_quotation_sequence_id = fields.Many2one(
        "crm.action.sequence",
        string="Sequence for New Quotations",
        ondelete="restrict",
        help="Each new quotation of the team spawns a lead with these actions. Empty: the company's default.",
    )
    crm_action_order_sequence_id = fields.Many2one(
        "crm.action.sequence",
        string="Sequence for Confirmed Orders",
        ondelete="restrict",
        help="Each order the team confirms spawns a lead with these actions. Empty: the company's default.",
    )
