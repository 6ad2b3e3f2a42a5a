from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import CrmActionCommon

OPENED = datetime(2026, 4, 6, 14, 0, 0)


@tagged("post_install", "-at_install")
class TestCrmActionTimerFromOpening(CrmActionCommon):
    """Seed 003: the time of a contact runs from opening its window until it is saved."""

    def _log_form(self, **context):
        """The form of a new action registered as it happens (Log Action, My Actions' New)."""
        window = self.env["crm.action"]._action_log(partner=self.company_partner)
        env = self.env["crm.action"].with_user(self.user_sales)
        return Form(env.with_context(**window["context"], **context))

    def test_timer_runs_from_opening_the_form(self):
        with freeze_time(OPENED):
            form = self._log_form()
            # the new, unsaved action already times the contact: Pause and Stop are offered
            self.assertEqual(form.timer_state, "running")
            self.assertEqual(form.timer_opened_at, OPENED)
            form.name = "Call the buyer"
            form.type_id = self.type_call
            planned = form.duration
        with freeze_time(OPENED + timedelta(minutes=4)):
            action = form.save()
        self.assertEqual(action.timer_state, "running")
        self.assertEqual(action.timer_start, OPENED, "the time runs from the opening, not from the save")
        with freeze_time(OPENED + timedelta(minutes=12)):
            action.action_timer_pause()
        self.assertEqual(action.timer_state, "paused")
        # the 12 minutes since the opening are added to the type's planned duration
        self.assertAlmostEqual(action.duration, planned + 0.2)
        self.assertEqual(action.date_end, OPENED + timedelta(hours=planned, minutes=12))

    def test_saving_done_adds_the_time_since_opening(self):
        with freeze_time(OPENED):
            form = self._log_form()
            form.name = "Visit the showroom"
            form.type_id = self.type_visit
            form.result_id = self.result_positive
            planned = form.duration
        with freeze_time(OPENED + timedelta(minutes=1)):
            action = form.save()
        with freeze_time(OPENED + timedelta(minutes=45)):
            action.action_done()
        self.assertEqual(action.state, "done")
        self.assertEqual(action.timer_state, "stopped")
        self.assertAlmostEqual(action.duration, planned + 0.75)
        self.assertEqual(action.date_end, OPENED + timedelta(hours=planned, minutes=45))

    def test_no_timer_for_a_plain_new_action_or_a_planned_one(self):
        with freeze_time(OPENED):
            # no "as it happens" entry: no timer, as before
            plain = Form(self.env["crm.action"].with_user(self.user_sales))
            plain.name = "Plan a call"
            self.assertEqual(plain.timer_state, "stopped")
            # planned for tomorrow from the Log Action form: nothing happens now
            form = self._log_form()
            form.name = "Call tomorrow"
            form.date_start = OPENED + timedelta(days=1)
            form.date_end = OPENED + timedelta(days=1, hours=1)
            self.assertEqual(form.timer_state, "stopped")
            # planned for a colleague: not the user's own time
            colleague = self._log_form()
            colleague.name = "Umberto calls"
            colleague.user_id = self.user_action
            self.assertEqual(colleague.timer_state, "stopped")
            actions = plain.save() | form.save() | colleague.save()
        self.assertEqual(actions.mapped("timer_state"), ["stopped"] * 3)
        self.assertFalse(any(actions.mapped("timer_start")))

    def test_opening_moment_sent_by_a_client_is_checked(self):
        Action = self.env["crm.action"].with_user(self.user_sales)
        with freeze_time(OPENED):
            with self.assertRaises(UserError) as caught:
                Action.create({"name": "Forged", "timer_opened_at": OPENED + timedelta(hours=1)})
            self.assertIn("cannot start in the future", str(caught.exception))
            # a form left open overnight starts no timer of a day's length
            stale = Action.create({"name": "Stale", "timer_opened_at": OPENED - timedelta(hours=25)})
            self.assertEqual(stale.timer_state, "stopped")
            recent = Action.create({"name": "Recent", "timer_opened_at": OPENED - timedelta(minutes=3)})
        self.assertEqual(recent.timer_start, OPENED - timedelta(minutes=3))
        self.assertEqual(recent.timer_state, "running")

    def test_timer_of_a_future_action_is_refused(self):
        Action = self.env["crm.action"].with_user(self.user_sales)
        with freeze_time(OPENED):
            action = Action.create({"name": "Next week's visit", "date_start": OPENED + timedelta(days=7)})
            with self.assertRaises(UserError) as caught:
                action.action_timer_start()
            self.assertIn("runs only once the action has started", str(caught.exception))
            self.assertEqual(action.timer_state, "stopped")
            self.assertEqual(action.duration, 0.0)
            # paused, then moved to later: it does not resume on a future date either
            now = Action.create({"name": "Call now", "date_start": OPENED})
            now.action_timer_start()
        with freeze_time(OPENED + timedelta(minutes=6)):
            now.action_timer_pause()
            now.date_start = OPENED + timedelta(days=1)
            with self.assertRaises(UserError) as caught:
                now.action_timer_resume()
            self.assertIn("runs only once the action has started", str(caught.exception))
        self.assertEqual(now.timer_state, "paused")
        self.assertAlmostEqual(now.duration, 0.1)
        # running, its action cannot be moved to a later start
        with freeze_time(OPENED):
            running = Action.create({"name": "Call running", "date_start": OPENED})
            running.action_timer_start()
            with self.assertRaises(UserError) as caught:
                running.date_start = OPENED + timedelta(hours=2)
            self.assertIn("runs only once the action has started", str(caught.exception))


@tagged("post_install", "-at_install")
class TestCrmActionPhoneOptions(CrmActionCommon):
    """Seed 000 "Telefone": the number used, picked among the account's and its contacts'."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_partner.write({"phone": "+351 210 111 111", "mobile": False})
        cls.contact.write({"mobile": "+351 910 000 000"})
        cls.contact_2 = cls.env["res.partner"].create(
            {"name": "Rui Azure", "parent_id": cls.company_partner.id, "mobile": "+351 920 000 000"}
        )

    def test_numbers_of_partner_and_contacts_are_offered(self):
        form = Form(self.env["crm.action"].with_user(self.user_sales))
        form.name = "Call about the order"
        form.partner_id = self.company_partner
        # the default stays the first contact's number
        self.assertEqual(form.contact_ids[:], self.contact)
        self.assertEqual(form.phone, "+351 210 000 000")
        form.contact_ids.add(self.contact_2)
        offered = [(option["number"], option["kind"], option["name"]) for option in form.phone_options]
        self.assertEqual(
            offered,
            [
                ("+351 210 000 000", "Phone", "Ana Azure"),
                ("+351 910 000 000", "Mobile", "Ana Azure"),
                ("+351 920 000 000", "Mobile", "Rui Azure"),
                ("+351 210 111 111", "Phone", "Azure Tiles"),
            ],
        )
        # picking one sets it; typing another stays allowed
        form.phone = "+351 920 000 000"
        action = form.save()
        self.assertEqual(action.phone, "+351 920 000 000")
        action.phone = "+351 230 999 999"
        self.assertEqual(action.phone, "+351 230 999 999")
        self.assertEqual(len(action.phone_options), 4)

    def test_company_number_when_the_contacts_have_none(self):
        person = self.env["res.partner"].create({"name": "Ivo Azure", "parent_id": self.company_partner.id})
        action = (
            self.env["crm.action"]
            .with_user(self.user_sales)
            .create({"name": "Call Ivo", "partner_id": person.id, "contact_ids": [Command.set(person.ids)]})
        )
        self.assertEqual(action.phone, "+351 210 111 111")
        self.assertEqual([option["name"] for option in action.phone_options], ["Azure Tiles"])

    def test_next_action_dialog_offers_the_numbers(self):
        # seed 000, Next Action: "select the account's phone used as contact of the next action"
        action = (
            self.env["crm.action"]
            .with_user(self.user_sales)
            .create(
                {
                    "name": "Visit Azure",
                    "partner_id": self.company_partner.id,
                    "contact_ids": [Command.set(self.contact.ids)],
                    "type_id": self.type_visit.id,
                    "result_id": self.result_positive.id,
                    "state": "done",
                }
            )
        )
        context = action.with_user(self.user_sales).action_plan_next()["context"]
        form = Form(self.env["crm.action.next.wizard"].with_user(self.user_sales).with_context(**context))
        self.assertEqual(form.phone, "+351 210 000 000")
        self.assertEqual(
            [option["number"] for option in form.phone_options],
            ["+351 210 000 000", "+351 910 000 000", "+351 210 111 111"],
        )
        form.contact_id = self.contact_2
        self.assertEqual(form.phone_options[0]["name"], "Rui Azure", "the chosen contact's numbers come first")
        form.phone = "+351 910 000 000"
        next_action = form.save()._plan_next_action()
        self.assertEqual(next_action.phone, "+351 910 000 000")


@tagged("post_install", "-at_install")
class TestCrmActionWidgetsTour(HttpCase):
    def test_timer_ticks_and_phone_is_picked_in_a_browser(self):
        user = new_test_user(
            self.env, login="crm_action_widgets_tour", name="Tess Timer", groups="sales_team.group_sale_salesman"
        )
        user.tour_enabled = False
        partner = self.env["res.partner"].create(
            {"name": "Widget Tiles", "is_company": True, "phone": "+32 2 111 11 11"}
        )
        self.env["res.partner"].create(
            {"name": "Jane Doe", "parent_id": partner.id, "phone": "+32 2 222 22 22", "mobile": "+32 470 33 33 33"}
        )
        self.start_tour(f"/odoo/res.partner/{partner.id}", "crm_action_timer_phone", login=user.login)
        action = self.env["crm.action"].search([("name", "=", "Call Jane about the tiles")])
        self.assertEqual(action.phone, "+32 470 33 33 33")
        self.assertEqual(action.timer_state, "paused")
        self.assertGreater(action.duration, 0.0, "the time since the form opened was added")
        self.assertLess(action.duration, 0.5)
