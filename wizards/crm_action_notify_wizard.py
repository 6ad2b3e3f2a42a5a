from odoo import Command, api, fields, models


class CrmActionNotifyWizard(models.TransientModel):
    """Notify: e-mail an action's summary to people involved in it (suggested, to filter
    and tick) and to typed addresses; sending is the action's (``_notify_send``)."""

    _name = "crm.action.notify.wizard"
    _description = "Notify About an Action"

    action_id = fields.Many2one("crm.action", string="Action", required=True, readonly=True, ondelete="cascade")
    partner_ids = fields.Many2many(
        "res.partner",
        "crm_action_notify_wizard_partner_rel",
        "wizard_id",
        "partner_id",
        string="Recipients",
        compute="_compute_partner_ids",
        store=True,
        readonly=False,
        help="Who receives the summary: tick people in the suggestions, or add them here.",
    )
    filter_text = fields.Char(
        string="Filter",
        help="Show only the suggestions whose name, e-mail or role contains this text.",
    )
    line_ids = fields.One2many(
        "crm.action.notify.wizard.line",
        "wizard_id",
        string="Suggestions",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
    )
    email_extra = fields.Char(
        string="Other Addresses",
        help="Further e-mail addresses, separated by commas.",
    )
    # set by the Register and Next Action dialogs: what opens once the e-mail is queued
    then_plan_next = fields.Boolean(readonly=True)

    @api.depends("action_id")
    def _compute_partner_ids(self):
        for wizard in self:
            wizard.partner_ids = wizard.action_id.notify_partner_ids

    @api.depends("action_id", "filter_text")
    def _compute_line_ids(self):
        for wizard in self:
            if not wizard.action_id:
                wizard.line_ids = [Command.clear()]
                continue
            needle = (wizard.filter_text or "").strip().casefold()
            # in the dialog the record is new: its recipients are new records over the real ones
            ticked = wizard.partner_ids._origin
            lines = []
            for partner, roles in wizard.action_id._notify_suggestions():
                role = ", ".join(roles)
                if needle and needle not in f"{partner.name or ''} {partner.email or ''} {role}".casefold():
                    continue
                lines.append(Command.create({"partner_id": partner.id, "role": role, "selected": partner in ticked}))
            wizard.line_ids = [Command.clear(), *lines]

    @api.onchange("line_ids")
    def _onchange_line_ids(self):
        # the ticks of the suggestions shown; those filtered out keep theirs
        for wizard in self:
            shown = wizard.line_ids.partner_id._origin
            selected = wizard.line_ids.filtered("selected").partner_id._origin
            wizard.partner_ids = (wizard.partner_ids._origin - shown) | selected

    @api.onchange("partner_ids")
    def _onchange_partner_ids(self):
        for wizard in self:
            ticked = wizard.partner_ids._origin
            for line in wizard.line_ids:
                if line.selected != (line.partner_id._origin in ticked):
                    line.selected = not line.selected

    @api.model_create_multi
    def create(self, vals_list):
        # the action is the client's claim: the user must be allowed to read it
        actions = self.env["crm.action"].browse([vals["action_id"] for vals in vals_list if vals.get("action_id")])
        actions.check_access("read")
        return super().create(vals_list)

    def action_send(self):
        """Queue the e-mail to the ticked people and the typed addresses."""
        self.ensure_one()
        action = self.action_id
        emails = action._notify_parse_emails(self.email_extra)
        action._notify_send(self.partner_ids, emails)
        recipients = self.partner_ids.mapped("name") + [
            email for email in emails if email not in self.partner_ids.mapped("email_normalized")
        ]
        next_step = action.action_plan_next() if self.then_plan_next else {"type": "ir.actions.act_window_close"}
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Summary of '%(action)s' queued for %(recipients)s.",
                    action=action.name,
                    recipients=", ".join(recipients),
                ),
                "next": next_step,
            },
        }
