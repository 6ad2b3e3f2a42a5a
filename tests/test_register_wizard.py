from odoo.tests import Form, tagged

from .flow_common import CrmActionFlowCommon


@tagged("post_install", "-at_install")
class TestRegisterWizard(CrmActionFlowCommon):
    def _register_form(self, **context):
        wizard = self.env["crm.action.register.wizard"].with_user(self.user_sales)
        return Form(wizard.with_context(**context))

    def test_register_from_opportunity_positive_path(self):
        with self._register_form(
            default_lead_id=self.opportunity.id,
            default_partner_id=self.company_partner.id,
            default_campaign_id=self.campaign.id,
        ) as wizard_form:
            # Campaign -> its first action -> that action's default result and medium.
            self.assertEqual(wizard_form.type_id, self.type_visit)
            self.assertEqual(wizard_form.result_id, self.result_positive)
            self.assertEqual(wizard_form.medium_id, self.medium_direct)
            self.assertEqual(wizard_form.contact_id, self.contact)
            self.assertEqual(wizard_form.flow_mode, "ask")
            wizard_form.description = "Showed the catalogue"
        res = wizard_form.record.action_register()
        action = self.env["crm.action"].search([("lead_id", "=", self.opportunity.id)])
        self.assertRecordValues(
            action,
            [
                {
                    "state": "done",
                    "type_id": self.type_visit.id,
                    "result_id": self.result_positive.id,
                    "medium_id": self.medium_direct.id,
                    "partner_id": self.company_partner.id,
                    "user_id": self.user_sales.id,
                }
            ],
        )
        self.assertTrue(action.date_done, "The registered action shows when it was done.")
        self.assertFalse(action.todo_activity_id, "A registered action is done: nobody gets a to-do for it.")
        self.assertFalse(action.acknowledgement_pending)
        self.assertEqual(self.opportunity.stage_id, self.stage_proposal)
        self.assertEqual(res["res_model"], "crm.action.next.wizard")
        self.assertEqual(res["context"]["default_previous_action_id"], action.id)

    def test_register_from_partner_negative_needs_reason(self):
        with self._register_form(default_partner_id=self.company_partner.id) as wizard_form:
            wizard_form.lead_id = self.opportunity
            self.assertEqual(wizard_form.campaign_id, self.campaign, "The lead's campaign is proposed.")
            wizard_form.result_id = self.result_negative
            self.assertEqual(wizard_form.flow_mode, "negative")
            with self.assertRaises(AssertionError):
                wizard_form.save()  # the loss reason is required
            wizard_form.lost_reason_id = self.lost_reason
        res = wizard_form.record.action_register()
        # the dialog closes with a message (a negative result plans nothing)
        self.assertEqual(res["params"]["next"]["type"], "ir.actions.act_window_close")
        self.assertEqual(res["params"]["message"], "Action registered.")
        self.assertFalse(self.opportunity.active)
        self.assertEqual(self.opportunity.lost_reason_id, self.lost_reason)

    def test_register_unlinked_action_without_campaign(self):
        done_calls = [("type_id", "=", self.type_call.id), ("state", "=", "done")]
        before = self.env["crm.action"].search(done_calls)
        with self._register_form() as wizard_form:
            wizard_form.type_id = self.type_call
            wizard_form.result_id = self.result_positive
        wizard_form.record.action_register()
        action = self.env["crm.action"].search(done_calls) - before
        self.assertEqual(len(action), 1)
        self.assertFalse(action.partner_id)
        self.assertFalse(action.next_action_ids)

    def test_buttons_on_partner_and_lead_forms(self):
        wizard_action = self.env.ref("crm_action.crm_action_register_wizard_action")
        for model in ("res.partner", "crm.lead"):
            arch = self.env[model].with_user(self.user_sales).get_view(view_type="form")["arch"]
            self.assertIn(f'name="{wizard_action.id}"', arch, model)
