from odoo import fields, models


class CrmActionRegisterWizardExpense(models.TransientModel):
    """An expense typed in the Register dialog, logged on the action it registers."""

    _name = "crm.action.register.wizard.expense"
    _description = "Expense in the Register Dialog"
    _order = "id"

    wizard_id = fields.Many2one("crm.action.register.wizard", required=True, ondelete="cascade", index=True)
    name = fields.Char(string="Description", required=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    amount = fields.Monetary(currency_field="currency_id", required=True)
    currency_id = fields.Many2one(
        "res.currency",
        string="Currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )

    def _prepare_expense_values(self, action):
        self.ensure_one()
        return {
            "action_id": action.id,
            "name": self.name,
            "date": self.date,
            "amount": self.amount,
            "currency_id": self.currency_id.id,
        }
