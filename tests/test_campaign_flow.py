from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import working_hour
from .flow_common import CrmActionFlowCommon


@tagged("post_install", "-at_install")
class TestCampaignFlow(CrmActionFlowCommon):
    def test_campaign_proposes_type_then_type_proposes_result_and_medium(self):
        with Form(self.env["crm.action"].with_user(self.user_sales)) as action_form:
            action_form.name = "Visit"
            action_form.partner_id = self.company_partner
            action_form.campaign_id = self.campaign
            # The campaign's first action, with its default result, medium and objective.
            self.assertEqual(action_form.type_id, self.type_visit)
            self.assertEqual(action_form.result_id, self.result_positive)
            self.assertEqual(action_form.medium_id, self.medium_direct)
            self.assertEqual(action_form.objective, "Present the new catalogue")
            # Another action of the campaign proposes its own defaults...
            action_form.type_id = self.type_call
            self.assertEqual(action_form.medium_id, self.medium_phone)
            # ... and the user may still change each of them.
            action_form.medium_id = self.medium_direct
            action_form.result_id = self.result_negative
        action = action_form.record
        self.assertEqual(action.campaign_line_id, self.line_call)
        self.assertEqual(action.medium_id, self.medium_direct)
        self.assertEqual(action.result_id, self.result_negative)

    def test_positive_visit_asks_next_action_and_moves_opportunity_to_proposal(self):
        visit = self._planned_visit()
        with Form(visit.with_user(self.user_sales)) as visit_form:
            visit_form.result_id = self.result_positive
        wizard_action = visit.with_user(self.user_sales).action_done()
        self.assertEqual(visit.state, "done")
        self.assertEqual(self.opportunity.stage_id, self.stage_proposal)
        self.assertEqual(wizard_action["res_model"], "crm.action.next.wizard")

        wizard_env = self.env["crm.action.next.wizard"].with_user(self.user_sales)
        with Form(wizard_env.with_context(**wizard_action["context"])) as wizard_form:
            self.assertEqual(wizard_form.type_id, self.type_offer)
            self.assertEqual(wizard_form.objective, "Send a priced offer")
            self.assertEqual(wizard_form.user_id, self.user_sales)
            self.assertEqual(wizard_form.contact_id, self.contact)
            self.assertEqual(wizard_form.phone, "+351 210 000 000")
            self.assertEqual(wizard_form.date_start, working_hour(visit.date_done, 2, self.user_sales))
            wizard_form.description = "Bring the price list"
            wizard_form.add_to_calendar = True
        wizard_form.record.action_confirm()

        offer = visit.next_action_ids
        self.assertEqual(len(offer), 1)
        self.assertRecordValues(
            offer,
            [
                {
                    "state": "planned",
                    "type_id": self.type_offer.id,
                    "previous_action_id": visit.id,
                    "flow_root_id": visit.id,
                    "lead_id": self.opportunity.id,
                    "partner_id": self.company_partner.id,
                    "campaign_id": self.campaign.id,
                    "user_id": self.user_sales.id,
                    "objective": "Send a priced offer",
                    "add_to_calendar": True,
                    "date_start": working_hour(visit.date_done, 2, self.user_sales),
                }
            ],
        )
        self.assertEqual(offer.contact_ids, self.contact)
        self.assertIn("price list", offer.description)

    def test_negative_visit_closes_flow_and_marks_opportunity_lost(self):
        visit = self._planned_visit()
        later_call = self._planned_visit(name="Call back", type_id=self.type_call.id)
        # planned in the visit's flow (the flow link is the module's to set)
        later_call.sudo().previous_action_id = visit
        other_lead_call = self._planned_visit(name="Unrelated", lead_id=False)
        visit.result_id = self.result_negative
        self.assertEqual(visit.flow_mode, "negative")

        # No loss reason: refused with a clear message, nothing changes.
        with self.assertRaises(UserError) as cm:
            visit.with_user(self.user_sales).action_done()
        self.assertIn("loss reason", str(cm.exception))
        self.assertEqual(visit.state, "planned")
        self.assertTrue(self.opportunity.active)

        with Form(visit.with_user(self.user_sales)) as visit_form:
            visit_form.lost_reason_id = self.lost_reason
        visit.with_user(self.user_sales).action_done()
        self.assertEqual(visit.state, "done")
        self.assertEqual(later_call.state, "cancel", "The flow's pending to-do is closed.")
        self.assertEqual(other_lead_call.state, "planned", "Actions of other flows stay pending.")
        self.assertFalse(self.opportunity.active)
        self.assertEqual(self.opportunity.probability, 0)
        self.assertEqual(self.opportunity.lost_reason_id, self.lost_reason)
        self.assertNotEqual(self.opportunity.stage_id, self.stage_proposal)

    def test_negative_without_reason_refused_in_form(self):
        visit = self._planned_visit()
        with Form(visit.with_user(self.user_sales)) as visit_form:
            visit_form.result_id = self.result_negative
            self.assertEqual(visit_form.flow_mode, "negative")
            # The form asks for the loss reason before the action can be saved.
            with self.assertRaises(AssertionError):
                visit_form.save()
            visit_form.lost_reason_id = self.lost_reason

    def test_automatic_next_action_lands_delay_days_later(self):
        visit = self._planned_visit()
        visit.result_id = self.result_neutral
        res = visit.with_user(self.user_sales).action_done()
        self.assertIs(res, True, "An automatic next action asks nothing.")
        call = visit.next_action_ids
        self.assertEqual(len(call), 1)
        self.assertEqual(call.type_id, self.type_call)
        self.assertEqual(call.state, "planned")
        self.assertEqual(call.date_start, working_hour(visit.date_done, 3, call.user_id))
        self.assertEqual(call.date_due, call._local_day(call.date_start))
        self.assertEqual(call.medium_id, self.medium_phone)
        self.assertEqual(call.user_id, self.user_sales)

    def test_flow_chains_three_actions(self):
        visit = self._planned_visit()
        visit.result_id = self.result_neutral
        visit.action_done()
        call = visit.next_action_ids
        call.write({"result_id": self.result_positive})
        call.action_done()
        offer = call.create_next_action({"type_id": self.type_offer.id})
        self.assertEqual(offer.previous_action_id, call)
        self.assertEqual(offer.flow_root_id, visit)
        flow = self.env["crm.action"].search(visit.action_view_flow()["domain"])
        self.assertEqual(flow, visit | call | offer)

    def test_loop_refused(self):
        with self.assertRaises(ValidationError) as cm:
            self.line_offer.result_flow_ids = [
                (0, 0, {"result_id": self.result_positive.id, "mode": "automatic", "next_type_id": self.type_offer.id})
            ]
        self.assertIn("would loop", str(cm.exception))
        # The same action again, a day later, is a follow-up, not a loop.
        self.line_offer.result_flow_ids = [
            (
                0,
                0,
                {
                    "result_id": self.result_positive.id,
                    "mode": "automatic",
                    "next_type_id": self.type_offer.id,
                    "delay_days": 1,
                },
            )
        ]
        with self.assertRaises(ValidationError) as cm:
            self.line_offer.result_flow_ids = [(0, 0, {"result_id": self.result_neutral.id, "mode": "automatic"})]
        self.assertIn("choose its type", str(cm.exception))

    def test_campaign_form_lists_actions(self):
        with Form(self.campaign.with_user(self.user_manager)) as campaign_form:
            with campaign_form.action_line_ids.new() as line:
                line.type_id = self.env.ref("crm_action.crm_action_type_email")
                line.objective = "Send the brochure"
        self.assertEqual(len(self.campaign.action_line_ids), 4)

    def test_flow_changed_by_manager_applies_to_next_save(self):
        # each worker keeps the campaigns' flows in its cache: a change must reach it at once
        self._planned_visit(result_id=self.result_neutral.id).action_done()
        flow = self.line_visit.result_flow_ids.filtered(lambda f: f.result_id == self.result_neutral)
        flow.with_user(self.user_manager).write({"mode": "ask", "next_type_id": self.type_offer.id})
        self.env.invalidate_all()  # the next save is another request
        visit = self._planned_visit(result_id=self.result_neutral.id)
        dialog = visit.action_done()
        self.assertEqual(dialog["res_model"], "crm.action.next.wizard", "the flow now asks for the next action")
        self.assertFalse(visit.next_action_ids, "and no longer creates a call on its own")
        # a campaign action added later is found for its type
        email = self.env.ref("crm_action.crm_action_type_email")
        line = (
            self.env["crm.action.campaign.line"]
            .with_user(self.user_manager)
            .create({"campaign_id": self.campaign.id, "type_id": email.id, "objective": "Send the catalogue"})
        )
        self.env.invalidate_all()
        self.assertEqual(self._planned_visit(type_id=email.id).campaign_line_id, line)
        line.with_user(self.user_manager).unlink()
        self.env.invalidate_all()
        self.assertFalse(self._planned_visit(type_id=email.id).campaign_line_id, "a deleted one no longer")

    def test_campaign_action_of_other_company_not_applied(self):
        other_company = self.env["res.company"].create({"name": "Other Tiles Co"})
        email = self.env.ref("crm_action.crm_action_type_email")
        self.env["crm.action.campaign.line"].create(
            {
                "campaign_id": self.campaign.id,
                "type_id": email.id,
                "company_id": other_company.id,
                "result_flow_ids": [Command.create({"result_id": self.result_neutral.id, "mode": "negative"})],
            }
        )
        # the salesperson works in the main company only: as when the record rules filter
        # what they read, that campaign action is not theirs
        action = self._planned_visit(type_id=email.id, result_id=self.result_neutral.id)
        self.assertFalse(action.campaign_line_id)
        self.assertFalse(action.flow_mode)
        self.assertNotIn(email, self.campaign.with_user(self.user_sales).action_line_ids.type_id)
        action.action_done()
        self.assertEqual(action.state, "done", "no loss reason asked: the negative flow is another company's")

    def test_result_changed_by_manager_applies_to_next_save(self):
        # each worker keeps the results in its cache, in the user's language
        self.assertEqual(self._planned_visit(result_id=self.result_neutral.id).result_outcome, "neutral")
        self.result_neutral.with_user(self.user_manager).write({"outcome": "positive"})
        self.env.invalidate_all()  # the next save is another request
        self.assertEqual(self._planned_visit(result_id=self.result_neutral.id).result_outcome, "positive")
