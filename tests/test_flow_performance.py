from unittest.mock import patch

from odoo.tests import tagged

from .flow_common import CrmActionFlowCommon

# Queries of one registration in the Register dialog, every rule active, on a company
# with a contact person and a campaign visit planning an expense (benchmark 4 of
# bench/bench.py registers on a company without contacts, for a visit planning no expense).
# The rules, the campaigns' actions and flows, the action types and results come from each
# worker's cache of them, without a query; the users are read without their record rules
REGISTER_QUERIES = 16
# The same with no contact person chosen: no contact link is inserted, and the empty
# relation is not read back (by the contacts' check, the completion or the dialog)
REGISTER_QUERIES_NO_CONTACT = 15
# The Done button on a planned action with its to-do, on an opportunity in the rule's stage
# already: the action read with its record rule, then one read each of its users, lead,
# companies, partners, the team's members (the record rule), its contacts (the Next Action
# dialog) and the contact's address for the chatter; the rules (partner lock, action, class
# count); the to-do found and archived; the tracking message and its value; the bus
# notification of the to-do (27 queries before the caches of issue 18)
DONE_BUTTON_QUERIES = 16


@tagged("post_install", "-at_install", "is_query_count")
class TestFlowPerformance(CrmActionFlowCommon):
    """Registering an action costs the same number of queries whatever the partner's history."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_partner.class_id = cls.class_suspect
        cls.occurrence = cls.env["crm.action.occurrence"].create(
            {"name": "Claim", "partner_id": cls.company_partner.id}
        )
        cls.env["crm.action.rule"].create(
            [
                {
                    "name": "Class",
                    "type_id": cls.type_visit.id,
                    "result_id": cls.result_positive.id,
                    "class_from_id": cls.class_suspect.id,
                    "class_to_id": cls.class_prospect.id,
                    "class_action_count": 1000,
                },
                {
                    "name": "Qualify",
                    "result_id": cls.result_positive.id,
                    "lead_class_id": cls.class_prospect.id,
                    "lead_convert": True,
                },
                {
                    "name": "Occurrence",
                    "result_id": cls.result_positive.id,
                    "occurrence_status_id": cls.env.ref("crm_action.crm_action_occurrence_status_analysis").id,
                },
            ]
        )
        cls.no_answer = cls.env.ref("crm_action.crm_action_result_no_answer")

    def setUp(self):
        super().setUp()
        self.registrations = 0

    def _add_history(self, count):
        self.env["crm.action"].create(
            [
                {
                    "name": f"Old call {i}",
                    "partner_id": self.company_partner.id,
                    "lead_id": self.opportunity.id,
                    "type_id": self.type_visit.id,
                    "result_id": self.no_answer.id,
                    "state": "done",
                    "user_id": self.user_sales.id,
                }
                for i in range(count)
            ]
        )

    def _queries(self, operation):
        """(queries, result) of ``operation()``, counted as assertQueryCount counts them:
        what was pending is flushed and sent first, its own writes and chatter included."""
        self.env.flush_all()
        self.env.cr.flush()
        # as assertQueryCount: no random clean-up of Odoo's bus messages while counting
        with patch("random.random", lambda: 1):
            count0 = self.cr.sql_log_count
            result = operation()
            self.env.flush_all()
            self.env.cr.flush()
        return self.cr.sql_log_count - count0, result

    def _assert_queries(self, expected, attempt):
        """``attempt()`` (a new registration or button press each time, returning its
        queries) costs at most ``expected`` queries.

        After other test files, a registration sometimes counts 4 or 5 more queries, which
        never happened when this file ran alone: Odoo reads its record rules on users again,
        having lost them from its cache since the warm-up. A second attempt is then counted;
        a change that costs queries shows in both."""
        counts = [attempt()]
        if counts[0] > expected:
            counts.append(attempt())
        self.assertLessEqual(min(counts), expected, f"queries of each attempt: {counts}")
        return min(counts)

    def _register(self, contact=True):
        """Queries of one registration in the Register dialog."""
        self.registrations += 1
        # as in the web client: tracking and followers on (the test classes turn them off)
        wizard = (
            self.env["crm.action.register.wizard"]
            .with_context(tracking_disable=False)
            .with_user(self.user_sales)
            .create(
                {
                    "partner_id": self.company_partner.id,
                    "lead_id": self.opportunity.id,
                    "occurrence_id": self.occurrence.id,
                    "campaign_id": self.campaign.id,
                    "type_id": self.type_visit.id,
                    "result_id": self.result_positive.id,
                }
            )
        )
        if not contact:
            wizard.contact_id = False
        self.env.flush_all()
        self.env.invalidate_all()
        return self._queries(wizard.action_register)[0]

    def test_register_cost_independent_of_history(self):
        self._add_history(2)
        # warm the caches: the first registration on the opportunity also sets its class and
        # status, which empties Odoo's caches (its access rules are read again next time)
        self._register()
        self._register()
        # The action is created done: no to-do is created and removed, no acknowledgement
        # is asked, no state change is tracked (benchmark 1 of issue 10 measures the time).
        # What is left, one query each: the dialog's values; one read per linked model (lead,
        # users, companies, partners, the team's members the record rule reads), done before
        # the save, where the computed fields are computed too; the INSERT, the contact and
        # recipient links; the saver subscribed as follower (2); the occurrence's access
        # check; the partner lock and the class count (the opportunity is in the rule's stage
        # already); the dialog's files and expenses.
        small = self._assert_queries(REGISTER_QUERIES, self._register)
        self._add_history(40)
        large = self._assert_queries(REGISTER_QUERIES, self._register)
        self.assertEqual(small, large, f"{small} queries with 3 done actions, {large} with 43")
        done = self.env["crm.action"].search_count(
            [("partner_id", "=", self.company_partner.id), ("state", "=", "done")]
        )
        self.assertEqual(done, 42 + self.registrations, "each registration is one done action, after 42 old ones")

    def test_register_without_contact(self):
        # warmed up on the path it measures: with a contact, then without one
        self._register()
        self._register(contact=False)
        self._assert_queries(REGISTER_QUERIES_NO_CONTACT, lambda: self._register(contact=False))
        action = self.env["crm.action"].search([("partner_id", "=", self.company_partner.id)], limit=1, order="id desc")
        self.assertFalse(action.contact_ids, "no contact person was chosen in the dialog")

    def _done_button(self):
        """Queries of the Done button on a new planned action with a result."""
        action = (
            self.env["crm.action"]
            .with_context(tracking_disable=False)
            .with_user(self.user_sales)
            .create(
                {
                    "name": "Visit",
                    "partner_id": self.company_partner.id,
                    "lead_id": self.opportunity.id,
                    "campaign_id": self.campaign.id,
                    "type_id": self.type_visit.id,
                    "result_id": self.result_positive.id,
                    "user_id": self.user_sales.id,
                }
            )
        )
        self.assertEqual(len(action.activity_ids), 1, "a planned action has its to-do")
        # the save's chatter and notifications are sent before the button is counted
        self.env.flush_all()
        self.env.cr.flush()
        self.env.invalidate_all()
        count, dialog = self._queries(action.action_done)
        self.assertEqual(action.state, "done")
        self.assertFalse(action.activity_ids, "marking the action done removes its to-do")
        self.assertEqual(dialog["res_model"], "crm.action.next.wizard", "the positive visit asks for the offer")
        return count

    def test_done_button(self):
        self._register()
        self._done_button()
        self._assert_queries(DONE_BUTTON_QUERIES, self._done_button)
