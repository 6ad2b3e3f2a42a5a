from odoo import Command
from odoo.tests import Form, tagged

from .test_crm_action_sequence import CrmActionSequenceCommon


@tagged("post_install", "-at_install")
class TestUxSpawn(CrmActionSequenceCommon):
    """Leads from documents as a salesperson meets them (seed 004)."""

    def test_spawned_lead_is_the_quotations_opportunity(self):
        order = self._create_quotation()
        lead = self._lead(order, "quotation")
        self.assertEqual(order.opportunity_id, lead)
        # the lead's Quotations button counts it
        self.assertEqual(lead.with_user(self.user_sales).quotation_count, 1)
        action = lead.with_user(self.user_sales).action_view_sale_quotation()
        self.assertEqual(self.env["sale.order"].search(action["domain"]), order)
        # confirming it keeps that opportunity: the order's own lead does not replace it
        order.action_confirm()
        self.assertEqual(order.opportunity_id, lead)
        self.assertTrue(self._lead(order, "order"))

    def test_quotation_linked_to_an_opportunity_keeps_it(self):
        opportunity = self.env["crm.lead"].create(
            {"name": "Existing deal", "type": "opportunity", "partner_id": self.company_partner.id}
        )
        order = self._create_quotation(opportunity_id=opportunity)
        self.assertTrue(self._lead(order, "quotation"))
        self.assertEqual(order.opportunity_id, opportunity)

    def test_new_quotation_saved_from_its_form_offers_its_lead(self):
        self.seq_quote.open_lead = True
        with Form(self.env["sale.order"].with_user(self.user_sales)) as order_form:
            order_form.partner_id = self.company_partner
            order_form.team_id = self.team
            self.assertFalse(order_form.crm_action_open_lead_id)
        lead = self._lead(order_form.record, "quotation")
        # after the first save the form names the lead and has a button to it
        self.assertEqual(order_form.crm_action_open_lead_id, lead)
        action = order_form.record.action_crm_action_open_lead()
        self.assertEqual((action["res_model"], action["res_id"]), ("crm.lead", lead.id))
        self.assertEqual(action["views"], [(False, "form")])

    def test_no_lead_offered_when_the_sequence_does_not_open_it(self):
        self.seq_quote.open_lead = False
        order = self._create_quotation()
        self.assertTrue(self._lead(order, "quotation"))
        self.assertFalse(order.crm_action_open_lead_id)

    def test_group_line_goes_to_a_member_of_the_documents_team_first(self):
        in_team, outside = self.user_visit_b, self.user_visit_a
        self.team.member_ids = [Command.link(in_team.id)]
        # the member outside the team is less busy, yet the team's member gets the visit
        self.env["crm.action"].create([{"name": f"Busy {i}", "user_id": in_team.id} for i in range(3)])
        visit = self._visit(self._lead(self._create_quotation(), "quotation"))
        self.assertEqual(visit.user_id, in_team)
        # a team with no member of the group: the least busy member, as before
        other_team = self.env["crm.team"].create(
            {"name": "Other team", "crm_action_quotation_sequence_id": self.seq_quote.id}
        )
        visit = self._visit(self._lead(self._create_quotation(team_id=other_team), "quotation"))
        self.assertEqual(visit.user_id, outside)

    def test_spawn_at_once_limit_can_be_zero(self):
        settings = Form(self.env["res.config.settings"])
        self.assertEqual(settings.crm_action_spawn_sync_limit, 20)
        settings.crm_action_spawn_sync_limit = 0
        settings.save().execute()
        self.assertEqual(self.env["ir.config_parameter"].get_param("crm_action.spawn_sync_limit"), "0")
        self.assertEqual(Form(self.env["res.config.settings"]).crm_action_spawn_sync_limit, 0)
        self.assertEqual(self.env["res.config.settings"]._crm_action_spawn_sync_limit(), 0)
        # 0 means every batch is queued, even a quotation saved from its form alone
        order = self._create_quotation()
        self.assertEqual(self._spawns(order, "quotation").state, "queued")
        settings = Form(self.env["res.config.settings"])
        settings.crm_action_spawn_sync_limit = 20
        settings.save().execute()
        self.assertEqual(self.env["ir.config_parameter"].get_param("crm_action.spawn_sync_limit"), "20")
