from datetime import date

import pytz

from odoo import Command, fields
from odoo.tests import Form, tagged

from .flow_common import CrmActionFlowCommon


@tagged("post_install", "-at_install")
class TestRegisterExpenses(CrmActionFlowCommon):
    """The Register dialog: its expenses section (seed 000 "Registrar Ação - Despesas") and
    the message saying what saving did."""

    def _register_form(self):
        form = Form(self.env["crm.action.register.wizard"].with_user(self.user_sales))
        form.partner_id = self.company_partner
        form.lead_id = self.opportunity
        form.campaign_id = self.campaign
        return form

    def _registered(self):
        return self.env["crm.action"].search([("lead_id", "=", self.opportunity.id), ("state", "=", "done")])

    def test_expenses_section_when_the_campaign_action_plans_one(self):
        form = self._register_form()
        self.assertEqual(form.type_id, self.type_visit)
        self.assertTrue(form.show_expenses, "the campaign's visit plans an expense of 100")
        self.assertEqual(form.expense_planned, 100.0)
        with form.expense_line_ids.new() as line:
            line.name = "Fuel"
            line.amount = 40.0
        with form.expense_line_ids.new() as line:
            line.name = "Lunch"
            line.date = date(2026, 11, 30)
            line.amount = 25.5
        form.result_id = self.result_neutral
        form.save().action_register()
        action = self._registered()
        self.assertRecordValues(
            action.expense_ids.sorted("amount"),
            [
                {"name": "Lunch", "date": date(2026, 11, 30), "amount": 25.5, "create_uid": self.user_sales.id},
                {
                    "name": "Fuel",
                    "date": fields.Date.context_today(action),
                    "amount": 40.0,
                    "create_uid": self.user_sales.id,
                },
            ],
        )
        self.assertEqual(action.expense_ids.currency_id, self.env.company.currency_id)
        self.assertEqual(action.expense_actual, 65.5)

    def test_no_expenses_section_when_nothing_is_planned(self):
        form = self._register_form()
        form.type_id = self.type_call
        self.assertFalse(form.show_expenses, "the campaign's call plans no expense")
        with self.assertRaises(AssertionError, msg="the expenses section is hidden"):
            form.expense_line_ids.new()
        form.result_id = self.result_positive
        wizard = form.save()
        # lines typed before the action changed are not logged on an action that plans none
        wizard.expense_line_ids = [Command.create({"name": "Taxi", "amount": 8.0})]
        wizard.action_register()
        self.assertFalse(self._registered().expense_ids)

    def test_saving_says_when_the_next_action_is_planned(self):
        self.user_sales.tz = "America/Sao_Paulo"
        form = self._register_form()
        form.result_id = self.result_neutral  # automatic: a call 3 days later
        res = form.save().action_register()
        action = self._registered()
        call = action.next_action_ids
        self.assertEqual(call.type_id, self.type_call)
        local = pytz.utc.localize(call.date_start).astimezone(pytz.timezone("America/Sao_Paulo"))
        self.assertEqual(res["tag"], "display_notification")
        self.assertEqual(
            res["params"]["message"],
            f"Action registered; next action planned for {local.strftime('%m/%d/%Y %H:%M')}.",
        )
        self.assertEqual(res["params"]["next"], {"type": "ir.actions.act_window_close"})

    def test_saving_says_registered_when_nothing_is_planned(self):
        form = Form(self.env["crm.action.register.wizard"].with_user(self.user_sales))
        form.partner_id = self.company_partner
        form.type_id = self.type_call
        form.result_id = self.result_positive
        res = form.save().action_register()
        self.assertEqual(res["params"]["message"], "Action registered.")
        self.assertEqual(res["params"]["next"], {"type": "ir.actions.act_window_close"})

    def test_the_next_action_dialog_still_opens_when_asked(self):
        form = self._register_form()
        self.assertEqual(form.result_id, self.result_positive)
        res = form.save().action_register()
        self.assertEqual(res["res_model"], "crm.action.next.wizard")
