from odoo import fields, models


class CrmActionCategory(models.Model):
    _name = "crm.action.category"
    _description = "CRM Action Category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
