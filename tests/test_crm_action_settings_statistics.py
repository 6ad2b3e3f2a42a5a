from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common_statistics import CrmActionStatisticsCommon


@tagged("post_install", "-at_install")
class TestCrmActionSettingsStatistics(CrmActionStatisticsCommon):
    def _set_row_limit(self, limit):
        form = Form(self.env(user=self.env.ref("base.user_admin"))["res.config.settings"])
        form.crm_action_export_row_limit = limit
        form.save().execute()

    def test_export_follows_the_row_limit_of_the_settings(self):
        wizard = self.env["crm.action.statistics"].create(self.period)
        count = self.env["crm.action"].search_count(wizard._get_action_domain())
        self.assertGreater(count, 1)
        self._set_row_limit(count - 1)
        with self.assertRaisesRegex(UserError, f"more than the {count - 1} rows.*Settings > CRM"):
            wizard.action_download_xlsx()
        self._set_row_limit(count)
        self.assertTrue(wizard.action_download_xlsx(), "at the limit the export is written")

    def test_row_limit_edited_by_hand_to_nonsense_keeps_the_default(self):
        self.env["ir.config_parameter"].sudo().set_param("crm_action.export_row_limit", "-10")
        self.assertEqual(self.env["crm.action.statistics"]._get_export_row_limit(), 1000000)
