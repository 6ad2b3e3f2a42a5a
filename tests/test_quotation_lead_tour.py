from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import working_hour


@tagged("post_install", "-at_install")
class TestQuotationLeadTour(HttpCase):
    """A quotation saved in the browser spawns its lead; the lead opens from the quotation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_sales = new_test_user(
            cls.env,
            login="crm_action_tour_quote",
            name="Quinn Quote",
            groups="sales_team.group_sale_salesman",
        )
        cls.user_sales.tour_enabled = False
        cls.user_visit = new_test_user(
            cls.env,
            login="crm_action_tour_visit",
            name="Vito Visit",
            groups="sales_team.group_sale_salesman",
        )
        cls.type_call = cls.env.ref("crm_action.crm_action_type_call")
        cls.type_offer = cls.env.ref("crm_action.crm_action_type_offer")
        cls.type_visit = cls.env.ref("crm_action.crm_action_type_visit")
        cls.sequence = cls.env["crm.action.sequence"].create(
            {
                "code": "TOUR-QUOTE",
                "name": "Quotation follow-up (tour)",
                "line_ids": [
                    Command.create(
                        {"sequence": 1, "type_id": cls.type_call.id, "user_id": cls.user_sales.id, "postpone_days": 1}
                    ),
                    Command.create(
                        {"sequence": 2, "type_id": cls.type_offer.id, "user_id": cls.user_sales.id, "postpone_days": 2}
                    ),
                    Command.create(
                        {"sequence": 3, "type_id": cls.type_visit.id, "user_id": cls.user_visit.id, "postpone_days": 4}
                    ),
                ],
            }
        )
        # The salesperson's only team: it is the default team of their quotations.
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Tour Quotation Team",
                "member_ids": [Command.set(cls.user_sales.ids)],
                "crm_action_quotation_sequence_id": cls.sequence.id,
            }
        )
        cls.partner = cls.env["res.partner"].create({"name": "Tour Ceramics", "is_company": True})
        cls.product = cls.env["product.product"].create(
            {"name": "Tour Tile Box", "type": "consu", "list_price": 120.0, "taxes_id": [Command.clear()]}
        )
        # A known quotation number, so that the tour can check the names built from it.
        cls.env["ir.sequence"].search([("code", "=", "sale.order")]).write(
            {"prefix": "TOURQ-", "padding": 3, "implementation": "no_gap", "number_next": 7}
        )

    def test_quotation_spawns_lead_opened_from_the_quotation(self):
        self.start_tour("/odoo/sales", "crm_action_quotation_lead_tour", login=self.user_sales.login)

        order = self.env["sale.order"].search([("partner_id", "=", self.partner.id)])
        self.assertEqual(len(order), 1)
        self.assertEqual(order.name, "TOURQ-007")
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.team_id, self.team)
        self.assertEqual(order.user_id, self.user_sales)

        spawns = self.env["crm.action.spawn"].search([("res_model", "=", "sale.order"), ("res_id", "=", order.id)])
        self.assertEqual(len(spawns), 1, "Saving the quotation spawned exactly one lead")
        self.assertEqual((spawns.trigger, spawns.state, spawns.sequence_id), ("quotation", "done", self.sequence))
        lead = spawns.lead_id
        self.assertEqual(lead.name, "Quotation TOURQ-007 - Tour Ceramics")
        self.assertEqual(lead.partner_id, self.partner)
        self.assertEqual(lead.team_id, self.team)
        self.assertAlmostEqual(lead.expected_revenue, 120.0)

        actions = self.env["crm.action"].search([("lead_id", "=", lead.id)], order="date_start, id")
        self.assertEqual(
            [(a.name, a.type_id, a.user_id, a.state) for a in actions],
            [
                ("Phone Call - TOURQ-007", self.type_call, self.user_sales, "planned"),
                ("Offer Drafting - TOURQ-007", self.type_offer, self.user_sales, "planned"),
                ("Visit - TOURQ-007", self.type_visit, self.user_visit, "planned"),
            ],
        )
        self.assertEqual(set(actions.mapped("source_ref")), {order})
        self.assertEqual(
            actions.mapped("date_start"),
            [
                working_hour(order.date_order, days, action.user_id, self.user_sales)
                for action, days in zip(actions, (1, 3, 7), strict=True)
            ],
            "Each action is postponed from the previous one, to the working hour of its day",
        )
        self.assertEqual(
            self.env["crm.action"].search_count([("source_ref", "=", f"sale.order,{order.id}")]),
            3,
            "No other action was planned about the quotation",
        )
