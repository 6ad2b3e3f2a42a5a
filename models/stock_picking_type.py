from odoo import fields, models


class StockPickingType(models.Model):
    _inherit = "stock.picking.type"

    crm_action_return_sequence_id = fields.Many2one(
        "crm.action.sequence",
        string="Sequence for Customer Returns",
        check_company=True,
        ondelete="restrict",
        help="Each customer return validated with this operation type spawns a lead with these actions. "
        "Empty: the company's default.",
    )
