from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCrmActionDemo(TransactionCase):
    def test_demo_actions_cover_the_register(self):
        if not self.env.ref("crm_action.crm_action_wood_corner_intro_call_demo", raise_if_not_found=False):
            self.skipTest("installed without demo data")
        demo_ids = (
            self.env["ir.model.data"]
            .search([("module", "=", "crm_action"), ("model", "=", "crm.action"), ("name", "=like", "%_demo")])
            .mapped("res_id")
        )
        actions = self.env["crm.action"].browse(demo_ids)
        self.assertGreaterEqual(len(actions), 20)
        self.assertEqual(set(actions.mapped("state")), {"planned", "done", "cancel"})
        self.assertEqual(set(actions.mapped("due_state")), {"overdue", "soon", "later", "closed"})
        self.assertTrue(all(action.result_id for action in actions if action.state == "done"))
        self.assertGreater(len(actions.mapped("partner_id")), 5)
        self.assertTrue(actions.mapped("lead_id"))
        wood_corner = self.env.ref("base.res_partner_1")
        self.assertEqual(wood_corner.crm_action_count, len(actions.filtered(lambda a: a.partner_id == wood_corner)))
        samples = self.env.ref("crm_action.crm_action_azure_samples_demo")
        self.assertTrue(samples.all_day, "the demo shows an action for some time that day")
        self.assertEqual(samples.date_due, samples._local_day(samples.date_start))
