from odoo import fields, models


class CrmActionRegisterWizardExpense(models.TransientModel):
    """An expense typed in the Register dialog, logged on the action it registers."""

    _name = "crm.action.register.wizard.expense"
    _inherit = "crm.action.expense.mixin"
    _description = "Expense in the Register Dialog"
    _order = "id"

    wizard_id = fields.Many2one("crm.action.register.wizard", required=True, ondelete="cascade", index=True)

    def _prepare_expense_values(self, action):
        self.ensure_one()
        return dict(self._expense_values(), action_id=action.id)
