from datetime import datetime

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.service.model import _as_validation_error
from odoo.tests import tagged
from odoo.tools import mute_logger

from .flow_common import CrmActionFlowCommon

# Models whose record counts must not change when an input is refused.
COUNTED_MODELS = (
    "crm.action",
    "crm.action.expense",
    "crm.action.campaign.line",
    "crm.action.campaign.result",
    "crm.action.rule",
    "crm.action.occurrence",
    "res.partner.class",
    "crm.action.sequence",
    "crm.action.sequence.line",
)


@tagged("post_install", "-at_install")
class TestBadInput(CrmActionFlowCommon):
    """Wrong values fed to every model and wizard of the module: each is refused with a
    message that tells the user what to fix, and nothing is written.

    A database constraint (NOT NULL, CHECK) raises IntegrityError in the ORM; in a request
    Odoo turns it into the ValidationError the user sees (odoo.service.model), and the
    test checks that message."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Bad Input Other Company"})
        cls.lead_b = cls.env["crm.lead"].create(
            {"name": "Lead of the other company", "company_id": cls.company_b.id, "type": "opportunity"}
        )
        cls.planned_call = cls.env["crm.action"].create(
            {"name": "Planned call", "partner_id": cls.company_partner.id, "type_id": cls.type_call.id}
        )
        cls.done_visit = cls.env["crm.action"].create(
            {
                "name": "Done visit",
                "partner_id": cls.company_partner.id,
                "type_id": cls.type_visit.id,
                "result_id": cls.result_neutral.id,
                "user_id": cls.user_sales.id,
            }
        )
        cls.done_visit.action_done()
        cls.no_campaign = cls.env["utm.campaign"].create({"title": "Bad input campaign"})
        cls.empty_line = cls.env["crm.action.campaign.line"].create(
            {"campaign_id": cls.no_campaign.id, "type_id": cls.type_call.id}
        )

    def _cases(self):
        """(label, operation, exception, words the message must contain)."""
        Action = self.env["crm.action"]
        start = datetime(2026, 3, 2, 10, 0)
        action = {"name": "Bad", "partner_id": self.company_partner.id}
        register = self.env["crm.action.register.wizard"].with_user(self.user_sales)
        return [
            (
                "action: negative duration",
                lambda: Action.create(dict(action, duration=-2)),
                ValidationError,
                "negative",
            ),
            (
                "action: end before start",
                lambda: Action.create(dict(action, date_start=start, date_end=datetime(2026, 3, 1, 10, 0))),
                ValidationError,
                "ends before it starts",
            ),
            (
                "action: contact of another partner",
                lambda: Action.create(dict(action, contact_ids=[Command.set(self.other_contact.ids)])),
                ValidationError,
                "not a contact of",
            ),
            (
                "action: contacts without a partner",
                lambda: Action.create({"name": "Bad", "contact_ids": [Command.set(self.contact.ids)]}),
                ValidationError,
                "Choose a partner",
            ),
            (
                "action: empty summary",
                lambda: Action.create({"name": False, "partner_id": self.company_partner.id}),
                IntegrityError,
                "mandatory field is not set",
            ),
            (
                "action: opportunity of another company",
                lambda: Action.create(dict(action, lead_id=self.lead_b.id)),
                UserError,
                self.lead_b.name,
            ),
            (
                "action: negative duration on a saved action",
                lambda: self.planned_call.write({"duration": -1}),
                ValidationError,
                "negative",
            ),
            (
                "action: marked done without a result",
                lambda: self.planned_call.action_done(),
                UserError,
                "Set a result",
            ),
            (
                "action: done action edited by a salesperson",
                lambda: self.done_visit.with_user(self.user_sales).write({"result_detail": "Rewritten"}),
                UserError,
                "locked",
            ),
            (
                "expense: negative amount",
                lambda: self.env["crm.action.expense"].create(
                    {"action_id": self.done_visit.id, "name": "Refund?", "amount": -10}
                ),
                IntegrityError,
                "cannot be negative",
            ),
            (
                "expense: empty description",
                lambda: self.env["crm.action.expense"].create({"action_id": self.done_visit.id, "amount": 10}),
                IntegrityError,
                "mandatory field is not set",
            ),
            (
                "campaign action: negative planned expense",
                lambda: self.env["crm.action.campaign.line"].create(
                    {"campaign_id": self.no_campaign.id, "type_id": self.type_visit.id, "expense_planned": -1}
                ),
                IntegrityError,
                "cannot be negative",
            ),
            (
                "campaign action: same action type twice",
                lambda: self.env["crm.action.campaign.line"].create(
                    {"campaign_id": self.no_campaign.id, "type_id": self.type_call.id}
                ),
                IntegrityError,
                "",
            ),
            (
                "campaign result: negative delay",
                lambda: self.env["crm.action.campaign.result"].create(
                    {
                        "line_id": self.empty_line.id,
                        "result_id": self.result_positive.id,
                        "mode": "ask",
                        "delay_days": -3,
                    }
                ),
                IntegrityError,
                "cannot be negative",
            ),
            (
                "campaign result: automatic without next action",
                lambda: self.env["crm.action.campaign.result"].create(
                    {"line_id": self.empty_line.id, "result_id": self.result_positive.id, "mode": "automatic"}
                ),
                ValidationError,
                "choose its type",
            ),
            (
                "rule: no effect",
                lambda: self.env["crm.action.rule"].create({"name": "Idle", "type_id": self.type_call.id}),
                ValidationError,
                "does nothing",
            ),
            (
                "rule: zero actions before a transition",
                lambda: self.env["crm.action.rule"].create(
                    {
                        "name": "Zero",
                        "class_from_id": self.class_suspect.id,
                        "class_to_id": self.class_prospect.id,
                        "class_action_count": 0,
                    }
                ),
                IntegrityError,
                "at least one action",
            ),
            (
                "rule: transition to the same class",
                lambda: self.env["crm.action.rule"].create(
                    {"name": "Loop", "class_from_id": self.class_suspect.id, "class_to_id": self.class_suspect.id}
                ),
                ValidationError,
                "choose another target class",
            ),
            (
                "rule: stage of another team without that team",
                lambda: self.env["crm.action.rule"].create(
                    {
                        "name": "Team stage",
                        "stage_id": self.env["crm.stage"].create({"name": "B only", "team_id": self.other_team.id}).id,
                    }
                ),
                ValidationError,
                "belongs to sales team",
            ),
            (
                "partner class: duplicate name",
                lambda: self.env["res.partner.class"].create({"name": self.class_suspect.name}),
                IntegrityError,
                "already exists",
            ),
            (
                "occurrence: empty subject",
                lambda: self.env["crm.action.occurrence"].create({"partner_id": self.company_partner.id}),
                IntegrityError,
                "mandatory field is not set",
            ),
            (
                "register wizard: negative result without a loss reason",
                lambda: register.create(
                    {
                        "partner_id": self.company_partner.id,
                        "lead_id": self.opportunity.id,
                        "campaign_id": self.campaign.id,
                        "type_id": self.type_visit.id,
                        "result_id": self.result_negative.id,
                    }
                ).action_register(),
                UserError,
                "give a loss reason",
            ),
            (
                "register wizard: contact of another partner",
                lambda: register.create(
                    {
                        "partner_id": self.company_partner.id,
                        "contact_id": self.other_contact.id,
                        "type_id": self.type_call.id,
                        "result_id": self.result_positive.id,
                    }
                ).action_register(),
                ValidationError,
                "not a contact of",
            ),
            (
                "register wizard: opportunity of another company",
                lambda: register.create(
                    {
                        "partner_id": self.company_partner.id,
                        "lead_id": self.lead_b.id,
                        "type_id": self.type_call.id,
                        "result_id": self.result_positive.id,
                    }
                ).action_register(),
                UserError,
                "",
            ),
            (
                "sequence: code already used in the company",
                lambda: self.env["crm.action.sequence"].create(
                    [{"code": "BAD-DUP", "name": "First"}, {"code": "bad-dup", "name": "Second"}]
                ),
                ValidationError,
                "already used",
            ),
            (
                "sequence: line with negative hours and days",
                lambda: self.env["crm.action.sequence"].create(
                    {
                        "code": "BAD-HOURS",
                        "name": "Negative",
                        "line_ids": [
                            Command.create(
                                {"type_id": self.type_call.id, "user_id": self.user_sales.id, "planned_hours": -1}
                            )
                        ],
                    }
                ),
                ValidationError,
                "negative hours",
            ),
            (
                "sequence: line without assignee",
                lambda: self.env["crm.action.sequence"].create(
                    {
                        "code": "BAD-NOBODY",
                        "name": "Nobody",
                        "line_ids": [Command.create({"type_id": self.type_call.id})],
                    }
                ),
                ValidationError,
                "no assignee",
            ),
            (
                "statistics wizard: period ending before it starts",
                lambda: self.env["crm.action.statistics"].create({"date_from": "2026-03-31", "date_to": "2026-03-01"}),
                ValidationError,
                "before it starts",
            ),
            (
                "next-action wizard: contact of another partner",
                lambda: (
                    self.env["crm.action.next.wizard"]
                    .create(
                        {
                            "previous_action_id": self.done_visit.id,
                            "type_id": self.type_call.id,
                            "contact_id": self.other_contact.id,
                        }
                    )
                    .action_confirm()
                ),
                ValidationError,
                "not a contact of",
            ),
        ]

    def _counts(self):
        return {model: self.env[model].with_context(active_test=False).search_count([]) for model in COUNTED_MODELS}

    @mute_logger("odoo.sql_db")
    def test_bad_input_is_refused_clearly_and_writes_nothing(self):
        for label, operation, exception, words in self._cases():
            with self.subTest(label):
                self.env.flush_all()
                before = self._counts()
                with self.assertRaises(exception) as caught, self.env.cr.savepoint():
                    operation()
                    self.env.flush_all()
                error = caught.exception
                if isinstance(error, IntegrityError):
                    # What the user sees: Odoo's request layer turns it into a ValidationError.
                    error = _as_validation_error(self.env, error)
                self.assertIsInstance(error, UserError)  # ValidationError and AccessError are UserErrors
                message = str(error)
                self.assertGreater(len(message), 20, f"{label}: no message for the user")
                self.assertIn(words, message, f"{label}: unclear message {message!r}")
                self.env.invalidate_all()
                self.assertEqual(self._counts(), before, f"{label}: something was written")
        self.assertEqual(self.done_visit.result_detail, False)
        self.assertEqual(self.planned_call.state, "planned")
