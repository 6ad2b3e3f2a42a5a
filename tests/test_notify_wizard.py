from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .flow_common import CrmActionFlowCommon


@tagged("post_install", "-at_install")
class TestNotifyWizard(CrmActionFlowCommon):
    """Notify (seed 000): a screen suggesting the e-mails of the people involved, to filter,
    tick and complete, sending through Odoo's mail queue."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.type_meeting = env.ref("crm_action.crm_action_type_meeting")
        cls.company_partner.email = "office@azure.example.com"
        cls.contact.email = "ana@azure.example.com"
        cls.colleague = new_test_user(
            env,
            login="crm_action_notify_colleague",
            name="Carla Colleague",
            groups="sales_team.group_sale_salesman",
            email="carla@example.com",
        )
        cls.follower = env["res.partner"].create({"name": "Fiona Follower", "email": "fiona@example.com"})
        cls.no_email = env["res.partner"].create({"name": "Nuno Nomail", "parent_id": cls.company_partner.id})
        cls.lead = env["crm.lead"].create(
            {
                "name": "Azure Tiles: new showroom",
                "partner_id": cls.company_partner.id,
                "user_id": cls.user_manager.id,
                "team_id": cls.team.id,
            }
        )
        cls.meeting = env["crm.action"].create(
            {
                "name": "Showroom meeting",
                "partner_id": cls.company_partner.id,
                "contact_ids": [Command.set((cls.contact | cls.no_email).ids)],
                "lead_id": cls.lead.id,
                "type_id": cls.type_meeting.id,
                "user_id": cls.user_sales.id,
                "requester_id": cls.user_action.id,
                "attendee_user_ids": [Command.set((cls.user_sales | cls.colleague).ids)],
            }
        )
        cls.meeting.message_subscribe(partner_ids=(cls.follower | cls.user_manager.partner_id).ids)

    def _notify_form(self, action=None, user=None):
        user = user or self.user_sales
        res = (action or self.meeting).with_user(user).action_open_notify_wizard()
        self.assertEqual(res["res_model"], "crm.action.notify.wizard")
        return Form(self.env[res["res_model"]].with_user(user).with_context(**res["context"]))

    def _queued_mails(self, message):
        return self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])

    def test_suggests_the_people_involved_once_with_their_roles(self):
        form = self._notify_form()
        lines = {line["partner_id"]: (line["email"], line["role"], line["selected"]) for line in form.line_ids._records}
        partner = self.env["res.partner"].browse
        lines = {partner(pid).name: values for pid, values in lines.items()}
        self.assertEqual(lines["Sally Sales"], ("sally@example.com", "Responsible, Participant, Follower", True))
        self.assertEqual(lines["Umberto User"][1:], ("Requester", True))
        self.assertEqual(lines["Ana Azure"], ("ana@azure.example.com", "Contact Person", True))
        self.assertEqual(lines["Nuno Nomail"], (False, "Contact Person", False), "no e-mail: not ticked")
        self.assertEqual(lines["Carla Colleague"], ("carla@example.com", "Participant", False))
        self.assertEqual(lines["Azure Tiles"], ("office@azure.example.com", "Partner", False))
        self.assertEqual(lines["Marta Manager"][1:], ("Salesperson of the Lead, Follower", True))
        self.assertEqual(lines["Fiona Follower"], ("fiona@example.com", "Follower", False))
        self.assertEqual(len(form.line_ids._records), len(lines), "each person once")
        self.assertEqual(
            set(form.partner_ids.ids),
            set(self.meeting.notify_partner_ids.ids),
            "the action's recipients are ticked",
        )

    def test_filter_narrows_the_list_and_keeps_the_ticks(self):
        form = self._notify_form()
        total = len(form.line_ids)
        form.filter_text = "AZURE"
        names = {line["partner_id"] for line in form.line_ids._records}
        self.assertEqual(names, {self.contact.id, self.company_partner.id}, "name or e-mail contains 'azure'")
        with form.line_ids.edit(0) as line:
            self.assertEqual(line.partner_id, self.contact)
            line.selected = False
        self.assertNotIn(self.contact, form.partner_ids)
        with form.line_ids.edit(1) as line:
            line.selected = True
        self.assertIn(self.company_partner, form.partner_ids)
        form.filter_text = "follower"
        self.assertEqual(len(form.line_ids), 3, "the role is searched too: Sally, Marta, Fiona")
        form.filter_text = False
        self.assertEqual(len(form.line_ids), total)
        self.assertIn(self.user_action.partner_id, form.partner_ids, "filtered-out people keep their tick")
        self.assertNotIn(self.contact, form.partner_ids)
        self.assertIn(self.company_partner, form.partner_ids)

    def test_send_queues_mails_to_the_ticked_people_and_typed_addresses(self):
        form = self._notify_form()
        form.filter_text = "follower"
        for i in range(len(form.line_ids)):
            with form.line_ids.edit(i) as line:
                line.selected = line.partner_id == self.follower
        form.filter_text = False
        form.email_extra = "Extra@Example.com; other@example.com"
        wizard = form.save()
        before = self.meeting.message_ids
        res = wizard.action_send()
        self.assertEqual(res["tag"], "display_notification")
        self.assertEqual(res["params"]["next"], {"type": "ir.actions.act_window_close"})
        self.assertIn("Showroom meeting", res["params"]["message"])
        self.assertIn("extra@example.com", res["params"]["message"])

        message = (self.meeting.message_ids - before).filtered(lambda m: m.subject == "Showroom meeting")
        self.assertEqual(len(message), 1, "the summary is in the chatter")
        self.assertIn("Showroom meeting", message.body)
        # Sally and Marta follow the action too: unticked with the filter on followers
        ticked = (
            self.meeting.notify_partner_ids - self.user_sales.partner_id - self.user_manager.partner_id | self.follower
        )
        self.assertEqual(message.partner_ids, ticked)
        mails = self._queued_mails(message)
        self.assertEqual(set(mails.mapped("state")), {"outgoing"}, "queued, not sent while the user waits")
        self.assertEqual(mails.recipient_ids, ticked - self._inbox_partners(ticked))
        self.assertNotIn(self.user_manager.partner_id, mails.recipient_ids, "an unticked follower gets nothing")
        self.assertEqual(
            sorted(mails.filtered("email_to").mapped("email_to")), ["extra@example.com", "other@example.com"]
        )
        self.assertTrue(
            self.meeting.message_ids.filtered(lambda m: "extra@example.com, other@example.com" in m.body),
            "the typed addresses are in the chatter too",
        )

    def _inbox_partners(self, partners):
        return partners.user_ids.filtered(lambda u: u.notification_type == "inbox").partner_id

    def test_typed_addresses_are_checked(self):
        form = self._notify_form()
        form.email_extra = "good@example.com, not-an-address"
        wizard = form.save()
        before = self.meeting.message_ids
        with self.assertRaises(ValidationError) as cm:
            wizard.action_send()
        self.assertIn("'not-an-address' is not an e-mail address", str(cm.exception))
        self.assertEqual(self.meeting.message_ids, before, "nothing sent")

    def test_refuses_nobody_ticked_and_people_without_email(self):
        form = self._notify_form()
        form.partner_ids.clear()
        wizard = form.save()
        with self.assertRaises(UserError) as cm:
            wizard.action_send()
        self.assertIn("Choose at least one recipient", str(cm.exception))

        form = self._notify_form()
        form.filter_text = "nomail"
        with form.line_ids.edit(0) as line:
            line.selected = True
        wizard = form.save()
        with self.assertRaises(UserError) as cm:
            wizard.action_send()
        self.assertIn("Recipients without an e-mail address: Azure Tiles, Nuno Nomail", str(cm.exception))

    def test_notify_button_of_the_action_form_opens_the_dialog(self):
        arch = self.env["crm.action"].with_user(self.user_sales).get_view(view_type="form")["arch"]
        self.assertIn('name="action_open_notify_wizard"', arch)
        res = self.meeting.with_user(self.user_sales).action_open_notify_wizard()
        self.assertEqual((res["target"], res["context"]["default_action_id"]), ("new", self.meeting.id))

    def test_only_about_actions_the_user_can_read(self):
        secret = self.env["crm.action"].create(
            {"name": "Other team's call", "user_id": self.user_manager.id, "team_id": self.other_team.id}
        )
        with self.assertRaises(AccessError):
            secret.with_user(self.user_sales).action_open_notify_wizard()
        # nor by sending the action's id to the dialog
        with self.assertRaises(AccessError):
            self.env["crm.action.notify.wizard"].with_user(self.user_sales).create({"action_id": secret.id})

    def test_register_and_notify(self):
        form = Form(self.env["crm.action.register.wizard"].with_user(self.user_sales))
        form.partner_id = self.company_partner
        form.lead_id = self.opportunity
        form.campaign_id = self.campaign
        form.type_id = self.type_visit
        form.result_id = self.result_positive
        res = form.save().action_register_and_notify()
        action = self.env["crm.action"].search([("lead_id", "=", self.opportunity.id)])
        self.assertEqual(action.state, "done")
        self.assertEqual(res["res_model"], "crm.action.notify.wizard")
        self.assertEqual(res["context"]["default_action_id"], action.id)
        notify = Form(self.env[res["res_model"]].with_user(self.user_sales).with_context(**res["context"]))
        self.assertIn(self.contact, notify.partner_ids)
        sent = notify.save().action_send()
        self.assertEqual(self._queued_mails(action.message_ids[:1]).mapped("state")[:1], ["outgoing"])
        # the positive visit asks for the next action: its dialog follows the e-mail
        self.assertEqual(sent["params"]["next"]["res_model"], "crm.action.next.wizard")
        self.assertEqual(sent["params"]["next"]["context"]["default_previous_action_id"], action.id)

    def test_plan_next_and_notify(self):
        visit = self._planned_visit(result_id=self.result_positive.id)
        dialog = visit.with_user(self.user_sales).action_done()
        form = Form(self.env[dialog["res_model"]].with_user(self.user_sales).with_context(**dialog["context"]))
        res = form.save().action_confirm_and_notify()
        offer = visit.next_action_ids
        self.assertEqual(offer.type_id, self.type_offer)
        self.assertEqual(res["res_model"], "crm.action.notify.wizard")
        self.assertEqual(res["context"]["default_action_id"], offer.id)
        notify = Form(self.env[res["res_model"]].with_user(self.user_sales).with_context(**res["context"]))
        sent = notify.save().action_send()
        self.assertEqual(sent["params"]["next"], {"type": "ir.actions.act_window_close"})
        self.assertTrue(offer.message_ids.filtered(lambda m: m.partner_ids and m.subject == offer.name))
