from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import CrmActionCommon


@tagged("post_install", "-at_install")
class TestCrmActionAccess(CrmActionCommon):
    """Record rules (F1): two teams in company A, one team in company B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Tiles Iberia"})
        cls.user_a1 = new_test_user(
            cls.env, login="crm_action_a1", name="Alice A1", groups="sales_team.group_sale_salesman"
        )
        cls.user_a2 = new_test_user(
            cls.env, login="crm_action_a2", name="Arthur A2", groups="sales_team.group_sale_salesman"
        )
        cls.user_c = new_test_user(
            cls.env, login="crm_action_c", name="Carla Other Team", groups="sales_team.group_sale_salesman"
        )
        cls.user_b = new_test_user(
            cls.env,
            login="crm_action_b",
            name="Bruno B",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.user_manager.company_ids = [Command.link(cls.company_b.id)]
        cls.team_a = cls.env["crm.team"].create(
            {"name": "Team A", "member_ids": [Command.set([cls.user_a1.id, cls.user_a2.id])]}
        )
        cls.team_c = cls.env["crm.team"].create({"name": "Team C", "member_ids": [Command.set(cls.user_c.ids)]})
        cls.team_b = cls.env["crm.team"].create(
            {"name": "Team B", "company_id": cls.company_b.id, "member_ids": [Command.set(cls.user_b.ids)]}
        )
        Action = cls.env["crm.action"]
        cls.action_a1 = Action.with_user(cls.user_a1).create({"name": "A1 call", "partner_id": cls.contact.id})
        cls.action_a2 = Action.with_user(cls.user_a2).create({"name": "A2 visit", "partner_id": cls.contact.id})
        cls.action_c = Action.with_user(cls.user_c).create({"name": "C mail", "partner_id": cls.contact.id})
        cls.action_b = (
            Action.with_user(cls.user_b)
            .with_company(cls.company_b)
            .create({"name": "B meeting", "partner_id": cls.other_contact.id})
        )
        cls.all_actions = cls.action_a1 | cls.action_a2 | cls.action_c | cls.action_b

    def _visible(self, user, companies=None):
        env = self.env(user=user)
        if companies:
            env = env(context=dict(env.context, allowed_company_ids=companies.ids))
        return env["crm.action"].search([("id", "in", self.all_actions.ids)])

    def test_teams_and_companies_are_set_up(self):
        self.assertEqual(self.action_a1.team_id, self.team_a)
        self.assertEqual(self.action_c.team_id, self.team_c)
        self.assertEqual(self.action_b.team_id, self.team_b)
        self.assertEqual(self.action_b.company_id, self.company_b)

    def test_user_sees_own_and_own_team_actions(self):
        self.assertEqual(self._visible(self.user_a1), self.action_a1 | self.action_a2)
        self.assertEqual(self._visible(self.user_a2), self.action_a1 | self.action_a2)
        self.assertEqual(self._visible(self.user_c), self.action_c)
        self.assertEqual(self._visible(self.user_b), self.action_b)

    def test_user_edits_team_actions_not_other_teams(self):
        self.action_a2.with_user(self.user_a1).write({"result_detail": "Covered while Arthur was away"})
        self.assertEqual(self.action_a2.result_detail, "Covered while Arthur was away")
        with self.assertRaises(AccessError):
            self.action_c.with_user(self.user_a1).write({"name": "Not mine"})
        with self.assertRaises(AccessError):
            self.action_c.with_user(self.user_a1).read(["name"])
        self.assertEqual(self.action_c.name, "C mail")

    def test_requester_sees_the_action_they_asked_for(self):
        action = (
            self.env["crm.action"]
            .with_user(self.user_c)
            .create({"name": "Please visit for me", "user_id": self.user_a1.id})
        )
        self.assertEqual(action.team_id, self.team_a)
        self.assertEqual(action.requester_id, self.user_c)
        self.assertTrue(action.with_user(self.user_c).name)
        self.assertIn(action, self.env["crm.action"].with_user(self.user_a2).search([]))

    def test_manager_sees_all_in_allowed_companies(self):
        both = self.company | self.company_b
        self.assertEqual(self._visible(self.user_manager, both), self.all_actions)
        self.assertEqual(self._visible(self.user_manager, self.company), self.all_actions - self.action_b)
        self.assertEqual(self._visible(self.user_manager, self.company_b), self.action_b)

    def test_other_company_is_invisible_even_to_its_team(self):
        """An action of company A assigned to a user of company B stays in company A."""
        action = (
            self.env["crm.action"]
            .with_user(self.user_manager)
            .create({"name": "Cross-company", "user_id": self.user_b.id, "company_id": self.company.id})
        )
        self.assertFalse(self.env["crm.action"].with_user(self.user_b).search([("id", "=", action.id)]))

    def test_portal_and_public_see_nothing(self):
        public = self.env.ref("base.public_user")
        for user in (self.user_portal, public):
            with self.assertRaises(AccessError):
                self.env["crm.action"].with_user(user).search([])
            with self.assertRaises(AccessError):
                self.action_a1.with_user(user).read(["name"])
            with self.assertRaises(AccessError):
                self.env["crm.action"].with_user(user).create({"name": "Sneaky"})

    def test_configuration_is_manager_only(self):
        Type = self.env["crm.action.type"]
        for model in ("crm.action.type", "crm.action.result", "crm.action.result.detail", "crm.action.category"):
            self.assertTrue(self.env[model].with_user(self.user_a1).search([], limit=1), model)
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(self.user_a1).create({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.type_call.with_user(self.user_a1).write({"name": "Ring"})
        with Form(Type.with_user(self.user_manager)) as type_form:
            type_form.name = "Video call"
        self.assertEqual(type_form.record.name, "Video call")
        config_menu = self.env.ref("crm_action.crm_action_menu_config")
        self.assertNotIn(config_menu.id, self.env["ir.ui.menu"].with_user(self.user_a1)._visible_menu_ids())
        self.assertIn(config_menu.id, self.env["ir.ui.menu"].with_user(self.user_manager)._visible_menu_ids())
