from odoo.tests import HttpCase, tagged

from .common_statistics import CrmActionStatisticsCommon

# The presets with the riskiest client-side parts: many2one measures (count
# distinct), averages and a many2many grouping. test_crm_action_report checks all
# presets server-side; each page load here costs seconds.
BROWSER_PRESETS = [
    "crm_action.crm_action_report_action_employee",
    "crm_action.crm_action_report_action_partner_tag",
]

# Waits until the wizard's "Show" has replaced the dialog by the list of actions.
CLICK_SHOW = """
    document.querySelector(".modal button[name='action_show']").click();
    const waitForList = () => {
        if (document.querySelector(".o_list_view .o_data_row") && !document.querySelector(".modal")) {
            console.log("test successful");
        } else {
            setTimeout(waitForList, 100);
        }
    };
    waitForList();
"""


@tagged("post_install", "-at_install")
class TestCrmActionReportingUi(CrmActionStatisticsCommon, HttpCase):
    def test_presets_render_in_the_browser(self):
        for xmlid in BROWSER_PRESETS:
            with self.subTest(preset=xmlid):
                self.browser_js(
                    f"/odoo/action-{xmlid}",
                    "console.log('test successful')",
                    ready="!!document.querySelector('.o_pivot table .o_pivot_cell_value')",
                    login=self.user_sales.login,
                )

    def test_statistics_wizard_shows_the_actions(self):
        # The wizard opens on this month; the test actions are in March 2026.
        self.env["crm.action"].create({"name": "Call this month", "user_id": self.user_sales.id})
        self.browser_js(
            "/odoo/action-crm_action.crm_action_statistics_action",
            CLICK_SHOW,
            ready="!!document.querySelector(\".modal button[name='action_show']\")",
            login=self.user_sales.login,
        )
