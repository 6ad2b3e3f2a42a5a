from odoo import fields, models


class CrmActionOccurrenceStatus(models.Model):
    _name = "crm.action.occurrence.status"
    _description = "Occurrence Status"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    fold = fields.Boolean(string="Folded in Kanban")
    is_closed = fields.Boolean(string="Closing Status", help="Occurrences in this status are solved.")
