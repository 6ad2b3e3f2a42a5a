from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import CrmActionCommon, working_hour


class CrmActionSequenceCommon(CrmActionCommon):
    """A team, a group and sequences for the three triggers, apart from the demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_visit_a = new_test_user(
            cls.env, login="crm_action_visit_a", name="Vera Visit", groups="sales_team.group_sale_salesman"
        )
        cls.user_visit_b = new_test_user(
            cls.env, login="crm_action_visit_b", name="Victor Visit", groups="sales_team.group_sale_salesman"
        )
        cls.group_visit = cls.env["res.groups"].create(
            {"name": "Field Visits", "users": [Command.set((cls.user_visit_a | cls.user_visit_b).ids)]}
        )
        cls.type_offer = cls.env.ref("crm_action.crm_action_type_offer")
        cls.team = cls.env["crm.team"].create(
            {"name": "Sequence Team", "member_ids": [Command.set(cls.user_sales.ids)]}
        )
        cls.campaign = cls.env["utm.campaign"].create({"name": "Spring Tiles"})
        cls.source = cls.env["utm.source"].create({"name": "Trade Fair"})
        cls.seq_quote = cls.env["crm.action.sequence"].create(
            {
                "code": "T-QUOTE",
                "name": "Quotation follow-up (test)",
                "line_ids": [
                    Command.create(
                        {
                            "sequence": 1,
                            "type_id": cls.type_call.id,
                            "user_id": cls.user_action.id,
                            "planned_hours": 0.5,
                            "postpone_days": 2,
                            "notes": "Ask whether the quotation arrived.",
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 2,
                            "type_id": cls.type_offer.id,
                            "user_id": cls.user_sales.id,
                            "planned_hours": 1.0,
                            "postpone_days": 3,
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 3,
                            "type_id": cls.type_visit.id,
                            "group_id": cls.group_visit.id,
                            "planned_hours": 2.0,
                            "postpone_days": 5,
                        }
                    ),
                ],
            }
        )
        cls.seq_order = cls.env["crm.action.sequence"].create(
            {
                "code": "T-ORDER",
                "name": "Order welcome (test)",
                "line_ids": [
                    Command.create({"type_id": cls.type_call.id, "user_id": cls.user_sales.id, "postpone_days": 1}),
                ],
            }
        )
        cls.seq_return = cls.env["crm.action.sequence"].create(
            {
                "code": "T-RETURN",
                "name": "Customer return (test)",
                "line_ids": [
                    Command.create({"type_id": cls.type_call.id, "group_id": cls.group_visit.id, "postpone_days": 1}),
                ],
            }
        )
        cls.team.write(
            {
                "crm_action_quotation_sequence_id": cls.seq_quote.id,
                "crm_action_order_sequence_id": cls.seq_order.id,
            }
        )
        cls.picking_type_in = cls.env.ref("stock.picking_type_in")
        cls.picking_type_in.crm_action_return_sequence_id = cls.seq_return
        cls.product = cls.env["product.product"].create(
            {"name": "Azulejo", "type": "consu", "is_storable": True, "list_price": 100.0}
        )
        cls.Spawn = cls.env["crm.action.spawn"]

    def _create_quotation(self, **values):
        with Form(self.env["sale.order"].with_user(self.user_sales)) as order_form:
            order_form.partner_id = self.company_partner
            order_form.team_id = self.team
            for name, value in values.items():
                setattr(order_form, name, value)
            with order_form.order_line.new() as line:
                line.product_id = self.product
                line.product_uom_qty = 3
        return order_form.record.sudo()

    def _create_quotations(self, count):
        """``count`` quotations saved in one batch; returns them and the queries it took."""
        values = [
            {
                "partner_id": self.company_partner.id,
                "team_id": self.team.id,
                "user_id": self.user_sales.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 2})],
            }
            for _i in range(count)
        ]
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        orders = self.env["sale.order"].create(values)
        self.env.flush_all()
        return orders, self.cr.sql_log_count - start

    def _spawns(self, documents, trigger):
        return self.Spawn.search(
            [("res_model", "=", documents._name), ("res_id", "in", documents.ids), ("trigger", "=", trigger)]
        )

    def _lead(self, documents, trigger):
        return self._spawns(documents, trigger).lead_id

    def _deliver_and_return(self, order, validate=True):
        stock = self.env.ref("stock.stock_location_stock")
        self.env["stock.quant"]._update_available_quantity(self.product, stock, 10)
        if order.state == "draft":
            order.action_confirm()
        delivery = order.picking_ids
        delivery.move_ids.write({"quantity": 3, "picked": True})
        delivery.button_validate()
        self.assertEqual(delivery.state, "done")
        self.assertFalse(self._spawns(delivery, "return"), "A delivery is not a return")
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_ids=delivery.ids, active_id=delivery.id, active_model="stock.picking"
            )
        ).save()
        wizard.product_return_moves.quantity = 1
        result = wizard.action_create_returns()
        customer_return = self.env["stock.picking"].browse(result["res_id"])
        self.assertEqual(customer_return.picking_type_id, self.picking_type_in)
        customer_return.move_ids.write({"quantity": 1, "picked": True})
        return customer_return, (customer_return.button_validate() if validate else None)

    def _visit(self, lead):
        return self.env["crm.action"].search([("lead_id", "=", lead.id), ("type_id", "=", self.type_visit.id)])


@tagged("post_install", "-at_install")
class TestCrmActionSequenceConfig(CrmActionSequenceCommon):
    def test_line_needs_exactly_one_assignee(self):
        with self.assertRaisesRegex(ValidationError, "no assignee"):
            self.seq_order.line_ids = [Command.create({"type_id": self.type_call.id})]
        with self.assertRaisesRegex(ValidationError, "both a user and a group"):
            self.seq_order.line_ids = [
                Command.create(
                    {"type_id": self.type_call.id, "user_id": self.user_sales.id, "group_id": self.group_visit.id}
                )
            ]

    def test_line_refuses_negative_hours_and_days(self):
        line_values = {"type_id": self.type_call.id, "user_id": self.user_sales.id}
        with self.assertRaisesRegex(ValidationError, "negative hours"):
            self.seq_order.line_ids = [Command.create(dict(line_values, planned_hours=-1))]
        with self.assertRaisesRegex(ValidationError, "negative days"):
            self.seq_order.line_ids = [Command.create(dict(line_values, postpone_days=-2))]

    def test_code_unique_per_company(self):
        with self.assertRaisesRegex(ValidationError, "already used"):
            self.env["crm.action.sequence"].create({"code": "T-ORDER", "name": "Copy"})
        other_company = self.env["res.company"].create({"name": "Other Tiles"})
        self.env["crm.action.sequence"].create({"code": "T-ORDER", "name": "Copy", "company_id": other_company.id})

    def test_used_sequence_cannot_be_deleted_but_archived(self):
        with self.assertRaisesRegex(UserError, "Sequence Team"):
            self.seq_quote.unlink()
        with self.assertRaisesRegex(UserError, "Receipts"):
            self.seq_return.unlink()
        self.seq_quote.action_archive()
        self.assertFalse(self.seq_quote.active)
        unused = self.env["crm.action.sequence"].create({"code": "T-FREE", "name": "Unused"})
        unused.unlink()
        self.assertFalse(unused.exists())

    def test_archived_sequence_spawns_nothing(self):
        self.seq_quote.action_archive()
        order = self._create_quotation()
        self.assertFalse(self._spawns(order, "quotation"))


@tagged("post_install", "-at_install")
class TestCrmActionSequenceSpawn(CrmActionSequenceCommon):
    def test_new_quotation_spawns_lead_with_planned_actions(self):
        order = self._create_quotation(campaign_id=self.campaign, source_id=self.source)
        lead = self._lead(order, "quotation")
        self.assertEqual(len(lead), 1, "Creating the quotation spawns its lead")
        self.assertIn(order.name, lead.name)
        self.assertEqual(lead.partner_id, self.company_partner)
        self.assertEqual(lead.user_id, self.user_sales)
        self.assertEqual(lead.team_id, self.team)
        self.assertEqual(lead.company_id, order.company_id)
        self.assertEqual(lead.campaign_id, self.campaign)
        self.assertEqual(lead.source_id, self.source)
        self.assertAlmostEqual(lead.expected_revenue, order.amount_untaxed)
        self.assertAlmostEqual(lead.expected_revenue, 300.0)

        actions = self.env["crm.action"].search([("lead_id", "=", lead.id)], order="date_start")
        self.assertEqual(actions.type_id, self.type_call | self.type_offer | self.type_visit)
        self.assertEqual(set(actions.mapped("state")), {"planned"})
        base = order.date_order
        self.assertEqual(
            actions.mapped("date_start"),
            [working_hour(base, days, action.user_id) for action, days in zip(actions, (2, 5, 10), strict=True)],
            "Each line is postponed from the previous one, to the working hour of its day",
        )
        call, offer, visit = actions
        self.assertEqual(call.user_id, self.user_action)
        self.assertEqual(offer.user_id, self.user_sales)
        self.assertIn(visit.user_id, self.group_visit.users)
        self.assertEqual(visit.assignee_group_id, self.group_visit)
        self.assertEqual(actions.mapped("duration"), [0.5, 1.0, 2.0])
        self.assertIn("Ask whether the quotation arrived.", call.description)
        self.assertEqual(call.source_ref, order)
        self.assertEqual(call.partner_id, self.company_partner)
        self.assertEqual(call.campaign_id, self.campaign)

        # Links both ways
        self.assertEqual(order.crm_action_lead_count, 1)
        action = order.action_view_crm_action_leads()
        self.assertEqual((action["res_model"], action["res_id"]), ("crm.lead", lead.id))
        self.assertEqual(lead.crm_action_source_name, order.name)
        action = lead.action_open_crm_action_source()
        self.assertEqual((action["res_model"], action["res_id"]), ("sale.order", order.id))

    def test_saving_again_spawns_nothing_twice(self):
        order = self._create_quotation()
        lead = self._lead(order, "quotation")
        with Form(order.with_user(self.user_sales)) as order_form:
            order_form.note = "Delivery in May"
        self.assertFalse(order._crm_action_spawn_leads("quotation"), "The automation may run again: no new lead")
        self.assertEqual(self._lead(order, "quotation"), lead)
        self.assertEqual(self.env["crm.action"].search_count([("lead_id", "=", lead.id)]), 3)

    def test_deleting_the_quotation_keeps_its_lead(self):
        order = self._create_quotation()
        lead = self._lead(order, "quotation")
        order.unlink()
        self.assertTrue(lead.exists())
        self.assertFalse(lead.crm_action_source_name)
        self.assertFalse(self.Spawn.search([("lead_id", "=", lead.id)]))

    def test_group_line_goes_to_member_with_fewest_open_actions(self):
        busy, free = self.user_visit_a, self.user_visit_b
        self.env["crm.action"].create(
            [{"name": f"Busy {i}", "user_id": busy.id} for i in range(2)]
            + [
                {"name": f"Done {i}", "user_id": free.id, "state": "done", "result_id": self.result_positive.id}
                for i in range(3)
            ]
        )
        visit = self._visit(self._lead(self._create_quotation(), "quotation"))
        self.assertEqual(visit.user_id, free, "Done actions do not count: the free member gets the visit")

    def test_group_line_skips_archived_members_and_flags_when_nobody_is_left(self):
        self.user_visit_a.active = False
        visit = self._visit(self._lead(self._create_quotation(), "quotation"))
        self.assertEqual(visit.user_id, self.user_visit_b)

        self.user_visit_b.active = False
        lead = self._lead(self._create_quotation(), "quotation")
        visit = self._visit(lead)
        self.assertTrue(visit, "The action is created even without anybody to do it")
        self.assertFalse(visit.user_id)
        self.assertTrue(visit.assignee_missing)
        self.assertEqual(visit.assignee_group_id, self.group_visit)
        self.assertIn("Field Visits", lead.message_ids[0].body)

        # Any member of the group can take it over once they are back.
        self.user_visit_b.active = True
        taken = visit.with_user(self.user_visit_b)
        self.assertTrue(taken.can_take_over)
        taken.action_take_over()
        self.assertEqual(visit.user_id, self.user_visit_b)
        self.assertFalse(visit.assignee_missing)
        with self.assertRaises(UserError):
            visit.with_user(self.user_action).action_take_over()

    def test_group_lines_spread_over_a_batch(self):
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": self.company_partner.id,
                    "team_id": self.team.id,
                    "user_id": self.user_sales.id,
                }
                for _i in range(4)
            ]
        )
        visits = self.env["crm.action"].search(
            [("lead_id", "in", self._lead(orders, "quotation").ids), ("type_id", "=", self.type_visit.id)]
        )
        self.assertEqual(len(visits), 4)
        self.assertEqual(visits.user_id, self.user_visit_a | self.user_visit_b)
        self.assertEqual(len(visits.filtered(lambda a: a.user_id == self.user_visit_a)), 2)

    def test_company_default_sequence(self):
        self.team.crm_action_quotation_sequence_id = False
        self.company.crm_action_quotation_sequence_id = self.seq_order
        order = self._create_quotation()
        self.assertEqual(self._spawns(order, "quotation").sequence_id, self.seq_order)

    def test_confirmed_order_spawns_its_own_lead_once(self):
        order = self._create_quotation()
        self.assertTrue(order.with_user(self.user_sales).action_confirm())
        spawn = self._spawns(order, "order")
        self.assertEqual(len(spawn), 1)
        self.assertEqual(spawn.sequence_id, self.seq_order)
        self.assertIn(order.name, spawn.lead_id.name)
        action = self.env["crm.action"].search([("lead_id", "=", spawn.lead_id.id)])
        self.assertEqual(action.date_start, working_hour(order.date_order, 1, action.user_id))
        self.assertEqual(order.crm_action_lead_count, 2, "The quotation's lead and the order's")

        # Cancel, back to quotation, confirm again: still one lead for the confirmation.
        order._action_cancel()
        order.action_draft()
        order.action_confirm()
        self.assertEqual(self._spawns(order, "order"), spawn)
        self.assertEqual(len(self._spawns(order, "quotation")), 1)

    def test_validated_customer_return_spawns_lead(self):
        order = self._create_quotation()
        customer_return, result = self._deliver_and_return(order)
        self.assertTrue(result)
        self.assertEqual(customer_return.state, "done")
        spawn = self._spawns(customer_return, "return")
        self.assertEqual(len(spawn), 1)
        lead = spawn.lead_id
        self.assertIn(customer_return.name, lead.name)
        self.assertEqual(lead.partner_id, customer_return.partner_id)
        self.assertEqual(lead.user_id, self.user_sales, "The order's salesperson follows the return")
        self.assertEqual(lead.team_id, self.team)
        action = self.env["crm.action"].search([("lead_id", "=", lead.id)])
        self.assertEqual(action.date_start, working_hour(customer_return.date_done, 1, action.user_id, self.env.user))
        self.assertEqual(action.source_ref, customer_return)
        self.assertEqual(customer_return.crm_action_lead_count, 1)
        self.assertFalse(customer_return._crm_action_spawn_leads("return"), "Validated once, spawned once")

    def test_switched_off_rule_spawns_nothing(self):
        self.env.ref("crm_action.crm_action_automation_quotation").active = False
        order = self._create_quotation()
        self.assertFalse(self._spawns(order, "quotation"))
        self.env.ref("crm_action.crm_action_automation_order").active = False
        order.action_confirm()
        self.assertFalse(self._spawns(order, "order"))

    def test_narrowed_rule_domain(self):
        rule = self.env.ref("crm_action.crm_action_automation_quotation")
        rule.filter_domain = repr([("state", "in", ["draft", "sent"]), ("amount_untaxed", ">", 1000)])
        self.assertFalse(self._spawns(self._create_quotation(), "quotation"), "300 is below the admin's threshold")

    def test_open_the_lead_after_confirm_and_return(self):
        self.seq_order.open_lead = True
        self.seq_return.open_lead = True
        order = self._create_quotation()
        action = order.with_user(self.user_sales).action_confirm()
        lead = self._lead(order, "order")
        self.assertEqual(action["res_model"], "crm.lead")
        self.assertEqual(action["res_id"], lead.id)
        self.assertEqual(action["views"], [(False, "form")])

        customer_return, action = self._deliver_and_return(order)
        self.assertEqual(action["res_model"], "crm.lead")
        self.assertEqual(action["res_id"], self._lead(customer_return, "return").id)

    def test_open_the_lead_off_keeps_the_button_result(self):
        order = self._create_quotation()
        self.assertIs(order.action_confirm(), True)

    def test_failure_never_blocks_the_document_and_can_be_retried(self):
        # A line broken behind the ORM's back: the action it plans cannot be saved.
        self.env.cr.execute(
            "UPDATE crm_action_sequence_line SET planned_hours = -1 WHERE id = %s", [self.seq_quote.line_ids[0].id]
        )
        self.seq_quote.line_ids.invalidate_recordset()
        with mute_logger("odoo.sql_db", "odoo.addons.crm_action.models.crm_action_spawn_mixin"):
            order = self._create_quotation()
        self.assertTrue(order.exists(), "The quotation is saved")
        self.assertFalse(self._lead(order, "quotation"))
        self.assertFalse(self.env["crm.action"].search([("source_ref", "=", f"sale.order,{order.id}")]))
        self.assertTrue(order.crm_action_spawn_failed)
        self.assertIn("could not be created", order.message_ids[0].body)

        self.seq_quote.line_ids[0].planned_hours = 0.5
        order.invalidate_recordset()
        order.with_user(self.user_sales).action_crm_action_retry_spawn()
        self.assertEqual(len(self._lead(order, "quotation")), 1)
        self.assertFalse(order.crm_action_spawn_failed)


@tagged("post_install", "-at_install")
class TestCrmActionSequenceSecurity(CrmActionSequenceCommon):
    def test_group_members_see_the_group_actions(self):
        visit = self._visit(self._lead(self._create_quotation(), "quotation"))
        other_member = (self.user_visit_a | self.user_visit_b) - visit.user_id
        Action = self.env["crm.action"]
        self.assertEqual(Action.with_user(other_member).search([("id", "=", visit.id)]), visit)
        self.assertFalse(Action.with_user(self.user_action).search([("id", "=", visit.id)]))

    def test_sequences_of_other_companies_are_hidden(self):
        other_company = self.env["res.company"].create({"name": "Other Tiles"})
        hidden = self.env["crm.action.sequence"].create(
            {"code": "T-OTHER", "name": "Other", "company_id": other_company.id}
        )
        shared = self.env["crm.action.sequence"].create({"code": "T-SHARED", "name": "Shared", "company_id": False})
        visible = self.env["crm.action.sequence"].with_user(self.user_sales).search([])
        self.assertIn(shared, visible)
        self.assertIn(self.seq_quote, visible)
        self.assertNotIn(hidden, visible)

    def test_salesperson_reads_the_links_without_managing_sequences(self):
        order = self._create_quotation().with_user(self.user_sales)
        self.assertEqual(order.crm_action_lead_count, 1)
        lead = self._lead(order, "quotation").with_user(self.user_sales)
        self.assertEqual(lead.crm_action_source_name, order.name)
        with self.assertRaises(AccessError):
            self.seq_quote.with_user(self.user_sales).write({"open_lead": True})

    def test_manager_builds_a_sequence_in_the_form(self):
        with Form(self.env["crm.action.sequence"].with_user(self.user_manager)) as sequence_form:
            sequence_form.code = "T-FORM"
            sequence_form.name = "Built in the form"
            sequence_form.open_lead = True
            with sequence_form.line_ids.new() as line:
                line.type_id = self.type_call
                line.user_id = self.user_sales
                line.planned_hours = 0.5
                line.postpone_days = 2
            with sequence_form.line_ids.new() as line:
                line.type_id = self.type_visit
                line.group_id = self.group_visit
                line.postpone_days = 5
        sequence = sequence_form.record
        self.assertEqual(sequence.display_name, "[T-FORM] Built in the form")
        self.assertEqual(sequence.line_ids.mapped("postpone_days"), [2, 5])
        sales_manager = new_test_user(
            self.env, login="crm_action_sales_manager", groups="sales_team.group_sale_manager"
        )
        with Form(self.team.with_user(sales_manager)) as team_form:
            team_form.crm_action_order_sequence_id = sequence
        self.assertEqual(self.team.crm_action_order_sequence_id, sequence)
        with Form(self.picking_type_in) as picking_type_form:
            picking_type_form.crm_action_return_sequence_id = sequence
        self.assertEqual(self.picking_type_in.crm_action_return_sequence_id, sequence)
        with Form(self.company) as company_form:
            company_form.crm_action_quotation_sequence_id = sequence
        self.assertEqual(self.company.crm_action_quotation_sequence_id, sequence)

    def test_forms_open_for_each_role(self):
        order = self._create_quotation()
        lead = self._lead(order, "quotation")
        visit = self._visit(lead)
        Form(order.with_user(self.user_sales))
        Form(lead.with_user(self.user_sales))
        with Form(visit.with_user(visit.user_id)) as action_form:
            self.assertEqual(action_form.assignee_group_id, self.group_visit)
        storekeeper = new_test_user(self.env, login="crm_action_storekeeper", groups="stock.group_stock_user")
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": self.picking_type_in.id,
                "partner_id": self.company_partner.id,
                "location_id": self.env.ref("stock.stock_location_customers").id,
                "location_dest_id": self.env.ref("stock.stock_location_stock").id,
            }
        )
        picking_form = Form(receipt.with_user(storekeeper))
        self.assertFalse(picking_form.crm_action_spawn_failed)

    def test_failed_return_is_validated_and_a_storekeeper_retries(self):
        self.env.cr.execute(
            "UPDATE crm_action_sequence_line SET planned_hours = -1 WHERE id = %s", [self.seq_return.line_ids.id]
        )
        self.seq_return.line_ids.invalidate_recordset()
        with mute_logger("odoo.sql_db", "odoo.addons.crm_action.models.crm_action_spawn_mixin"):
            customer_return, result = self._deliver_and_return(self._create_quotation())
        self.assertTrue(result)
        self.assertEqual(customer_return.state, "done", "The return is validated all the same")
        self.assertTrue(customer_return.crm_action_spawn_failed)
        self.assertIn("could not be created", customer_return.message_ids[0].body)

        self.seq_return.line_ids.planned_hours = 0.5
        storekeeper = new_test_user(self.env, login="crm_action_storekeeper2", groups="stock.group_stock_user")
        customer_return.invalidate_recordset()
        customer_return.with_user(storekeeper).action_crm_action_retry_spawn()
        self.assertEqual(len(self._lead(customer_return, "return")), 1)
        self.assertFalse(customer_return.crm_action_spawn_failed)


@tagged("post_install", "-at_install")
class TestCrmActionSequenceDemo(CrmActionSequenceCommon):
    def test_demo_quotation_follow_up(self):
        sequence = self.env.ref("crm_action.crm_action_sequence_quotation_demo", raise_if_not_found=False)
        if not sequence:
            self.skipTest("Demo data is not installed")
        self.assertEqual(sequence.name, "New quotation follow-up")
        self.assertEqual(sequence.line_ids.mapped("type_id.name"), ["Phone Call", "Offer Drafting", "Visit"])
        self.assertEqual(sequence.line_ids.mapped("postpone_days"), [2, 3, 5])
        self.assertEqual(sequence.line_ids[2].group_id, self.env.ref("sales_team.group_sale_salesman"))
        self.assertEqual(
            self.env.ref("crm_action.crm_action_sequence_return_demo").name,
            "Customer return",
        )
        demo_team = self.env.ref("sales_team.team_sales_department")
        demo_team.crm_action_quotation_sequence_id = sequence  # tests start without it
        order = self.env["sale.order"].create({"partner_id": self.company_partner.id, "team_id": demo_team.id})
        actions = self.env["crm.action"].search(
            [("lead_id", "=", self._lead(order, "quotation").id)], order="date_start"
        )
        self.assertEqual(
            actions.mapped("date_start"),
            [
                working_hour(order.date_order, days, action.user_id)
                for action, days in zip(actions, (2, 5, 10), strict=True)
            ],
        )
        self.assertTrue(actions[2].user_id.has_group("sales_team.group_sale_salesman"))
