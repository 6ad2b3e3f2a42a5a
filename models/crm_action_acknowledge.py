from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmAction(models.Model):
    """Acknowledgement of assigned actions (seed 002): an action assigned to someone
    else than the person assigning it must be acknowledged by its responsible, who is
    notified at once, then reminded at login and every N minutes (their preference)."""

    _inherit = "crm.action"

    acknowledgement_pending = fields.Boolean(
        readonly=True,
        copy=False,
        index=True,
        help="Assigned to the responsible by someone else and not acknowledged yet.",
    )
    acknowledged_date = fields.Datetime(readonly=True, copy=False)
    acknowledged_by_id = fields.Many2one("res.users", string="Acknowledged By", readonly=True, copy=False)
    last_reminder_date = fields.Datetime(
        string="Last Reminder",
        readonly=True,
        copy=False,
        help="When the responsible was last notified or reminded of this unacknowledged action.",
    )
    is_responsible = fields.Boolean(compute="_compute_is_responsible")

    @api.depends("user_id")
    @api.depends_context("uid")
    def _compute_is_responsible(self):
        for action in self:
            action.is_responsible = action.user_id == self.env.user

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        assigned = actions.filtered(lambda a: a.state == "planned" and a.user_id and a.user_id != self.env.user)
        assigned._request_acknowledgement(new=True)
        return actions

    def write(self, vals):
        if vals.get("state") in ("done", "cancel"):
            vals = dict(vals, acknowledgement_pending=False)
        previous_users = {action.id: action.user_id for action in self} if "user_id" in vals else {}
        res = super().write(vals)
        if previous_users:
            reassigned = self.filtered(lambda a: a.user_id != previous_users[a.id])
            to_others = reassigned.filtered(lambda a: a.state == "planned" and a.user_id and a.user_id != self.env.user)
            to_others._request_acknowledgement()
            (reassigned - to_others).filtered("acknowledgement_pending").sudo().write(
                {"acknowledgement_pending": False}
            )
        return res

    def _message_auto_subscribe_notify(self, partner_ids, template):
        # The acknowledgement request is how a responsible learns of an action assigned
        # to them: Odoo's "You have been assigned" message would say it a second time.
        return

    # ------------------------------------------------------------ buttons
    def action_acknowledge(self):
        """Acknowledge the actions assigned to the current user: fills the
        acknowledgement date and stops the reminders. Only the responsible may."""
        others = self.filtered(lambda a: a.user_id != self.env.user)
        if others:
            other = others[0]
            if not other.user_id:
                raise UserError(
                    self.env._(
                        "'%(name)s' has no responsible: assign it before it can be acknowledged.", name=other.name
                    )
                )
            raise UserError(
                self.env._(
                    "Only %(user)s, the responsible of '%(name)s', can acknowledge it.",
                    user=other.user_id.name,
                    name=other.name,
                )
            )
        to_acknowledge = self.filtered(lambda a: not a.acknowledged_date)
        # the responsible may acknowledge even where the form is locked (e.g. done)
        to_acknowledge.sudo().write(
            {
                "acknowledged_date": fields.Datetime.now(),
                "acknowledged_by_id": self.env.uid,
                "acknowledgement_pending": False,
            }
        )
        for action in to_acknowledge:
            requester = action.requester_id
            action.message_post(
                body=self.env._("%(user)s acknowledged this action.", user=self.env.user.name),
                partner_ids=(requester.partner_id.ids if requester and requester != self.env.user else []),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # ------------------------------------------------------------ business
    def _request_acknowledgement(self, new=False):
        """Ask the responsibles to acknowledge ``self``: inbox message and sticky notification.

        :param new: ``self`` was just created, so nothing was acknowledged yet
        """
        if not self:
            return
        values = {"acknowledgement_pending": True, "last_reminder_date": fields.Datetime.now()}
        if not new:
            values.update(acknowledged_date=False, acknowledged_by_id=False)
        # new records: their values are still in the cache, written at the same flush as
        # the INSERT's other columns would be (one UPDATE for the batch)
        self.sudo().write(values)
        for action in self:
            action.message_post(
                body=self.env._(
                    "%(requester)s assigned you this action: %(name)s. Please acknowledge it.",
                    requester=self.env.user.name,
                    name=action.name,
                ),
                partner_ids=action.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )
        for user, actions in self.grouped("user_id").items():
            actions._send_acknowledgement_reminder(user, title=self.env._("New action assigned to you"))

    def _send_acknowledgement_reminder(self, user, title=None):
        """Sticky notification in the web client of ``user`` listing ``self``."""
        names = ", ".join(self[:5].mapped("name"))
        if len(self) > 5:
            names = self.env._("%(names)s and %(count)s more", names=names, count=len(self) - 5)
        user._bus_send(
            "simple_notification",
            {
                "type": "warning",
                "sticky": True,
                "title": title or self.env._("Actions waiting for your acknowledgement"),
                "message": self.env._(
                    "Please acknowledge %(names)s (CRM > Actions > My Actions).",
                    names=names,
                ),
            },
        )

    @api.model
    def _remind_unacknowledged(self, users=None, now=None, force=False):
        """Remind the responsibles of their pending unacknowledged actions.

        Only pending ones are read (indexed ``acknowledgement_pending``), so the cost
        does not grow with acknowledged actions. A user is reminded when their
        preference ``crm_action_reminder_interval`` (minutes) is not 0 and the last
        reminder is at least that old, or always with ``force`` (at login).
        """
        now = now or fields.Datetime.now()
        domain = [("acknowledgement_pending", "=", True), ("state", "=", "planned"), ("user_id", "!=", False)]
        if users is not None:
            domain.append(("user_id", "in", users.ids))
        pending = self.sudo().search(domain, order="id")
        reminded = self.sudo().browse()
        for user, actions in pending.grouped("user_id").items():
            interval = user.crm_action_reminder_interval
            if interval <= 0:
                continue
            if not force:
                threshold = now - timedelta(minutes=interval)
                actions = actions.filtered(lambda a, t=threshold: not a.last_reminder_date or a.last_reminder_date <= t)
            if actions:
                actions._send_acknowledgement_reminder(user)
                reminded |= actions
        if reminded:
            reminded.write({"last_reminder_date": now})
        return reminded

    @api.model
    def _cron_remind_unacknowledged(self):
        self._remind_unacknowledged()
