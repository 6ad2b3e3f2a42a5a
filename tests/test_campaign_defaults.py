from odoo.tests import Form, tagged

from .flow_common import CrmActionFlowCommon


@tagged("post_install", "-at_install")
class TestCampaignDefaults(CrmActionFlowCommon):
    """One rule for what a campaign proposes, on the action's form and in the Register
    Action dialog alike (crm.action.campaign.line._get_action_defaults)."""

    def _defaults(self, action_type, first_type=False):
        return self.env["crm.action.campaign.line"]._get_action_defaults(
            self.campaign, action_type, first_type=first_type
        )

    def test_defaults_of_the_campaign_action_of_the_type(self):
        self.assertEqual(
            self._defaults(self.type_visit),
            {
                "result_id": self.result_positive,
                "medium_id": self.medium_direct,
                "objective": "Present the new catalogue",
            },
        )
        self.assertEqual(self._defaults(self.type_call), {"medium_id": self.medium_phone})
        self.assertEqual(self._defaults(self.env.ref("crm_action.crm_action_type_email")), {})

    def test_a_chosen_campaign_proposes_its_first_action_type(self):
        email = self.env.ref("crm_action.crm_action_type_email")
        self.assertEqual(self._defaults(email, first_type=True)["type_id"], self.type_visit)
        # a type the campaign has is kept: nothing is proposed over it
        self.assertEqual(self._defaults(self.type_call, first_type=True), {})
        self.assertEqual(
            self.env["crm.action.campaign.line"]._get_action_defaults(self.env["utm.campaign"], email, first_type=True),
            {},
        )

    def test_form_and_dialog_propose_the_same(self):
        email = self.env.ref("crm_action.crm_action_type_email")
        with Form(self.env["crm.action"].with_user(self.user_sales)) as action_form:
            action_form.name = "Visit Azure"
            action_form.type_id = email
            action_form.campaign_id = self.campaign
            proposed_on_form = (action_form.type_id, action_form.result_id, action_form.medium_id)
            action_form.type_id = self.type_call
            call_medium_on_form = action_form.medium_id
        dialog = Form(self.env["crm.action.register.wizard"].with_user(self.user_sales))
        dialog.type_id = email
        dialog.campaign_id = self.campaign
        self.assertEqual((dialog.type_id, dialog.result_id, dialog.medium_id), proposed_on_form)
        self.assertEqual(proposed_on_form, (self.type_visit, self.result_positive, self.medium_direct))
        dialog.type_id = self.type_call
        self.assertEqual(dialog.medium_id, call_medium_on_form)
        self.assertEqual(call_medium_on_form, self.medium_phone)
