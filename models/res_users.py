import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)


class ResUsers(models.Model):
    _inherit = "res.users"

    crm_action_reminder_interval = fields.Integer(
        string="Action Reminder Interval",
        default=30,
        help="Minutes between two reminders of the CRM actions assigned to you that you "
        "have not acknowledged yet (checked every 5 minutes); 0 for no reminder.",
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
        return [*super().SELF_READABLE_FIELDS, "crm_action_reminder_interval"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return [*super().SELF_WRITEABLE_FIELDS, "crm_action_reminder_interval"]

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
