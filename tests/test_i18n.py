import os
import re

import polib

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

from .common import CrmActionCommon

I18N_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "i18n")
# .po file of each language the module's users work in, and Odoo's language code.
LANGUAGES = {"pt_BR": "pt_BR", "pl": "pl_PL", "it": "it_IT", "es": "es_ES", "fr": "fr_FR", "de": "de_DE"}
# OCA's po-pretty-format (make lint) empties a msgstr equal to its msgid; a term that reads
# the same in the language (Lead in German, Total in Spanish) says so in a translator
# comment, so that an empty msgstr is never a forgotten term.
SAME_AS_SOURCE = "Same as the English term."


def _is_translated(entry):
    return bool(entry.msgstr.strip()) or SAME_AS_SOURCE in (entry.tcomment or "")


@tagged("post_install", "-at_install")
class TestTranslationsComplete(TransactionCase):
    """Every term Odoo extracts from the module has a translation in each language."""

    def _module_terms(self):
        reader = TranslationModuleReader(self.env.cr, modules=["crm_action"])
        return {
            source
            for module, _type, _name, _res_id, source, _value, _comments in reader
            if module == "crm_action" and source.strip()
        }

    def test_pot_is_up_to_date(self):
        """The shipped template lists the terms of the code (regenerate it with `make pot`)."""
        pot_terms = {entry.msgid for entry in polib.pofile(os.path.join(I18N_DIR, "crm_action.pot"))}
        missing = sorted(self._module_terms() - pot_terms)
        self.assertFalse(missing, f"{len(missing)} terms missing from i18n/crm_action.pot (run `make pot`): {missing}")

    def test_every_term_translated(self):
        terms = self._module_terms()
        self.assertGreater(len(terms), 100, "the module's terms were not extracted")
        for po_name in LANGUAGES:
            with self.subTest(language=po_name):
                po = polib.pofile(os.path.join(I18N_DIR, f"{po_name}.po"))
                translated = {entry.msgid for entry in po if _is_translated(entry) and not entry.obsolete}
                missing = sorted(terms - translated)
                self.assertFalse(
                    missing,
                    f"{len(missing)} terms without a translation in i18n/{po_name}.po: {missing}",
                )

    def test_placeholders_kept(self):
        """A translation keeps the placeholders of its source, or the message breaks at run time."""
        for po_name in LANGUAGES:
            po = polib.pofile(os.path.join(I18N_DIR, f"{po_name}.po"))
            for entry in po:
                if not entry.msgstr:
                    continue
                with self.subTest(language=po_name, msgid=entry.msgid):
                    self.assertEqual(
                        sorted(re.findall(r"%\(\w+\)[sdf]", entry.msgid)),
                        sorted(re.findall(r"%\(\w+\)[sdf]", entry.msgstr)),
                    )


@tagged("post_install", "-at_install")
class TestTranslatedInterface(CrmActionCommon):
    """An admin who switches to one of the six languages sees the module in that language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")

    def _switch_admin_to(self, lang_code):
        self.env["res.lang"]._activate_lang(lang_code)
        self.env["ir.module.module"].search([("name", "=", "crm_action")])._update_translations([lang_code])
        self.admin.lang = lang_code
        # The environment a request of the admin gets: language from the user's preferences.
        return self.env(user=self.admin, context=self.admin.with_user(self.admin).context_get())

    def _assert_translated(self, lang_code, menu, button, field_label, done_error):
        env = self._switch_admin_to(lang_code)
        self.assertEqual(env.context.get("lang"), lang_code)

        self.assertEqual(env.ref("crm_action.crm_action_menu_root").name, menu)
        menus = env["ir.ui.menu"].load_menus(debug=False)
        root_id = env.ref("crm_action.crm_action_menu_root").id
        self.assertEqual(menus[root_id]["name"], menu)

        arch = env["crm.action"].get_view(env.ref("crm_action.crm_action_view_form").id, "form")["arch"]
        self.assertIn(f'string="{button}"', arch)
        self.assertNotIn('string="Mark Done"', arch)
        self.assertEqual(env["crm.action"].fields_get(["result_id"])["result_id"]["string"], field_label)

        action = env["crm.action"].create({"name": "Demo call", "partner_id": self.company_partner.id})
        with self.assertRaises(UserError) as caught:
            action.action_done()
        self.assertEqual(str(caught.exception.args[0]), done_error)

    def test_portuguese(self):
        self._assert_translated(
            "pt_BR",
            menu="Ações CRM",
            button="Marcar como Realizada",
            field_label="Resultado",
            done_error="Informe um resultado em 'Demo call' antes de marcá-la como realizada.",
        )

    def test_polish(self):
        self._assert_translated(
            "pl_PL",
            menu="Działania CRM",
            button="Oznacz jako zakończone",
            field_label="Wynik",
            done_error="Ustaw wynik działania 'Demo call' przed oznaczeniem go jako zakończone.",
        )

    def test_italian(self):
        self._assert_translated(
            "it_IT",
            menu="Azioni CRM",
            button="Segna come eseguita",
            field_label="Risultato",
            done_error="Impostare un risultato su 'Demo call' prima di segnarla come eseguita.",
        )

    def test_spanish(self):
        self._assert_translated(
            "es_ES",
            menu="Acciones CRM",
            button="Marcar como hecha",
            field_label="Resultado",
            done_error="Indique un resultado en 'Demo call' antes de marcarla como hecha.",
        )

    def test_french(self):
        self._assert_translated(
            "fr_FR",
            menu="Actions CRM",
            button="Marquer comme terminée",
            field_label="Résultat",
            done_error="Indiquez un résultat sur 'Demo call' avant de la marquer comme terminée.",
        )

    def test_german(self):
        self._assert_translated(
            "de_DE",
            menu="CRM-Aktionen",
            button="Als erledigt markieren",
            field_label="Ergebnis",
            done_error="Setzen Sie ein Ergebnis für 'Demo call', bevor Sie sie als erledigt markieren.",
        )
