from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common_statistics import CrmActionStatisticsCommon

PRESETS = {
    "crm_action.crm_action_report_action": (None, ["__count__", "done_count", "positive_rate", "duration_avg"]),
    "crm_action.crm_action_report_action_campaign": (
        ["campaign_id", "type_id"],
        ["__count__", "done_count", "positive_rate"],
    ),
    "crm_action.crm_action_report_action_employee": (
        ["user_id"],
        [
            "__count__",
            "done_count",
            "positive_count",
            "positive_rate",
            "duration_avg",
            "won_lead_id",
            "won_lead_action_count",
        ],
    ),
    "crm_action.crm_action_report_action_negotiation": (
        ["stage_id"],
        ["lead_id", "__count__", "done_count", "positive_rate"],
    ),
    # conversion by partner group: won / (won + lost) opportunities
    "crm_action.crm_action_report_action_partner_tag": (
        ["partner_category_ids"],
        ["conversion_rate", "won_lead_id", "lost_lead_id", "lead_id", "__count__"],
    ),
    "crm_action.crm_action_report_action_country": (
        ["country_id"],
        ["conversion_rate", "won_lead_id", "lost_lead_id", "lead_id", "__count__"],
    ),
    "crm_action.crm_action_report_action_partner_class": (
        ["partner_class_id"],
        ["conversion_rate", "won_lead_id", "lost_lead_id", "lead_id", "__count__"],
    ),
}


@tagged("post_install", "-at_install")
class TestCrmActionReport(CrmActionStatisticsCommon):
    def setUp(self):
        super().setUp()
        self.env.flush_all()
        self.Report = self.env["crm.action.report"]
        self.domain = [("action_id", "in", self.march_actions.ids)]

    def test_one_row_per_action_with_its_dimensions(self):
        rows = self.Report.search(self.domain)
        self.assertEqual(rows.action_id, self.march_actions)
        row = rows.filtered(lambda r: r.action_id == self.action_a_positive)
        self.assertEqual(row.user_id, self.user_sales)
        self.assertEqual(row.campaign_id, self.campaign)
        self.assertEqual(row.stage_id, self.won_stage)
        self.assertEqual(row.won_lead_id, self.lead_won)
        self.assertEqual(row.country_id, self.country_pt)
        self.assertEqual(row.partner_category_ids, self.tag_vip)
        self.assertEqual((row.done_count, row.positive_count, row.positive_rate), (1, 1, 100.0))
        planned = rows.filtered(lambda r: r.action_id == self.action_a_planned)
        self.assertEqual((planned.done_count, planned.positive_count, planned.positive_rate), (0, 0, 0.0))

    def test_measures_per_employee(self):
        groups = self.Report._read_group(
            self.domain,
            ["user_id"],
            [
                "__count",
                "done_count:sum",
                "positive_count:sum",
                "positive_rate:avg",
                "duration:sum",
                "duration_avg:avg",
                "won_lead_id:count_distinct",
                "won_lead_action_count:avg",
            ],
        )
        by_user = {user: values for user, *values in groups}
        # Sally: one done positive and one planned action, both on the won opportunity.
        self.assertEqual(by_user[self.user_sales], [2, 1, 1, 100.0, 2.0, 1.0, 1, 2.0])
        # Bruno: one done negative action, no opportunity.
        self.assertEqual(by_user[self.user_sales_b], [1, 1, 0, 0.0, 2.0, 2.0, 0, False])

    def test_conversion_by_partner_tag_and_country(self):
        by_tag = dict(self.Report._read_group(self.domain, ["partner_category_ids"], ["__count"]))
        # The contact's action counts for its company's tag.
        self.assertEqual(by_tag[self.tag_vip], 2)
        by_country = dict(self.Report._read_group(self.domain, ["country_id"], ["positive_rate:avg"]))
        self.assertEqual(by_country[self.country_pt], 100.0)

    def test_negotiation_progress_counts_opportunities_per_stage(self):
        groups = self.Report._read_group(self.domain, ["stage_id"], ["lead_id:count_distinct", "__count"])
        self.assertIn((self.won_stage, 1, 2), groups)

    def test_record_rules_mirror_the_actions(self):
        seen_by_sales = self.Report.with_user(self.user_sales).search(self.domain)
        self.assertEqual(seen_by_sales.action_id, self.action_a_positive | self.action_a_planned)
        seen_by_b = self.Report.with_user(self.user_sales_b).search(self.domain)
        self.assertEqual(seen_by_b.action_id, self.action_b_negative)
        seen_by_manager = self.Report.with_user(self.user_manager).search(self.domain)
        self.assertEqual(seen_by_manager.action_id, self.march_actions)
        # Aggregates too: Sally's pivot does not count Bruno's action.
        total = self.Report.with_user(self.user_sales)._read_group(self.domain, [], ["__count"])[0][0]
        self.assertEqual(total, 2)
        # What a user sees in the analysis is what they may read in the actions.
        for user in (self.user_sales, self.user_sales_b, self.user_manager):
            self.assertEqual(
                self.Report.with_user(user).search([]).action_id,
                self.env["crm.action"].with_user(user).search([]),
            )
        rules = self.env["ir.rule"].search([("model_id.model", "=", "crm.action.report")])
        self.assertEqual(len(rules), 3)

    def test_presets_open_with_their_measures(self):
        for xmlid, (row_groupby, measures) in PRESETS.items():
            with self.subTest(preset=xmlid):
                action = self.env["ir.actions.act_window"].with_user(self.user_sales)._for_xml_id(xmlid)
                self.assertEqual(action["res_model"], "crm.action.report")
                modes = action["view_mode"].split(",")
                self.assertIn("pivot", modes)
                self.assertIn("graph", modes)
                context = safe_eval(action["context"], {"uid": self.user_sales.id})
                self.assertEqual(context["pivot_measures"], measures)
                if row_groupby:
                    self.assertEqual(context["pivot_row_groupby"], row_groupby)
                views = self.Report.with_user(self.user_sales).get_views(
                    [(False, "pivot"), (False, "graph"), (False, "search")]
                )
                fields_info = views["models"]["crm.action.report"]["fields"]
                # Every measure exists with an aggregate the pivot can use.
                aggregates = []
                for measure in measures:
                    if measure == "__count__":
                        aggregates.append("__count")
                        continue
                    field = fields_info[measure]
                    aggregator = "count_distinct" if field["type"] == "many2one" else field["aggregator"]
                    self.assertTrue(aggregator)
                    aggregates.append(f"{measure}:{aggregator}")
                # And the preset's grouping runs as the user.
                domain = safe_eval(action["domain"] or "[]", {"uid": self.user_sales.id})
                groups = self.Report.with_user(self.user_sales)._read_group(
                    domain + self.domain, (row_groupby or ["user_id"])[:1], aggregates
                )
                self.assertTrue(groups)
                menu = self.env["ir.ui.menu"].search([("action", "=", f"ir.actions.act_window,{action['id']}")])
                self.assertEqual(menu.parent_id, self.env.ref("crm_action.crm_action_menu_reporting"))
