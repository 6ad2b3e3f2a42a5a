from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .flow_common import CrmActionFlowCommon


@tagged("post_install", "-at_install")
class TestActionRules(CrmActionFlowCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_partner.class_id = cls.class_suspect
        cls.rule_class = cls.env["crm.action.rule"].create(
            {
                "name": "Three positive visits make a prospect",
                "type_id": cls.type_visit.id,
                "result_id": cls.result_positive.id,
                "class_from_id": cls.class_suspect.id,
                "class_to_id": cls.class_prospect.id,
                "class_action_count": 3,
            }
        )

    def _done_visit(self, result=None, **values):
        visit = self._planned_visit(result_id=(result or self.result_positive).id, lead_id=False, **values)
        visit.action_done()
        return visit

    def _class_messages(self, partner):
        return partner.message_ids.filtered(lambda m: "Class changed" in (m.body or ""))

    # ------------------------------------------------------------ C1
    def test_class_transition_at_the_nth_action_once(self):
        self._done_visit()
        self._done_visit(result=self.result_neutral)  # another result does not count
        self._done_visit()
        self.assertEqual(self.company_partner.class_id, self.class_suspect)
        self._done_visit()
        self.assertEqual(self.company_partner.class_id, self.class_prospect)
        message = self._class_messages(self.company_partner)
        self.assertEqual(len(message), 1)
        self.assertIn("Suspect", message.body)
        self.assertIn("Prospect", message.body)
        # A fourth matching action does not move the partner again.
        self._done_visit()
        self.assertEqual(self.company_partner.class_id, self.class_prospect)
        self.assertEqual(len(self._class_messages(self.company_partner)), 1)

    def test_class_move_is_one_note_with_reason_and_tracked_change(self):
        # tracking on, as outside tests, and the records of the set-up saved in an earlier
        # request (tracking skips the records created in the current transaction)
        self.env = self.env(context=dict(self.env.context, tracking_disable=False))
        self.env.flush_all()
        self.env.cr.precommit.run()
        for _visit in range(3):
            self._done_visit()
        # and what it logs when the transaction ends
        self.env.flush_all()
        self.env.cr.precommit.run()
        moves = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", self.company_partner.id),
                ("tracking_value_ids.field_id.name", "=", "class_id"),
            ]
        )
        self.assertEqual(len(moves), 1, "the chatter shows the move once")
        self.assertIn("by rule 'Three positive visits make a prospect' after 3 done actions", moves.body)
        tracking = moves.tracking_value_ids
        self.assertEqual((tracking.old_value_char, tracking.new_value_char), ("Suspect", "Prospect"))
        self.assertEqual(moves.subtype_id, self.env.ref("mail.mt_note"))

    def test_class_transition_once_when_two_actions_saved_in_one_batch(self):
        # Prospect -> Customer after one positive visit: a batch that moves the partner
        # to Prospect must not cascade to Customer in the same save.
        self.env["crm.action.rule"].create(
            {
                "name": "Prospect visited: customer",
                "type_id": self.type_visit.id,
                "result_id": self.result_positive.id,
                "class_from_id": self.class_prospect.id,
                "class_to_id": self.class_customer.id,
                "class_action_count": 1,
            }
        )
        self._done_visit()
        visits = self._planned_visit(lead_id=False, result_id=self.result_positive.id) | self._planned_visit(
            lead_id=False, result_id=self.result_positive.id
        )
        visits.action_done()
        self.assertEqual(self.company_partner.class_id, self.class_prospect)
        self.assertEqual(len(self._class_messages(self.company_partner)), 1)
        self.assertEqual(visits.mapped("partner_class_id"), self.class_suspect)
        # The next positive visit, done while a prospect, makes a customer.
        self._done_visit()
        self.assertEqual(self.company_partner.class_id, self.class_customer)
        self.assertEqual(len(self._class_messages(self.company_partner)), 2)

    def test_class_counts_actions_on_contacts_of_the_company(self):
        for _i in range(3):
            self._done_visit(partner_id=self.contact.id)
        self.assertEqual(self.company_partner.class_id, self.class_prospect)

    def test_class_transition_to_same_class_refused(self):
        with self.assertRaises(ValidationError) as cm:
            self.rule_class.class_to_id = self.class_suspect
        self.assertIn("choose another target class", str(cm.exception))

    # ------------------------------------------------------------ C2
    def test_lead_qualification_sets_class_and_converts(self):
        self.env["crm.action.rule"].create(
            {
                "name": "Qualify on a positive call",
                "campaign_id": self.campaign.id,
                "type_id": self.type_call.id,
                "result_id": self.result_positive.id,
                "lead_class_id": self.class_prospect.id,
                "lead_convert": True,
            }
        )
        lead = self.env["crm.lead"].create(
            {
                "name": "Tiles enquiry",
                "type": "lead",
                "partner_id": self.company_partner.id,
                "team_id": self.team.id,
                "user_id": self.user_sales.id,
            }
        )
        with Form(self.env["crm.action"].with_user(self.user_sales)) as action_form:
            action_form.lead_id = lead
            self.assertEqual(action_form.partner_id, self.company_partner)
            action_form.campaign_id = self.campaign
            action_form.type_id = self.type_call
            action_form.result_id = self.result_positive
        action_form.record.action_done()
        self.assertEqual(lead.class_id, self.class_prospect)
        self.assertEqual(lead.type, "opportunity")

    # ------------------------------------------------------------ C4
    def test_lead_converted_and_moved_to_the_rule_stage_in_one_save(self):
        self.env["crm.action.rule"].create(
            {
                "name": "Qualify on a positive visit",
                "type_id": self.type_visit.id,
                "result_id": self.result_positive.id,
                "lead_class_id": self.class_prospect.id,
                "lead_convert": True,
            }
        )
        lead = self.env["crm.lead"].create(
            {
                "name": "Showroom enquiry",
                "type": "lead",
                "partner_id": self.company_partner.id,
                "team_id": self.team.id,
                "user_id": self.user_sales.id,
                "stage_id": self.stage_new.id,
            }
        )
        self._planned_visit(lead_id=lead.id, result_id=self.result_positive.id).action_done()
        self.assertEqual(lead.class_id, self.class_prospect)
        self.assertEqual(lead.type, "opportunity")
        self.assertTrue(lead.date_conversion)
        self.assertEqual(lead.stage_id, self.stage_proposal, "The converted lead moves to the rule's stage.")

    def test_rules_changed_after_a_save_apply_at_the_next(self):
        # the first save reads the rules into the worker's cache; each change below is seen
        self._planned_visit(result_id=self.result_positive.id).action_done()
        self.assertEqual(self.opportunity.stage_id, self.stage_proposal)
        stage_won = self.env["crm.stage"].create({"name": "Negotiation", "sequence": 3})
        self.rule_proposal.stage_id = stage_won
        self._planned_visit(result_id=self.result_positive.id).action_done()
        self.assertEqual(self.opportunity.stage_id, stage_won, "The changed rule moves the opportunity.")
        self.rule_proposal.active = False
        self.opportunity.stage_id = self.stage_new
        self._planned_visit(result_id=self.result_positive.id).action_done()
        self.assertEqual(self.opportunity.stage_id, self.stage_new, "An archived rule moves nothing.")
        self.env["crm.action.rule"].create(
            {
                "name": "Positive visit: negotiation",
                "type_id": self.type_visit.id,
                "result_id": self.result_positive.id,
                "stage_id": stage_won.id,
            }
        )
        self._planned_visit(result_id=self.result_positive.id).action_done()
        self.assertEqual(self.opportunity.stage_id, stage_won, "A new rule applies at once.")
        self.env["crm.action.rule"].search([("stage_id", "=", stage_won.id)]).unlink()
        self.opportunity.stage_id = self.stage_new
        self._planned_visit(result_id=self.result_positive.id).action_done()
        self.assertEqual(self.opportunity.stage_id, self.stage_new, "A deleted rule moves nothing.")

    def test_archived_rule_stays_out_whatever_the_context_of_the_save(self):
        # the worker's cache of the rules is filled by this save, made with archived
        # records visible: the next save, in a plain context, still ignores the rule
        self.rule_proposal.active = False
        self._planned_visit(result_id=self.result_positive.id).with_context(active_test=False).action_done()
        self._planned_visit(result_id=self.result_positive.id).action_done()
        self.assertEqual(self.opportunity.stage_id, self.stage_new, "An archived rule moves nothing.")

    def test_stage_of_another_team_refused_at_configuration(self):
        team_stage = self.env["crm.stage"].create({"name": "Bricks Proposal", "team_id": self.other_team.id})
        with self.assertRaises(ValidationError) as cm:
            self.rule_proposal.stage_id = team_stage
        self.assertIn("belongs to sales team", str(cm.exception))
        # Scoped to that team, the rule is accepted.
        self.rule_proposal.write({"team_id": self.other_team.id, "stage_id": team_stage.id})

    def test_failing_rule_rolls_back_the_whole_save(self):
        # The stage was shared when the rule was made; it later became another team's.
        self.company_partner.class_id = self.class_suspect
        self.rule_class.class_action_count = 1
        self.stage_proposal.team_id = self.other_team
        visit = self._planned_visit(result_id=self.result_positive.id)
        with self.assertRaises(UserError) as cm:
            visit.action_done()
        self.assertIn("was not saved", str(cm.exception))
        self.assertEqual(visit.state, "planned")
        self.assertEqual(self.company_partner.class_id, self.class_suspect, "C1 was rolled back too.")
        self.assertEqual(self.opportunity.stage_id, self.stage_new)

    def test_opportunity_already_in_the_stage_stays_there(self):
        # Nothing moves, so nothing is refused: the stage became another team's after the
        # opportunity reached it.
        self.opportunity.stage_id = self.stage_proposal
        self.stage_proposal.team_id = self.other_team
        visit = self._planned_visit(result_id=self.result_positive.id)
        visit.action_done()
        self.assertEqual(visit.state, "done")
        self.assertEqual(self.opportunity.stage_id, self.stage_proposal)

    def test_contradicting_rules_refused(self):
        other_stage = self.env["crm.stage"].create({"name": "Negotiation"})
        with self.assertRaises(ValidationError) as cm:
            self.env["crm.action.rule"].create(
                {
                    "name": "Positive visit: negotiation",
                    "campaign_id": self.campaign.id,
                    "type_id": self.type_visit.id,
                    "result_id": self.result_positive.id,
                    "stage_id": other_stage.id,
                }
            )
        self.assertIn("contradict", str(cm.exception))
        with self.assertRaises(ValidationError):
            self.env["crm.action.rule"].create(
                {
                    "name": "Three positive visits make a customer",
                    "type_id": self.type_visit.id,
                    "result_id": self.result_positive.id,
                    "class_from_id": self.class_suspect.id,
                    "class_to_id": self.class_customer.id,
                }
            )

    def test_most_specific_rule_wins(self):
        negotiation = self.env["crm.stage"].create({"name": "Negotiation"})
        # A generic rule (any positive action) with a lower sequence...
        self.env["crm.action.rule"].create(
            {
                "name": "Any positive: negotiation",
                "sequence": 1,
                "result_id": self.result_positive.id,
                "stage_id": negotiation.id,
            }
        )
        # ... loses against the campaign's visit rule, which names more keys.
        visit = self._planned_visit(result_id=self.result_positive.id)
        visit.action_done()
        self.assertEqual(self.opportunity.stage_id, self.stage_proposal)
        # Where only the generic rule matches, it applies.
        call = self._planned_visit(type_id=self.type_call.id, result_id=self.result_positive.id)
        call.action_done()
        self.assertEqual(self.opportunity.stage_id, negotiation)

    def test_rule_without_effect_refused(self):
        with self.assertRaises(ValidationError):
            self.env["crm.action.rule"].create({"name": "Nothing", "result_id": self.result_positive.id})

    # ------------------------------------------------------------ C5
    def test_occurrence_moves_to_the_rule_status(self):
        self.env["crm.action.rule"].create(
            {
                "name": "Visited claim: analysis",
                "type_id": self.type_visit.id,
                "result_id": self.result_positive.id,
                "occurrence_status_id": self.status_analysis.id,
            }
        )
        occurrence = (
            self.env["crm.action.occurrence"]
            .with_user(self.user_sales)
            .create({"name": "Cracked tiles", "kind": "claim", "partner_id": self.company_partner.id})
        )
        self.assertEqual(occurrence.status_id, self.status_new)
        visit = self._planned_visit(lead_id=False, occurrence_id=occurrence.id)
        visit.result_id = self.result_neutral
        visit.action_done()
        self.assertEqual(occurrence.status_id, self.status_new, "Another result leaves the occurrence alone.")
        visit2 = self._planned_visit(lead_id=False, occurrence_id=occurrence.id, result_id=self.result_positive.id)
        visit2.action_done()
        self.assertEqual(occurrence.status_id, self.status_analysis)
        self.assertEqual(occurrence.action_count, 3, "Two visits and the automatic call of the neutral result.")
