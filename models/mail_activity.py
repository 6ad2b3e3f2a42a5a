from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext, is_html_empty

from .crm_action import TODO_SYNC


class MailActivity(models.Model):
    """The activity side of the to-do sync of crm.action (see crm_action.py).

    - marking the to-do done marks the action done; the action needs a result, as
      when it is marked done on its form, so without one the to-do stays open and the
      user is told to set the result first (the feedback becomes the justification);
    - rescheduling or reassigning the to-do reschedules or reassigns the action;
    - cancelling or deleting the to-do cancels the action (the action is kept);
    - the to-do of a done action is archived (see ``crm.action._sync_todo_activity``): it
      is not reopened on its own, and marking it done again changes nothing.
    """

    _inherit = "mail.activity"

    def _filter_crm_action_todos(self):
        activity_type = self.env["crm.action"]._get_todo_activity_type()
        if not activity_type:
            return self.browse()
        return self.filtered(lambda a: a.res_model == "crm.action" and a.res_id and a.activity_type_id == activity_type)

    def _get_crm_actions(self):
        todos = self._filter_crm_action_todos()
        return self.env["crm.action"].browse(todos.mapped("res_id")).exists()

    @api.model_create_multi
    def create(self, vals_list):
        activities = super().create(vals_list)
        if not self.env.context.get(TODO_SYNC) and activities._filter_crm_action_todos():
            raise UserError(
                self.env._(
                    "The to-do of a CRM action is created by the action itself: schedule an activity of another type."
                )
            )
        return activities

    def write(self, vals):
        if vals.get("active") and not self.env.context.get(TODO_SYNC):
            reopened = self._filter_crm_action_todos().filtered(lambda a: not a.active)
            if reopened:
                raise UserError(
                    self.env._(
                        "The to-do of a done CRM action cannot be reopened: reset the action to planned instead."
                    )
                )
        if self.env.context.get(TODO_SYNC) or not {"date_deadline", "user_id"} & set(vals):
            return super().write(vals)
        actions = self._get_crm_actions()
        res = super().write(vals)
        for activity in self._filter_crm_action_todos():
            action = actions.filtered(lambda a, activity=activity: a.id == activity.res_id)
            action_vals = {}
            if "date_deadline" in vals and action.date_due != activity.date_deadline:
                action_vals["date_deadline"] = activity.date_deadline
            if "user_id" in vals and action.user_id != activity.user_id:
                action_vals["user_id"] = activity.user_id.id
            if action_vals:
                action.with_context(**{TODO_SYNC: True}).write(action_vals)
        # e.g. a to-do given to nobody: bring the to-do back in line with the action
        actions._sync_todo_activity()
        return res

    def unlink(self):
        if self.env.context.get(TODO_SYNC):
            return super().unlink()
        action_ids = self._filter_crm_action_todos().mapped("res_id")
        res = super().unlink()
        # actions being deleted themselves no longer exist; done actions stay done
        actions = self.env["crm.action"].browse(action_ids).exists().filtered(lambda a: a.state == "planned")
        if actions:
            actions.with_context(**{TODO_SYNC: True}).action_cancel()
        return res

    def _action_done(self, feedback=False, attachment_ids=None):
        if not self.env.context.get(TODO_SYNC):
            # done with its action already: Odoo would log it done a second time on the
            # action's chatter and delete it before the daily clean-up
            archived = self._filter_crm_action_todos().filtered(lambda a: not a.active)
            if archived:
                return (self - archived)._action_done(feedback=feedback, attachment_ids=attachment_ids)
            actions = self._get_crm_actions().filtered(lambda a: a.state == "planned")
            missing = actions.filtered(lambda a: not a.result_id)
            if missing:
                raise UserError(
                    self.env._(
                        "Set a result on the action '%(name)s' before marking its to-do done: "
                        "open the action, choose its result, then mark it done.",
                        name=missing[0].name,
                    )
                )
            if feedback and not is_html_empty(feedback):
                actions.filtered(lambda a: not a.result_detail).write({"result_detail": html2plaintext(feedback)})
            if actions:
                actions.with_context(**{TODO_SYNC: True}).action_done()
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
