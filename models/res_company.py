from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # Defaults for documents whose team or operation type names no sequence
    crm_action_quotation_sequence_id = fields.Many2one(
        "crm.action.sequence",
        string="Default Sequence for New Quotations",
        ondelete="restrict",
    )
    crm_action_order_sequence_id = fields.Many2one(
        "crm.action.sequence",
        string="Default Sequence for Confirmed Orders",
        ondelete="restrict",
    )
    crm_action_return_sequence_id = fields.Many2one(
        "crm.action.sequence",
        string="Default Sequence for Customer Returns",
        ondelete="restrict",
    )
