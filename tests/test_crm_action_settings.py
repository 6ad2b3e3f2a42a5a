from lxml import etree

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import CrmActionCommon


@tagged("post_install", "-at_install")
class TestCrmActionSettings(CrmActionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Tiles Iberia"})
        cls.admin = cls.env.ref("base.user_admin")
        cls.admin.company_ids |= cls.company_b
        cls.params = cls.env["ir.config_parameter"].sudo()

    def _settings_form(self, company=None):
        env = self.env(
            user=self.admin, context=dict(self.env.context, allowed_company_ids=(company or self.company).ids)
        )
        return Form(env["res.config.settings"])

    def _save(self, form):
        form.save().execute()

    def _view_fields(self, model, user, view_type="form", view_id=None):
        arch = self.env[model].with_user(user).get_view(view_id=view_id, view_type=view_type)["arch"]
        return {node.get("name") for node in etree.fromstring(arch).iter("field", "page", "button", "filter")}

    # ------------------------------------------------------------ values
    def test_defaults_after_install(self):
        form = self._settings_form()
        self.assertEqual(form.crm_action_reminder_interval, 30)
        self.assertEqual(form.crm_action_export_row_limit, 1000000)
        self.assertFalse(form.crm_action_reminder_email)
        for field in (
            "group_crm_action_expenses",
            "group_crm_action_occurrences",
            "group_crm_action_timer",
            "group_crm_action_meetings",
        ):
            self.assertTrue(form[field], f"{field}: every feature is on after installation")

    def test_set_and_read_back_from_each_company(self):
        """Module-wide values: what one company's admin saves, the other company reads."""
        for company, interval, limit, email in (
            (self.company, 45, 5000, True),
            (self.company_b, 15, 700, False),
        ):
            form = self._settings_form(company)
            form.crm_action_reminder_interval = interval
            form.crm_action_export_row_limit = limit
            form.crm_action_reminder_email = email
            self._save(form)
            for reader in (self.company, self.company_b):
                form = self._settings_form(reader)
                self.assertEqual(form.crm_action_reminder_interval, interval)
                self.assertEqual(form.crm_action_export_row_limit, limit)
                self.assertEqual(form.crm_action_reminder_email, email)
        Settings = self.env["res.config.settings"]
        self.assertEqual(Settings._crm_action_reminder_interval(), 15)
        self.assertEqual(Settings._crm_action_export_row_limit(), 700)
        self.assertEqual(self.params.get_param("crm_action.export_row_limit"), "700")

    def test_reminder_interval_zero_means_never_and_stays_zero(self):
        form = self._settings_form()
        form.crm_action_reminder_interval = 0
        self._save(form)
        self.assertEqual(self.params.get_param("crm_action.reminder_interval"), "0")
        self.assertEqual(self._settings_form().crm_action_reminder_interval, 0)
        self.assertEqual(self.env["res.config.settings"]._crm_action_reminder_interval(), 0)

    def test_negative_values_refused_and_nothing_lost(self):
        form = self._settings_form()
        form.crm_action_reminder_interval = 20
        form.crm_action_export_row_limit = 900
        self._save(form)

        form = self._settings_form()
        form.crm_action_reminder_interval = -5
        with self.assertRaisesRegex(ValidationError, "reminder interval cannot be negative"):
            form.save()
        form = self._settings_form()
        form.crm_action_export_row_limit = -1
        with self.assertRaisesRegex(ValidationError, "export row limit must be a positive number"):
            form.save()

        form = self._settings_form()
        self.assertEqual(form.crm_action_reminder_interval, 20)
        self.assertEqual(form.crm_action_export_row_limit, 900)

    def test_invalid_parameter_edited_by_hand_falls_back_to_default(self):
        Settings = self.env["res.config.settings"]
        self.params.set_param("crm_action.reminder_interval", "-3")
        self.params.set_param("crm_action.export_row_limit", "lots")
        self.assertEqual(Settings._crm_action_reminder_interval(), 30)
        self.assertEqual(Settings._crm_action_export_row_limit(), 1000000)

    # ------------------------------------------------------------ feature groups
    def test_expenses_off_hides_their_fields_for_a_plain_user(self):
        self.assertIn("expense_ids", self._view_fields("crm.action", self.user_action))
        form = self._settings_form()
        form.group_crm_action_expenses = False
        self._save(form)

        self.assertFalse(self.user_action.has_group("crm_action.group_crm_action_expenses"))
        form_view = self._view_fields("crm.action", self.user_action)
        self.assertNotIn("expenses", form_view, "the Expenses page is gone")
        self.assertNotIn("expense_ids", form_view)
        self.assertIn("occurrence_id", form_view, "another feature stays")
        list_view = self._view_fields("crm.action", self.user_action, "list")
        self.assertNotIn("expense_planned", list_view)
        self.assertNotIn("action_view_expenses", list_view)
        line_view = self._view_fields("crm.action.campaign.line", self.user_manager)
        self.assertNotIn("expense_planned", line_view)
        # The Form a user gets has no expense field to fill in.
        action_form = Form(self.env["crm.action"].with_user(self.user_action))
        self.assertNotIn("expense_ids", action_form._view["fields"])

        form = self._settings_form()
        self.assertFalse(form.group_crm_action_expenses)
        form.group_crm_action_expenses = True
        self._save(form)
        self.assertIn("expense_ids", self._view_fields("crm.action", self.user_action))

    def test_occurrences_off_hides_fields_and_menus(self):
        Menu = self.env["ir.ui.menu"]
        menu = self.env.ref("crm_action.crm_action_occurrence_menu")
        self.assertIn(menu.id, Menu.with_user(self.user_action)._visible_menu_ids())
        form = self._settings_form()
        form.group_crm_action_occurrences = False
        self._save(form)

        self.assertNotIn("occurrence_id", self._view_fields("crm.action", self.user_action))
        self.assertNotIn("occurrence_id", self._view_fields("crm.action", self.user_action, "search"))
        self.assertNotIn("occurrence_id", self._view_fields("crm.action.register.wizard", self.user_action))
        self.assertNotIn("occurrence_status_id", self._view_fields("crm.action.rule", self.user_manager))
        Menu.env.registry.clear_cache()
        self.assertNotIn(menu.id, Menu.with_user(self.user_action)._visible_menu_ids())
        status_menu = self.env.ref("crm_action.crm_action_occurrence_status_menu")
        self.assertNotIn(status_menu.id, Menu.with_user(self.user_manager)._visible_menu_ids())
        self.assertIn("expense_ids", self._view_fields("crm.action", self.user_action), "another feature stays")

    # ------------------------------------------------------------ the block
    def test_block_and_links_in_crm_settings(self):
        arch = self.env["res.config.settings"].with_user(self.admin).get_view(view_type="form")["arch"]
        root = etree.fromstring(arch)
        [block] = root.xpath("//app[@name='crm']//block[@name='crm_action_setting_container']")
        buttons = {button.get("name") for button in block.iter("button")}
        for xmlid in (
            "crm_action.crm_action_type_action",
            "crm_action.crm_action_result_action",
            "crm_action.crm_action_campaign_action",
            "crm_action.crm_action_rule_action",
            "crm_action.res_partner_class_action",
            "crm_action.crm_action_occurrence_status_action",
        ):
            # the client resolves the XML id of each "Configure" button
            self.assertTrue(self.env.ref(xmlid).exists())
            self.assertTrue(any(xmlid in (name or "") for name in buttons), xmlid)

    def test_only_settings_admins_change_the_settings(self):
        """Odoo keeps res.config.settings to Settings admins: a CRM Actions manager alone cannot save."""
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.user_manager).create(
                {"crm_action_reminder_interval": 10}
            ).execute()
        self.assertEqual(self.env["res.config.settings"]._crm_action_reminder_interval(), 30)
