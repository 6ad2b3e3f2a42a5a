import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)


class ResUsers(models.Model):
    _inherit = "res.users"

    # The reminder interval follows Settings > CRM > CRM Actions until the user sets
    # their own: then it is theirs, whatever the default becomes.
    crm_action_reminder_interval = fields.Integer(
        string="Action Reminder Interval",
        default=lambda self: self.env["res.config.settings"]._crm_action_reminder_interval(),
        help="Minutes between two reminders of the CRM actions assigned to you that you "
        "have not acknowledged yet (checked every 5 minutes); 0 for no reminder.",
    )
    crm_action_reminder_own = fields.Boolean(
        string="Own Reminder Interval",
        help="Off: the default interval of Settings > CRM > CRM Actions applies, and follows it when it changes.",
    )

    _sql_constraints = [
        (
            "crm_action_reminder_interval_positive",
            "CHECK(crm_action_reminder_interval >= 0)",
            "The action reminder interval cannot be negative: use 0 for no reminder.",
        ),
    ]

    @property
    def SELF_READABLE_FIELDS(self):
        return [*super().SELF_READABLE_FIELDS, "crm_action_reminder_interval", "crm_action_reminder_own"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return [*super().SELF_WRITEABLE_FIELDS, "crm_action_reminder_interval", "crm_action_reminder_own"]

    @api.onchange("crm_action_reminder_interval")
    def _onchange_crm_action_reminder_interval(self):
        if self.crm_action_reminder_interval != self._crm_action_default_reminder_interval():
            self.crm_action_reminder_own = True

    @api.onchange("crm_action_reminder_own")
    def _onchange_crm_action_reminder_own(self):
        if not self.crm_action_reminder_own:
            self.crm_action_reminder_interval = self._crm_action_default_reminder_interval()

    def write(self, vals):
        if "crm_action_reminder_own" in vals and not vals["crm_action_reminder_own"]:
            vals = dict(vals, crm_action_reminder_interval=self._crm_action_default_reminder_interval())
        elif "crm_action_reminder_interval" in vals and "crm_action_reminder_own" not in vals:
            # a user who sets an interval (My Preferences) chooses their own
            vals = dict(vals, crm_action_reminder_own=True)
        return super().write(vals)

    @api.model
    def _update_last_login(self):
        res = super()._update_last_login()
        # Remind at login; a failure here must never prevent the user from logging in.
        try:
            with self.env.cr.savepoint():
                self.env["crm.action"]._remind_unacknowledged(users=self.env.user, force=True)
        except Exception:  # pylint: disable=broad-except
            _logger.exception("Could not remind user %s of their unacknowledged CRM actions", self.env.uid)
        return res

    @api.model
    def _crm_action_default_reminder_interval(self):
        return self.env["res.config.settings"]._crm_action_reminder_interval()

    @api.model
    def _crm_action_apply_default_reminder_interval(self):
        """Give the default interval to every user who has not set their own."""
        interval = self._crm_action_default_reminder_interval()
        # every user's preference follows the administrator's default
        users = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("crm_action_reminder_own", "=", False),
                    ("crm_action_reminder_interval", "!=", interval),
                ]
            )
        )
        if users:
            users.write({"crm_action_reminder_interval": interval, "crm_action_reminder_own": False})
