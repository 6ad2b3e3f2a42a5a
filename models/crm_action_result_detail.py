from odoo import fields, models


class CrmActionResultDetail(models.Model):
    """A predefined reason that justifies a result (e.g. 'price too high')."""

    _name = "crm.action.result.detail"
    _description = "CRM Action Result Detail"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    result_id = fields.Many2one(
        "crm.action.result",
        string="Result",
        ondelete="cascade",
        help="Offered only for this result; empty offers it for every result.",
    )
