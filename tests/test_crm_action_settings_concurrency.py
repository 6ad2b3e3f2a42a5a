from odoo import SUPERUSER_ID, Command, api
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCrmActionSettingsConcurrency(TransactionCase):
    """An admin switches a trigger off while another user's save is spawning a lead.

    The records both transactions share are committed in set-up (two cursors see
    nothing else of each other) and removed again in the clean-up, with the rule on.
    """

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create({"name": "Switching Tiles"})
            sequence = env["crm.action.sequence"].create(
                {
                    "code": "T-SWITCH",
                    "name": "Switched off meanwhile",
                    "line_ids": [
                        Command.create(
                            {
                                "type_id": env.ref("crm_action.crm_action_type_call").id,
                                "user_id": env.ref("base.user_admin").id,
                            }
                        )
                    ],
                }
            )
            team = env["crm.team"].create({"name": "Switch Team", "crm_action_quotation_sequence_id": sequence.id})
        self.ids = {"partner": partner.id, "team": team.id, "sequence": sequence.id}
        self.addCleanup(self._clean_committed_records)

    def _clean_committed_records(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env.ref("crm_action.crm_action_automation_quotation").active = True
            orders = env["sale.order"].search([("partner_id", "=", self.ids["partner"])])
            spawns = env["crm.action.spawn"].search([("res_model", "=", "sale.order"), ("res_id", "in", orders.ids)])
            leads = spawns.lead_id
            env["crm.action"].search([("lead_id", "in", leads.ids)]).unlink()
            spawns.unlink()
            leads.unlink()
            orders.unlink()
            env["crm.team"].browse(self.ids["team"]).unlink()
            env["crm.action.sequence"].browse(self.ids["sequence"]).unlink()
            env["res.partner"].browse(self.ids["partner"]).unlink()

    def _quotation(self, env):
        return env["sale.order"].create({"partner_id": self.ids["partner"], "team_id": self.ids["team"]})

    def test_switch_off_during_a_spawning_save(self):
        with self.registry.cursor() as cr_save, self.registry.cursor() as cr_admin:
            env_save = api.Environment(cr_save, SUPERUSER_ID, {})
            env_admin = api.Environment(cr_admin, env_save.ref("base.user_admin").id, {})
            # The save is spawning (its transaction is still open) ...
            running = self._quotation(env_save)
            self.assertEqual(len(running._crm_action_spawns()), 1)
            env_save.flush_all()
            # ... when the admin switches the trigger off: no wait, no error.
            settings = env_admin["res.config.settings"].create({"crm_action_trigger_quotation": False})
            settings.execute()
            cr_admin.commit()
            # The running save completes with its lead.
            cr_save.commit()
        with self.registry.cursor() as cr_next:
            env = api.Environment(cr_next, SUPERUSER_ID, {})
            self.assertFalse(env.ref("crm_action.crm_action_automation_quotation").active)
            self.assertEqual(len(env["sale.order"].browse(running.id)._crm_action_spawns().lead_id), 1)
            # The next save spawns nothing.
            following = self._quotation(env)
            self.assertFalse(following._crm_action_spawns())
