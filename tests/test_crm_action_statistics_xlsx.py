import io
import os
import re
import tempfile
import zipfile
from datetime import date, datetime

import xlsxwriter
from openpyxl import load_workbook

from odoo.tests import TransactionCase, tagged

from ..reports.xlsx_rows import BOOLEAN, DATETIME, NUMBER, STRING, RowWriter
from .common_statistics import CrmActionStatisticsCommon

CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f]")
ESCAPE_SEQUENCE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
KINDS = [NUMBER, DATETIME, DATETIME, STRING, STRING, NUMBER, BOOLEAN, NUMBER]
FORMATS = ["integer", "datetime", "date", None, "bold", "float", None, None]
ROWS = [
    [1, datetime(2026, 3, 5, 10, 0), date(2026, 3, 31), "Call Azure", "x", 1.5, True, 3],
    [2, datetime(2026, 3, 5, 10, 0, 0, 500000), date(1900, 3, 1), 'R&D <tiles> "quoted"', "", 0.0, False, -7.25],
    [None, None, None, None, None, None, None, None],
    [4, datetime(1900, 2, 28, 12, 0), date(1900, 1, 1), " leading space", "trailing\n", 1e20, True, 10**17],
    [5, datetime(2026, 1, 1), date(2026, 1, 1), "bell\x07", "_x0041_", 1 / 3, True, 0],
    [6, datetime(1999, 12, 31, 23, 59, 59), None, "<r>rich</r>", "\ufffe", 2.5e-10, False, None],
    [7, None, date(2030, 6, 15), "=1+1", "Zoë, 東京 🙂", -0.0, True, 123456789012345678],
    [8, datetime(2026, 3, 29, 1, 30), None, "x" * 20000, "tab\tinside", 7, None, 1.0000000000000002],
    [9, datetime(2026, 3, 29, 2, 30), date(2026, 3, 29), "new\nline inside", "a_x00_b", 99.99, False, 2**53 + 1],
]


@tagged("post_install", "-at_install")
class TestRowWriter(TransactionCase):
    def _package(self, fast):
        """The parts of a workbook whose sheet Actions is written by RowWriter, fast or
        through xlsxwriter's methods only (docProps/core.xml, with the time, left out)."""
        with tempfile.TemporaryDirectory() as tmpdir:
            path = os.path.join(tmpdir, "rows.xlsx")
            workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "tmpdir": tmpdir})
            styles = {
                "header": workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1}),
                "integer": workbook.add_format({"num_format": "0"}),
                "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
                "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
                "float": workbook.add_format({"num_format": "#,##0.00"}),
                "bold": workbook.add_format({"bold": True}),
            }
            sheet = workbook.add_worksheet("Actions")
            for col in range(len(KINDS)):
                sheet.set_column(col, col, 12)
                sheet.write_string(0, col, f"Column {col}", styles["header"])
            sheet.freeze_panes(1, 0)
            writer = RowWriter(sheet, KINDS, [styles[name] if name else None for name in FORMATS])
            self.assertTrue(writer.fast, "the installed xlsxwriter has the internals RowWriter writes through")
            writer.fast = fast
            for row, values in enumerate(ROWS, start=1):
                writer.write_row(row, values)
            writer.close()
            sheet.autofilter(0, 0, len(ROWS), len(KINDS) - 1)
            summary = workbook.add_worksheet("Summary")
            summary.write_number(0, 0, 3, styles["integer"])
            summary.write_string(1, 0, "Total", styles["bold"])
            workbook.close()
            with zipfile.ZipFile(path) as package:
                parts = {name: package.read(name) for name in package.namelist() if name != "docProps/core.xml"}
        return parts, writer.rows_written_by_xlsxwriter

    def test_rows_are_written_as_xlsxwriter_writes_them(self):
        fast, by_xlsxwriter = self._package(fast=True)
        reference, _all = self._package(fast=False)
        self.assertEqual(set(fast), set(reference))
        for name, content in reference.items():
            self.assertEqual(fast[name], content, f"{name} differs from what xlsxwriter writes")
        # The rows with control characters, _xHHHH_ sequences, a rich-string look, a
        # non-character, a very long text or dates before March 1900 went through
        # xlsxwriter (rows 4, 5, 6 and 8); the others (1, 2, 7, 9 and the empty row) did not.
        self.assertEqual(by_xlsxwriter, 4)


@tagged("post_install", "-at_install")
class TestStatisticsExportValues(CrmActionStatisticsCommon):
    """The sheet Actions holds, cell by cell, what read() gives for the actions the user
    may read (the values the export wrote before it read them with one query)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Action = cls.env["crm.action"]
        cls.category = cls.env["crm.action.category"].create({"name": "Statistics category"})
        cls.action_a_planned.write(
            {
                "contact_ids": [(6, 0, cls.contact.ids)],
                "category_id": cls.category.id,
                "priority": "2",
                "place": "Showroom & café",
                "result_detail": "Line one\nline two\ttabbed; bell \x07 rang",
                "date_deadline": date(2026, 3, 25),
                "expected_cost": 120.5,
                "all_day": True,
            }
        )
        cls.late_action = Action.create(
            {
                "name": "  Late call in Lisbon  ",
                "partner_id": cls.contact.id,
                "user_id": cls.user_sales.id,
                "team_id": cls.team_a.id,
                "type_id": cls.type_call.id,
                # 2026-03-31 23:30 in Lisbon (UTC+1): in the period, shown on the 31st.
                "date_start": datetime(2026, 3, 31, 22, 30),
                "duration": 0.75,
            }
        )
        cls.campaign_line = cls.env["crm.action.campaign.line"].create(
            {"campaign_id": cls.campaign.id, "type_id": cls.type_call.id, "expense_planned": 80.0}
        )
        cls.action_a_positive.invalidate_recordset(["campaign_line_id"])
        cls.env["crm.action.expense"].create({"action_id": cls.action_a_positive.id, "name": "Fuel", "amount": 42.25})

    def _check_sheet(self, user, tz, **context):
        wizard = self.env(user=user, context={"tz": tz, **context})["crm.action.statistics"].create(self.period)
        _filename, content = wizard._export_xlsx()
        sheet = load_workbook(io.BytesIO(content))["Actions"]
        Action = wizard.env["crm.action"]
        columns = [Action._fields[fname] for fname, _width in wizard._get_export_columns()]
        actions = Action.search(wizard._get_action_domain(), order="date_start, id")
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        self.assertEqual([row[0] for row in rows], actions.ids)
        tzinfo = wizard._get_tz()
        partners = actions.sudo().contact_ids.with_context(active_test=False)
        names = {partner.id: partner.display_name for partner in partners}
        for row, values in zip(rows, actions.read([field.name for field in columns]), strict=True):
            for field, cell in zip(columns, row, strict=True):
                expected = wizard._export_read_value(field, values[field.name], tzinfo, names)
                if isinstance(expected, date) and not isinstance(expected, datetime):
                    expected = datetime.combine(expected, datetime.min.time())
                if isinstance(expected, str):
                    # xlsxwriter writes a text _xHHHH_ as _x005F_xHHHH_ and control
                    # characters as _xHHHH_, which openpyxl keeps.
                    expected = ESCAPE_SEQUENCE.sub(r"_x005F\1", expected)
                    expected = CONTROL_CHARACTER.sub(lambda match: f"_x{ord(match.group()):04X}_", expected)
                if isinstance(expected, float):
                    self.assertAlmostEqual(cell, expected, places=9, msg=f"{field.name} of action {row[0]}")
                else:
                    self.assertEqual(cell, expected, f"{field.name} of action {row[0]}")
        return rows

    def test_cells_are_what_read_gives(self):
        # Small batches and a tiny name cache: names are computed again across batches.
        self.patch(type(self.env["crm.action.statistics"]), "_export_batch_size", 2)
        self.patch(type(self.env["crm.action.statistics"]), "_export_name_cache_size", 1)
        self.assertEqual(self.action_a_positive.campaign_line_id, self.campaign_line)
        rows = self._check_sheet(self.user_manager, "Europe/Lisbon")
        by_id = {row[0]: row for row in rows}
        self.assertIn(self.late_action.id, by_id)
        self.assertEqual(by_id[self.late_action.id][1], datetime(2026, 3, 31, 23, 30), "start in Lisbon time")
        self.assertEqual(by_id[self.action_a_positive.id][1], datetime(2026, 3, 5, 10, 0), "Lisbon is on UTC in March")
        headers = [field._description_string(self.env) for field in self._columns()]
        row = by_id[self.action_a_planned.id]
        self.assertEqual(row[headers.index("Contact Persons")], self.contact.display_name)
        self.assertEqual(row[headers.index("Category")], "Statistics category")
        self.assertIn("bell", row[headers.index("Result Justification")])
        self.assertEqual(by_id[self.action_a_positive.id][headers.index("Actual Expenses")], 42.25)
        self.assertEqual(by_id[self.action_a_positive.id][headers.index("Planned Expense")], 80.0)

    def test_cells_as_sales_user_in_utc(self):
        rows = self._check_sheet(self.user_sales, "UTC")
        ids = {row[0] for row in rows}
        self.assertIn(self.late_action.id, ids)
        self.assertNotIn(self.action_b_negative.id, ids, "team Bravo's action is not Sally's to read")

    def test_actions_of_the_companies_worked_in(self):
        other_company = self.env["res.company"].create({"name": "Statistics Other Company"})
        foreign = self.env["crm.action"].create(
            {"name": "Foreign call", "company_id": other_company.id, "date_start": datetime(2026, 3, 12, 9, 0)}
        )
        self.user_manager.write({"company_ids": [(4, other_company.id)]})
        rows = self._check_sheet(self.user_manager, "UTC", allowed_company_ids=self.company.ids)
        self.assertNotIn(foreign.id, {row[0] for row in rows}, "only the companies the user works in")
        both = self.company.ids + other_company.ids
        rows = self._check_sheet(self.user_manager, "UTC", allowed_company_ids=both)
        self.assertIn(foreign.id, {row[0] for row in rows})

    def test_unusual_values_and_rows_rendered_by_the_database(self):
        """Texts xlsxwriter escapes or writes apart, a partner named with a control
        character, a deadline before March 1900, a text to escape in XML: each row as
        read() gives it. The ordinary rows are rendered by the database; only those
        with such values are read again value by value."""
        Action = self.env["crm.action"]
        bell_partner = self.env["res.partner"].create({"name": "Bell \x07 Partner"})
        unusual = {
            Action.create({"name": "Code _x0041_ kept", "date_start": datetime(2026, 3, 9, 8, 0)}),
            Action.create(
                {"name": "Bell partner", "partner_id": bell_partner.id, "date_start": datetime(2026, 3, 9, 10, 0)}
            ),
            Action.create(
                {"name": "Old deadline", "date_deadline": date(1900, 2, 1), "date_start": datetime(2026, 3, 9, 11, 0)}
            ),
        }
        ordinary = Action.create(
            {
                "name": ' R&D <tiles> "quoted" ',
                "place": "Zoë, 東京 🙂",
                "result_detail": "=1+1",
                "date_start": datetime(2026, 3, 9, 12, 30, 15),
            }
        )
        Statistics = type(self.env["crm.action.statistics"])
        read_again = []
        export_action_rows = Statistics._export_action_rows

        def spy(wizard, fields_, domain):
            for values in export_action_rows(wizard, fields_, domain):
                read_again.append(values[0])
                yield values

        self.patch(Statistics, "_export_action_rows", spy)
        rows = self._check_sheet(self.user_manager, "Europe/Lisbon")
        by_id = {row[0]: row for row in rows}
        headers = [field._description_string(self.env) for field in self._columns()]
        self.assertEqual(by_id[ordinary.id][headers.index("Summary")], ' R&D <tiles> "quoted" ')
        self.assertEqual(by_id[ordinary.id][headers.index("Place")], "Zoë, 東京 🙂")
        self.assertEqual(by_id[ordinary.id][headers.index("Start")], datetime(2026, 3, 9, 12, 30, 15))
        self.assertEqual(by_id[ordinary.id][headers.index("Result Justification")], "=1+1", "a text, no formula")
        self.assertNotIn(ordinary.id, read_again, "an ordinary row is rendered by the database")
        # The bell of the justification, the actual expenses (computed by the ORM) and
        # the unusual values above: those rows only.
        expected = {action.id for action in unusual} | {self.action_a_planned.id, self.action_a_positive.id}
        self.assertEqual(set(read_again), expected & set(by_id))

    def _columns(self):
        Action = self.env["crm.action"]
        return [Action._fields[fname] for fname, _width in self.env["crm.action.statistics"]._get_export_columns()]
