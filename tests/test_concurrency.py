import threading
import uuid

from odoo import SUPERUSER_ID, api
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestClassTransitionConcurrency(TransactionCase):
    """Two actions marked done at the same time in two real transactions (two database
    cursors, as two HTTP requests would have): the partner class transition (C1) counts
    both and moves the partner once. The second transaction's serialization failure is
    retried by Odoo's own retry loop, as a request would be."""

    def setUp(self):
        super().setUp()
        self.suffix = uuid.uuid4().hex[:8]
        self.data = {}
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            Class = env["res.partner.class"]
            cold = Class.create({"name": f"Cold {self.suffix}"})
            warm = Class.create({"name": f"Warm {self.suffix}"})
            partner = env["res.partner"].create(
                {"name": f"Concurrent Tiles {self.suffix}", "is_company": True, "class_id": cold.id}
            )
            action_type = env["crm.action.type"].create({"name": f"Concurrent visit {self.suffix}"})
            result = env.ref("crm_action.crm_action_result_positive")
            rule = env["crm.action.rule"].create(
                {
                    "name": f"Cold to warm {self.suffix}",
                    "type_id": action_type.id,
                    "result_id": result.id,
                    "class_from_id": cold.id,
                    "class_to_id": warm.id,
                    "class_action_count": 2,
                }
            )
            actions = env["crm.action"].create(
                [
                    {
                        "name": f"Visit {i} {self.suffix}",
                        "partner_id": partner.id,
                        "type_id": action_type.id,
                        "result_id": result.id,
                    }
                    for i in range(2)
                ]
            )
            self.data = {
                "cold": cold.id,
                "warm": warm.id,
                "partner": partner.id,
                "type": action_type.id,
                "rule": rule.id,
                "actions": actions.ids,
            }
        self.addCleanup(self._delete_committed_data)

    def _delete_committed_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            env["crm.action"].search([("partner_id", "=", self.data["partner"])]).unlink()
            env["crm.action.rule"].browse(self.data["rule"]).unlink()
            partner = env["res.partner"].browse(self.data["partner"])
            env["mail.message"].search([("model", "=", "res.partner"), ("res_id", "=", partner.id)]).unlink()
            partner.unlink()
            env["crm.action.type"].browse(self.data["type"]).unlink()
            env["res.partner.class"].browse([self.data["cold"], self.data["warm"]]).unlink()

    def _set_class_action_count(self, count):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["crm.action.rule"].browse(self.data["rule"]).class_action_count = count

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def _save_both_at_once(self):
        """Mark the two actions done in two transactions that overlap: the second one takes
        its snapshot before the first commits, the way two requests do."""
        first_id, second_id = self.data["actions"]
        errors = []
        tries = []
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            # The second request has started (its snapshot exists) before the first commits.
            self.assertEqual(env2["crm.action"].browse(second_id).state, "planned")

            env1["crm.action"].browse(first_id).action_done()
            env1.flush_all()

            def second_request():
                def save():
                    tries.append(1)
                    env2["crm.action"].browse(second_id).action_done()

                try:
                    retrying(save, env2)
                    cr2.commit()
                except Exception as exc:
                    errors.append(exc)

            thread = threading.Thread(target=second_request)
            thread.start()
            # Let the second request reach the partner row while the first holds it (the
            # expected serialization failure is logged by odoo.sql_db, muted here).
            thread.join(0.5)
            cr1.commit()
            thread.join(30)
            self.assertFalse(thread.is_alive(), "the second save never finished")
        self.assertFalse(errors, f"the second save failed: {errors}")
        return len(tries)

    def _committed_outcome(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].browse(self.data["partner"])
            moves = env["mail.message"].search_count(
                [
                    ("model", "=", "res.partner"),
                    ("res_id", "=", partner.id),
                    ("body", "ilike", "Class changed from"),
                ]
            )
            states = env["crm.action"].browse(self.data["actions"]).mapped("state")
            return partner.class_id.id, moves, states

    def test_two_saves_that_reach_the_threshold_together_move_the_partner(self):
        """Threshold 2, each transaction adds one action: only together do they reach it.
        Without a conflict each would count 1 under its own snapshot and nobody would move."""
        self._save_both_at_once()
        partner_class, moves, states = self._committed_outcome()
        self.assertEqual(states, ["done", "done"])
        self.assertEqual(partner_class, self.data["warm"], "two matching done actions must move the partner")
        self.assertEqual(moves, 1, "the move is logged once")

    def test_two_saves_that_each_reach_the_threshold_move_the_partner_once(self):
        """Threshold 1: each transaction alone reaches it; the partner moves once, the
        retried one finds the partner already moved."""
        self._set_class_action_count(1)
        tries = self._save_both_at_once()
        partner_class, moves, states = self._committed_outcome()
        self.assertEqual(states, ["done", "done"])
        self.assertEqual(partner_class, self.data["warm"])
        self.assertEqual(moves, 1, "the partner is moved (and the move logged) once")
        self.assertGreaterEqual(tries, 2, "the second save was retried after the serialization failure")
