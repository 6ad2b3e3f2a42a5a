import threading
import time
import uuid
from datetime import timedelta
from functools import partial

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import UserError
from odoo.service.model import retrying
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestTodoConcurrency(TransactionCase):
    """A to-do marked done while its action is edited, in two real transactions (two
    database cursors, as two HTTP requests would have). Whichever commits first, the
    other one fails with a serialization error, which reaches Odoo's retry loop
    (odoo.service.model.retrying, as for a request) and is retried on a snapshot that
    sees the first one: the action ends done with its result and date, and no to-do is
    left behind.

    The records both transactions share are committed in set-up and removed again in
    the clean-up.
    """

    def setUp(self):
        super().setUp()
        suffix = uuid.uuid4().hex[:8]
        self.today = fields.Date.today()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "mail_create_nolog": True})
            groups = "base.group_user,crm_action.crm_action_group_user"
            responsible = new_test_user(env, login=f"todo_conc_resp_{suffix}", name="Rita Responsible", groups=groups)
            colleague = new_test_user(env, login=f"todo_conc_coll_{suffix}", name="Carlo Colleague", groups=groups)
            manager = new_test_user(
                env,
                login=f"todo_conc_mgr_{suffix}",
                name="Mona Manager",
                groups="base.group_user,crm_action.crm_action_group_manager",
            )
            partner = env["res.partner"].create({"name": f"Concurrent Bricks {suffix}", "is_company": True})
            action = env["crm.action"].create(
                {
                    "name": "Call about the tiles",
                    "partner_id": partner.id,
                    "type_id": env.ref("crm_action.crm_action_type_call").id,
                    "result_id": env.ref("crm_action.crm_action_result_positive").id,
                    "user_id": responsible.id,
                    # the responsible asked for it: they keep reading it when it is reassigned
                    "requester_id": responsible.id,
                    "date_deadline": self.today + timedelta(days=3),
                }
            )
            todo = action.todo_activity_id
            self.assertEqual(len(todo), 1, "the planned action has its to-do")
            self.ids = {
                "responsible": responsible.id,
                "colleague": colleague.id,
                "manager": manager.id,
                "partner": partner.id,
                "action": action.id,
                "todo": todo.id,
            }
        self.addCleanup(self._clean_committed_records)

    def _clean_committed_records(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            actions = env["crm.action"].search([("partner_id", "=", self.ids["partner"])])
            env["mail.activity"].search([("res_model", "=", "crm.action"), ("res_id", "in", actions.ids)]).unlink()
            env["mail.message"].search([("model", "=", "crm.action"), ("res_id", "in", actions.ids)]).unlink()
            actions.unlink()
            env["res.partner"].browse(self.ids["partner"]).unlink()
            users = env["res.users"].browse([self.ids["responsible"], self.ids["colleague"], self.ids["manager"]])
            user_partners = users.partner_id
            users.unlink()
            user_partners.unlink()

    # ------------------------------------------------------------ the two requests
    def _mark_todo_done(self, env):
        """The responsible clicks Done on the to-do in their activities, with a feedback."""
        env["mail.activity"].browse(self.ids["todo"]).action_feedback(feedback="<p>They order in May</p>")

    def _edit_action(self, env, vals):
        """Someone saves the action's form."""
        env["crm.action"].browse(self.ids["action"]).write(vals)

    def _env(self, cr, user_key):
        return api.Environment(cr, self.ids[user_key], {})

    def _counted(self, func, tries):
        def call():
            tries.append(1)
            func()

        return call

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def _one_after_the_other(self, first, second):
        """``first`` and ``second`` are (user key, function of env). The second request has
        started (its snapshot exists) before the first commits; it runs after, each under
        Odoo's retry loop. Returns the number of tries of the second one and its error."""
        tries = []
        error = None
        (first_user, first_func), (second_user, second_func) = first, second
        with self.registry.cursor() as cr_first, self.registry.cursor() as cr_second:
            env_first = self._env(cr_first, first_user)
            env_second = self._env(cr_second, second_user)
            # the second request has read the action (as its form did) before the first commits
            action = env_second["crm.action"].browse(self.ids["action"])
            self.assertEqual(action.state, "planned")
            self.assertEqual(action.todo_activity_id.id, self.ids["todo"])
            retrying(partial(first_func, env_first), env_first)
            try:
                retrying(self._counted(partial(second_func, env_second), tries), env_second)
            except UserError as exc:
                error = exc
        return len(tries), error

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def _at_the_same_time(self, first, second):
        """The first request has written (and holds its row locks) when the second one
        reaches the same rows: the second waits for the first to commit, then fails and is
        retried. Returns the number of tries of the second one and its error."""
        tries = []
        errors = []
        (first_user, first_func), (second_user, second_func) = first, second
        with self.registry.cursor() as cr_first, self.registry.cursor() as cr_second:
            env_first = self._env(cr_first, first_user)
            env_second = self._env(cr_second, second_user)
            self.assertEqual(env_second["crm.action"].browse(self.ids["action"]).state, "planned")
            first_func(env_first)
            env_first.flush_all()

            def second_request():
                try:
                    retrying(self._counted(partial(second_func, env_second), tries), env_second)
                except Exception as exc:  # reported to the test below
                    errors.append(exc)

            thread = threading.Thread(target=second_request)
            thread.start()
            time.sleep(0.5)
            self.assertTrue(thread.is_alive(), "the second request waits for the first one's locks")
            cr_first.commit()
            thread.join(30)
            self.assertFalse(thread.is_alive(), "the second request never finished")
        return len(tries), errors

    # ------------------------------------------------------------ outcome
    def _committed(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            action = env["crm.action"].browse(self.ids["action"])
            todos = env["mail.activity"].search([("res_model", "=", "crm.action"), ("res_id", "=", action.id)])
            return {
                "state": action.state,
                "name": action.name,
                "user": action.user_id.id,
                "deadline": action.date_deadline,
                "result": action.result_id.id,
                "result_detail": action.result_detail,
                "date_done": action.date_done,
                "todos": [(todo.user_id.id, todo.summary, todo.date_deadline) for todo in todos],
            }

    def _assert_done_without_todo(self, outcome):
        self.assertEqual(outcome["state"], "done")
        self.assertTrue(outcome["date_done"], "the action has its done date")
        self.assertTrue(outcome["result"], "the action keeps its result")
        self.assertEqual(outcome["result_detail"], "They order in May", "the to-do's feedback justifies the result")
        self.assertEqual(outcome["todos"], [], "no to-do is left for a done action")

    # ------------------------------------------------------------ tests
    def test_edit_after_the_todo_is_done_is_retried_and_applied(self):
        """The manager's save started before the to-do was done and commits after it:
        retried, it renames the done action (managers may) and brings no to-do back."""
        new_deadline = self.today + timedelta(days=10)
        vals = {"name": "Call about the roof tiles", "date_deadline": new_deadline, "user_id": self.ids["colleague"]}
        tries, error = self._one_after_the_other(
            ("responsible", self._mark_todo_done),
            ("manager", lambda env: self._edit_action(env, vals)),
        )
        self.assertIsNone(error)
        self.assertEqual(tries, 2, "the serialization failure reached Odoo's retry loop")
        outcome = self._committed()
        self._assert_done_without_todo(outcome)
        self.assertEqual(outcome["name"], "Call about the roof tiles")
        self.assertEqual(outcome["user"], self.ids["colleague"])
        self.assertEqual(outcome["deadline"], new_deadline)

    def test_edit_by_a_user_after_the_todo_is_done_is_refused(self):
        """The responsible's own save of the form (another tab) started before the to-do
        was done: retried, it finds the action done and locked and is refused; the done
        action is unchanged."""
        tries, error = self._one_after_the_other(
            ("responsible", self._mark_todo_done),
            ("responsible", lambda env: self._edit_action(env, {"name": "Call about the roof tiles"})),
        )
        self.assertEqual(tries, 2, "the serialization failure reached Odoo's retry loop")
        self.assertIsInstance(error, UserError)
        self.assertIn("is done and locked", str(error))
        outcome = self._committed()
        self._assert_done_without_todo(outcome)
        self.assertEqual(outcome["name"], "Call about the tiles")
        self.assertEqual(outcome["user"], self.ids["responsible"])

    def test_todo_done_after_the_edit_is_retried_and_done(self):
        """The to-do was clicked done on a page loaded before the manager's save: retried,
        it marks the edited action done and removes the to-do."""
        new_deadline = self.today + timedelta(days=10)
        vals = {"name": "Call about the roof tiles", "date_deadline": new_deadline}
        tries, error = self._one_after_the_other(
            ("manager", lambda env: self._edit_action(env, vals)),
            ("responsible", self._mark_todo_done),
        )
        self.assertIsNone(error)
        self.assertEqual(tries, 2, "the serialization failure reached Odoo's retry loop")
        outcome = self._committed()
        self._assert_done_without_todo(outcome)
        self.assertEqual(outcome["name"], "Call about the roof tiles")
        self.assertEqual(outcome["deadline"], new_deadline)

    def test_todo_done_after_a_reassignment_is_retried_and_done(self):
        """The manager reassigned the action meanwhile: the former responsible's click on
        the to-do still completes it, once, and leaves no to-do for the new responsible."""
        tries, error = self._one_after_the_other(
            ("manager", lambda env: self._edit_action(env, {"user_id": self.ids["colleague"]})),
            ("responsible", self._mark_todo_done),
        )
        self.assertIsNone(error)
        self.assertEqual(tries, 2, "the serialization failure reached Odoo's retry loop")
        outcome = self._committed()
        self._assert_done_without_todo(outcome)
        self.assertEqual(outcome["user"], self.ids["colleague"])

    def test_edit_waiting_for_the_todo_done(self):
        """Both at the same time: the save waits for the to-do's transaction, fails when it
        commits and is retried on the done action."""
        tries, errors = self._at_the_same_time(
            ("responsible", self._mark_todo_done),
            ("manager", lambda env: self._edit_action(env, {"name": "Call about the roof tiles"})),
        )
        self.assertFalse(errors, f"the save failed: {errors}")
        self.assertGreaterEqual(tries, 2, "the serialization failure reached Odoo's retry loop")
        outcome = self._committed()
        self._assert_done_without_todo(outcome)
        self.assertEqual(outcome["name"], "Call about the roof tiles")

    def test_todo_done_waiting_for_the_edit(self):
        """Both at the same time, the other way round: the to-do's transaction waits for
        the save, fails when it commits and is retried on the edited action."""
        new_deadline = self.today + timedelta(days=10)
        tries, errors = self._at_the_same_time(
            ("manager", lambda env: self._edit_action(env, {"date_deadline": new_deadline})),
            ("responsible", self._mark_todo_done),
        )
        self.assertFalse(errors, f"marking the to-do done failed: {errors}")
        self.assertGreaterEqual(tries, 2, "the serialization failure reached Odoo's retry loop")
        outcome = self._committed()
        self._assert_done_without_todo(outcome)
        self.assertEqual(outcome["deadline"], new_deadline)
