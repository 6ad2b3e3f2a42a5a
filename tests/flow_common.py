from odoo import Command

from .common import CrmActionCommon


class CrmActionFlowCommon(CrmActionCommon):
    """The seed's example: a campaign whose visit, when positive, asks for an offer and
    moves the opportunity to "Proposal"; when negative, closes the flow as lost."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.type_offer = cls.env.ref("crm_action.crm_action_type_offer")
        cls.result_neutral = cls.env.ref("crm_action.crm_action_result_neutral")
        cls.medium_direct = cls.env.ref("utm.utm_medium_direct")
        cls.medium_phone = cls.env.ref("utm.utm_medium_phone")
        cls.class_suspect = cls.env.ref("crm_action.res_partner_class_suspect")
        cls.class_prospect = cls.env.ref("crm_action.res_partner_class_prospect")
        cls.class_customer = cls.env.ref("crm_action.res_partner_class_customer")
        cls.status_new = cls.env.ref("crm_action.crm_action_occurrence_status_new")
        cls.status_analysis = cls.env.ref("crm_action.crm_action_occurrence_status_analysis")
        cls.lost_reason = cls.env["crm.lost.reason"].create({"name": "Bought elsewhere"})
        cls.team = cls.env["crm.team"].create({"name": "Tiles Team"})
        cls.other_team = cls.env["crm.team"].create({"name": "Bricks Team"})
        cls.stage_new = cls.env["crm.stage"].create({"name": "Visit Planned", "sequence": 1})
        cls.stage_proposal = cls.env["crm.stage"].create({"name": "Proposal", "sequence": 2})

        cls.campaign = cls.env["utm.campaign"].create({"title": "Azure Tiles Launch"})
        cls.line_visit, cls.line_offer, cls.line_call = cls.env["crm.action.campaign.line"].create(
            [
                {
                    "campaign_id": cls.campaign.id,
                    "sequence": 1,
                    "type_id": cls.type_visit.id,
                    "default_result_id": cls.result_positive.id,
                    "default_medium_id": cls.medium_direct.id,
                    "objective": "Present the new catalogue",
                    "expense_planned": 100.0,
                    "result_flow_ids": [
                        Command.create(
                            {
                                "result_id": cls.result_positive.id,
                                "mode": "ask",
                                "next_type_id": cls.type_offer.id,
                                "delay_days": 2,
                            }
                        ),
                        Command.create({"result_id": cls.result_negative.id, "mode": "negative"}),
                        Command.create(
                            {
                                "result_id": cls.result_neutral.id,
                                "mode": "automatic",
                                "next_type_id": cls.type_call.id,
                                "delay_days": 3,
                            }
                        ),
                    ],
                },
                {
                    "campaign_id": cls.campaign.id,
                    "sequence": 2,
                    "type_id": cls.type_offer.id,
                    "objective": "Send a priced offer",
                },
                {
                    "campaign_id": cls.campaign.id,
                    "sequence": 3,
                    "type_id": cls.type_call.id,
                    "default_medium_id": cls.medium_phone.id,
                },
            ]
        )
        cls.rule_proposal = cls.env["crm.action.rule"].create(
            {
                "name": "Positive visit: proposal",
                "campaign_id": cls.campaign.id,
                "type_id": cls.type_visit.id,
                "result_id": cls.result_positive.id,
                "stage_id": cls.stage_proposal.id,
            }
        )
        cls.team.member_ids = [Command.link(cls.user_sales.id)]
        cls.opportunity = cls.env["crm.lead"].create(
            {
                "name": "Azure Tiles: showroom floor",
                "type": "opportunity",
                "partner_id": cls.company_partner.id,
                "team_id": cls.team.id,
                "user_id": cls.user_sales.id,
                "stage_id": cls.stage_new.id,
                "campaign_id": cls.campaign.id,
            }
        )

    def _planned_visit(self, user=None, **values):
        vals = {
            "name": "Visit Azure Tiles",
            "partner_id": self.company_partner.id,
            "lead_id": self.opportunity.id,
            "campaign_id": self.campaign.id,
            "type_id": self.type_visit.id,
            "user_id": (user or self.user_sales).id,
        }
        vals.update(values)
        return self.env["crm.action"].with_user(user or self.user_sales).create(vals)
