from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import CrmActionCommon


@tagged("post_install", "-at_install")
class TestInstall(CrmActionCommon):
    def test_groups_manager_implies_user_and_sales_users_get_user(self):
        group_user = self.env.ref("crm_action.crm_action_group_user")
        group_manager = self.env.ref("crm_action.crm_action_group_manager")
        self.assertIn(group_user, group_manager.implied_ids)
        self.assertTrue(self.user_sales.has_group("crm_action.crm_action_group_user"))
        self.assertFalse(self.user_sales.has_group("crm_action.crm_action_group_manager"))
        self.assertFalse(self.user_portal.has_group("crm_action.crm_action_group_user"))

    def test_menu_visible_to_users_not_to_portal(self):
        root = self.env.ref("crm_action.crm_action_menu_root")
        menus_user = self.env["ir.ui.menu"].with_user(self.user_sales)._visible_menu_ids()
        self.assertIn(root.id, menus_user)
        self.assertIn(self.env.ref("crm_action.crm_action_menu_my").id, menus_user)
        with self.assertRaises(AccessError):
            self.env["crm.action"].with_user(self.user_portal).search([])

    def test_user_opens_my_actions_and_logs_one(self):
        menu = self.env.ref("crm_action.crm_action_menu_my")
        act = menu.action.with_user(self.user_sales)
        data = (
            self.env["ir.actions.act_window"].with_user(self.user_sales)._for_xml_id("crm_action.crm_action_action_my")
        )
        self.assertEqual(data["res_model"], "crm.action")
        self.assertEqual(act.res_model, "crm.action")
        env_user = self.env(user=self.user_sales)
        with Form(env_user["crm.action"]) as action_form:
            action_form.name = "First call"
            action_form.partner_id = self.company_partner
        action = action_form.save()
        self.assertEqual(action.user_id, self.user_sales)
        self.assertEqual(action.state, "planned")
        self.assertIn(action, env_user["crm.action"].search([("user_id", "=", self.user_sales.id)]))
