import io
from datetime import date, datetime

from openpyxl import load_workbook

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common_statistics import CrmActionStatisticsCommon


@tagged("post_install", "-at_install")
class TestCrmActionStatistics(CrmActionStatisticsCommon):
    def _wizard(self, user=None, **values):
        env = self.env(user=user) if user else self.env
        return env["crm.action.statistics"].create({**self.period, **values})

    def _workbook(self, wizard):
        filename, content = wizard._export_xlsx()
        return filename, load_workbook(io.BytesIO(content))

    def _summary_section(self, sheet, title):
        """Rows of one section of the sheet Summary: {label: (count, duration)}."""
        rows = list(sheet.iter_rows(values_only=True))
        start = next(i for i, row in enumerate(rows) if row[0] == title)
        section = {}
        for row in rows[start + 2 :]:
            if row[0] is None:
                break
            section[row[0]] = (row[1], row[2])
        return section

    # ------------------------------------------------------------ wizard
    def test_defaults_this_month_and_menu(self):
        wizard = Form(self.env["crm.action.statistics"].with_user(self.user_sales))
        today = date.today()
        self.assertEqual(wizard.date_from, today.replace(day=1))
        self.assertEqual(wizard.date_to.month, today.month)
        self.assertGreaterEqual(wizard.date_to.day, 28)
        menu = self.env.ref("crm_action.crm_action_statistics_menu")
        self.assertEqual(menu.parent_id, self.env.ref("crm_action.crm_action_menu_reporting"))
        self.assertEqual(menu.parent_id.parent_id, self.env.ref("crm_action.crm_action_menu_root"))
        visible = self.env["ir.ui.menu"].with_user(self.user_sales)._visible_menu_ids()
        self.assertIn(menu.id, visible)

    def test_show_opens_the_actions_of_the_period_with_filters(self):
        wizard = self._wizard()
        action = wizard.action_show()
        self.assertEqual(action["res_model"], "crm.action")
        found = self.env["crm.action"].search(action["domain"])
        self.assertEqual(found & (self.march_actions | self.action_april), self.march_actions)
        self.assertIn("03/01/2026", action["display_name"])  # the user's date format

        filtered = self._wizard(type_ids=[(6, 0, self.type_visit.ids)], campaign_ids=[(6, 0, self.campaign.ids)])
        self.assertEqual(self.env["crm.action"].search(filtered.action_show()["domain"]), self.action_b_negative)
        by_partner = self._wizard(partner_ids=[(6, 0, self.company_partner.ids)], state="planned")
        # The contact's action belongs to the company partner chosen.
        self.assertEqual(self.env["crm.action"].search(by_partner.action_show()["domain"]), self.action_a_planned)
        by_team = self._wizard(team_ids=[(6, 0, self.team_b.ids)], result_ids=[(6, 0, self.result_negative.ids)])
        self.assertEqual(self.env["crm.action"].search(by_team.action_show()["domain"]), self.action_b_negative)
        prospect = self.env["res.partner.class"].create({"name": "Statistics Prospect", "sequence": 99})
        self.company_partner.class_id = prospect
        by_class = self._wizard(partner_class_ids=[(6, 0, prospect.ids)])
        self.assertEqual(
            self.env["crm.action"].search(by_class.action_show()["domain"]) & self.march_actions,
            self.march_actions.filtered(lambda a: a.commercial_partner_id == self.company_partner),
        )
        self.assertTrue(self.env["crm.action"].search(by_class.action_show()["domain"]))
        by_user = self._wizard(user_ids=[(6, 0, self.user_sales.ids)])
        self.assertEqual(
            self.env["crm.action"].search(by_user.action_show()["domain"]),
            self.action_a_positive | self.action_a_planned,
        )

    def test_period_taken_in_the_user_time_zone(self):
        # 2026-03-31 23:30 in Lisbon (summer time, UTC+1) is 22:30 UTC: in March;
        # 2026-02-28 23:30 UTC is 2026-02-28 in Lisbon (UTC+0): not in March.
        late = self.env["crm.action"].create({"name": "Late call", "date_start": datetime(2026, 3, 31, 22, 30)})
        early = self.env["crm.action"].create({"name": "Early call", "date_start": datetime(2026, 2, 28, 23, 30)})
        wizard = self._wizard().with_context(tz="Europe/Lisbon")
        found = self.env["crm.action"].search(wizard._get_action_domain())
        self.assertIn(late, found)
        self.assertNotIn(early, found)

    # ------------------------------------------------------------ workbook
    def test_workbook_actions_sheet(self):
        wizard = self._wizard()
        filename, workbook = self._workbook(wizard)
        self.assertEqual(filename, "crm_actions_2026-03-01_2026-03-31.xlsx")
        self.assertEqual(workbook.sheetnames, ["Actions", "Summary"])
        sheet = workbook["Actions"]
        headers = [cell.value for cell in sheet[1]]
        Action = self.env["crm.action"]
        self.assertEqual(
            headers,
            [Action._fields[fname]._description_string(self.env) for fname, _width in wizard._get_export_columns()],
        )
        for label in ("Summary", "Start", "Partner", "Action Type", "Result", "Responsible", "Duration"):
            self.assertIn(label, headers)
        expected = Action.search(wizard._get_action_domain(), order="date_start, id")
        self.assertTrue(self.march_actions <= expected)
        self.assertEqual(sheet.max_row, 1 + len(expected))
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertTrue(sheet.auto_filter.ref.startswith("A1:"))

        col = {header: index for index, header in enumerate(headers)}
        rows = {row[col["ID"]]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
        self.assertEqual(set(rows), set(expected.ids))
        row = rows[self.action_a_positive.id]
        self.assertIsInstance(row[col["Start"]], datetime)
        self.assertEqual(row[col["Start"]], datetime(2026, 3, 5, 10, 0))
        self.assertIsInstance(row[col["Duration"]], float)
        self.assertEqual(row[col["Duration"]], 1.5)
        self.assertEqual(row[col["Summary"]], "Call Azure about tiles")
        self.assertEqual(row[col["Partner"]], "Azure Tiles")
        self.assertEqual(row[col["Result"]], self.result_positive.name)
        self.assertEqual(row[col["Outcome"]], "Positive")
        self.assertEqual(row[col["State"]], "Done")
        self.assertEqual(row[col["Responsible"]], "Sally Sales")
        self.assertEqual(row[col["Campaign"]], "Spring Tiles")
        self.assertEqual(row[col["Lead/Opportunity"]], "Tiles for the new HQ")
        self.assertEqual(rows[self.action_a_planned.id][col["Contact Persons"]], self.contact.display_name)
        # A text that looks like a formula stays text.
        self.assertEqual(rows[self.action_b_negative.id][col["Summary"]], "=Visit Bricks (formula-like text)")

    def test_workbook_written_in_batches_keeps_every_row(self):
        self.patch(type(self.env["crm.action.statistics"]), "_export_batch_size", 2)
        wizard = self._wizard()
        _filename, workbook = self._workbook(wizard)
        ids = [row[0] for row in workbook["Actions"].iter_rows(min_row=2, values_only=True)]
        expected = self.env["crm.action"].search(wizard._get_action_domain(), order="date_start, id")
        self.assertEqual(ids, expected.ids)

    def test_workbook_summary_matches_database(self):
        wizard = self._wizard()
        _filename, workbook = self._workbook(wizard)
        sheet = workbook["Summary"]
        domain = wizard._get_action_domain()
        Action = self.env["crm.action"]
        total_count, total_duration = Action._read_group(domain, [], ["__count", "duration:sum"])[0]
        values = {row[0]: row[1] for row in sheet.iter_rows(max_row=6, values_only=True) if row[0]}
        self.assertEqual(values["Actions"], total_count)
        self.assertAlmostEqual(values["Duration (hours)"], total_duration)
        self.assertEqual(values["From"], datetime(2026, 3, 1))
        self.assertEqual(values["To"], datetime(2026, 3, 31))

        outcomes = self._summary_section(sheet, "By Result Outcome")
        db_outcomes = dict(Action._read_group(domain, ["result_outcome"], ["__count"]))
        self.assertEqual(outcomes["Positive"][0], db_outcomes["positive"])
        self.assertEqual(outcomes["Negative"][0], db_outcomes["negative"])
        self.assertEqual(outcomes["Total"][0], total_count)
        self.assertAlmostEqual(outcomes["Total"][1], total_duration)

        types = self._summary_section(sheet, "By Action Type")
        for action_type, count, duration in Action._read_group(domain, ["type_id"], ["__count", "duration:sum"]):
            label = action_type.display_name if action_type else "None"
            self.assertEqual(types[label][0], count)
            self.assertAlmostEqual(types[label][1], duration)
        users = self._summary_section(sheet, "By Responsible")
        self.assertEqual(users["Sally Sales"], (2, 2.0))
        self.assertEqual(users["Bruno Bravo"], (1, 2.0))
        campaigns = self._summary_section(sheet, "By Campaign")
        self.assertEqual(campaigns["Spring Tiles"], (2, 3.5))

    def test_workbook_carries_meeting_costs(self):
        self.action_a_positive.sudo().write({"expected_cost": 120.0, "actual_cost": 95.5})
        _filename, workbook = self._workbook(self._wizard())
        summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(max_row=8, values_only=True) if row[0]}
        self.assertAlmostEqual(summary["Expected Meeting Cost"], 120.0)
        self.assertAlmostEqual(summary["Actual Meeting Cost"], 95.5)
        sheet = workbook["Actions"]
        headers = [cell.value for cell in sheet[1]]
        row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == self.action_a_positive.id)
        self.assertEqual(row[headers.index("Actual Cost")], 95.5)

    def test_export_holds_only_what_the_user_may_read(self):
        # Sally (team Alpha) does not get Bruno's (team Bravo) action.
        wizard = self._wizard(user=self.user_sales)
        _filename, workbook = self._workbook(wizard)
        ids = {row[0] for row in workbook["Actions"].iter_rows(min_row=2, values_only=True)}
        self.assertIn(self.action_a_positive.id, ids)
        self.assertIn(self.action_a_planned.id, ids)
        self.assertNotIn(self.action_b_negative.id, ids)
        users = self._summary_section(workbook["Summary"], "By Responsible")
        self.assertNotIn("Bruno Bravo", users)
        visible = self.env["crm.action"].with_user(self.user_sales).search_count(wizard._get_action_domain())
        self.assertEqual(workbook["Summary"]["B4"].value, visible)
        # The manager gets all three.
        _filename, workbook = self._workbook(self._wizard(user=self.user_manager))
        ids = {row[0] for row in workbook["Actions"].iter_rows(min_row=2, values_only=True)}
        self.assertLessEqual(set(self.march_actions.ids), ids)

    def test_download_returns_the_file_of_the_period(self):
        wizard = self._wizard(user=self.user_sales)
        action = wizard.action_download_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "crm.action.statistics"), ("res_id", "=", wizard.id)]
        )
        self.assertEqual(action["url"], f"/web/content/{attachment.id}?download=true")
        self.assertEqual(attachment.name, "crm_actions_2026-03-01_2026-03-31.xlsx")
        workbook = load_workbook(io.BytesIO(attachment.with_user(self.user_sales).raw))
        self.assertEqual(workbook.sheetnames, ["Actions", "Summary"])

    # ------------------------------------------------------------ bad input
    def test_period_ending_before_it_starts_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "set a 'To' date on or after the 'From' date"):
            self._wizard(date_from=date(2026, 3, 31), date_to=date(2026, 3, 1))
        wizard = self._wizard()
        with self.assertRaises(ValidationError):
            wizard.date_to = date(2026, 2, 1)
            wizard.flush_recordset()

    def test_empty_period_gives_headers_and_zero_summary(self):
        wizard = self._wizard(date_from=date(1990, 1, 1), date_to=date(1990, 1, 31))
        filename, workbook = self._workbook(wizard)
        self.assertEqual(filename, "crm_actions_1990-01-01_1990-01-31.xlsx")
        sheet = workbook["Actions"]
        self.assertEqual(sheet.max_row, 1)
        self.assertEqual(sheet["A1"].value, "ID")
        summary = workbook["Summary"]
        self.assertEqual(summary["B4"].value, 0)
        self.assertEqual(summary["B5"].value, 0)
        self.assertEqual(self._summary_section(summary, "By Action Type"), {"Total": (0, 0)})

    def test_export_above_row_limit_is_refused_before_writing(self):
        self.env["ir.config_parameter"].sudo().set_param("crm_action.export_row_limit", "2")
        wizard = self._wizard()
        attachments = self.env["ir.attachment"].search_count([("res_model", "=", "crm.action.statistics")])
        with self.assertRaisesRegex(UserError, "more than the 2 rows"):
            wizard.action_download_xlsx()
        self.assertEqual(
            self.env["ir.attachment"].search_count([("res_model", "=", "crm.action.statistics")]), attachments
        )
        # Filters bringing the period under the limit make it pass.
        small = self._wizard(user_ids=[(6, 0, self.user_sales_b.ids)])
        _filename, workbook = self._workbook(small)
        self.assertEqual(workbook["Actions"].max_row, 2)
