from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CrmActionCommon


@tagged("post_install", "-at_install")
class TestCrmActionTodo(CrmActionCommon):
    """Each planned action is exactly one to-do of its responsible, in sync both ways."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.todo_type = cls.env.ref("crm_action.mail_activity_type_crm_action_todo")
        cls.today = fields.Date.today()

    def _create_action(self, **values):
        return (
            self.env["crm.action"]
            .with_user(self.user_sales)
            .create(
                {
                    "name": "Call Azure about tiles",
                    "partner_id": self.company_partner.id,
                    "type_id": self.type_call.id,
                    "user_id": self.user_sales.id,
                    "date_deadline": self.today + timedelta(days=3),
                    **values,
                }
            )
        )

    def _todos(self, action):
        return self.env["mail.activity"].search([("res_model", "=", "crm.action"), ("res_id", "=", action.id)])

    def test_planned_action_is_one_todo_of_its_responsible(self):
        action = self._create_action(date_deadline=self.today)
        todo = self._todos(action)
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.activity_type_id, self.todo_type)
        self.assertEqual(todo.user_id, self.user_sales)
        self.assertEqual(todo.date_deadline, self.today)
        self.assertEqual(todo.summary, "Call Azure about tiles")
        self.assertEqual(action.todo_activity_id, todo)
        self.assertEqual(action.activity_state, "today")
        # it shows in the responsible's activities menu (top bar)
        groups = self.env["res.users"].with_user(self.user_sales)._get_activity_groups()
        group = next(g for g in groups if g["model"] == "crm.action")
        self.assertEqual(group["total_count"], 1)
        # renaming the action renames the to-do; an overdue action gives an overdue to-do
        action.write({"name": "Call Azure again", "date_deadline": self.today - timedelta(days=1)})
        self.assertEqual(todo.summary, "Call Azure again")
        self.assertEqual(todo.state, "overdue")
        self.assertEqual(action.activity_state, "overdue")

    def test_no_responsible_no_todo(self):
        action = self._create_action(user_id=False)
        self.assertFalse(self._todos(action))
        action.user_id = self.user_sales
        self.assertEqual(len(self._todos(action)), 1)
        action.user_id = False
        self.assertFalse(self._todos(action))

    def test_todo_deadline_defaults_to_start_day(self):
        start = fields.Datetime.now() + timedelta(days=5)
        action = self._create_action(date_deadline=False, date_start=start)
        self.assertEqual(self._todos(action).date_deadline, start.date())
        action.write({"date_start": start + timedelta(days=1), "date_end": start + timedelta(days=1)})
        self.assertEqual(self._todos(action).date_deadline, start.date() + timedelta(days=1))

    # ------------------------------------------------------------ done
    def test_done_on_todo_marks_action_done(self):
        action = self._create_action(result_id=self.result_positive.id)
        todo = self._todos(action)
        todo.with_user(self.user_sales).action_feedback(feedback="They ordered 200 m2")
        self.assertEqual(action.state, "done")
        self.assertTrue(action.date_done)
        self.assertEqual(action.result_detail.strip(), "They ordered 200 m2")
        self.assertFalse(self._todos(action))
        self.assertFalse(todo.exists())
        # the done to-do is logged once in the action's chatter
        done_messages = action.message_ids.filtered(lambda m: m.mail_activity_type_id == self.todo_type)
        self.assertEqual(len(done_messages), 1)

    def test_done_on_todo_creates_followup_todo(self):
        action = self._create_action(result_id=self.result_positive.id, followup_interval=2, followup_unit="days")
        self._todos(action).with_user(self.user_sales).action_feedback()
        followup = action.followup_action_id
        self.assertEqual(followup.state, "planned")
        self.assertEqual(len(self._todos(followup)), 1)
        self.assertFalse(self._todos(action))

    def test_done_on_todo_plain_button(self):
        action = self._create_action(result_id=self.result_positive.id)
        self._todos(action).with_user(self.user_sales).action_done()
        self.assertEqual(action.state, "done")

    def test_done_on_todo_without_result_refused(self):
        action = self._create_action()
        todo = self._todos(action)
        with self.assertRaisesRegex(UserError, "Set a result on the action"):
            todo.with_user(self.user_sales).action_feedback(feedback="Done")
        self.assertEqual(action.state, "planned")
        self.assertTrue(todo.exists())

    def test_done_button_without_result_keeps_todo(self):
        action = self._create_action()
        todo = self._todos(action)
        with self.assertRaisesRegex(UserError, "Set a result on"):
            action.with_user(self.user_sales).action_done()
        self.env.invalidate_all()
        self.assertEqual(action.state, "planned")
        self.assertEqual(self._todos(action), todo, "the refused action keeps its to-do in the activities")

    def test_done_on_action_completes_todo(self):
        action = self._create_action(result_id=self.result_positive.id)
        todo = self._todos(action)
        messages = action.message_ids
        action.with_user(self.user_sales).action_done()
        self.assertFalse(self._todos(action), "done to-dos leave the activities, as in Odoo")
        self.assertFalse(action.todo_activity_id)
        groups = self.env["res.users"].with_user(self.user_sales)._get_activity_groups()
        self.assertFalse([g for g in groups if g["model"] == "crm.action"])
        self.assertFalse(action.activity_ids, "nor the action's chatter")
        self.assertFalse(
            (action.message_ids - messages).filtered("mail_activity_type_id"),
            "the action's chatter logs it done, not a second 'activity done' message",
        )
        # archived in the request, then deleted by the daily clean-up
        self.assertTrue(todo.exists())
        self.assertFalse(todo.active)
        self.env["crm.action"]._gc_done_todo_activities()
        self.assertFalse(todo.exists())
        self.assertEqual(action.state, "done")

    def test_clean_up_keeps_planned_todos_and_kept_done_ones(self):
        planned = self._create_action()
        done = self._create_action(result_id=self.result_positive.id)
        done_todo = self._todos(done)
        done.with_user(self.user_sales).action_done()
        self.todo_type.keep_done = True
        self.env["crm.action"]._gc_done_todo_activities()
        self.assertTrue(done_todo.exists(), "a to-do type that keeps done activities keeps them")
        self.todo_type.keep_done = False
        self.env["crm.action"]._gc_done_todo_activities()
        self.assertFalse(done_todo.exists())
        self.assertEqual(len(self._todos(planned)), 1, "the planned action keeps its to-do")
        self.assertEqual(planned.state, "planned")

    def test_done_todo_is_not_reopened_on_its_own(self):
        action = self._create_action(result_id=self.result_positive.id)
        todo = self._todos(action)
        action.with_user(self.user_sales).action_done()
        with self.assertRaisesRegex(UserError, "reset the action to planned instead"):
            todo.with_user(self.user_sales).write({"active": True})
        with self.assertRaisesRegex(UserError, "reset the action to planned instead"):
            todo.with_user(self.user_sales).action_unarchive()
        self.assertFalse(todo.active)
        self.assertFalse(self._todos(action))

    def test_done_todo_marked_done_again_changes_nothing(self):
        action = self._create_action(result_id=self.result_positive.id)
        todo = self._todos(action)
        action.with_user(self.user_sales).action_done()
        messages = action.message_ids
        todo.with_user(self.user_sales).action_feedback(feedback="Done again")
        self.assertEqual(action.message_ids, messages, "no second 'done' message on the action")
        self.assertTrue(todo.exists(), "kept for the daily clean-up")
        self.assertFalse(todo.active)
        self.assertEqual(action.state, "done")

    def test_done_on_action_keeps_todo_when_type_keeps_done(self):
        self.todo_type.keep_done = True
        action = self._create_action(result_id=self.result_positive.id)
        todo = self._todos(action)
        action.with_user(self.user_sales).action_done()
        self.assertTrue(todo.exists())
        self.assertFalse(todo.active, "archived as done")
        self.assertEqual(action.state, "done")

    # ------------------------------------------------------------ reschedule
    def test_reschedule_from_action(self):
        action = self._create_action()
        action.date_deadline = self.today + timedelta(days=10)
        self.assertEqual(self._todos(action).date_deadline, self.today + timedelta(days=10))

    def test_reschedule_from_todo(self):
        action = self._create_action()
        todo = self._todos(action)
        todo.with_user(self.user_sales).write({"date_deadline": self.today + timedelta(days=8)})
        self.assertEqual(action.date_deadline, self.today + timedelta(days=8))
        self.assertEqual(action.date_due, self.today + timedelta(days=8))
        todo.with_user(self.user_sales).action_snooze()  # Odoo's "snooze": +7 days
        self.assertEqual(action.date_deadline, self.today + timedelta(days=15))
        self.assertEqual(self._todos(action), todo)

    # ------------------------------------------------------------ reassign
    def test_reassign_from_action(self):
        action = self._create_action()
        todo = self._todos(action)
        action.with_user(self.user_sales).user_id = self.user_action
        self.assertEqual(self._todos(action), todo)
        self.assertEqual(todo.user_id, self.user_action)

    def test_reassign_from_todo(self):
        action = self._create_action()
        todo = self._todos(action)
        todo.with_user(self.user_sales).write({"user_id": self.user_action.id})
        self.assertEqual(action.user_id, self.user_action)
        self.assertEqual(self._todos(action), todo)
        self.assertTrue(action.acknowledgement_pending, "the new responsible must acknowledge it")

    # ------------------------------------------------------------ cancel / delete
    def test_cancel_action_removes_todo_and_reopen_restores_it(self):
        action = self._create_action()
        todo = self._todos(action)
        action.with_user(self.user_sales).action_cancel()
        self.assertFalse(todo.exists())
        action.with_user(self.user_sales).action_reset_to_planned()
        self.assertEqual(len(self._todos(action)), 1)

    def test_delete_action_removes_todo(self):
        action = self._create_action()
        todo = self._todos(action)
        action.with_user(self.user_sales).unlink()
        self.assertFalse(todo.exists())

    def test_cancel_todo_cancels_action(self):
        action = self._create_action()
        self._todos(action).with_user(self.user_sales).action_cancel()
        self.assertEqual(action.state, "cancel")
        self.assertFalse(self._todos(action))

    def test_delete_todo_cancels_action(self):
        action = self._create_action()
        self._todos(action).with_user(self.user_sales).unlink()
        self.assertEqual(action.state, "cancel", "the action is kept, cancelled")

    # ------------------------------------------------------------ duplicates
    def test_no_duplicate_todo(self):
        action = self._create_action()
        with self.assertRaisesRegex(UserError, "created by the action itself"):
            self.env["mail.activity"].with_user(self.user_sales).create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("crm.action"),
                    "res_id": action.id,
                    "activity_type_id": self.todo_type.id,
                    "user_id": self.user_sales.id,
                }
            )
        # other activities stay possible and are left alone
        action.with_user(self.user_sales).activity_schedule("mail.mail_activity_data_call", user_id=self.user_sales.id)
        action.write({"date_deadline": self.today + timedelta(days=4)})
        self.assertEqual(len(self._todos(action)), 2)
        self.assertEqual(len(self._todos(action).filtered(lambda a: a.activity_type_id == self.todo_type)), 1)

    def test_responsible_follows_through_todo_when_tracking_is_off(self):
        """Without tracking, create subscribes nobody: the to-do still makes its responsible
        a follower, as any activity does."""
        action = (
            self.env["crm.action"]
            .with_context(tracking_disable=True)
            .with_user(self.user_manager)
            .create({"name": "Call", "partner_id": self.company_partner.id, "user_id": self.user_sales.id})
        )
        self.assertEqual(len(self._todos(action)), 1)
        self.assertEqual(action.message_partner_ids, self.user_sales.partner_id)

    def test_batch_create_subscribes_each_responsible(self):
        """Several actions created at once (a sequence, an import) follow as one by one:
        each is followed by whoever created it and by its own responsible, nobody else's."""
        Action = self.env["crm.action"].with_context(tracking_disable=False).with_user(self.user_manager)
        values = {"partner_id": self.company_partner.id, "type_id": self.type_call.id}
        actions = Action.create(
            [
                dict(values, name="Call 1", user_id=self.user_sales.id),
                dict(values, name="Call 2", user_id=self.user_action.id),
                dict(values, name="Call 3", user_id=self.user_sales.id),
                dict(values, name="Call 4"),
                dict(values, name="Call 5", user_id=self.user_manager.id),
            ]
        )
        creator = self.user_manager.partner_id
        expected = [
            creator | self.user_sales.partner_id,
            creator | self.user_action.partner_id,
            creator | self.user_sales.partner_id,
            creator,
            creator,
        ]
        self.assertEqual([action.message_partner_ids for action in actions], expected)
        self.assertEqual(actions[3].user_id, self.user_manager, "the creator is the default responsible")
        # the creator as responsible follows with what a responsible subscribed later gets
        responsible_subtypes = (
            actions[1].message_follower_ids.filtered(lambda f: f.partner_id == self.user_action.partner_id).subtype_ids
        )
        self.assertEqual(actions[4].message_follower_ids.subtype_ids, responsible_subtypes)
