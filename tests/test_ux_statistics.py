from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import CrmActionCommon


def _today(day):
    """The presets count from today."""
    return freeze_time(datetime.combine(day, datetime.min.time()).replace(hour=12))


@tagged("post_install", "-at_install")
class TestUxStatistics(CrmActionCommon):
    """Statistics periods and the analyses a sales manager reads (seeds 000, 001, 003)."""

    def _form(self, lang=None):
        Statistics = self.env["crm.action.statistics"].with_user(self.user_manager)
        return Form(Statistics.with_context(lang=lang) if lang else Statistics)

    def test_period_presets(self):
        expected = {
            "this_month": (date(2026, 5, 1), date(2026, 5, 31)),
            "last_month": (date(2026, 4, 1), date(2026, 4, 30)),
            "this_quarter": (date(2026, 4, 1), date(2026, 6, 30)),
            "this_year": (date(2026, 1, 1), date(2026, 12, 31)),
        }
        with _today(date(2026, 5, 14)):
            wizard = self._form()
            self.assertEqual(wizard.period, "this_month")
            self.assertEqual((wizard.date_from, wizard.date_to), expected["this_month"])
            for preset, dates in expected.items():
                with self.subTest(preset=preset):
                    wizard.period = preset
                    self.assertEqual((wizard.date_from, wizard.date_to), dates)
            # a date typed by hand makes the period custom, and keeps it
            wizard.date_to = date(2026, 12, 24)
            self.assertEqual(wizard.period, "custom")
            self.assertEqual(wizard.date_from, date(2026, 1, 1))
            # January's last month is December of the year before
        with _today(date(2026, 1, 10)):
            wizard = self._form()
            wizard.period = "last_month"
            self.assertEqual((wizard.date_from, wizard.date_to), (date(2025, 12, 1), date(2025, 12, 31)))

    def test_list_shows_the_period_as_a_filter_and_dates_in_the_users_format(self):
        self.env["res.lang"]._activate_lang("pt_BR")
        self.env["ir.module.module"].search([("name", "=", "crm_action")])._update_translations(["pt_BR"])
        Action = self.env["crm.action"]
        in_may = Action.create({"name": "May call", "date_start": datetime(2026, 5, 4, 10, 0)})
        in_april = Action.create({"name": "April call", "date_start": datetime(2026, 4, 4, 10, 0)})
        with _today(date(2026, 5, 14)):
            wizard = self._form(lang="pt_BR")
            wizard.period = "last_month"
            action = wizard.save().action_show()
        self.assertEqual(action["context"].get("search_default_filter_date_start"), "month-1")
        # the period is the filter the user sees (and may remove), not a hidden domain
        found = Action.search(action["domain"])
        self.assertIn(in_may, found)
        self.assertIn(in_april, found)
        self.assertEqual(action["display_name"], "Ações de 01/04/2026 a 30/04/2026")

        with _today(date(2026, 5, 14)):
            wizard = self._form()
            wizard.period = "this_quarter"
            self.assertEqual(
                wizard.save().action_show()["context"]["search_default_filter_date_start"], "second_quarter,year"
            )
            # a custom period stays in the domain
            wizard = self._form()
            wizard.date_from = date(2026, 4, 10)
            action = wizard.save().action_show()
        self.assertNotIn("search_default_filter_date_start", action["context"])
        found = Action.search(action["domain"])
        self.assertIn(in_may, found)
        self.assertNotIn(in_april, found)


@tagged("post_install", "-at_install")
class TestUxAnalyses(CrmActionCommon):
    """Conversion by partner group: won / (won + lost) opportunities, per tag, country and class."""

    def test_conversion_per_partner_class_tag_and_country(self):
        key_account = self.env["res.partner.class"].create({"name": "Key Account (ux)", "sequence": 98})
        tag = self.env["res.partner.category"].create({"name": "Tiles (ux)"})
        country = self.env.ref("base.pt")
        self.company_partner.write({"class_id": key_account.id, "category_id": [(6, 0, tag.ids)]})
        self.company_partner.country_id = country
        won_stage = self.env["crm.stage"].create({"name": "Won (ux)", "is_won": True, "sequence": 97})
        leads = self.env["crm.lead"].create(
            [{"name": f"Deal {i}", "type": "opportunity", "partner_id": self.company_partner.id} for i in range(4)]
        )
        won_1, won_2, lost, _still_open = leads
        (won_1 | won_2).stage_id = won_stage
        lost.action_set_lost()
        actions = self.env["crm.action"].create(
            [
                {"name": f"Call {lead.name} {n}", "lead_id": lead.id, "partner_id": self.company_partner.id}
                for lead in leads
                for n in range(2)
            ]
        )
        self.env.flush_all()
        Report = self.env["crm.action.report"].with_user(self.user_manager)
        domain = [("action_id", "in", actions.ids)]
        groupings = (("partner_class_id", key_account), ("partner_category_ids", tag), ("country_id", country))
        for groupby, value in groupings:
            with self.subTest(groupby=groupby):
                [(group, rate, won, lost_count, count)] = Report._read_group(
                    domain,
                    [groupby],
                    ["conversion_rate:avg", "won_lead_id:count_distinct", "lost_lead_id:count_distinct", "__count"],
                )
                self.assertEqual(group, value)
                # 2 won, 1 lost, 1 still open: 2 / (2 + 1), whatever the number of actions
                self.assertAlmostEqual(rate, 200.0 / 3)
                self.assertEqual((won, lost_count, count), (2, 1, 8))
