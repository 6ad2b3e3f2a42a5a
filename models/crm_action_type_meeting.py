from odoo import fields, models


class CrmActionType(models.Model):
    _inherit = "crm.action.type"

    is_meeting = fields.Boolean(
        string="Meeting",
        help="Actions of this type are meetings: participants, costs and a calendar event.",
    )
