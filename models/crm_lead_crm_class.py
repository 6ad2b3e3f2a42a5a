from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    class_id = fields.Many2one(
        "res.partner.class",
        string="Qualification Class",
        index=True,
        tracking=True,
        help="Set by lead qualification rules when an action is registered on the lead.",
    )
