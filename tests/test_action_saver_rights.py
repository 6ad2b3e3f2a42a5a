"""Every effect of an action runs with the rights of the user who saves it: what a client
sends is checked as that user, and the fields only the module sets are refused."""

import xmlrpc.client
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .flow_common import CrmActionFlowCommon


class SaverRightsCommon(CrmActionFlowCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_other = new_test_user(
            cls.env,
            login="crm_action_other_sales",
            name="Otto Other",
            groups="sales_team.group_sale_salesman",
        )
        cls.other_team.member_ids = [Command.link(cls.user_other.id)]
        cls.other_opportunity = cls.env["crm.lead"].create(
            {
                "name": "Bricks Ltd: warehouse",
                "type": "opportunity",
                "partner_id": cls.other_partner.id,
                "team_id": cls.other_team.id,
                "user_id": cls.user_other.id,
                "stage_id": cls.stage_new.id,
                "campaign_id": cls.campaign.id,
            }
        )
        cls.private_event = cls.env["calendar.event"].create(
            {
                "name": "Dentist",
                "user_id": cls.user_other.id,
                "privacy": "private",
                "start": fields.Datetime.now(),
                "stop": fields.Datetime.now(),
                "partner_ids": [Command.set(cls.user_other.partner_id.ids)],
            }
        )
        cls.company_b = cls.env["res.company"].create({"name": "Other Company Ltd"})
        cls.occurrence_b = cls.env["crm.action.occurrence"].create(
            {"name": "Other company's claim", "company_id": cls.company_b.id, "status_id": cls.status_new.id}
        )
        cls.rule_occurrence = cls.env["crm.action.rule"].create(
            {
                "name": "Call: occurrence in analysis",
                "type_id": cls.type_call.id,
                "occurrence_status_id": cls.status_analysis.id,
            }
        )
        cls.other_planned = (
            cls.env["crm.action"]
            .with_user(cls.user_other)
            .create({"name": "Otto's call", "type_id": cls.type_call.id, "user_id": cls.user_other.id})
        )

    def _as_sales(self):
        return self.env["crm.action"].with_user(self.user_sales)


@tagged("post_install", "-at_install")
class TestSaverRights(SaverRightsCommon):
    def test_calendar_event_of_another_user_cannot_be_taken_over(self):
        event_before = self.private_event.read(["name", "user_id", "partner_ids"])
        with self.assertRaises(AccessError):
            self._as_sales().create({"name": "Takeover", "calendar_event_id": self.private_event.id})
        action = self._as_sales().create({"name": "Plain call", "type_id": self.type_call.id})
        with self.assertRaises(AccessError):
            action.write({"calendar_event_id": self.private_event.id, "add_to_calendar": False})
        action.unlink()
        self.assertTrue(self.private_event.exists(), "deleting one's action leaves other events alone")
        self.assertEqual(self.private_event.read(["name", "user_id", "partner_ids"]), event_before)

    def test_context_defaults_of_module_fields_are_ignored(self):
        action = (
            self._as_sales()
            .with_context(
                default_calendar_event_id=self.private_event.id,
                default_previous_action_id=self.other_planned.id,
            )
            .create({"name": "Call", "type_id": self.type_call.id})
        )
        self.assertFalse(action.calendar_event_id)
        self.assertFalse(action.previous_action_id)

    def test_another_teams_opportunity_is_refused(self):
        with self.assertRaises(AccessError):
            self._as_sales().create(
                {
                    "name": "Visit Bricks",
                    "lead_id": self.other_opportunity.id,
                    "campaign_id": self.campaign.id,
                    "type_id": self.type_visit.id,
                    "result_id": self.result_positive.id,
                    "state": "done",
                }
            )
        self.assertEqual(self.other_opportunity.stage_id, self.stage_new, "the other team's opportunity stays")
        action = self._as_sales().create({"name": "Visit", "type_id": self.type_visit.id})
        with self.assertRaises(AccessError):
            action.write({"lead_id": self.other_opportunity.id})

    def test_previous_action_is_set_by_the_flow_only(self):
        with self.assertRaises(AccessError):
            self._as_sales().create(
                {
                    "name": "Negative call",
                    "type_id": self.type_call.id,
                    "previous_action_id": self.other_planned.id,
                }
            )
        self.assertEqual(self.other_planned.state, "planned")
        # the Next Action dialog of an action the user cannot see is refused too
        wizard = (
            self.env["crm.action.next.wizard"]
            .with_user(self.user_sales)
            .create({"previous_action_id": self.other_planned.id, "type_id": self.type_call.id})
        )
        with self.assertRaises(AccessError):
            wizard.action_confirm()

    def test_occurrence_of_another_company_is_refused(self):
        with self.assertRaises(AccessError):
            self._as_sales().create(
                {
                    "name": "Call about the claim",
                    "type_id": self.type_call.id,
                    "occurrence_id": self.occurrence_b.id,
                    "result_id": self.result_positive.id,
                    "state": "done",
                }
            )
        self.assertEqual(self.occurrence_b.status_id, self.status_new)

    def test_done_needs_a_result_from_write_and_create(self):
        action = self._as_sales().create({"name": "Call", "type_id": self.type_call.id})
        with self.assertRaises(UserError) as caught:
            action.write({"state": "done"})
        self.assertIn("Set a result", str(caught.exception))
        self.assertEqual(action.state, "planned")
        with self.assertRaises(UserError) as caught:
            self._as_sales().create({"name": "Call", "type_id": self.type_call.id, "state": "done"})
        self.assertIn("Set a result", str(caught.exception))

    def test_forged_module_fields_are_refused(self):
        action = self._as_sales().create({"name": "Call", "type_id": self.type_call.id, "user_id": self.user_other.id})
        forged = {
            "acknowledged_by_id": self.user_other.id,
            "acknowledged_date": fields.Datetime.now(),
            "acknowledgement_pending": False,
            "date_done": fields.Datetime.now(),
            "followup_action_id": self.other_planned.id,
            "timer_start": fields.Datetime.now(),
            "partner_class_id": self.class_customer.id,
            "flow_root_id": self.other_planned.id,
        }
        for fname, value in forged.items():
            with self.subTest(field=fname):
                with self.assertRaises(AccessError):
                    action.write({fname: value})
                with self.assertRaises(AccessError):
                    self._as_sales().create({"name": "Forged", fname: value})
        self.assertTrue(action.acknowledgement_pending, "Otto still has to acknowledge it himself")
        self.assertFalse(action.acknowledged_by_id)

    def test_result_detail_of_another_result_is_refused(self):
        detail_of_negative = self.env["crm.action.result.detail"].create(
            {"name": "Chose a competitor", "result_id": self.result_negative.id}
        )
        with self.assertRaisesRegex(ValidationError, "detail of the action's result"):
            self._as_sales().create(
                {"name": "Call", "result_id": self.result_positive.id, "result_detail_id": detail_of_negative.id}
            )

    def test_portal_user_cannot_be_responsible(self):
        with self.assertRaisesRegex(ValidationError, "internal users"):
            self._as_sales().create({"name": "Call", "user_id": self.user_portal.id})

    def test_empty_summary_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "summary"):
            self._as_sales().create({"name": "   "})

    def test_class_change_needs_the_right_to_edit_the_partner(self):
        # a CRM actions user outside Sales may log actions but not edit partners
        clerk = new_test_user(
            self.env, login="crm_action_clerk", groups="base.group_user,crm_action.crm_action_group_user"
        )
        self.team.member_ids = [Command.link(clerk.id)]
        self.company_partner.class_id = self.class_suspect
        self.env["crm.action.rule"].create(
            {
                "name": "Positive visit: prospect",
                "type_id": self.type_visit.id,
                "result_id": self.result_positive.id,
                "class_from_id": self.class_suspect.id,
                "class_to_id": self.class_prospect.id,
            }
        )
        action = (
            self.env["crm.action"]
            .with_user(clerk)
            .create(
                {
                    "name": "Visit",
                    "partner_id": self.company_partner.id,
                    "type_id": self.type_visit.id,
                    "user_id": clerk.id,
                }
            )
        )
        with self.assertRaises(AccessError):
            action.write({"result_id": self.result_positive.id, "state": "done"})
        self.env.invalidate_all()
        self.assertEqual(self.company_partner.class_id, self.class_suspect)
        self.assertEqual(action.state, "planned", "nothing of the refused save is kept")

    def test_negative_flow_cancels_only_what_the_user_may_see(self):
        foreign = (
            self.env["crm.action"]
            .with_user(self.user_other)
            .create({"name": "Otto's offer", "type_id": self.type_offer.id, "user_id": self.user_other.id})
        )
        # an action on the opportunity that the salesperson of the other team planned there
        foreign.sudo().lead_id = self.opportunity
        visit = self._planned_visit()
        visit.write({"result_id": self.result_negative.id, "lost_reason_id": self.lost_reason.id, "state": "done"})
        self.assertFalse(self.opportunity.active, "the opportunity is lost")
        self.assertEqual(foreign.state, "planned", "an action the salesperson may not see is not cancelled")


@tagged("post_install", "-at_install")
class TestSaverRightsXmlRpc(SaverRightsCommon, HttpCase):
    """The same refusals through Odoo's external API, as a salesperson's script would meet them."""

    def _rpc(self, model, method, *args):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, self.user_sales.id, self.user_sales.login, model, method, list(args)
        )

    def test_external_api_refuses_what_the_user_may_not_do(self):
        with self.assertRaisesRegex(xmlrpc.client.Fault, "set by the module"):
            self._rpc("crm.action", "create", {"name": "Takeover", "calendar_event_id": self.private_event.id})
        with self.assertRaises(xmlrpc.client.Fault):
            self._rpc(
                "crm.action",
                "create",
                {
                    "name": "Visit Bricks",
                    "lead_id": self.other_opportunity.id,
                    "type_id": self.type_visit.id,
                    "result_id": self.result_positive.id,
                    "state": "done",
                },
            )
        action_id = self._rpc("crm.action", "create", {"name": "Call", "type_id": self.type_call.id})
        with self.assertRaisesRegex(xmlrpc.client.Fault, "Set a result"):
            self._rpc("crm.action", "write", [action_id], {"state": "done"})
        with self.assertRaisesRegex(xmlrpc.client.Fault, "set by the module"):
            self._rpc("crm.action", "write", [action_id], {"acknowledged_by_id": self.user_other.id})
        with self.assertRaises(xmlrpc.client.Fault):
            self._rpc("crm.action", "action_cancel", [self.other_planned.id])
        self.env.invalidate_all()
        self.assertEqual(self.private_event.user_id, self.user_other)
        self.assertEqual(self.other_opportunity.stage_id, self.stage_new)
        self.assertEqual(self.other_planned.state, "planned")
        self.assertEqual(self.env["crm.action"].browse(action_id).state, "planned")

    def test_external_api_done_on_another_users_action_keeps_its_todo(self):
        """The Done button closes the to-do (as superuser) before it completes the action:
        refused to another salesperson, it leaves both the action and its to-do as they were."""
        self.other_planned.result_id = self.result_positive
        todo_type = self.env.ref("crm_action.mail_activity_type_crm_action_todo")
        todo = self.other_planned.activity_ids.filtered(lambda a: a.activity_type_id == todo_type)
        self.assertEqual(len(todo), 1, "Otto's planned call is his to-do")
        with self.assertRaises(xmlrpc.client.Fault):
            self._rpc("crm.action", "action_done", [self.other_planned.id])
        self.env.invalidate_all()
        self.assertEqual(self.other_planned.state, "planned")
        self.assertTrue(todo.exists(), "Otto's to-do is still in his activities")

    def test_external_api_new_client_values_are_checked(self):
        # the moment a form was opened starts the timer of one's own new action only
        self.user_sales.groups_id = [Command.link(self.env.ref("crm_action.group_crm_action_timer").id)]
        opened = fields.Datetime.to_string(fields.Datetime.now() - timedelta(minutes=2))
        own = self._rpc("crm.action", "create", {"name": "Own call", "timer_opened_at": opened})
        for_other = self._rpc(
            "crm.action", "create", {"name": "Call for Otto", "user_id": self.user_other.id, "timer_opened_at": opened}
        )
        later = fields.Datetime.to_string(fields.Datetime.now() + timedelta(hours=1))
        with self.assertRaisesRegex(xmlrpc.client.Fault, "cannot start in the future"):
            self._rpc("crm.action", "create", {"name": "Call later", "timer_opened_at": later})
        # the Notify dialog of an action the salesperson may not read is refused
        with self.assertRaises(xmlrpc.client.Fault):
            self._rpc("crm.action.notify.wizard", "create", {"action_id": self.other_planned.id})
        self.env.invalidate_all()
        Action = self.env["crm.action"]
        self.assertEqual(Action.browse(own).timer_state, "running")
        self.assertEqual(Action.browse(own).timer_start, fields.Datetime.to_datetime(opened))
        self.assertEqual(Action.browse(for_other).timer_state, "stopped")
