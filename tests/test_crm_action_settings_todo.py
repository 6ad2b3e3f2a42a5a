from datetime import datetime, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo.tests import Form, tagged

from .common import CrmActionCommon

T0 = datetime(2026, 3, 2, 9, 0, 0)


@tagged("post_install", "-at_install")
class TestCrmActionSettingsTodo(CrmActionCommon):
    """Settings > CRM > CRM Actions: reminder default and e-mail, timer and meeting features."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.user_action.email = "umberto@example.com"

    def _settings(self, **values):
        form = Form(self.env(user=self.admin)["res.config.settings"])
        for name, value in values.items():
            setattr(form, name, value)
        form.save().execute()

    def _assign(self, user, name="Visit Azure showroom"):
        with freeze_time(T0):
            return (
                self.env["crm.action"]
                .with_user(self.user_manager)
                .create({"name": name, "partner_id": self.company_partner.id, "user_id": user.id})
            )

    def _remind(self, minutes):
        return self.env["crm.action"]._remind_unacknowledged(now=T0 + timedelta(minutes=minutes))

    def _emails_to(self, user):
        return self.env["mail.mail"].sudo().search([("email_to", "ilike", user.email)])

    # ------------------------------------------------------------ reminder default
    def test_default_interval_applies_to_users_without_their_own(self):
        me = self.user_action.with_user(self.user_action)
        with Form(me, view="base.view_users_form_simple_modif") as preferences:
            preferences.crm_action_reminder_interval = 10
        self.assertTrue(self.user_action.crm_action_reminder_own)

        self._settings(crm_action_reminder_interval=45)
        self.assertEqual(self.user_sales.crm_action_reminder_interval, 45, "follows the default")
        self.assertFalse(self.user_sales.crm_action_reminder_own)
        self.assertEqual(self.user_action.crm_action_reminder_interval, 10, "keeps their own")

        sales_action = self._assign(self.user_sales)
        own_action = self._assign(self.user_action)
        self.assertEqual(self._remind(11), own_action, "10 minutes for the user who chose them")
        self.assertFalse(self._remind(40) & sales_action, "45 minutes for the others")
        self.assertIn(sales_action, self._remind(46))

    def test_default_zero_never_reminds_and_own_can_be_dropped(self):
        self._settings(crm_action_reminder_interval=0)
        action = self._assign(self.user_sales)
        self.assertFalse(self._remind(600))

        self.user_sales.crm_action_reminder_interval = 5
        self.assertTrue(self.user_sales.crm_action_reminder_own)
        self.assertEqual(self._remind(601), action)
        self.user_sales.crm_action_reminder_own = False
        self.assertEqual(self.user_sales.crm_action_reminder_interval, 0, "back to the default")

    def test_new_user_starts_with_the_default(self):
        self._settings(crm_action_reminder_interval=20)
        user = self.env["res.users"].create({"name": "Nina New", "login": "crm_action_nina"})
        self.assertEqual(user.crm_action_reminder_interval, 20)
        self.assertFalse(user.crm_action_reminder_own)

    # ------------------------------------------------------------ e-mail once
    def test_unacknowledged_assignment_emailed_once(self):
        self._settings(crm_action_reminder_email=True)
        action = self._assign(self.user_action)
        self.assertFalse(self._emails_to(self.user_action), "no e-mail at the assignment itself")
        self._remind(31)
        mail = self._emails_to(self.user_action)
        self.assertEqual(len(mail), 1)
        self.assertIn("Visit Azure showroom", mail.body_html)
        self._remind(62)
        self.assertEqual(len(self._emails_to(self.user_action)), 1, "once")
        self.assertTrue(action.acknowledgement_emailed)

        # reassigned: the new responsible gets their own e-mail, once
        with freeze_time(T0 + timedelta(minutes=70)):
            action.with_user(self.user_manager).user_id = self.user_sales
        self.assertFalse(action.acknowledgement_emailed)
        self._remind(101)
        self.assertEqual(len(self._emails_to(self.user_sales)), 1)

    def test_no_email_when_switched_off(self):
        self._assign(self.user_action)
        self._remind(31)
        self.assertFalse(self._emails_to(self.user_action))

    # ------------------------------------------------------------ feature groups
    def _form_arch(self, user):
        return etree.fromstring(self.env["crm.action"].with_user(user).get_view(view_type="form")["arch"])

    def test_timer_and_meetings_off_hide_their_screens(self):
        arch = self._form_arch(self.user_action)
        self.assertTrue(arch.xpath("//button[@name='action_timer_start']"))
        self.assertTrue(arch.xpath("//page[@name='meeting']"))

        self._settings(group_crm_action_timer=False)
        arch = self._form_arch(self.user_action)
        self.assertFalse(arch.xpath("//button[starts-with(@name, 'action_timer_')]"))
        self.assertFalse(arch.xpath("//field[@name='timer_start']"))
        self.assertTrue(arch.xpath("//page[@name='meeting']"), "meetings stay")

        self._settings(group_crm_action_meetings=False)
        arch = self._form_arch(self.user_action)
        self.assertFalse(arch.xpath("//page[@name='meeting']"))
        self.assertFalse(arch.xpath("//field[@name='attendee_user_ids']"))
        self.assertFalse(arch.xpath("//button[@name='action_open_calendar_event']"))
        search = self.env["crm.action"].with_user(self.user_action).get_view(view_type="search")["arch"]
        self.assertNotIn("filter_meetings", search)
        types = self.env["crm.action.type"].with_user(self.user_manager).get_view(view_type="list")["arch"]
        self.assertNotIn("is_meeting", types)

    def test_templates_link_in_the_block(self):
        arch = self.env["res.config.settings"].with_user(self.admin).get_view(view_type="form")["arch"]
        block = etree.fromstring(arch).xpath("//block[@name='crm_action_setting_container']")[0]
        self.assertTrue(block.xpath(".//button[@name='crm_action.crm_action_template_action']"))
