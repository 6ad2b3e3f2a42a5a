from odoo import api, fields, models


class UtmCampaign(models.Model):
    _inherit = "utm.campaign"

    action_line_ids = fields.One2many("crm.action.campaign.line", "campaign_id", string="Campaign Actions")
    crm_action_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_crm_action_expenses",
        string="Expense Currency",
    )
    crm_action_expense_planned = fields.Monetary(
        compute="_compute_crm_action_expenses",
        currency_field="crm_action_currency_id",
        string="Planned Expenses",
        help="Sum of the planned expenses of the campaign actions, in the company currency.",
    )
    crm_action_expense_actual = fields.Monetary(
        compute="_compute_crm_action_expenses",
        currency_field="crm_action_currency_id",
        string="Actual Expenses",
        help="Sum of the expenses registered on the campaign's actions, in the company currency.",
    )

    @api.depends("action_line_ids.expense_planned", "action_line_ids.currency_id")
    def _compute_crm_action_expenses(self):
        company = self.env.company
        currency = company.currency_id
        today = fields.Date.context_today(self)
        actual = self.env["crm.action.expense"]._read_group(
            [("campaign_id", "in", self.ids)],
            ["campaign_id", "currency_id"],
            ["amount:sum"],
        )
        actual_by_campaign = {}
        for campaign, expense_currency, amount in actual:
            actual_by_campaign[campaign.id] = actual_by_campaign.get(campaign.id, 0.0) + expense_currency._convert(
                amount, currency, company, today
            )
        for campaign in self:
            campaign.crm_action_currency_id = currency
            campaign.crm_action_expense_planned = sum(
                line.currency_id._convert(line.expense_planned, currency, company, today)
                for line in campaign.action_line_ids
            )
            campaign.crm_action_expense_actual = actual_by_campaign.get(campaign.id, 0.0)
