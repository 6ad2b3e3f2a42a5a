from markupsafe import Markup

from odoo import api, fields, models


class CrmAction(models.Model):
    """Settings > CRM > CRM Actions > "E-mail unacknowledged assignments": besides the
    notifications in Odoo, the responsible receives one e-mail about an assignment
    still unacknowledged at the first reminder."""

    _inherit = "crm.action"

    acknowledgement_emailed = fields.Boolean(readonly=True, copy=False)

    def _request_acknowledgement(self, new=False):
        if not new:
            # a reassignment gets its own e-mail
            self.filtered("acknowledgement_emailed").sudo().write({"acknowledgement_emailed": False})
        return super()._request_acknowledgement(new=new)

    @api.model
    def _remind_unacknowledged(self, users=None, now=None, force=False):
        reminded = super()._remind_unacknowledged(users=users, now=now, force=force)
        # At login the user is in Odoo already: only the periodic reminders e-mail.
        if not force and self.env["ir.config_parameter"].sudo().get_param("crm_action.reminder_email"):
            reminded.filtered(lambda a: not a.acknowledgement_emailed)._send_acknowledgement_email()
        return reminded

    def _send_acknowledgement_email(self):
        """One e-mail per responsible listing ``self``; each action is e-mailed once."""
        Mail = self.env["mail.mail"].sudo()
        for user, actions in self.grouped("user_id").items():
            if not user.email:
                continue
            actions = actions.with_context(lang=user.lang)
            items = Markup().join(Markup("<li>%s</li>") % action.display_name for action in actions)
            Mail.create(
                {
                    "subject": actions.env._("Actions waiting for your acknowledgement"),
                    "body_html": Markup("<p>%s</p><ul>%s</ul>")
                    % (
                        actions.env._(
                            "%(user)s, these actions were assigned to you and are not acknowledged yet "
                            "(CRM > CRM Actions > My Actions):",
                            user=user.name,
                        ),
                        items,
                    ),
                    "email_to": user.email_formatted,
                    "auto_delete": True,
                }
            )
        self.sudo().write({"acknowledgement_emailed": True})
