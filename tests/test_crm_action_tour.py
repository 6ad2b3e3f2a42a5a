from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCrmActionTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_sales = new_test_user(
            cls.env,
            login="crm_action_tour_sales",
            name="Tess Tour",
            groups="sales_team.group_sale_salesman",
        )
        cls.user_sales.tour_enabled = False
        cls.env["crm.team"].create({"name": "Tour Team", "member_ids": [Command.set(cls.user_sales.ids)]})
        cls.partner = cls.env["res.partner"].create({"name": "Tour Tiles", "is_company": True})
        cls.contact = cls.env["res.partner"].create({"name": "Tina Tour", "parent_id": cls.partner.id})

    def test_log_action_from_partner_and_mark_done(self):
        self.start_tour(
            f"/odoo/res.partner/{self.partner.id}", "crm_action_log_from_partner", login=self.user_sales.login
        )
        action = self.env["crm.action"].search([("partner_id", "=", self.partner.id)])
        self.assertEqual(len(action), 1)
        self.assertEqual(action.name, "Call about the new tiles")
        self.assertEqual(action.contact_ids, self.contact)
        self.assertEqual(action.result_id, self.env.ref("crm_action.crm_action_result_positive"))
        self.assertEqual(action.state, "done")
        self.assertTrue(action.date_done)
        self.assertEqual(action.user_id, self.user_sales)
        self.assertEqual(self.partner.crm_action_count, 1)

    def test_due_colours_in_list_kanban_calendar(self):
        Action = self.env["crm.action"].with_user(self.user_sales)
        now = fields.Datetime.now().replace(hour=10, minute=0, second=0, microsecond=0)
        today = now.date()
        values = {"partner_id": self.partner.id, "date_start": now, "duration": 1.0}
        Action.create({**values, "name": "Colour overdue call", "date_deadline": today - timedelta(days=1)})
        Action.create({**values, "name": "Colour soon call", "date_deadline": today + timedelta(days=1)})
        later = Action.create({**values, "name": "Colour later call", "date_deadline": today + timedelta(days=9)})
        self.start_tour(
            "/odoo/action-crm_action.crm_action_action?view_type=list",
            "crm_action_due_colours",
            login=self.user_sales.login,
        )
        self.assertEqual(later.result_detail, "Bring the samples")

    def test_all_day_shown_without_hour(self):
        Action = self.env["crm.action"].with_user(self.user_sales)
        self.user_sales.tz = "UTC"
        # today: the calendar opens on today's week
        day = fields.Date.today()
        values = {"partner_id": self.partner.id, "duration": 1.0}
        Action.create({**values, "name": "Timed showroom visit", "date_start": f"{day} 10:00:00"})
        all_day = Action.create({**values, "name": "All-day sample drop", "date_start": str(day)})
        self.assertTrue(all_day.all_day)
        self.start_tour(
            "/odoo/action-crm_action.crm_action_action?view_type=list",
            "crm_action_all_day",
            login=self.user_sales.login,
        )
