from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .flow_common import CrmActionFlowCommon


@tagged("post_install", "-at_install")
class TestFlowAccess(CrmActionFlowCommon):
    def test_users_read_configuration_managers_change_it(self):
        rule_vals = {"name": "Mine", "result_id": self.result_positive.id, "stage_id": self.stage_new.id}
        with self.assertRaises(AccessError):
            self.env["crm.action.rule"].with_user(self.user_sales).create(rule_vals)
        with self.assertRaises(AccessError):
            self.line_visit.with_user(self.user_sales).expense_planned = 5
        self.assertEqual(self.rule_proposal.with_user(self.user_sales).stage_id, self.stage_proposal)
        self.env["crm.action.rule"].with_user(self.user_manager).create(
            dict(rule_vals, campaign_id=self.campaign.id, type_id=self.type_call.id)
        )
        self.line_visit.with_user(self.user_manager).expense_planned = 120

    def test_campaign_actions_readonly_for_users_in_the_form(self):
        with Form(self.campaign.with_user(self.user_sales)) as campaign_form:
            self.assertTrue(campaign_form._get_modifier("action_line_ids", "readonly"))
        with Form(self.campaign.with_user(self.user_manager)) as campaign_form:
            self.assertFalse(campaign_form._get_modifier("action_line_ids", "readonly"))

    def test_occurrences_and_expenses_stay_in_their_company(self):
        other_company = self.env["res.company"].create({"name": "Other Tiles Co"})
        occurrence = self.env["crm.action.occurrence"].create(
            {"name": "Elsewhere", "company_id": other_company.id, "partner_id": self.company_partner.id}
        )
        visit = self.env["crm.action"].create(
            {"name": "Visit elsewhere", "company_id": other_company.id, "user_id": self.user_manager.id}
        )
        expense = self.env["crm.action.expense"].create({"action_id": visit.id, "name": "Taxi", "amount": 9})
        self.user_manager.company_ids = [(4, other_company.id)]
        occurrences = self.env["crm.action.occurrence"].with_user(self.user_sales)
        self.assertNotIn(occurrence, occurrences.search([]))
        self.assertNotIn(expense, self.env["crm.action.expense"].with_user(self.user_sales).search([]))
        manager_env = self.env(user=self.user_manager, context={"allowed_company_ids": other_company.ids})
        self.assertIn(occurrence, manager_env["crm.action.occurrence"].search([]))
        self.assertIn(expense, manager_env["crm.action.expense"].search([]))
