from odoo import fields, models


class CrmActionExpense(models.Model):
    """An actual expense of an action, compared with the campaign action's plan."""

    _name = "crm.action.expense"
    _description = "CRM Action Expense"
    _order = "date desc, id desc"

    action_id = fields.Many2one("crm.action", string="Action", required=True, ondelete="cascade", index=True)
    campaign_id = fields.Many2one(related="action_id.campaign_id", store=True, index=True)
    company_id = fields.Many2one(related="action_id.company_id", store=True)
    name = fields.Char(string="Description", required=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    amount = fields.Monetary(currency_field="currency_id", required=True)
    currency_id = fields.Many2one(
        "res.currency",
        string="Currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )

    _sql_constraints = [
        ("amount_positive", "CHECK(amount >= 0)", "An expense amount cannot be negative."),
    ]
