import threading
import time

from odoo import SUPERUSER_ID, Command, api
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCrmActionSequenceConcurrency(TransactionCase):
    """Two transactions spawn the lead of the same quotation at the same moment.

    The records they share are committed in set-up (nothing else in a test run can
    see two cursors' work otherwise) and removed again in the clean-up.
    """

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create({"name": "Concurrent Tiles"})
            team = env["crm.team"].create({"name": "Concurrency Team"})
            order = env["sale.order"].create({"partner_id": partner.id, "team_id": team.id})
            sequence = env["crm.action.sequence"].create(
                {
                    "code": "T-CONCURRENT",
                    "name": "Concurrency",
                    "line_ids": [
                        Command.create(
                            {
                                "type_id": env.ref("crm_action.crm_action_type_call").id,
                                "user_id": env.ref("base.user_admin").id,
                                "postpone_days": 1,
                            }
                        )
                    ],
                }
            )
            # Set after creating the order: its creation spawned nothing.
            team.crm_action_quotation_sequence_id = sequence
        self.ids = {"partner": partner.id, "team": team.id, "order": order.id, "sequence": sequence.id}
        self.addCleanup(self._clean_committed_records)

    def _clean_committed_records(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            spawns = env["crm.action.spawn"].search(
                [("res_model", "=", "sale.order"), ("res_id", "=", self.ids["order"])]
            )
            leads = spawns.lead_id
            env["crm.action"].search([("lead_id", "in", leads.ids)]).unlink()
            spawns.unlink()
            leads.unlink()
            env["sale.order"].browse(self.ids["order"]).unlink()
            env["crm.team"].browse(self.ids["team"]).unlink()
            env["crm.action.sequence"].browse(self.ids["sequence"]).unlink()
            env["res.partner"].browse(self.ids["partner"]).unlink()

    def _count_committed(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            spawns = env["crm.action.spawn"].search(
                [("res_model", "=", "sale.order"), ("res_id", "=", self.ids["order"])]
            )
            return (
                len(spawns),
                len(spawns.lead_id),
                env["crm.action"].search_count([("lead_id", "in", spawns.lead_id.ids)]),
            )

    def test_two_transactions_started_together_spawn_one_lead(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            order1 = env1["sale.order"].browse(self.ids["order"])
            order2 = env2["sale.order"].browse(self.ids["order"])
            # Both transactions look before either has spawned anything.
            self.assertFalse(order1._crm_action_spawns())
            self.assertFalse(order2._crm_action_spawns())
            self.assertEqual(len(order1._crm_action_spawn_leads("quotation")), 1)
            cr1.commit()
            # The second one still sees no lead in its snapshot; the unique index stops it.
            self.assertFalse(order2._crm_action_spawn_leads("quotation"))
            self.assertFalse(order2.crm_action_spawn_failed, "A concurrent spawn is not a failure")
            cr2.commit()
        self.assertEqual(self._count_committed(), (1, 1, 1))

    def test_second_transaction_waits_for_the_first(self):
        results = {}

        def spawn_in_thread():
            with self.registry.cursor() as cr2:
                env2 = api.Environment(cr2, SUPERUSER_ID, {})
                results["second"] = (
                    env2["sale.order"].browse(self.ids["order"])._crm_action_spawn_leads("quotation").ids
                )

        with self.registry.cursor() as cr1:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            results["first"] = env1["sale.order"].browse(self.ids["order"])._crm_action_spawn_leads("quotation").ids
            env1.flush_all()
            thread = threading.Thread(target=spawn_in_thread)
            thread.start()
            # The second insert blocks on the unique index until the first transaction ends.
            time.sleep(0.5)
            self.assertTrue(thread.is_alive(), "The second transaction waits for the first")
        thread.join(timeout=10)
        self.assertFalse(thread.is_alive())
        self.assertEqual(len(results["first"]), 1)
        self.assertEqual(results["second"], [])
        self.assertEqual(self._count_committed(), (1, 1, 1))
