from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmAction(models.Model):
    """E-mail notification of chosen recipients (seed 000), suggested from the people involved."""

    _inherit = "crm.action"

    notify_partner_ids = fields.Many2many(
        "res.partner",
        "crm_action_notify_partner_rel",
        "action_id",
        "partner_id",
        string="Recipients",
        compute="_compute_notify_partner_ids",
        store=True,
        readonly=False,
        help="People who receive the action's summary by e-mail with the Notify button. "
        "Proposed from the responsible, the requester, the contact persons and the "
        "lead's salesperson.",
    )

    @api.depends("user_id", "requester_id", "contact_ids", "lead_id.user_id")
    def _compute_notify_partner_ids(self):
        for action in self:
            people = (
                action.user_id.partner_id
                | action.requester_id.partner_id
                | action.contact_ids
                | action.lead_id.user_id.partner_id
            )
            action.notify_partner_ids = people.filtered("email")

    def action_notify_recipients(self):
        """Send one e-mail with the action's summary to the chosen recipients."""
        template = self.env.ref("crm_action.crm_action_mail_template_notify")
        for action in self:
            if not action.notify_partner_ids:
                raise UserError(
                    self.env._("Choose at least one recipient to notify about '%(name)s'.", name=action.name)
                )
            no_email = action.notify_partner_ids.filtered(lambda p: not p.email)
            if no_email:
                raise UserError(
                    self.env._(
                        "Recipients without an e-mail address: %(names)s. Add their address or "
                        "remove them from the recipients.",
                        names=", ".join(no_email.mapped("display_name")),
                    )
                )
            subject = template._render_field("subject", action.ids)[action.id]
            body = template._render_field("body_html", action.ids, compute_lang=True)[action.id]
            action.message_post(
                subject=subject,
                body=body,
                partner_ids=action.notify_partner_ids.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                email_layout_xmlid="mail.mail_notification_light",
            )
        return True
