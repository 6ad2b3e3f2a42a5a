from odoo import fields
from odoo.tests import Form, tagged

from .flow_common import CrmActionFlowCommon


@tagged("post_install", "-at_install")
class TestExpenses(CrmActionFlowCommon):
    def test_expenses_shown_when_planned_and_totals(self):
        visit = self._planned_visit(result_id=self.result_positive.id)
        call = self._planned_visit(type_id=self.type_call.id)
        self.assertTrue(visit.show_expenses)
        self.assertFalse(call.show_expenses, "No planned expense on the campaign's call.")
        self.assertEqual(visit.expense_planned, 100.0)

        visit.action_done()
        # Expenses are logged after the visit, on the done action, by its salesperson.
        with Form(visit.with_user(self.user_sales)) as visit_form:
            with visit_form.expense_ids.new() as expense:
                expense.name = "Fuel"
                expense.amount = 40.0
            with visit_form.expense_ids.new() as expense:
                expense.name = "Lunch"
                expense.amount = 25.0
        self.assertEqual(visit.expense_actual, 65.0)
        self.assertEqual(self.campaign.crm_action_expense_planned, 100.0)
        self.assertEqual(self.campaign.crm_action_expense_actual, 65.0)

    def test_expenses_in_another_currency_are_converted(self):
        company_currency = self.env.company.currency_id
        other = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("id", "!=", company_currency.id)], limit=1)
        )
        other.active = True
        today = fields.Date.today()
        self.env["res.currency.rate"].search([("currency_id", "=", other.id), ("name", "=", today)]).unlink()
        self.env["res.currency.rate"].create({"currency_id": other.id, "rate": 2.0, "name": today})
        visit = self._planned_visit()
        self.env["crm.action.expense"].create(
            {"action_id": visit.id, "name": "Hotel", "amount": 100.0, "currency_id": other.id}
        )
        expected = other._convert(100.0, company_currency, self.env.company, today)
        self.assertLess(expected, 100.0, "Two units of the other currency make one of the company's.")
        self.assertAlmostEqual(visit.expense_actual, expected)
        self.assertAlmostEqual(self.campaign.crm_action_expense_actual, expected)

    def test_expenses_logged_from_the_history_list(self):
        visit = self._planned_visit()
        res = visit.with_user(self.user_sales).action_view_expenses()
        self.assertEqual(res["res_model"], "crm.action.expense")
        expenses = self.env["crm.action.expense"].with_user(self.user_sales).with_context(**res["context"])
        with Form(expenses, view="crm_action.crm_action_expense_view_list") as expense_form:
            expense_form.name = "Parking"
            expense_form.amount = 7.5
        self.assertEqual(expense_form.record.action_id, visit)
        self.assertEqual(visit.expense_actual, 7.5)
