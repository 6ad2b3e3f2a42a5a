from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCrmActionAcknowledgeTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.requester = new_test_user(
            cls.env, login="crm_action_tour_requester", name="Rita Requester", groups="sales_team.group_sale_salesman"
        )
        cls.responsible = new_test_user(
            cls.env, login="crm_action_tour_ack", name="Ada Acknowledger", groups="sales_team.group_sale_salesman"
        )
        cls.responsible.tour_enabled = False

    def test_acknowledge_and_time_on_the_form(self):
        action = (
            self.env["crm.action"]
            .with_user(self.requester)
            .create({"name": "Visit the new showroom", "user_id": self.responsible.id, "duration": 0.5})
        )
        self.assertTrue(action.acknowledgement_pending)
        self.start_tour(f"/odoo/crm.action/{action.id}", "crm_action_acknowledge_timer", login=self.responsible.login)
        self.assertFalse(action.acknowledgement_pending)
        self.assertEqual(action.acknowledged_by_id, self.responsible)
        self.assertTrue(action.acknowledged_date)
        self.assertEqual(action.timer_state, "stopped")
        self.assertGreaterEqual(action.duration, 0.5)
        # the requester sees it acknowledged
        self.assertEqual(action.with_user(self.requester).acknowledged_by_id, self.responsible)
