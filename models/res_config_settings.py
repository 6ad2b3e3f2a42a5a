from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# Defaults of the module-wide parameters, used wherever the parameter is read.
DEFAULT_REMINDER_INTERVAL = 30
DEFAULT_EXPORT_ROW_LIMIT = 1000000
REMINDER_INTERVAL_PARAM = "crm_action.reminder_interval"
EXPORT_ROW_LIMIT_PARAM = "crm_action.export_row_limit"
OPEN_SPAWNED_LEAD_PARAM = "crm_action.open_spawned_lead"
SPAWN_SYNC_LIMIT_PARAM = "crm_action.spawn_sync_limit"
# Documents saved together above this number get their leads from a background job.
DEFAULT_SPAWN_SYNC_LIMIT = 20
# Switch field -> the shipped automation rule it turns on and off
SPAWN_TRIGGER_AUTOMATIONS = {
    "crm_action_trigger_quotation": "crm_action.crm_action_automation_quotation",
    "crm_action_trigger_order": "crm_action.crm_action_automation_order",
    "crm_action_trigger_return": "crm_action.crm_action_automation_return",
}


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # Features that add screens: one group each, implied by Employee when on
    group_crm_action_expenses = fields.Boolean(
        string="Action Expenses",
        implied_group="crm_action.group_crm_action_expenses",
    )
    group_crm_action_occurrences = fields.Boolean(
        string="Occurrences",
        implied_group="crm_action.group_crm_action_occurrences",
    )
    group_crm_action_timer = fields.Boolean(
        string="Action Timer",
        implied_group="crm_action.group_crm_action_timer",
    )
    group_crm_action_meetings = fields.Boolean(
        string="Meetings with Costs",
        implied_group="crm_action.group_crm_action_meetings",
    )

    # Lead spawning: the company's default sequences (on res.company) ...
    crm_action_quotation_sequence_id = fields.Many2one(
        related="company_id.crm_action_quotation_sequence_id",
        readonly=False,
        domain="[('company_id', 'in', [company_id, False])]",
    )
    crm_action_order_sequence_id = fields.Many2one(
        related="company_id.crm_action_order_sequence_id",
        readonly=False,
        domain="[('company_id', 'in', [company_id, False])]",
    )
    crm_action_return_sequence_id = fields.Many2one(
        related="company_id.crm_action_return_sequence_id",
        readonly=False,
        domain="[('company_id', 'in', [company_id, False])]",
    )
    # ... one switch per trigger: the shipped automation rule's own active flag, so this
    # page and Settings > Technical > Automation Rules always show the same state ...
    crm_action_trigger_quotation = fields.Boolean(
        string="Leads from New Quotations",
        compute="_compute_crm_action_triggers",
        inverse="_inverse_crm_action_triggers",
    )
    crm_action_trigger_order = fields.Boolean(
        string="Leads from Confirmed Orders",
        compute="_compute_crm_action_triggers",
        inverse="_inverse_crm_action_triggers",
    )
    crm_action_trigger_return = fields.Boolean(
        string="Leads from Customer Returns",
        compute="_compute_crm_action_triggers",
        inverse="_inverse_crm_action_triggers",
    )
    # ... and what "Open the Lead" is on a new sequence
    crm_action_open_spawned_lead = fields.Boolean(
        string="Open the Spawned Lead",
        config_parameter=OPEN_SPAWNED_LEAD_PARAM,
        help="Default of new sequences: show the spawned lead at once to the user whose "
        "confirmation or validated return created it.",
    )

    crm_action_work_hour = fields.Float(related="company_id.crm_action_work_hour", readonly=False)

    # Reminders of unacknowledged assignments. The interval is read and written in
    # get_values/set_values, not with config_parameter: 0 (never) must be stored as
    # such, where config_parameter would delete the parameter and fall back to 30.
    crm_action_reminder_interval = fields.Integer(
        string="Default Reminder Interval",
        default=DEFAULT_REMINDER_INTERVAL,
        help="Minutes between two reminders of an unacknowledged action, for users who have not "
        "set their own interval in their preferences. 0: never remind.",
    )
    crm_action_reminder_email = fields.Boolean(
        string="E-mail Unacknowledged Assignments",
        config_parameter="crm_action.reminder_email",
        help="Besides the notifications in Odoo, send the responsible one e-mail about an "
        "assignment they have not acknowledged.",
    )

    # Read and written in get_values/set_values like the reminder interval: 0 (always in
    # the background) is a value, which config_parameter would store as no parameter at all.
    crm_action_spawn_sync_limit = fields.Integer(
        string="Spawn at Once up to",
        default=DEFAULT_SPAWN_SYNC_LIMIT,
        help="Documents saved together (an import, an API call) up to this number spawn their "
        "leads at once; a larger batch queues them for a background job that creates them "
        "within a minute, so that the save stays fast. 0: always in the background.",
    )

    # Statistics
    crm_action_export_row_limit = fields.Integer(
        string="Export Row Limit",
        config_parameter=EXPORT_ROW_LIMIT_PARAM,
        default=DEFAULT_EXPORT_ROW_LIMIT,
        help="Most actions one statistics export may hold; a larger period is refused with a "
        "message asking for a shorter period or more filters.",
    )

    def _compute_crm_action_triggers(self):
        states = self._crm_action_trigger_states()
        for settings in self:
            settings.update(states)

    def _inverse_crm_action_triggers(self):
        for settings in self:
            for fname, xmlid in SPAWN_TRIGGER_AUTOMATIONS.items():
                automation = self.env.ref(xmlid, raise_if_not_found=False)
                if not automation:
                    if settings[fname]:
                        raise UserError(
                            self.env._(
                                "The automation rule of '%(trigger)s' was deleted: update the CRM Actions "
                                "module (Apps) to restore it, then switch it on.",
                                trigger=settings._fields[fname]._description_string(self.env),
                            )
                        )
                    continue
                if automation.active != settings[fname]:
                    automation.active = settings[fname]

    @api.constrains("crm_action_reminder_interval")
    def _check_crm_action_reminder_interval(self):
        for settings in self:
            if settings.crm_action_reminder_interval < 0:
                raise ValidationError(
                    self.env._(
                        "The default reminder interval cannot be negative (%(value)s minutes): "
                        "enter a number of minutes, or 0 to never remind.",
                        value=settings.crm_action_reminder_interval,
                    )
                )

    @api.constrains("crm_action_export_row_limit")
    def _check_crm_action_export_row_limit(self):
        for settings in self:
            if settings.crm_action_export_row_limit < 1:
                raise ValidationError(
                    self.env._(
                        "The export row limit must be a positive number of rows, not %(value)s.",
                        value=settings.crm_action_export_row_limit,
                    )
                )

    @api.constrains("crm_action_spawn_sync_limit")
    def _check_crm_action_spawn_sync_limit(self):
        for settings in self:
            if settings.crm_action_spawn_sync_limit < 0:
                raise ValidationError(
                    self.env._(
                        "The number of documents spawned at once cannot be negative (%(value)s): "
                        "use 0 to always create the leads in the background.",
                        value=settings.crm_action_spawn_sync_limit,
                    )
                )

    @api.model
    def get_values(self):
        res = super().get_values()
        res["crm_action_reminder_interval"] = self._crm_action_reminder_interval()
        res["crm_action_spawn_sync_limit"] = self._crm_action_spawn_sync_limit()
        # The switches start from their rules: a new settings record is saved with every
        # value it shows, and a switch starting at False would archive its rule.
        res.update(self._crm_action_trigger_states())
        return res

    def set_values(self):
        res = super().set_values()
        params = self.env["ir.config_parameter"].sudo()
        if params.get_param(REMINDER_INTERVAL_PARAM) != str(self.crm_action_reminder_interval):
            params.set_param(REMINDER_INTERVAL_PARAM, str(self.crm_action_reminder_interval))
            self.env["res.users"]._crm_action_apply_default_reminder_interval()
        if params.get_param(SPAWN_SYNC_LIMIT_PARAM) != str(self.crm_action_spawn_sync_limit):
            params.set_param(SPAWN_SYNC_LIMIT_PARAM, str(self.crm_action_spawn_sync_limit))
        return res

    # ------------------------------------------------------------ readers for other code
    @api.model
    def _crm_action_reminder_interval(self):
        """Default minutes between two reminders of an unacknowledged action (0: never).

        A missing or invalid parameter gives the shipped default of 30 minutes.
        """
        return self._crm_action_int_param(REMINDER_INTERVAL_PARAM, DEFAULT_REMINDER_INTERVAL, minimum=0)

    @api.model
    def _crm_action_export_row_limit(self):
        """Most rows a statistics export may hold (parameter crm_action.export_row_limit)."""
        return self._crm_action_int_param(EXPORT_ROW_LIMIT_PARAM, DEFAULT_EXPORT_ROW_LIMIT, minimum=1)

    @api.model
    def _crm_action_spawn_sync_limit(self):
        """Most documents saved together that spawn their leads at once (parameter
        crm_action.spawn_sync_limit); more are queued for the background job."""
        return self._crm_action_int_param(SPAWN_SYNC_LIMIT_PARAM, DEFAULT_SPAWN_SYNC_LIMIT, minimum=0)

    @api.model
    def _crm_action_trigger_states(self):
        """{switch field: whether its automation rule is active}"""
        states = {}
        for fname, xmlid in SPAWN_TRIGGER_AUTOMATIONS.items():
            automation = self.env.ref(xmlid, raise_if_not_found=False)
            states[fname] = bool(automation and automation.sudo().active)
        return states

    @api.model
    def _crm_action_open_spawned_lead(self):
        """Whether new sequences open their spawned lead (parameter crm_action.open_spawned_lead)."""
        return bool(self.env["ir.config_parameter"].sudo().get_param(OPEN_SPAWNED_LEAD_PARAM))

    @api.model
    def _crm_action_int_param(self, key, default, minimum):
        value = self.env["ir.config_parameter"].sudo().get_param(key)
        if not value:
            return default
        try:
            value = int(value)
        except (TypeError, ValueError):
            return default
        # a value edited by hand in System Parameters that the settings would refuse
        return value if value >= minimum else default
