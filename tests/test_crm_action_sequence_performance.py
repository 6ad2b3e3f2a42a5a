from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_crm_action_sequence import CrmActionSequenceCommon

# Queries that spawning one lead with three planned actions may add to the creation
# of one quotation, whatever the size of the batch (measured: about 36, for the rule's
# server action, the link row, the lead and its origin message, three actions).
# Since issue 5 each planned action is also a to-do of its responsible (activity,
# follower) and, assigned by someone else, posts them an acknowledgement request
# (inbox message): measured about 94.
QUERIES_PER_QUOTATION = 100


@tagged("post_install", "-at_install")
class TestCrmActionSequencePerformance(CrmActionSequenceCommon):
    def test_queries_per_quotation_are_bounded(self):
        """Batches up to the synchronous limit (20) spawn at once, at a bounded cost per quotation."""
        self._create_quotations(2)  # warm the caches
        rule = self.env.ref("crm_action.crm_action_automation_quotation")
        rule.active = False
        _orders, plain_20 = self._create_quotations(20)
        rule.active = True
        orders_10, spawning_10 = self._create_quotations(10)
        orders_20, spawning_20 = self._create_quotations(20)
        self.assertEqual(len(self._lead(orders_10 | orders_20, "quotation")), 30)

        extra_per_quotation = (spawning_20 - plain_20) / 20
        marginal_per_quotation = (spawning_20 - spawning_10) / 10
        self.assertLessEqual(
            extra_per_quotation,
            QUERIES_PER_QUOTATION,
            f"{plain_20} queries without spawning, {spawning_20} with it, for 20 quotations",
        )
        self.assertLessEqual(
            marginal_per_quotation,
            QUERIES_PER_QUOTATION + plain_20 / 20,
            f"{spawning_10} queries for 10 quotations, {spawning_20} for 20",
        )

    def test_large_batch_is_queued_then_spawned_by_the_cron(self):
        """An import of 60 quotations queues their leads: the save costs a few queries more
        than without the rule, and the background job creates every lead with its actions."""
        self._create_quotations(2)  # warm the caches
        rule = self.env.ref("crm_action.crm_action_automation_quotation")
        rule.active = False
        _orders, plain = self._create_quotations(60)
        rule.active = True
        orders, queuing = self._create_quotations(60)
        # the automation rule runs once per quotation: one INSERT of its claim row (no
        # savepoint); the batch costs 5 more (its earlier rows looked up once, the job's
        # wake-up); no lead, action or message is created yet
        self.assertLessEqual(queuing - plain, 60 + 5, f"{plain} queries without the rule, {queuing} queuing 60 leads")
        self.assertFalse(self._lead(orders, "quotation"), "No lead yet: they are queued.")
        self.assertEqual(set(self._spawns(orders, "quotation").mapped("state")), {"queued"})
        self.assertTrue(all(orders.mapped("crm_action_spawn_queued")), "The quotation form says the lead is coming.")
        cron = self.env.ref("crm_action.ir_cron_crm_action_spawn_queued")
        self.assertTrue(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            "Saving the batch wakes the background job.",
        )

        # two runs of 50 at most; the second finds the last 10
        Spawn = self.env["crm.action.spawn"]
        self.assertEqual(Spawn._cron_spawn_queued(batch_size=50), 50)
        self.assertEqual(Spawn._cron_spawn_queued(batch_size=50), 10)
        self.assertEqual(Spawn._cron_spawn_queued(batch_size=50), 0)
        orders.invalidate_recordset()
        leads = self._lead(orders, "quotation")
        self.assertEqual(len(leads), 60)
        self.assertEqual(orders.mapped("crm_action_lead_count"), [1] * 60)
        self.assertFalse(any(orders.mapped("crm_action_spawn_queued")))
        actions = self.env["crm.action"].search([("lead_id", "in", leads.ids)])
        self.assertEqual(len(actions), 60 * len(self.seq_quote.line_ids))
        self.assertEqual(set(actions.mapped("state")), {"planned"})

        # saving them again (a second import run) neither queues nor spawns anything more
        orders._crm_action_spawn_leads("quotation")
        self.assertEqual(len(self._spawns(orders, "quotation")), 60)

    def test_queue_leaves_a_row_claimed_elsewhere_to_its_claimer(self):
        """A document whose row another transaction inserted first (here: already there) is
        left to it: the others are queued, the claimed row is not duplicated nor changed."""
        rule = self.env.ref("crm_action.crm_action_automation_quotation")
        rule.active = False
        orders, _queries = self._create_quotations(3)
        claimed = self.Spawn.create(orders[1]._crm_action_spawn_values("quotation", self.seq_quote, "done"))
        queued = orders._crm_action_queue_spawns("quotation", dict.fromkeys(orders, self.seq_quote))
        self.assertEqual(sorted(queued.mapped("res_id")), sorted((orders - orders[1]).ids))
        self.assertEqual(set(queued.mapped("state")), {"queued"})
        self.assertEqual(queued.mapped("create_uid"), self.env.user)
        self.assertEqual(self._spawns(orders[1], "quotation"), claimed)
        self.assertEqual(claimed.state, "done")
        self.assertEqual(len(self._spawns(orders, "quotation")), 3)

    def test_queued_document_deleted_before_the_cron(self):
        rule = self.env.ref("crm_action.crm_action_automation_quotation")
        rule.active = True
        orders, _queries = self._create_quotations(25)
        self.assertEqual(len(self._spawns(orders, "quotation")), 25)
        orders[:5].unlink()
        self.env["crm.action.spawn"]._cron_spawn_queued()
        self.assertEqual(len(self._lead(orders[5:], "quotation")), 20)
        self.assertFalse(self.env["crm.action.spawn"].search_count([("state", "=", "queued")]))

    def test_queued_batch_with_a_failing_document(self):
        """A document whose lead cannot be created fails alone: the rest of the batch
        gets its leads, the failure is in the document's chatter and can be retried."""
        broken_sequence = self.seq_quote.copy({"code": "T-BROKEN"})
        other_team = self.team.copy({"name": "Other Team", "crm_action_quotation_sequence_id": broken_sequence.id})
        rule = self.env.ref("crm_action.crm_action_automation_quotation")
        rule.active = True
        values = [
            {
                "partner_id": self.company_partner.id,
                "team_id": (other_team if i == 7 else self.team).id,
                "user_id": self.user_sales.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
            }
            for i in range(25)
        ]
        orders = self.env["sale.order"].create(values)
        failing = orders[7]
        self.assertEqual(failing.team_id, other_team)
        # broken behind the ORM's back after the save: the action it plans cannot be saved
        self.env.cr.execute(
            "UPDATE crm_action_sequence_line SET planned_hours = -1 WHERE id = %s", [broken_sequence.line_ids[0].id]
        )
        broken_sequence.line_ids.invalidate_recordset()
        with mute_logger("odoo.sql_db", "odoo.addons.crm_action.models.crm_action_spawn_mixin"):
            self.env["crm.action.spawn"]._cron_spawn_queued()
        orders.invalidate_recordset()
        self.assertEqual(len(self._lead(orders - failing, "quotation")), 24)
        self.assertFalse(self._lead(failing, "quotation"))
        self.assertTrue(failing.crm_action_spawn_failed)
        self.assertIn("could not be created", failing.message_ids[0].body)

        broken_sequence.line_ids[0].planned_hours = 0.5
        failing.with_user(self.user_sales).action_crm_action_retry_spawn()
        self.assertEqual(len(self._lead(failing, "quotation")), 1)

    def test_queued_leads_speak_the_language_of_who_saved_them(self):
        self.env["res.lang"]._activate_lang("pt_BR")
        self.env["ir.module.module"].search([("name", "=", "crm_action")])._update_translations(["pt_BR"])
        self.user_sales.lang = "pt_BR"
        self.env.ref("crm_action.crm_action_automation_quotation").active = True
        values = [
            {
                "partner_id": self.company_partner.id,
                "team_id": self.team.id,
                "user_id": self.user_sales.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
            }
            for _i in range(25)
        ]
        orders = self.env["sale.order"].with_user(self.user_sales).create(values)
        self.assertFalse(self._lead(orders, "quotation"), "Queued")
        self.env["crm.action.spawn"]._cron_spawn_queued()  # run as the superuser, in English
        leads = self._lead(orders, "quotation")
        self.assertEqual(len(leads), 25)
        self.assertTrue(all(name.startswith("Proposta ") for name in leads.mapped("name")), leads[0].name)

    def test_queued_leads_get_the_defaults_of_the_documents_company(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        company_eu = self.env["res.company"].create({"name": "Tiles Europe", "currency_id": eur.id})
        self.assertNotEqual(self.env.ref("base.user_root").company_id, company_eu)
        self.user_sales.company_ids |= company_eu
        sequence = self.env["crm.action.sequence"].create(
            {
                "code": "EU-QUOTE",
                "name": "European quotation follow-up",
                "company_id": company_eu.id,
                "line_ids": [Command.create({"type_id": self.type_call.id, "user_id": self.user_sales.id})],
            }
        )
        team = self.env["crm.team"].create(
            {"name": "Europe", "company_id": company_eu.id, "crm_action_quotation_sequence_id": sequence.id}
        )
        self.env.ref("crm_action.crm_action_automation_quotation").active = True
        values = [
            {
                "partner_id": self.company_partner.id,
                "company_id": company_eu.id,
                "team_id": team.id,
                "user_id": self.user_sales.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
            }
            for _i in range(25)
        ]
        orders = self.env["sale.order"].with_company(company_eu).create(values)
        self.env["crm.action.spawn"]._cron_spawn_queued()
        leads = self._lead(orders, "quotation")
        self.assertEqual(len(leads), 25)
        actions = self.env["crm.action"].search([("lead_id", "in", leads.ids)])
        self.assertEqual(actions.company_id, company_eu)
        self.assertEqual(actions.expected_currency_id, eur, "The meeting costs are in the company's currency.")
