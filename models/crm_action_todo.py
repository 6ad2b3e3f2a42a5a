from odoo import api, fields, models

# Context flag set while one side of the to-do sync updates the other, so that the
# update does not bounce back (action -> activity -> action -> ...).
TODO_SYNC = "crm_action_todo_sync"
# Fields of crm.action whose change must be reflected on its to-do.
TODO_FIELDS = {"state", "user_id", "date_deadline", "date_start", "name"}


class CrmAction(models.Model):
    """Every planned action with a responsible owns exactly one to-do in Odoo's
    activity system (mail.activity of the dedicated type), kept in sync both ways:
    see also models/mail_activity.py for the activity side."""

    _inherit = "crm.action"

    todo_activity_id = fields.Many2one(
        "mail.activity",
        string="To-do",
        compute="_compute_todo_activity_id",
        help="The to-do of the responsible in Odoo's activities, kept in sync with this action.",
    )

    def _compute_todo_activity_id(self):
        todos = self._get_todo_activities()
        for action in self:
            action.todo_activity_id = todos.get(action.id, self.env["mail.activity"])[:1]

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        actions._sync_todo_activity(new=True)
        return actions

    def write(self, vals):
        res = super().write(vals)
        if TODO_FIELDS & set(vals) and not self.env.context.get(TODO_SYNC):
            self._sync_todo_activity()
        return res

    # ------------------------------------------------------------ business
    @api.model
    def _get_todo_activity_type(self):
        # cached xmlid lookup, no query (env.ref would check that the record exists)
        type_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "crm_action.mail_activity_type_crm_action_todo", raise_if_not_found=False
        )
        return self.env["mail.activity.type"].browse(type_id)

    def _get_todo_activities(self):
        """Return {action id: mail.activity (sudo) recordset} of the to-dos of ``self``."""
        activity_type = self._get_todo_activity_type()
        if not activity_type or not self.ids:
            return {}
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", activity_type.id),
                ],
                order="id",
            )
        )
        todos = {}
        for activity in activities:
            todos.setdefault(activity.res_id, self.env["mail.activity"].sudo())
            todos[activity.res_id] |= activity
        return todos

    def _prepare_todo_activity_values(self):
        self.ensure_one()
        return {
            "user_id": self.user_id.id,
            "date_deadline": self.date_due or fields.Date.context_today(self),
            "summary": self.name,
        }

    def _sync_todo_activity(self, new=False):
        """Create, update, complete or remove the to-do of each action so that a
        planned action with a responsible has exactly one, and any other has none.

        Only differences are written, so calling it twice is harmless. The activity
        side is managed as superuser (the change of the action was already checked)
        and with TODO_SYNC set, so that it does not write back on the action.

        :param new: ``self`` was just created, so it has no to-do yet (saves a search)
        """
        activity_type = self._get_todo_activity_type()
        if not activity_type:
            return
        todos = {} if new else self._get_todo_activities()
        activity_model = self.env["mail.activity"].sudo().with_context(**{TODO_SYNC: True})
        # no "you have been assigned" e-mail: the acknowledgement request notifies instead
        activity_model = activity_model.with_context(mail_activity_quick_update=True)
        res_model_id = self.env["ir.model"]._get_id(self._name)
        to_create, to_complete, to_remove = [], activity_model, activity_model
        for action in self:
            todo = todos.get(action.id, activity_model)
            if action.state != "planned" or not action.user_id:
                if action.state == "done":
                    to_complete |= todo
                else:
                    to_remove |= todo
                continue
            # never more than one to-do per action
            to_remove |= todo[1:]
            todo = todo[:1]
            values = action._prepare_todo_activity_values()
            if not todo:
                to_create.append(
                    dict(
                        values,
                        res_model_id=res_model_id,
                        res_id=action.id,
                        activity_type_id=activity_type.id,
                    )
                )
                continue
            changes = {
                name: value
                for name, value in values.items()
                if (todo[name].id if name == "user_id" else todo[name]) != value
            }
            if changes:
                todo.with_context(**{TODO_SYNC: True, "mail_activity_quick_update": True}).write(changes)
        if to_create:
            activity_model.create(to_create)
        if to_complete:
            # Odoo deletes done activities unless their type keeps them; the action's
            # own chatter already logs it done, so only a kept one goes through
            # _action_done (which would post a second "done" message)
            kept = to_complete if activity_type.keep_done else to_complete.browse()
            if kept:
                kept.with_context(**{TODO_SYNC: True})._action_done()
            to_remove |= to_complete - kept
        if to_remove:
            to_remove.with_context(**{TODO_SYNC: True}).unlink()
