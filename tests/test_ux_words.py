import os

import polib
from lxml import etree

from odoo.tests import Form, tagged

from .common import CrmActionCommon

I18N_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "i18n")
LANGUAGES = {"pt_BR": "pt_BR", "pl": "pl_PL", "it": "it_IT"}
FEATURE_GROUPS = [
    "crm_action.group_crm_action_expenses",
    "crm_action.group_crm_action_occurrences",
    "crm_action.group_crm_action_timer",
    "crm_action.group_crm_action_meetings",
]


@tagged("post_install", "-at_install")
class TestUxWords(CrmActionCommon):
    """The words a user reads: buttons that can be told apart in every language,
    settings explained to an administrator, no configuration created by mistake."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        # every feature switched on: the form shows all its buttons
        cls.admin.groups_id |= cls.env["res.groups"].browse([cls.env.ref(x).id for x in FEATURE_GROUPS])

    def _activate(self, lang_code):
        self.env["res.lang"]._activate_lang(lang_code)
        self.env["ir.module.module"].search([("name", "=", "crm_action")])._update_translations([lang_code])

    def _module_form_roots(self):
        """The primary form views that the module's form views show in."""
        views = self.env["ir.ui.view"].browse(
            self.env["ir.model.data"]
            .search([("module", "=", "crm_action"), ("model", "=", "ir.ui.view")])
            .mapped("res_id")
        )
        roots = self.env["ir.ui.view"]
        for view in views.filtered(lambda v: v.type == "form"):
            while view.inherit_id and view.mode == "extension":
                view = view.inherit_id
            roots |= view
        return roots

    def _buttons(self, view, lang):
        env = self.env(user=self.admin, context={"lang": lang})
        arch = env[view.model].get_view(view.id, "form")["arch"]
        return [button.get("string") for button in etree.fromstring(arch).iter("button") if button.get("string")]

    def test_buttons_of_one_form_differ_in_every_language(self):
        module_terms = {entry.msgid for entry in polib.pofile(os.path.join(I18N_DIR, "crm_action.pot"))}
        roots = self._module_form_roots()
        self.assertGreater(len(roots), 10)
        english = {view: self._buttons(view, "en_US") for view in roots}
        for po_name, lang_code in LANGUAGES.items():
            self._activate(lang_code)
            for view in roots:
                translated = self._buttons(view, lang_code)
                self.assertEqual(len(translated), len(english[view]))
                seen = {}
                for source, label in zip(english[view], translated, strict=True):
                    other = seen.setdefault(label, source)
                    with self.subTest(language=po_name, view=view.xml_id or view.name, label=label):
                        if other != source and (source in module_terms or other in module_terms):
                            self.fail(f"'{other}' and '{source}' are both '{label}' on {view.name} in {po_name}")

    def test_register_and_log_and_timer_words(self):
        self._activate("pt_BR")
        env = self.env(user=self.admin, context={"lang": "pt_BR"})
        arch = env["res.partner"].get_view(self.env.ref("base.view_partner_form").id, "form")["arch"]
        self.assertIn('string="Registrar Ação"', arch)
        self.assertEqual(arch.count('"Registrar Ação"'), 1, "Log Action and Register Action read the same")
        action_form = env["crm.action"].get_view(self.env.ref("crm_action.crm_action_view_form").id, "form")["arch"]
        start = etree.fromstring(action_form).xpath("//button[@name='action_timer_start']")[0]
        self.assertEqual(start.get("string"), "Iniciar")

    def test_settings_speak_to_an_administrator(self):
        arch = self.env["res.config.settings"].get_view(self.env.ref("base.res_config_settings_view_form").id)["arch"]
        block = etree.fromstring(arch).xpath("//block[@name='crm_action_setting_container']")[0]
        helps = " ".join(setting.get("help", "") for setting in block.iter("setting"))
        self.assertTrue(helps)
        for jargon in ("active flag", "automation rule", "names none"):
            self.assertNotIn(jargon, helps)

    def test_salesperson_cannot_create_campaigns_or_media_from_the_register_dialog(self):
        def options(user, fname):
            arch = self.env["crm.action.register.wizard"].with_user(user).get_view(False, "form")["arch"]
            return etree.fromstring(arch).xpath(f"//field[@name='{fname}']")[0].get("options") or ""

        for fname in ("campaign_id", "medium_id"):
            with self.subTest(field=fname):
                self.assertIn("no_create", options(self.user_sales, fname))
                self.assertNotIn("no_create", options(self.user_manager, fname))
        # typing a name and leaving the field does not create a campaign either
        campaigns = self.env["utm.campaign"].search_count([])
        wizard = Form(self.env["crm.action.register.wizard"].with_user(self.user_sales))
        wizard.partner_id = self.company_partner
        self.assertEqual(self.env["utm.campaign"].search_count([]), campaigns)

    def test_configuration_lists_show_no_new_to_who_may_not_create(self):
        models = {
            view.model
            for view in self.env["ir.ui.view"].browse(
                self.env["ir.model.data"]
                .search([("module", "=", "crm_action"), ("model", "=", "ir.ui.view")])
                .mapped("res_id")
            )
            if view.type == "list" and not view.inherit_id
        }
        self.assertIn("crm.action.type", models)
        for model in sorted(models):
            Model = self.env[model].with_user(self.user_sales)
            arch = Model.get_view(False, "list")["arch"]
            with self.subTest(model=model):
                if not Model.has_access("create"):
                    self.assertIn(etree.fromstring(arch).get("create"), ("0", "False", "false"))
