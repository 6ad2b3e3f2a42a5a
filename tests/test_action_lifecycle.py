"""One lifecycle: the same action completed or planned through every entry point gives
the same outcome (result check, records created, lead, partner and occurrence changes,
messages)."""

import xmlrpc.client
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, tagged
from odoo.tools import html2plaintext

from .flow_common import CrmActionFlowCommon


@tagged("post_install", "-at_install")
class TestActionLifecycle(CrmActionFlowCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the entry points are compared as they run for real: with tracking and logs
        cls.env = cls.env(context={})
        cls.rule_neutral = cls.env["crm.action.rule"].create(
            {
                "name": "Neutral visit: prospect, proposal, analysis",
                "campaign_id": cls.campaign.id,
                "type_id": cls.type_visit.id,
                "result_id": cls.result_neutral.id,
                "class_from_id": cls.class_suspect.id,
                "class_to_id": cls.class_prospect.id,
                "class_action_count": 1,
                "stage_id": cls.stage_proposal.id,
                "occurrence_status_id": cls.status_analysis.id,
            }
        )
        cls.Action = cls.env["crm.action"]

    # ------------------------------------------------------------ scenario
    def _scenario(self):
        """A fresh partner (Suspect), opportunity and occurrence for one entry point."""
        partner = self.env["res.partner"].create(
            {"name": "Azure Tiles", "is_company": True, "class_id": self.class_suspect.id}
        )
        contact = self.env["res.partner"].create({"name": "Ana Azure", "parent_id": partner.id})
        lead = self.env["crm.lead"].create(
            {
                "name": "Showroom floor",
                "type": "opportunity",
                "partner_id": partner.id,
                "team_id": self.team.id,
                "user_id": self.user_sales.id,
                "stage_id": self.stage_new.id,
                "campaign_id": self.campaign.id,
            }
        )
        occurrence = self.env["crm.action.occurrence"].create(
            {"name": "Cracked tiles", "partner_id": partner.id, "status_id": self.status_new.id}
        )
        return partner, contact, lead, occurrence

    def _action_values(self, partner, contact, lead, occurrence):
        return {
            "name": "Visit Azure Tiles",
            "partner_id": partner.id,
            # a plain (6, 0, ids) triplet: what an external client sends
            "contact_ids": [(6, 0, contact.ids)],
            "lead_id": lead.id,
            "occurrence_id": occurrence.id,
            "campaign_id": self.campaign.id,
            "type_id": self.type_visit.id,
            "user_id": self.user_sales.id,
        }

    def _planned(self, partner, contact, lead, occurrence):
        action = self.Action.with_user(self.user_sales).create(self._action_values(partner, contact, lead, occurrence))
        # the timer runs while the visit happens: completing stops it
        action.action_timer_start()
        return action

    def _rpc(self, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, self.user_sales.id, self.user_sales.login, model, method, list(args), kwargs
        )

    # ------------------------------------------------------------ entry points
    def _complete_form(self, scenario, result):
        action = self._planned(*scenario)
        with Form(action.with_user(self.user_sales)) as form:
            if result:
                form.result_id = result
        return action.with_user(self.user_sales).action_done()

    def _complete_todo(self, scenario, result):
        action = self._planned(*scenario).with_user(self.user_sales)
        if result:
            action.result_id = result
        action.todo_activity_id.with_user(self.user_sales).action_feedback(feedback="<p>Went well</p>")

    def _complete_rpc_write(self, scenario, result):
        action = self._planned(*scenario)
        values = {"state": "done"}
        if result:
            values["result_id"] = result.id
        self._rpc("crm.action", "write", [action.id], values)

    def _complete_rpc_create(self, scenario, result):
        values = dict(self._action_values(*scenario), state="done")
        if result:
            values["result_id"] = result.id
        self._rpc("crm.action", "create", values)

    def _complete_import_update(self, scenario, result):
        action = self._planned(*scenario)
        self._load([".id", "state", "result_id/.id"], [str(action.id), "done", str(result.id) if result else ""])

    def _complete_import_create(self, scenario, result):
        partner, _contact, lead, occurrence = scenario
        self._load(
            [
                "name",
                "partner_id/.id",
                "lead_id/.id",
                "occurrence_id/.id",
                "campaign_id/.id",
                "type_id/.id",
                "user_id/.id",
                "state",
                "result_id/.id",
            ],
            [
                "Visit Azure Tiles",
                str(partner.id),
                str(lead.id),
                str(occurrence.id),
                str(self.campaign.id),
                str(self.type_visit.id),
                str(self.user_sales.id),
                "done",
                str(result.id) if result else "",
            ],
        )

    def _load(self, fields_, row):
        result = self.Action.with_user(self.user_sales).load(fields_, [row])
        errors = [message["message"] for message in result["messages"] if message["type"] == "error"]
        if errors:
            raise UserError("\n".join(errors))

    def _complete_register(self, scenario, result):
        partner, contact, lead, occurrence = scenario
        wizard_model = self.env["crm.action.register.wizard"].with_user(self.user_sales)
        with Form(wizard_model.with_context(default_occurrence_id=occurrence.id)) as form:
            form.lead_id = lead
            form.partner_id = partner
            form.contact_id = contact
            form.campaign_id = self.campaign
            form.type_id = self.type_visit
            form.name = "Visit Azure Tiles"
            # the campaign proposes its default result; the dialog requires one
            form.result_id = result or self.env["crm.action.result"]
        return form.record.action_register()

    ENTRY_POINTS = {
        "form button": _complete_form,
        "activities menu to-do": _complete_todo,
        "XML-RPC write state=done": _complete_rpc_write,
        "XML-RPC create state=done": _complete_rpc_create,
        "import (load) of an existing action": _complete_import_update,
        "import (load) of a new action": _complete_import_create,
        "Register dialog": _complete_register,
    }

    # ------------------------------------------------------------ outcome
    def _observe(self, partner, contact, lead, occurrence):
        """What a user sees after the action is done, in comparable terms."""
        self.env.invalidate_all()
        self.env.cr.flush()
        done = self.Action.search([("lead_id", "=", lead.id), ("state", "=", "done")])
        planned = self.Action.search([("lead_id", "=", lead.id), ("state", "=", "planned")])
        threads = [done, partner, lead, occurrence, *planned]

        activity_done = self.env.ref("mail.mt_activities")

        def notes(record):
            # the to-do's own "done" message is the trace of that entry point, not an effect
            return sorted(
                html2plaintext(message.body)
                for message in record.message_ids
                if message.body and message.subtype_id != activity_done
            )

        return {
            "done actions": len(done),
            "result": done.result_id.name,
            "done date set": bool(done.date_done),
            "timer": done.timer_state,
            "to-do of the done action": bool(done._get_todo_activities()),
            "opportunity stage": lead.stage_id.name,
            "partner class": partner.class_id.name,
            "occurrence status": occurrence.status_id.name,
            "planned next": [
                (
                    action.type_id.name,
                    action.previous_action_id == done,
                    (action.date_start.date() - done.date_done.date()).days,
                    action.user_id.login,
                    action.partner_id == partner,
                    action.campaign_id == self.campaign,
                    bool(action._get_todo_activities()),
                )
                for action in planned
            ],
            "messages": [notes(record) for record in threads],
        }

    def test_same_outcome_from_every_entry_point(self):
        outcomes = {}
        for name, complete in self.ENTRY_POINTS.items():
            with self.subTest(entry_point=name):
                scenario = self._scenario()
                complete(self, scenario, self.result_neutral)
                outcomes[name] = self._observe(*scenario)
        reference = outcomes["form button"]
        # what the neutral visit does, as configured: rules, then the automatic call in 3 days
        self.assertEqual(reference["done actions"], 1)
        self.assertEqual(reference["result"], self.result_neutral.name)
        self.assertTrue(reference["done date set"])
        self.assertEqual(reference["timer"], "stopped")
        self.assertFalse(reference["to-do of the done action"])
        self.assertEqual(reference["opportunity stage"], "Proposal")
        self.assertEqual(reference["partner class"], self.class_prospect.name)
        self.assertEqual(reference["occurrence status"], self.status_analysis.name)
        self.assertEqual(
            reference["planned next"],
            [(self.type_call.name, True, 3, self.user_sales.login, True, True, True)],
        )
        partner_notes = reference["messages"][1]
        self.assertTrue(any("moved" in note or "changed" in note.lower() for note in partner_notes), partner_notes)
        for name, outcome in outcomes.items():
            with self.subTest(entry_point=name):
                self.assertEqual(outcome, reference)

    def test_same_result_check_from_every_entry_point(self):
        for name, complete in self.ENTRY_POINTS.items():
            with self.subTest(entry_point=name):
                scenario = self._scenario()
                partner, _contact, lead, occurrence = scenario
                message = self._refusal(complete, scenario)
                self.assertRegex(message, "(?i)result", "the refusal names the missing result")
                self.env.invalidate_all()
                self.assertFalse(self.Action.search_count([("lead_id", "=", lead.id), ("state", "=", "done")]))
                self.assertEqual(lead.stage_id, self.stage_new, "no rule ran")
                self.assertEqual(partner.class_id, self.class_suspect)
                self.assertEqual(occurrence.status_id, self.status_new)

    def _refusal(self, complete, scenario):
        """The message of the error ``complete`` raises without a result (nothing kept)."""
        try:
            with self.env.cr.savepoint():
                complete(self, scenario, False)
        except xmlrpc.client.Fault as error:
            message = error.faultString
        except (UserError, AssertionError) as error:
            message = str(error)
        else:
            self.fail("completing an action without a result was accepted")
        self.env.invalidate_all()
        return message

    # ------------------------------------------------------------ planning entry points
    def _plan_next_dialog(self, scenario):
        action = self._planned(*scenario).with_user(self.user_sales)
        action.result_id = self.result_positive
        dialog = action.action_done()
        wizard_model = self.env[dialog["res_model"]].with_user(self.user_sales).with_context(**dialog["context"])
        with Form(wizard_model) as form:
            self.assertEqual(form.type_id, self.type_offer, "the dialog proposes the flow's next type")
        form.record.action_confirm()
        return action

    def _plan_automatic(self, scenario):
        action = self._planned(*scenario).with_user(self.user_sales)
        action.write({"result_id": self.result_neutral.id, "state": "done"})
        return action

    def _plan_followup(self, scenario):
        action = self._planned(*scenario).with_user(self.user_sales)
        action.write({"followup_interval": 2, "followup_unit": "days", "result_id": self.result_positive.id})
        self._rpc("crm.action", "write", [action.id], {"state": "done"})
        return action

    def _plan_sequence(self, scenario):
        partner, _contact, _lead, _occurrence = scenario
        sequence = self.env["crm.action.sequence"].create(
            {
                "code": "LIFECYCLE",
                "name": "Quotation follow-up",
                "line_ids": [Command.create({"type_id": self.type_call.id, "user_id": self.user_sales.id})],
            }
        )
        self.team.crm_action_quotation_sequence_id = sequence
        order = (
            self.env["sale.order"]
            .with_user(self.user_sales)
            .create({"partner_id": partner.id, "team_id": self.team.id, "user_id": self.user_sales.id})
        )
        self.env.flush_all()
        return self.Action.search([("source_ref", "=", f"sale.order,{order.id}")])

    def test_planned_actions_are_alike_from_every_planning_entry_point(self):
        """Next Action dialog, automatic next action, follow-up and a spawned sequence action:
        each is one planned action with the responsible's to-do, built by one builder."""
        planners = {
            "Next Action dialog": (self._plan_next_dialog, self.type_offer),
            "automatic next action": (self._plan_automatic, self.type_call),
            "follow-up": (self._plan_followup, self.type_visit),
            "sequence action": (self._plan_sequence, self.type_call),
        }
        for name, (plan, expected_type) in planners.items():
            with self.subTest(entry_point=name):
                scenario = self._scenario()
                partner = scenario[0]
                origin = plan(scenario)
                self.env.invalidate_all()
                if origin.state == "done":
                    planned = self.Action.search(
                        ["|", ("previous_action_id", "=", origin.id), ("id", "=", origin.followup_action_id.id)]
                    )
                else:
                    planned = origin
                self.assertEqual(len(planned), 1)
                self.assertEqual(planned.state, "planned")
                self.assertEqual(planned.type_id, expected_type)
                self.assertEqual(planned.partner_id.commercial_partner_id, partner)
                self.assertEqual(planned.user_id, self.user_sales)
                self.assertGreater(planned.date_start, fields.Datetime.now() - timedelta(minutes=5))
                self.assertAlmostEqual(
                    planned.duration,
                    (planned.date_end - planned.date_start).total_seconds() / 3600,
                    places=4,
                    msg="the end follows the duration",
                )
                todos = planned._get_todo_activities().get(planned.id)
                self.assertEqual(len(todos), 1, "one to-do for the responsible")
                self.assertEqual(todos.user_id, self.user_sales)
                self.assertEqual(todos.date_deadline, planned.date_due)
                # and each is completed like any other action
                planned.with_user(self.user_sales).write({"state": "done", "result_id": self.result_positive.id})
                self.assertFalse(planned._get_todo_activities())
