import base64
import io
from datetime import datetime

from openpyxl import load_workbook

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestStatisticsDownloadTour(HttpCase):
    """The statistics wizard, filled in the browser, downloads the workbook of the period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_sales = new_test_user(
            cls.env,
            login="crm_action_tour_stats",
            name="Stella Stats",
            groups="sales_team.group_sale_salesman",
            tz="UTC",
        )
        cls.user_sales.tour_enabled = False
        cls.team = cls.env["crm.team"].create(
            {"name": "Tour Statistics Team", "member_ids": [Command.set(cls.user_sales.ids)]}
        )
        cls.other_team = cls.env["crm.team"].create({"name": "Tour Other Team"})
        cls.partner = cls.env["res.partner"].create({"name": "Stats Tiles", "is_company": True})
        cls.type_call = cls.env.ref("crm_action.crm_action_type_call")
        cls.type_visit = cls.env.ref("crm_action.crm_action_type_visit")
        common = {"partner_id": cls.partner.id, "user_id": cls.user_sales.id, "team_id": cls.team.id}
        Action = cls.env["crm.action"]
        cls.call = Action.create(
            {
                **common,
                "name": "Stats tour call",
                "type_id": cls.type_call.id,
                "result_id": cls.env.ref("crm_action.crm_action_result_positive").id,
                "state": "done",
                "date_start": datetime(2026, 3, 5, 10, 0),
                "duration": 1.5,
            }
        )
        cls.visit = Action.create(
            {
                **common,
                "name": "Stats tour visit",
                "type_id": cls.type_visit.id,
                "date_start": datetime(2026, 3, 20, 14, 0),
                "duration": 2.0,
            }
        )
        # Seen by the salesperson, but left out by the team filter and by the period.
        Action.create(
            {
                **common,
                "name": "Stats tour other team",
                "team_id": cls.other_team.id,
                "type_id": cls.type_call.id,
                "date_start": datetime(2026, 3, 10, 9, 0),
            }
        )
        Action.create(
            {
                **common,
                "name": "Stats tour April",
                "type_id": cls.type_call.id,
                "date_start": datetime(2026, 4, 2, 8, 0),
            }
        )

    def test_statistics_wizard_downloads_the_workbook(self):
        self.start_tour("/odoo", "crm_action_statistics_download_tour", login=self.user_sales.login)
        wizard = self.env["crm.action.statistics"].search([("create_uid", "=", self.user_sales.id)])
        self.assertEqual(len(wizard), 1, "One wizard, saved by the Download button (Show reuses it)")
        self.assertEqual(
            (str(wizard.date_from), str(wizard.date_to), wizard.team_ids),
            ("2026-03-01", "2026-03-31", self.team),
        )
        # The file the browser asked for (the tour checked its URL, type and name).
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "crm.action.statistics"), ("res_id", "=", wizard.id)]
        )
        self.assertEqual(len(attachment), 1)
        self.assertEqual(attachment.name, "crm_actions_2026-03-01_2026-03-31.xlsx")
        workbook = load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        self.assertEqual(workbook.sheetnames, ["Actions", "Summary"])

        sheet = workbook["Actions"]
        col = {cell.value: index for index, cell in enumerate(sheet[1])}
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        self.assertEqual(
            [(row[col["ID"]], row[col["Summary"]], row[col["Action Type"]], row[col["State"]]) for row in rows],
            [
                (self.call.id, "Stats tour call", "Phone Call", "Done"),
                (self.visit.id, "Stats tour visit", "Visit", "Planned"),
            ],
            "The team's actions of March, by start date; not the other team's, nor April's",
        )
        self.assertEqual(rows[0][col["Sales Team"]], "Tour Statistics Team")
        self.assertEqual(rows[0][col["Start"]], datetime(2026, 3, 5, 10, 0))

        summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(max_row=5, values_only=True) if row[0]}
        self.assertEqual(summary["Actions"], 2)
        self.assertEqual(summary["Duration (hours)"], 3.5)
