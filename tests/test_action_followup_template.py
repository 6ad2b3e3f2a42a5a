from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import CrmActionCommon

NOW = datetime(2026, 5, 4, 10, 0, 0)


@tagged("post_install", "-at_install")
class TestCrmActionFollowup(CrmActionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_sales.tz = "UTC"
        cls.campaign = cls.env["utm.campaign"].create({"name": "Spring tiles"})
        cls.lead = cls.env["crm.lead"].create(
            {"name": "Azure showroom", "partner_id": cls.company_partner.id, "user_id": cls.user_sales.id}
        )

    def _create_action(self, **values):
        with freeze_time(NOW):
            return (
                self.env["crm.action"]
                .with_user(self.user_sales)
                .create(
                    {
                        "name": "Present catalogue",
                        "partner_id": self.company_partner.id,
                        "contact_ids": [Command.set(self.contact.ids)],
                        "type_id": self.type_visit.id,
                        "campaign_id": self.campaign.id,
                        "lead_id": self.lead.id,
                        "result_id": self.result_positive.id,
                        "date_start": NOW,
                        **values,
                    }
                )
            )

    def _done(self, action, at=NOW):
        with freeze_time(at):
            action.action_done()
        return action.followup_action_id

    def test_followup_in_days(self):
        action = self._create_action(followup_interval=3, followup_unit="days")
        followup = self._done(action, NOW + timedelta(hours=1))
        self.assertTrue(followup)
        self.assertEqual(followup.state, "planned")
        # three days after the action, at 09:00 where its responsible works (UTC here)
        self.assertEqual(followup.date_start, datetime(2026, 5, 7, 9, 0))
        self.assertEqual(followup.partner_id, self.company_partner)
        self.assertEqual(followup.contact_ids, self.contact)
        self.assertEqual(followup.type_id, self.type_visit)
        self.assertEqual(followup.campaign_id, self.campaign)
        self.assertEqual(followup.lead_id, self.lead)
        self.assertEqual(followup.user_id, self.user_sales)
        self.assertFalse(followup.result_id)
        self.assertEqual(len(followup.activity_ids), 1, "the follow-up is a to-do too")

    def test_followup_in_hours_and_weeks(self):
        in_hours = self._done(self._create_action(followup_interval=4, followup_unit="hours"))
        self.assertEqual(in_hours.date_start, NOW + timedelta(hours=4))
        in_weeks = self._done(self._create_action(followup_interval=2, followup_unit="weeks"))
        self.assertEqual(in_weeks.date_start, datetime(2026, 5, 18, 9, 0))

    def test_followup_on_date(self):
        when = NOW + timedelta(days=10, hours=3)
        with freeze_time(NOW):
            action = self._create_action(followup_date=when, followup_interval=1)
        self.assertEqual(self._done(action).date_start, when)

    def test_no_followup_without_interval(self):
        action = self._create_action()
        self.assertFalse(self._done(action))
        self.assertEqual(self.env["crm.action"].search_count([("name", "=", "Present catalogue")]), 1)

    def test_followup_in_the_past_refused(self):
        with freeze_time(NOW), self.assertRaisesRegex(ValidationError, "is in the past"):
            self._create_action(followup_date=NOW - timedelta(hours=1))
        action = self._create_action(followup_date=NOW + timedelta(hours=1))
        # by the time it is done, the chosen time has passed
        with freeze_time(NOW + timedelta(hours=2)), self.assertRaisesRegex(UserError, "is in the past"):
            action.action_done()
        self.assertEqual(action.state, "planned")
        with self.assertRaisesRegex(ValidationError, "negative"):
            action.followup_interval = -2


@tagged("post_install", "-at_install")
class TestCrmActionTemplate(CrmActionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category = cls.env.ref("crm_action.crm_action_category_acquisition")
        cls.template = (
            cls.env["crm.action.template"]
            .with_user(cls.user_manager)
            .create(
                {
                    "name": "Welcome call",
                    "type_id": cls.type_call.id,
                    "summary": "Welcome call to a new customer",
                    "description": "<p>Ask about the first delivery.</p>",
                    "duration": 0.5,
                    "category_id": cls.category.id,
                    "priority": "2",
                }
            )
        )

    def _assert_from_template(self, action):
        self.assertEqual(action.name, "Welcome call to a new customer")
        self.assertEqual(action.type_id, self.type_call)
        self.assertEqual(action.duration, 0.5)
        self.assertEqual(action.category_id, self.category)
        self.assertEqual(action.priority, "2")
        self.assertIn("first delivery", action.description)

    def test_template_preset_on_form(self):
        form = Form(self.env["crm.action"].with_user(self.user_sales))
        form.template_id = self.template
        action = form.save()
        self._assert_from_template(action)
        self.assertEqual(action.template_id, self.template)

    def test_template_from_context(self):
        # what a "Log action" button does
        actions = self.env["crm.action"].with_user(self.user_sales).with_context(default_template_id=self.template.id)
        form = Form(actions)
        form.partner_id = self.company_partner
        self._assert_from_template(form.save())
        action = actions.create({"partner_id": self.company_partner.id, "priority": "0"})
        self.assertEqual(action.template_id, self.template)
        self.assertEqual(action.type_id, self.type_call)
        self.assertEqual(action.priority, "0", "explicit values win over the template")

    def test_template_from_log_action_buttons(self):
        partner = self.company_partner.with_user(self.user_sales)
        window = partner.with_context(default_template_id=self.template.id).action_log_crm_action()
        self.assertEqual(window["context"]["default_template_id"], self.template.id)
        self.assertEqual(window["context"]["default_partner_id"], self.company_partner.id)
        window = self.env["crm.action"]._action_log(partner=self.company_partner, template=self.template)
        form = Form(self.env["crm.action"].with_user(self.user_sales).with_context(**window["context"]))
        action = form.save()
        self._assert_from_template(action)
        self.assertEqual(action.partner_id, self.company_partner)

    def test_templates_of_other_companies_hidden(self):
        other_company = self.env["res.company"].create({"name": "Other Tiles Co"})
        foreign = self.env["crm.action.template"].create({"name": "Foreign", "company_id": other_company.id})
        shared = self.env["crm.action.template"].create({"name": "Shared"})
        visible = self.env["crm.action.template"].with_user(self.user_sales).search([])
        self.assertIn(shared, visible)
        self.assertIn(self.template, visible)
        self.assertNotIn(foreign, visible)

    def test_only_managers_configure_templates(self):
        with self.assertRaises(AccessError):
            self.env["crm.action.template"].with_user(self.user_sales).create({"name": "Mine"})
        self.assertEqual(self.template.with_user(self.user_sales).name, "Welcome call")
        menu = self.env.ref("crm_action.crm_action_template_menu")
        self.assertEqual(menu.parent_id, self.env.ref("crm_action.crm_action_menu_config"))
        self.assertIn(self.env.ref("crm_action.crm_action_group_manager"), menu.groups_id)


@tagged("post_install", "-at_install")
class TestCrmActionNotify(CrmActionCommon):
    def test_recipients_suggested_and_notified(self):
        self.contact.email = "ana@azure.example.com"
        lead = self.env["crm.lead"].create({"name": "Azure", "user_id": self.user_manager.id})
        # a salesperson who sees every lead, so that they may log an action on a colleague's
        self.user_sales.groups_id = [Command.link(self.env.ref("sales_team.group_sale_salesman_all_leads").id)]
        action = (
            self.env["crm.action"]
            .with_user(self.user_sales)
            .create(
                {
                    "name": "Deliver samples",
                    "partner_id": self.company_partner.id,
                    "contact_ids": [Command.set(self.contact.ids)],
                    "lead_id": lead.id,
                    "user_id": self.user_action.id,
                }
            )
        )
        self.assertEqual(
            action.notify_partner_ids,
            self.user_action.partner_id | self.user_sales.partner_id | self.contact | self.user_manager.partner_id,
        )
        action.notify_partner_ids = self.contact | self.user_manager.partner_id
        action.with_user(self.user_sales).action_notify_recipients()
        message = action.message_ids[0]
        self.assertEqual(message.message_type, "comment")
        self.assertEqual(message.subject, "Deliver samples")
        self.assertIn("Deliver samples", message.body)
        self.assertEqual(message.partner_ids, self.contact | self.user_manager.partner_id)
        mails = self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
        self.assertIn(self.contact, mails.recipient_ids)

    def test_notify_needs_recipients_with_email(self):
        action = self.env["crm.action"].create({"name": "Nobody", "user_id": False, "requester_id": False})
        self.assertFalse(action.notify_partner_ids)
        with self.assertRaisesRegex(UserError, "at least one recipient"):
            action.action_notify_recipients()
        action.notify_partner_ids = self.other_contact
        with self.assertRaisesRegex(UserError, "without an e-mail address"):
            action.action_notify_recipients()

    def test_demo_templates_installed(self):
        welcome = self.env.ref("crm_action.crm_action_template_welcome_call_demo", raise_if_not_found=False)
        if not welcome:
            self.skipTest("installed without demo data")
        self.assertEqual(welcome.type_id, self.type_call)
