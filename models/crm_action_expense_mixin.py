from odoo import fields, models


class CrmActionExpenseMixin(models.AbstractModel):
    """What an expense says: a description, a day and an amount in a currency. Shared by
    the expenses logged on actions and the lines typed in the Register dialog."""

    _name = "crm.action.expense.mixin"
    _description = "CRM Action Expense Details"

    name = fields.Char(string="Description", required=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    amount = fields.Monetary(currency_field="currency_id", required=True)
    currency_id = fields.Many2one(
        "res.currency",
        string="Currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )

    def _expense_values(self):
        """The details of this expense, to log them as another expense."""
        self.ensure_one()
        return {
            "name": self.name,
            "date": self.date,
            "amount": self.amount,
            "currency_id": self.currency_id.id,
        }
