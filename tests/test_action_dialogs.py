import base64

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .flow_common import CrmActionFlowCommon


@tagged("post_install", "-at_install")
class TestActionDialogs(CrmActionFlowCommon):
    def _upload(self, user, name, model):
        return (
            self.env["ir.attachment"]
            .with_user(user)
            .create({"name": name, "datas": base64.b64encode(b"offer"), "res_model": model, "res_id": 0})
        )

    def test_register_dialog_attaches_the_uploaded_files(self):
        offer = self._upload(self.user_sales, "offer.pdf", "crm.action.register.wizard")
        foreign = self._upload(self.user_manager, "salaries.xlsx", "crm.action.register.wizard")
        wizard_model = self.env["crm.action.register.wizard"].with_user(self.user_sales)
        with Form(wizard_model) as form:
            form.partner_id = self.company_partner
            form.type_id = self.type_call
            form.result_id = self.result_positive
        # another user's file cannot be slipped into the dialog
        form.record.attachment_ids = [Command.set((offer | foreign).ids)]
        with self.assertRaises(AccessError):
            form.record.action_register()
        form.record.attachment_ids = [Command.set(offer.ids)]
        form.record.action_register()
        action = self.env["crm.action"].search([("partner_id", "=", self.company_partner.id)], limit=1)
        files = self.env["ir.attachment"].search([("res_model", "=", "crm.action"), ("res_id", "=", action.id)])
        self.assertEqual(files, offer, "the user's upload is on the action")
        self.assertEqual(foreign.res_model, "crm.action.register.wizard")

    def test_next_action_dialog_attaches_the_uploaded_files(self):
        visit = self._planned_visit()
        visit.result_id = self.result_positive
        dialog = visit.with_user(self.user_sales).action_done()
        minutes = self._upload(self.user_sales, "minutes.txt", "crm.action.next.wizard")
        with Form(self.env[dialog["res_model"]].with_user(self.user_sales).with_context(**dialog["context"])) as form:
            form.objective = "Send the offer"
        form.record.attachment_ids = [Command.set(minutes.ids)]
        form.record.action_confirm()
        self.assertEqual(minutes.res_model, "crm.action")
        self.assertEqual(minutes.res_id, visit.next_action_ids.id)

    def test_action_on_a_lead_alone_takes_its_partner(self):
        for user in (self.env.user, self.user_sales):
            with self.subTest(user=user.name):
                action = (
                    self.env["crm.action"]
                    .with_user(user)
                    .create({"name": "Call about the floor", "lead_id": self.opportunity.id})
                )
                self.assertEqual(action.partner_id, self.company_partner)
                self.assertEqual(action.contact_ids, self.contact)

    def test_register_dialog_offers_the_campaigns_actions_and_results(self):
        wizard_model = self.env["crm.action.register.wizard"].with_user(self.user_sales)
        with Form(wizard_model) as form:
            self.assertFalse(len(form.allowed_type_ids), "without a campaign every type is offered")
            form.partner_id = self.company_partner
            form.campaign_id = self.campaign
            self.assertEqual(set(form.allowed_type_ids), set(self.type_visit | self.type_offer | self.type_call))
            form.type_id = self.type_visit
            self.assertEqual(
                set(form.allowed_result_ids), set(self.result_positive | self.result_negative | self.result_neutral)
            )
            form.result_id = self.result_positive
