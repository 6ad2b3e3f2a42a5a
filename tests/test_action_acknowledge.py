import json
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import CrmActionCommon

T0 = datetime(2026, 3, 2, 9, 0, 0)


@tagged("post_install", "-at_install")
class TestCrmActionAcknowledge(CrmActionCommon):
    """Assigned actions are notified, reminded until acknowledged, and the requester sees it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_action.crm_action_reminder_interval = 30

    def _assign(self, name="Visit Azure showroom", user=None, at=T0):
        with freeze_time(at):
            return (
                self.env["crm.action"]
                .with_user(self.user_sales)
                .create(
                    {
                        "name": name,
                        "partner_id": self.company_partner.id,
                        "type_id": self.type_visit.id,
                        "user_id": (user or self.user_action).id,
                    }
                )
            )

    def _bus_reminders(self, user):
        """Sticky notifications sent to ``user`` (bus messages are written at commit)."""
        self.env.cr.precommit.run()
        notifications = self.env["bus.bus"].sudo().search([("message", "like", "simple_notification")])
        return notifications.filtered(lambda n: json.loads(n.channel)[1:] == ["res.partner", user.partner_id.id])

    def test_assignment_notifies_responsible(self):
        action = self._assign()
        self.assertTrue(action.acknowledgement_pending)
        self.assertFalse(action.acknowledged_date)
        self.assertEqual(action.last_reminder_date, T0)
        # inbox: a message on the action addressed to the responsible
        message = action.message_ids.filtered(lambda m: self.user_action.partner_id in m.partner_ids)
        self.assertEqual(len(message), 1)
        self.assertIn("Please acknowledge it", message.body)
        self.assertIn(self.user_action.partner_id, message.notification_ids.res_partner_id)
        # sticky notification in the responsible's web client
        self.assertEqual(len(self._bus_reminders(self.user_action)), 1)

    def test_batch_assignment_notifies_responsible_once(self):
        """Twelve actions assigned in one save: each says in its chatter that it waits for
        the responsible, who is notified once, by a message naming the others."""
        actions = (
            self.env["crm.action"]
            .with_user(self.user_sales)
            .create(
                [
                    {"name": f"Call {i}", "partner_id": self.company_partner.id, "user_id": self.user_action.id}
                    for i in range(12)
                ]
            )
        )
        self.assertTrue(all(actions.mapped("acknowledgement_pending")))
        messages = self.env["mail.message"].search(
            [
                ("model", "=", "crm.action"),
                ("res_id", "in", actions.ids),
                ("partner_ids", "in", self.user_action.partner_id.ids),
            ]
        )
        self.assertEqual(sorted(messages.mapped("res_id")), sorted(actions.ids), "one request on each action")
        self.assertTrue(all("Please acknowledge it" in body for body in messages.mapped("body")))
        notified = messages.filtered(lambda m: self.user_action.partner_id in m.notification_ids.res_partner_id)
        self.assertEqual(len(notified), 1, "the responsible is notified once for the batch")
        self.assertEqual(notified.res_id, actions[0].id)
        self.assertIn("Call 1", notified.body)
        self.assertIn("and 1 more", notified.body)
        # one sticky notification in the web client too
        self.assertEqual(len(self._bus_reminders(self.user_action)), 1)

    def test_assignment_notifies_once(self):
        """With Odoo's tracking on (as in the web client), the acknowledgement request is
        the only notification: no second "You have been assigned" message."""
        action = (
            self.env["crm.action"]
            .with_context(tracking_disable=False, mail_create_nolog=False)
            .with_user(self.user_sales)
            .create(
                {
                    "name": "Visit Azure showroom",
                    "partner_id": self.company_partner.id,
                    "type_id": self.type_visit.id,
                    "user_id": self.user_action.id,
                }
            )
        )
        self.assertIn(self.user_action.partner_id, action.message_partner_ids, "The responsible follows it.")
        notified = self.env["mail.message"].search(
            [
                ("model", "=", "crm.action"),
                ("res_id", "=", action.id),
                ("partner_ids", "in", self.user_action.partner_id.ids),
            ]
        )
        self.assertEqual(len(notified), 1, notified.mapped("body"))
        self.assertIn("Please acknowledge it", notified.body)

    def test_own_action_needs_no_acknowledgement(self):
        action = self._assign(user=self.user_sales)
        self.assertFalse(action.acknowledgement_pending)
        self.assertFalse(self._bus_reminders(self.user_sales))

    def test_reassignment_asks_new_responsible(self):
        action = self._assign()
        action.with_user(self.user_action).action_acknowledge()
        action.with_user(self.user_sales).user_id = self.user_manager
        self.assertTrue(action.acknowledgement_pending)
        self.assertFalse(action.acknowledged_date)
        # taken back by the requester for themselves: nothing to acknowledge
        action.with_user(self.user_sales).user_id = self.user_sales
        self.assertFalse(action.acknowledgement_pending)

    def test_acknowledge(self):
        action = self._assign()
        with freeze_time(T0 + timedelta(minutes=12)):
            action.with_user(self.user_action).action_acknowledge()
        self.assertFalse(action.acknowledgement_pending)
        # the requester sees who acknowledged and when
        as_requester = action.with_user(self.user_sales)
        self.assertEqual(as_requester.acknowledged_by_id, self.user_action)
        self.assertEqual(as_requester.acknowledged_date, T0 + timedelta(minutes=12))
        self.assertTrue(
            action.message_ids.filtered(
                lambda m: "acknowledged this action" in m.body and self.user_sales.partner_id in m.partner_ids
            )
        )

    def test_acknowledge_someone_elses_action_refused(self):
        action = self._assign()
        with self.assertRaisesRegex(UserError, "Only Umberto User, the responsible"):
            action.with_user(self.user_sales).action_acknowledge()
        self.assertTrue(action.acknowledgement_pending)
        self.assertFalse(action.acknowledged_date)

    def test_reminder_cadence(self):
        action = self._assign()
        remind = self.env["crm.action"]._remind_unacknowledged
        self.assertFalse(remind(now=T0 + timedelta(minutes=10)))
        self.assertFalse(remind(now=T0 + timedelta(minutes=29)))
        self.assertEqual(remind(now=T0 + timedelta(minutes=30)), action)
        self.assertEqual(action.last_reminder_date, T0 + timedelta(minutes=30))
        self.assertFalse(remind(now=T0 + timedelta(minutes=45)))
        self.assertEqual(remind(now=T0 + timedelta(minutes=60)), action)
        self.assertEqual(len(self._bus_reminders(self.user_action)), 3)  # assignment + 2 reminders
        # a shorter interval chosen in My Preferences applies at the next run
        self.user_action.with_user(self.user_action).write({"crm_action_reminder_interval": 10})
        self.assertEqual(remind(now=T0 + timedelta(minutes=70)), action)
        # the cron (every 5 minutes) runs the same at the current time
        with freeze_time(T0 + timedelta(minutes=80)):
            self.env["crm.action"]._cron_remind_unacknowledged()
        self.assertEqual(action.last_reminder_date, T0 + timedelta(minutes=80))
        # acknowledged: never again
        action.with_user(self.user_action).action_acknowledge()
        self.assertFalse(remind(now=T0 + timedelta(days=1)))

    def test_no_reminder_when_preference_is_zero(self):
        self.user_action.with_user(self.user_action).write({"crm_action_reminder_interval": 0})
        self._assign()
        self.assertFalse(self.env["crm.action"]._remind_unacknowledged(now=T0 + timedelta(days=2)))
        self.user_action.invalidate_recordset()
        self.assertFalse(self.user_action.with_user(self.user_action)._update_last_login())
        self.assertEqual(len(self._bus_reminders(self.user_action)), 1, "only the assignment notification")

    def test_no_reminder_for_closed_actions(self):
        action = self._assign()
        action.with_user(self.user_sales).action_cancel()
        self.assertFalse(action.acknowledgement_pending)
        self.assertFalse(self.env["crm.action"]._remind_unacknowledged(now=T0 + timedelta(days=1)))

    def test_reminder_at_login(self):
        action = self._assign()
        with freeze_time(T0 + timedelta(minutes=3)):
            self.user_action.with_user(self.user_action)._update_last_login()
        self.assertEqual(action.last_reminder_date, T0 + timedelta(minutes=3))
        self.assertEqual(len(self._bus_reminders(self.user_action)), 2)
        # nobody else is reminded when one user logs in
        other = self._assign(name="Other", user=self.user_manager)
        with freeze_time(T0 + timedelta(minutes=4)):
            self.user_action.with_user(self.user_action)._update_last_login()
        self.assertEqual(other.last_reminder_date, T0)

    def test_preference_in_my_preferences(self):
        view = self.env.ref("base.view_users_form_simple_modif")
        self.assertIn(
            "crm_action_reminder_interval",
            self.env["res.users"].get_views([(view.id, "form")])["views"]["form"]["arch"],
        )
        me = self.user_action.with_user(self.user_action)
        with Form(me, view="base.view_users_form_simple_modif") as preferences:
            preferences.crm_action_reminder_interval = 15
        self.assertEqual(me.read(["crm_action_reminder_interval"])[0]["crm_action_reminder_interval"], 15)
        self.assertEqual(self.user_sales.crm_action_reminder_interval, 30, "default 30 minutes")

    def test_cron_cost_independent_of_acknowledged_actions(self):
        pending = self._assign(name="Pending 1") | self._assign(name="Pending 2")
        pending |= self._assign(name="Pending 3", user=self.user_manager)
        remind = self.env["crm.action"]._remind_unacknowledged
        self.assertFalse(remind(now=T0 + timedelta(minutes=1)), "warm-up, nothing due yet")
        self.env.flush_all()
        self.env.cr.precommit.run()  # bus messages of the assignments
        self.env.invalidate_all()
        # search pending, read them, read their users, write last_reminder_date,
        # then at commit one bus message per reminded user (defaults + insert)
        with self.assertQueryCount(__system__=6):
            self.assertEqual(remind(now=T0 + timedelta(minutes=30)), pending)
        # many more actions, all acknowledged
        for index in range(40):
            action = self._assign(name=f"Acknowledged {index}")
            action.with_user(self.user_action).action_acknowledge()
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=6):
            self.assertEqual(remind(now=T0 + timedelta(minutes=60)), pending)

    def test_views_show_acknowledgement(self):
        action = self._assign()
        as_responsible = self.env["crm.action"].with_user(self.user_action)
        self.assertEqual(
            as_responsible.search([("acknowledgement_pending", "=", True), ("user_id", "=", self.user_action.id)]),
            action,
        )
        form_arch = as_responsible.get_views([(False, "form")])["views"]["form"]["arch"]
        for name in ("action_acknowledge", "acknowledged_by_id", "acknowledged_date"):
            self.assertIn(name, form_arch)
        search_arch = as_responsible.get_views([(False, "search")])["views"]["search"]["arch"]
        self.assertIn("filter_to_acknowledge", search_arch)
