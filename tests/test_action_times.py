from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .flow_common import CrmActionFlowCommon

# A Tuesday in winter: Brussels is UTC+1, so 09:00 there is 08:00 UTC.
NOW = datetime(2026, 12, 1, 14, 30)


@tagged("post_install", "-at_install")
class TestActionTimes(CrmActionFlowCommon):
    """Planned actions land at a working hour of their day, counted from the action they
    follow; an action for "some time that day" has a day and no hour."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_sales.tz = "Europe/Brussels"
        cls.env.company.crm_action_work_hour = 9.0

    def _visit(self, **values):
        return (
            self.env["crm.action"]
            .with_user(self.user_sales)
            .create(
                {
                    "name": "Visit the showroom",
                    "partner_id": self.company_partner.id,
                    "contact_ids": [Command.set(self.contact.ids)],
                    "type_id": self.type_visit.id,
                    "campaign_id": self.campaign.id,
                    "user_id": self.user_sales.id,
                    "date_start": NOW - timedelta(hours=2),
                    "duration": 1.0,
                    **values,
                }
            )
        )

    # ------------------------------------------------------------ working hour
    def test_automatic_next_action_at_working_hour_of_its_day(self):
        visit = self._visit(result_id=self.result_neutral.id)
        with freeze_time(NOW):
            visit.action_done()
        call = visit.next_action_ids
        # three days after the visit, at 09:00 in Brussels, not at 14:30:00 three days later
        self.assertEqual(call.date_start, datetime(2026, 12, 4, 8, 0))
        self.assertEqual(call.date_due, date(2026, 12, 4))

    def test_working_hour_is_a_company_setting(self):
        with Form(self.env["res.config.settings"]) as settings:
            settings.crm_action_work_hour = 14.5
        self.assertEqual(self.env.company.crm_action_work_hour, 14.5)
        visit = self._visit(result_id=self.result_neutral.id)
        with freeze_time(NOW):
            visit.action_done()
        self.assertEqual(visit.next_action_ids.date_start, datetime(2026, 12, 4, 13, 30))
        with self.assertRaises(ValidationError) as caught:
            self.env.company.crm_action_work_hour = 25
        self.assertIn("between 00:00 and 23:59", str(caught.exception))

    def test_next_action_dialog_proposes_working_hour(self):
        visit = self._visit(result_id=self.result_positive.id)
        with freeze_time(NOW):
            visit.action_done()
            proposal = visit.with_user(self.user_sales).action_plan_next()
        # the positive result asks for an offer two days later
        self.assertEqual(proposal["context"]["default_date_start"], "2026-12-03 08:00:00")

    def test_same_day_next_action_not_before_the_action(self):
        self.line_visit.result_flow_ids.filtered(lambda f: f.mode == "automatic").delay_days = 0
        visit = self._visit(result_id=self.result_neutral.id)
        with freeze_time(NOW):
            visit.action_done()
        # 09:00 today has passed: the call is proposed when the visit was registered
        self.assertEqual(visit.next_action_ids.date_start, NOW)

    # ------------------------------------------------------------ follow-ups
    def test_followup_in_days_counts_from_the_action(self):
        visit = self._visit(result_id=self.result_positive.id, followup_interval=2, followup_unit="days")
        # registered the day after it happened: the follow-up still counts from the visit
        with freeze_time(NOW + timedelta(days=1)):
            visit.action_done()
        followup = visit.followup_action_id
        self.assertEqual(followup.date_start, datetime(2026, 12, 3, 8, 0))
        self.assertIn("Follow-up planned for", visit.message_ids[0].body)
        self.assertIn("12/3/26", visit.message_ids[0].body, "the note says when, in the user's format")

    def test_followup_in_hours_counts_from_the_end(self):
        visit = self._visit(result_id=self.result_positive.id, followup_interval=3, followup_unit="hours")
        with freeze_time(NOW):
            visit.action_done()
        # the visit ran 12:30-13:30 UTC
        self.assertEqual(visit.followup_action_id.date_start, datetime(2026, 12, 1, 16, 30))

    def test_followup_in_weeks_at_working_hour(self):
        visit = self._visit(result_id=self.result_positive.id, followup_interval=1, followup_unit="weeks")
        with freeze_time(NOW):
            visit.action_done()
        self.assertEqual(visit.followup_action_id.date_start, datetime(2026, 12, 8, 8, 0))

    def test_followup_notifies_the_user(self):
        visit = self._visit(result_id=self.result_positive.id, followup_interval=2, followup_unit="days")
        self.env.cr.precommit.run()  # flush notifications sent so far
        with freeze_time(NOW):
            visit.with_user(self.user_sales).action_done()
        self.env.cr.precommit.run()
        notifications = (
            self.env["bus.bus"]
            .sudo()
            .search([("channel", "like", f'"res.partner",{self.user_sales.partner_id.id}]')], order="id desc")
        )
        messages = [n.message for n in notifications if "simple_notification" in n.message]
        self.assertTrue(messages, "the user is told a follow-up was planned")
        self.assertIn("next contact planned for 12/3/26", messages[0])

    def test_followup_date_before_the_action_refused(self):
        with freeze_time(NOW - timedelta(days=3)), self.assertRaises(ValidationError) as caught:
            self._visit(followup_date=NOW - timedelta(days=1))
        self.assertIn("before the action itself starts", str(caught.exception))

    # ------------------------------------------------------------ start and end
    def test_moving_the_start_moves_the_end(self):
        visit = self._visit(duration=1.5)
        with Form(visit.with_user(self.user_sales)) as form:
            form.date_start = NOW + timedelta(days=1)
            self.assertEqual(form.date_end, NOW + timedelta(days=1, hours=1.5))
        quick_call = self._visit(duration=0.0)
        self.assertEqual(quick_call.date_end, quick_call.date_start)
        quick_call.date_start = NOW + timedelta(days=2)
        self.assertEqual(quick_call.date_end, NOW + timedelta(days=2), "an instant action moves as a whole")

    # ------------------------------------------------------------ some time that day
    def test_day_without_hour_is_some_time_that_day(self):
        action = self._visit(date_start="2026-12-03", duration=0.0)
        self.assertTrue(action.all_day)
        # noon in Brussels: the day stays the 3rd whatever time zone shows it
        self.assertEqual(action.date_start, datetime(2026, 12, 3, 11, 0))
        self.assertEqual(action.date_due, date(2026, 12, 3))

    def test_all_day_flag_keeps_the_day(self):
        action = self._visit(date_start=datetime(2026, 12, 3, 22, 30), duration=0.0)
        # 23:30 in Brussels, the evening of the 3rd
        self.assertEqual(action.date_due, date(2026, 12, 3))
        action.all_day = True
        self.assertEqual(action.date_start, datetime(2026, 12, 3, 11, 0))
        self.assertEqual(action.date_due, date(2026, 12, 3))

    def test_all_day_due_soon_that_day_overdue_after(self):
        all_day = self._visit(date_start="2026-12-03", duration=0.0)
        timed = self._visit(date_start=datetime(2026, 12, 3, 9, 0), duration=1.0)
        Action = self.env["crm.action"].with_user(self.user_sales).with_context(tz="Europe/Brussels")
        both = (all_day | timed).with_user(self.user_sales).with_context(tz="Europe/Brussels")
        # 20:00 in Brussels on the 3rd: the 10:00 visit is late, "some time that day" is not yet
        with freeze_time(datetime(2026, 12, 3, 19, 0)):
            both.invalidate_recordset(["due_state"])
            self.assertEqual(all_day.with_env(both.env).due_state, "soon")
            self.assertEqual(timed.with_env(both.env).due_state, "overdue")
            self.assertEqual(Action.search([("id", "in", both.ids), ("due_state", "=", "overdue")]), timed)
            self.assertEqual(Action.search([("id", "in", both.ids), ("due_state", "=", "soon")]), all_day)
        with freeze_time(datetime(2026, 12, 4, 8, 0)):
            both.invalidate_recordset(["due_state"])
            self.assertEqual(all_day.with_env(both.env).due_state, "overdue")
            self.assertEqual(Action.search([("id", "in", both.ids), ("due_state", "=", "overdue")]), both)

    def test_due_day_is_the_responsible_s_day(self):
        # 00:30 on the 4th in Brussels is still the 3rd in UTC
        action = self._visit(date_start=datetime(2026, 12, 3, 23, 30), duration=0.0)
        self.assertEqual(action.date_due, date(2026, 12, 4))
        self.assertEqual(action.todo_activity_id.date_deadline, date(2026, 12, 4))
