from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCrmActionSettingsTour(HttpCase):
    def test_settings_page_renders_and_saves(self):
        self.env.ref("base.user_admin").tour_enabled = False
        self.start_tour("/odoo/settings#crm", "crm_action_settings_tour", login="admin")
        self.assertEqual(self.env["ir.config_parameter"].sudo().get_param("crm_action.reminder_interval"), "45")
