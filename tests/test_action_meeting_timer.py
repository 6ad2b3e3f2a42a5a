from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import CrmActionCommon

START = datetime(2026, 4, 6, 14, 0, 0)


@tagged("post_install", "-at_install")
class TestCrmActionMeeting(CrmActionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.type_meeting = cls.env.ref("crm_action.crm_action_type_meeting")

    def _create_meeting(self, **values):
        return (
            self.env["crm.action"]
            .with_user(self.user_sales)
            .create(
                {
                    "name": "Quarterly review",
                    "type_id": self.type_meeting.id,
                    "partner_id": self.company_partner.id,
                    "contact_ids": [Command.set(self.contact.ids)],
                    "attendee_user_ids": [Command.set(self.user_action.ids)],
                    "place": "Lisbon office",
                    "date_start": START,
                    "duration": 2.0,
                    "expected_cost": 120.0,
                    **values,
                }
            )
        )

    def test_meeting_type(self):
        self.assertTrue(self.type_meeting.is_meeting)
        self.assertFalse(self.type_call.is_meeting)

    def test_meeting_creates_calendar_event(self):
        meeting = self._create_meeting()
        self.assertTrue(meeting.add_to_calendar, "on by default for meetings")
        event = meeting.calendar_event_id
        self.assertTrue(event)
        self.assertEqual(event.name, "Quarterly review")
        self.assertEqual(event.start, START)
        self.assertEqual(event.stop, START + timedelta(hours=2))
        self.assertEqual(event.location, "Lisbon office")
        self.assertEqual(event.user_id, self.user_sales)
        self.assertEqual(
            event.partner_ids,
            self.user_sales.partner_id | self.user_action.partner_id | self.contact,
        )
        self.assertEqual(event.res_model, "crm.action")
        self.assertEqual(event.res_id, meeting.id)
        # only the action's own to-do, no extra "meeting" activity from the event
        self.assertEqual(len(meeting.activity_ids), 1)
        self.assertEqual(meeting.expected_currency_id, self.company.currency_id)
        self.assertEqual(meeting.actual_currency_id, self.company.currency_id)

    def test_meeting_on_the_form(self):
        form = Form(self.env["crm.action"].with_user(self.user_sales))
        form.name = "Showroom visit"
        form.type_id = self.type_call
        self.assertFalse(form.add_to_calendar)
        form.type_id = self.type_meeting
        self.assertTrue(form.add_to_calendar, "on by default for meetings")
        self.assertEqual(form.attendee_user_ids[:], self.user_sales, "the responsible takes part")
        form.date_start = START
        form.attendee_user_ids.add(self.user_action)
        form.expected_cost = 50
        meeting = form.save()
        self.assertEqual(
            meeting.calendar_event_id.partner_ids, self.user_sales.partner_id | self.user_action.partner_id
        )

    def test_calendar_event_follows_the_meeting(self):
        meeting = self._create_meeting()
        event = meeting.calendar_event_id
        meeting.write(
            {
                "date_start": START + timedelta(days=1),
                "duration": 1.0,
                "place": "Porto",
                "attendee_user_ids": [Command.set(self.user_manager.ids)],
            }
        )
        self.assertEqual(meeting.calendar_event_id, event)
        self.assertEqual(event.start, START + timedelta(days=1))
        self.assertEqual(event.stop, START + timedelta(days=1, hours=1))
        self.assertEqual(event.location, "Porto")
        self.assertEqual(event.partner_ids, self.user_sales.partner_id | self.user_manager.partner_id | self.contact)
        # done meetings keep their event, and their actual cost is recorded afterwards
        meeting.write({"result_id": self.result_positive.id})
        meeting.action_done()
        self.assertTrue(event.exists())
        meeting.with_user(self.user_sales).actual_cost = 95.5
        self.assertEqual(meeting.actual_cost, 95.5)
        with self.assertRaisesRegex(UserError, "is done and locked"):
            meeting.with_user(self.user_sales).place = "Elsewhere"

    def test_calendar_event_removed(self):
        meeting = self._create_meeting()
        event = meeting.calendar_event_id
        meeting.add_to_calendar = False
        self.assertFalse(event.exists())
        self.assertFalse(meeting.calendar_event_id)
        meeting.add_to_calendar = True
        event = meeting.calendar_event_id
        self.assertTrue(event)
        meeting.action_cancel()
        self.assertFalse(event.exists())
        meeting.action_reset_to_planned()
        event = meeting.calendar_event_id
        self.assertTrue(event)
        meeting.unlink()
        self.assertFalse(event.exists())

    def test_event_deleted_from_the_calendar(self):
        meeting = self._create_meeting()
        meeting.calendar_event_id.with_user(self.user_sales).unlink()
        self.assertFalse(meeting.add_to_calendar)
        meeting.place = "Porto"
        self.assertFalse(meeting.calendar_event_id, "not recreated behind the user's back")

    def test_non_meeting_has_no_event(self):
        action = self.env["crm.action"].create({"name": "Call", "type_id": self.type_call.id})
        self.assertFalse(action.add_to_calendar)
        self.assertFalse(action.calendar_event_id)

    def test_meeting_without_participant_refused(self):
        with self.assertRaisesRegex(ValidationError, "has no participant"):
            self._create_meeting(partner_id=False, contact_ids=False, attendee_user_ids=False)
        meeting = self._create_meeting()
        with self.assertRaisesRegex(ValidationError, "has no participant"):
            meeting.write({"contact_ids": [Command.clear()], "attendee_user_ids": [Command.clear()]})

    def test_negative_costs_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self._create_meeting(expected_cost=-1)
        meeting = self._create_meeting()
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            meeting.actual_cost = -0.01
        meeting.actual_cost = 0
        self.assertEqual(meeting.actual_cost, 0)


@tagged("post_install", "-at_install")
class TestCrmActionTimer(CrmActionCommon):
    def _create_action(self):
        return (
            self.env["crm.action"]
            .with_user(self.user_sales)
            .create({"name": "Phone call", "type_id": self.type_call.id, "date_start": START, "duration": 0.25})
        )

    def test_timer_adds_up_across_pauses(self):
        action = self._create_action()
        self.assertEqual(action.timer_state, "stopped")
        with freeze_time(START):
            action.action_timer_start()
        # survives a page reload: the state is stored
        action.invalidate_recordset()
        self.assertEqual(action.timer_state, "running")
        self.assertEqual(action.timer_start, START)
        with freeze_time(START + timedelta(minutes=30)):
            action.action_timer_pause()
        self.assertEqual(action.timer_state, "paused")
        self.assertAlmostEqual(action.duration, 0.75)
        with freeze_time(START + timedelta(hours=2)):  # paused time does not count
            action.action_timer_resume()
        with freeze_time(START + timedelta(hours=2, minutes=45)):
            action.action_timer_stop()
        self.assertEqual(action.timer_state, "stopped")
        self.assertAlmostEqual(action.duration, 1.5)
        self.assertEqual(action.date_end, START + timedelta(hours=1, minutes=30))
        # a second session adds to the same action only
        other = self._create_action()
        with freeze_time(START + timedelta(hours=3)):
            action.action_timer_start()
        with freeze_time(START + timedelta(hours=3, minutes=6)):
            action.action_timer_stop()
        self.assertAlmostEqual(action.duration, 1.6)
        self.assertAlmostEqual(other.duration, 0.25)

    def test_done_stops_running_timer(self):
        action = self._create_action()
        action.result_id = self.result_positive
        with freeze_time(START):
            action.action_timer_start()
        with freeze_time(START + timedelta(minutes=45)):
            action.action_done()
        self.assertEqual(action.timer_state, "stopped")
        self.assertAlmostEqual(action.duration, 1.0)

    def test_stop_while_paused(self):
        action = self._create_action()
        with freeze_time(START):
            action.action_timer_start()
        with freeze_time(START + timedelta(minutes=15)):
            action.action_timer_pause()
        with freeze_time(START + timedelta(hours=5)):
            action.action_timer_stop()
        self.assertAlmostEqual(action.duration, 0.5)

    def test_wrong_timer_moves_refused(self):
        action = self._create_action()
        with self.assertRaisesRegex(UserError, "cannot do that now: the timer is stopped"):
            action.action_timer_pause()
        action.action_timer_start()
        with self.assertRaisesRegex(UserError, "cannot do that now"):
            action.action_timer_start()
        action.action_timer_stop()
        action.write({"result_id": self.result_positive.id})
        action.action_done()
        self.assertEqual(action.timer_state, "stopped")
        with self.assertRaisesRegex(UserError, "cannot do that now"):
            action.action_timer_start()
