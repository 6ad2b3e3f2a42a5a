from odoo import fields, models


class CrmActionNotifyWizardLine(models.TransientModel):
    """One person suggested in the Notify dialog, with their role(s) in the action."""

    _name = "crm.action.notify.wizard.line"
    _description = "Notify Suggestion"
    _order = "id"

    wizard_id = fields.Many2one("crm.action.notify.wizard", required=True, ondelete="cascade", index=True)
    selected = fields.Boolean(string="Notify")
    partner_id = fields.Many2one("res.partner", string="Person", required=True, readonly=True)
    email = fields.Char(related="partner_id.email")
    role = fields.Char(readonly=True, help="What the person is in the action: responsible, contact person...")
