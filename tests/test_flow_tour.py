from odoo.tests import HttpCase, tagged

from .flow_common import CrmActionFlowCommon


@tagged("post_install", "-at_install")
class TestFlowTour(HttpCase, CrmActionFlowCommon):
    def test_positive_visit_through_the_wizards(self):
        self.start_tour(
            f"/odoo/action-crm.crm_lead_action_pipeline/{self.opportunity.id}",
            "crm_action_flow_tour",
            login=self.user_sales.login,
        )
        visit = self.env["crm.action"].search([("lead_id", "=", self.opportunity.id), ("state", "=", "done")])
        self.assertEqual(visit.type_id, self.type_visit)
        self.assertEqual(visit.result_id, self.result_positive)
        self.assertEqual(self.opportunity.stage_id, self.stage_proposal)
        offer = visit.next_action_ids
        self.assertEqual(offer.type_id, self.type_offer)
        self.assertEqual(offer.state, "planned")
        self.assertEqual(offer.objective, "Send the priced offer by Friday")
