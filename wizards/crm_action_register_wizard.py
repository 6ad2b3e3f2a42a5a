from babel.dates import format_date, format_datetime

from odoo import api, fields, models
from odoo.tools.misc import babel_locale_parse, get_lang, posix_to_ldml

from ..models.crm_action import FLOW_MODES, PARTNER_FIELDS_READ


class CrmActionRegisterWizard(models.TransientModel):
    """Register an action done with a partner or on a lead in one dialog: campaign,
    action, result, details; saving runs the rules and the result-driven flow."""

    _name = "crm.action.register.wizard"
    _description = "Register an Action"

    partner_id = fields.Many2one("res.partner", string="Account")
    commercial_partner_id = fields.Many2one(related="partner_id.commercial_partner_id")
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact",
        compute="_compute_contact_id",
        precompute=True,
        store=True,
        readonly=False,
        domain="[('commercial_partner_id', '=', commercial_partner_id)]",
    )
    lead_id = fields.Many2one("crm.lead", string="Lead/Opportunity")
    occurrence_id = fields.Many2one("crm.action.occurrence", string="Occurrence")

    # Campaign -> action -> result
    campaign_id = fields.Many2one("utm.campaign", string="Campaign")
    type_id = fields.Many2one("crm.action.type", string="Action", required=True)
    result_id = fields.Many2one("crm.action.result", string="Result", required=True)
    medium_id = fields.Many2one("utm.medium", string="Medium")
    allowed_type_ids = fields.Many2many(
        "crm.action.type",
        compute="_compute_allowed_ids",
        help="The campaign's actions: the dialog offers only these once a campaign is chosen.",
    )
    allowed_result_ids = fields.Many2many(
        "crm.action.result",
        compute="_compute_allowed_ids",
        help="The results configured on the campaign action, offered first.",
    )
    flow_mode = fields.Selection(
        FLOW_MODES,
        compute="_compute_flow_mode",
    )
    lost_reason_id = fields.Many2one("crm.lost.reason", string="Loss Reason")

    # Details
    name = fields.Char(string="Summary")
    result_detail_id = fields.Many2one(
        "crm.action.result.detail",
        string="Result Detail",
        domain="['|', ('result_id', '=', False), ('result_id', '=', result_id)]",
    )
    description = fields.Html()
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "crm_action_register_wizard_attachment_rel",
        string="Files",
        help="Files of the action (an offer, a photo, minutes), attached to it when it is registered.",
    )
    date_start = fields.Datetime(string="Start", required=True, default=fields.Datetime.now)
    date_end = fields.Datetime(string="End")

    # Expenses, when the campaign action plans one (seed 000 "Registrar Ação - Despesas")
    show_expenses = fields.Boolean(compute="_compute_expense_planned")
    expense_planned = fields.Monetary(
        string="Planned Expense",
        compute="_compute_expense_planned",
        currency_field="expense_currency_id",
    )
    expense_currency_id = fields.Many2one("res.currency", compute="_compute_expense_planned")
    expense_line_ids = fields.One2many(
        "crm.action.register.wizard.expense",
        "wizard_id",
        string="Expenses",
        help="The expenses of the action, logged on it when it is registered.",
    )

    @api.depends("partner_id")
    def _compute_contact_id(self):
        # what the action's save reads of the partner, not its hundred-odd columns
        self.partner_id.fetch(PARTNER_FIELDS_READ)
        for wizard in self:
            wizard.contact_id = wizard.partner_id._crm_action_main_contact()

    @api.depends("campaign_id", "type_id")
    def _compute_allowed_ids(self):
        for wizard in self:
            lines = wizard.campaign_id.action_line_ids
            wizard.allowed_type_ids = lines.type_id
            line = wizard._campaign_line() if wizard.type_id else lines.browse()
            wizard.allowed_result_ids = line.result_flow_ids.result_id | line.default_result_id

    @api.depends("campaign_id", "type_id")
    def _compute_expense_planned(self):
        for wizard in self:
            line = wizard._campaign_line()
            wizard.expense_planned = line.expense_planned
            wizard.expense_currency_id = line.currency_id
            wizard.show_expenses = bool(line.expense_planned)

    @api.depends("campaign_id", "type_id", "result_id")
    def _compute_flow_mode(self):
        for wizard in self:
            line = wizard._campaign_line()
            wizard.flow_mode = line._get_result_flow(wizard.result_id).mode if line and wizard.result_id else False

    @api.onchange("lead_id")
    def _onchange_lead_id(self):
        for wizard in self:
            if wizard.lead_id.partner_id and not wizard.partner_id:
                wizard.partner_id = wizard.lead_id.partner_id
            if wizard.lead_id.campaign_id and not wizard.campaign_id:
                wizard.campaign_id = wizard.lead_id.campaign_id

    @api.onchange("campaign_id")
    def _onchange_campaign_id(self):
        for wizard in self:
            self.env["crm.action.campaign.line"]._apply_action_defaults(wizard, first_type=True)

    @api.onchange("type_id")
    def _onchange_type_id(self):
        for wizard in self:
            self.env["crm.action.campaign.line"]._apply_action_defaults(wizard)

    def action_register(self):
        """Create the done action; return the next-action wizard when its result asks for one,
        else a notification saying what was planned, closing the dialog."""
        action = self._register_action()
        if action.flow_mode == "ask":
            return action.action_plan_next()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self._registered_message(action),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_register_and_notify(self):
        """Create the done action, then open the Notify dialog about it; the Next Action
        dialog follows when the result asks for one."""
        action = self._register_action()
        res = action.action_open_notify_wizard()
        res["context"]["default_then_plan_next"] = action.flow_mode == "ask"
        return res

    def _register_action(self):
        self.ensure_one()
        # Created done in one step rather than planned then marked done: creating a done
        # action runs the same rules and flow, without a to-do, an acknowledgement request
        # and a state change that would all be undone a moment later.
        # the campaign's actions, their result flows and action types, read once for the
        # values below and the save
        self.env["crm.action.campaign.line"]._prefetch_campaigns(self.campaign_id)
        values = dict(self._prepare_action_values(), state="done")
        action = self.env["crm.action"].create(values)
        action._attach_files(self.attachment_ids)
        # the section is hidden when the campaign action plans no expense: what it held is dropped
        if action.campaign_line_id.expense_planned and self.expense_line_ids:
            self.env["crm.action.expense"].create(
                [line._prepare_expense_values(action) for line in self.expense_line_ids]
            )
        return action

    def _registered_message(self, action):
        """What registering ``action`` did, as the user reads it: the next action or
        follow-up planned (the earliest, in the user's time zone and date format)."""
        planned = (action.next_action_ids | action.followup_action_id)._filtered_access("read")
        planned = planned.filtered(lambda a: a.state == "planned" and a.date_start)
        if not planned:
            return self.env._("Action registered.")
        first = min(planned, key=lambda a: a.date_start)
        return self.env._(
            "Action registered; next action planned for %(date)s.",
            date=self._format_when(first.date_start, date_only=first.all_day),
        )

    def _format_when(self, value, date_only=False):
        """``value`` (UTC) in the user's time zone, date format and time without seconds."""
        lang = get_lang(self.env)
        locale = babel_locale_parse(lang.code)
        local = fields.Datetime.context_timestamp(self.with_context(tz=self.env.user.tz or "UTC"), value)
        date_format = posix_to_ldml(lang.date_format, locale=locale)
        if date_only:
            return format_date(local, format=date_format, locale=locale)
        time_format = posix_to_ldml(lang.time_format.replace(":%S", ""), locale=locale)
        return format_datetime(local, f"{date_format} {time_format}", locale=locale)

    def _campaign_line(self):
        self.ensure_one()
        return self.campaign_id.action_line_ids.filtered(lambda ln: ln.type_id == self.type_id)[:1]

    def _prepare_action_values(self):
        values = {
            "name": self.name or self.type_id.name,
            "partner_id": self.partner_id.id,
            "lead_id": self.lead_id.id,
            "occurrence_id": self.occurrence_id.id,
            "campaign_id": self.campaign_id.id,
            "type_id": self.type_id.id,
            "result_id": self.result_id.id,
            "medium_id": self.medium_id.id,
            "lost_reason_id": self.lost_reason_id.id,
            "result_detail_id": self.result_detail_id.id,
            "description": self.description,
            "date_start": self.date_start,
            "date_end": self.date_end if self.date_end and self.date_end >= self.date_start else self.date_start,
        }
        # the dialog's contact, even none: it was proposed from the partner already
        values["contact_ids"] = [fields.Command.set(self.contact_id.ids)]
        return values
