from datetime import date, datetime

from odoo.tests import new_test_user

from .common import CrmActionCommon


class CrmActionStatisticsCommon(CrmActionCommon):
    """Two sales teams and actions in March 2026 (and one in April) for the
    statistics and analyses tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tz="UTC"))
        cls.user_sales.tz = "UTC"
        cls.user_sales_b = new_test_user(
            cls.env,
            login="crm_action_sales_b",
            name="Bruno Bravo",
            groups="sales_team.group_sale_salesman",
            tz="UTC",
        )
        cls.team_a = cls.env["crm.team"].create({"name": "Team Alpha", "member_ids": [(4, cls.user_sales.id)]})
        cls.team_b = cls.env["crm.team"].create({"name": "Team Bravo", "member_ids": [(4, cls.user_sales_b.id)]})
        cls.campaign = cls.env["utm.campaign"].create({"name": "Spring Tiles"})
        cls.tag_vip = cls.env["res.partner.category"].create({"name": "VIP Statistics"})
        cls.country_pt = cls.env.ref("base.pt")
        cls.company_partner.write({"category_id": [(4, cls.tag_vip.id)], "country_id": cls.country_pt.id})
        cls.won_stage = cls.env["crm.stage"].create({"name": "Won (statistics)", "is_won": True, "sequence": 99})
        cls.lead_won = cls.env["crm.lead"].create(
            {
                "name": "Tiles for the new HQ",
                "type": "opportunity",
                "partner_id": cls.company_partner.id,
                "stage_id": cls.won_stage.id,
                "team_id": cls.team_a.id,
                "user_id": cls.user_sales.id,
            }
        )
        cls.period = {"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31)}
        Action = cls.env["crm.action"]
        common = {"requester_id": cls.env.ref("base.user_admin").id}
        cls.action_a_positive = Action.create(
            {
                **common,
                "name": "Call Azure about tiles",
                "partner_id": cls.company_partner.id,
                "user_id": cls.user_sales.id,
                "team_id": cls.team_a.id,
                "type_id": cls.type_call.id,
                "campaign_id": cls.campaign.id,
                "lead_id": cls.lead_won.id,
                "result_id": cls.result_positive.id,
                "state": "done",
                "date_start": datetime(2026, 3, 5, 10, 0),
                "duration": 1.5,
            }
        )
        cls.action_a_planned = Action.create(
            {
                **common,
                "name": "Visit Azure showroom",
                "partner_id": cls.contact.id,
                "user_id": cls.user_sales.id,
                "team_id": cls.team_a.id,
                "type_id": cls.type_visit.id,
                "lead_id": cls.lead_won.id,
                "date_start": datetime(2026, 3, 20, 14, 0),
                "duration": 0.5,
            }
        )
        cls.action_b_negative = Action.create(
            {
                **common,
                "name": "=Visit Bricks (formula-like text)",
                "partner_id": cls.other_partner.id,
                "user_id": cls.user_sales_b.id,
                "team_id": cls.team_b.id,
                "type_id": cls.type_visit.id,
                "campaign_id": cls.campaign.id,
                "result_id": cls.result_negative.id,
                "state": "done",
                "date_start": datetime(2026, 3, 10, 9, 0),
                "duration": 2.0,
            }
        )
        cls.action_april = Action.create(
            {
                **common,
                "name": "Call Azure again",
                "partner_id": cls.company_partner.id,
                "user_id": cls.user_sales.id,
                "team_id": cls.team_a.id,
                "type_id": cls.type_call.id,
                "date_start": datetime(2026, 4, 2, 8, 0),
                "duration": 0.25,
            }
        )
        cls.march_actions = cls.action_a_positive | cls.action_a_planned | cls.action_b_negative
