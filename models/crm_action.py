import logging
import re
from collections import defaultdict
from datetime import date, datetime, time, timedelta

import pytz
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import clean_context, email_normalize, format_datetime

from .calendar_event import CALENDAR_SYNC
from .prefetch import fetch_missing, prefetch_one2many

_logger = logging.getLogger(__name__)

# Fields Odoo itself writes on records while a user only reads or comments them, and the
# expenses, logged once the action has happened: a done action stays editable for these.
DONE_WRITABLE_FIELDS = {"message_main_attachment_id", "activity_ids", "message_follower_ids", "expense_ids"}
# The actual cost of a meeting is known after it: whoever may edit the action records it.
AFTER_MEETING_FIELDS = {"actual_cost", "actual_currency_id"}

# Fields only the module sets: a client (form, RPC, import) cannot send them, so nobody
# forges an acknowledgement, a completion date, a flow link or another user's calendar event.
MODULE_FIELDS = {
    "date_done",
    "calendar_event_id",
    "previous_action_id",
    "followup_action_id",
    "partner_class_id",
    "acknowledgement_pending",
    "acknowledged_date",
    "acknowledged_by_id",
    "last_reminder_date",
    "acknowledgement_emailed",
    "timer_start",
    "timer_paused",
    "assignee_group_id",
}
# Links a client sends: the user must be allowed to read what an action points at.
LINK_FIELDS = (
    "partner_id",
    "contact_ids",
    "lead_id",
    "occurrence_id",
    "analytic_account_id",
    "template_id",
    "attendee_user_ids",
    "source_ref",
)

# The fields of crm.lead that saving an action reads: its computes (partner, team,
# campaign, medium, recipients), the record rules on leads and the lead rules.
LEAD_FIELDS_READ = [
    "partner_id",
    "team_id",
    "user_id",
    "company_id",
    "campaign_id",
    "medium_id",
    "active",
    "type",
    "stage_id",
    "class_id",
    "name",
]

# The fields of res.partner that saving an action reads of its partner, contacts and users'
# partners (computes, record rules, the Register dialog's contact); the partner's tracked
# fields are read with its class when a rule moves it
PARTNER_FIELDS_READ = [
    "name",
    "complete_name",
    "is_company",
    "type",
    "parent_id",
    "commercial_partner_id",
    "company_id",
    "class_id",
    "active",
    "tz",
    "lang",
    "email",
    "partner_share",
    "phone",
    "mobile",
]

# The fields of res.users that saving or completing an action reads of its users
USER_FIELDS_READ = ["partner_id", "share", "active", "company_id", "sale_team_id"]

# The fields of res.company that saving or completing an action reads (see _prefetch_links)
COMPANY_FIELDS_READ = ["parent_path", "active", "currency_id", "crm_action_work_hour", "name", "alias_domain_id"]

# Context flag of the records ``create`` is inserting, for the constraints it runs.
CREATING = "crm_action_creating"

# Context flag of the to-dos of new actions, whose responsibles create has subscribed.
RESPONSIBLES_FOLLOW = "crm_action_responsibles_follow"

# Context flag set while one side of the to-do sync updates the other, so that the
# update does not bounce back (action -> activity -> action -> ...).
TODO_SYNC = "crm_action_todo_sync"
# Fields whose change is reflected on the action's to-do.
TODO_FIELDS = {"state", "user_id", "date_deadline", "date_start", "name"}
# Context key of the forms of new actions registered as they happen: the timer runs from
# the moment the form was opened (seed 003), for at most this long before it is saved.
START_TIMER = "crm_action_start_timer"
TIMER_OPENED_MAX = timedelta(hours=24)
# Fields shown on the action's calendar event.
CALENDAR_FIELDS = {
    "name",
    "date_start",
    "date_end",
    "duration",
    "all_day",
    "place",
    "description",
    "user_id",
    "attendee_user_ids",
    "contact_ids",
    "add_to_calendar",
    "state",
    "type_id",
}

# Documents an action can be about (Source Document), in the order offered.
SOURCE_DOCUMENT_MODELS = [
    "sale.order",
    "stock.picking",
    "crm.lead",
    "res.partner",
    "crm.action.occurrence",
    "account.move",
]

# What saving a result does, as configured on the campaign action.
FLOW_MODES = [("ask", "Ask for the next action"), ("automatic", "Automatic next action"), ("negative", "Negative")]

# Colour indexes of Odoo's palette (kanban highlight, calendar): 1 red, 3 yellow, 4 blue.
DUE_COLORS = {"overdue": 1, "soon": 3, "later": 4, "closed": 0}


def _date_only(value):
    """The day of a start given without an hour (``date`` or ``"YYYY-MM-DD"``), else None."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and len(value.strip()) == 10:
        return fields.Date.to_date(value.strip())
    return None


def _links_records(value):
    """Whether a create value links records: an id, or commands other than an empty set
    (what the dialogs send for "no contact"), which links none and needs no check."""
    if isinstance(value, (list, tuple)):
        return any(
            not (isinstance(command, (list, tuple)) and command[0] == Command.SET and not command[2])
            for command in value
        )
    return bool(value)


class CrmAction(models.Model):
    """An interaction with a customer (call, visit, e-mail, meeting...), planned or done.

    Lifecycle, defined here and nowhere else:

    - **planned**: the responsible's to-do (one ``mail.activity`` kept in sync both ways),
      acknowledged by the responsible when someone else assigned it, optionally in the
      participants' calendar, timed by the start/pause/stop timer.
    - **planned -> done** (the form's *Mark Done*, the Register dialog, the to-do's *Mark
      Done*, ``write({'state': 'done'})`` or ``create`` with ``state='done'`` from a
      client or an import): :meth:`_complete` runs, in this order,

      1. ``_check_completion``: a result, a loss reason for a negative result, a future
         follow-up time;
      2. ``_stop_timers``: a running timer adds its time to the duration (before the
         state is written, while the action is still editable);
      3. the state and the completion date are written;
      4. ``_apply_rules``: the rules on save (partner class, lead qualification,
         opportunity stage, occurrence status) with the saver's rights;
      5. ``_apply_result_flow``: the automatic next action, or a negative result closing
         the flow and marking the opportunity lost;
      6. ``_plan_followups``: "next contact in N hours/days/weeks or on a date";
      7. ``_sync_calendar_event``, then ``_sync_todo_activity`` (the to-do is archived,
         and deleted by the daily ``_gc_done_todo_activities``);
      8. notifications (chatter notes of what was planned or closed).

      In the "ask" mode, the button returns the Next Action dialog, prepared before the
      state is written, from what the checks read.
    - **planned -> cancelled** (``action_cancel``, the to-do deleted, a negative flow)
      and **back to planned** (``action_reset_to_planned``): the to-do and the calendar
      event follow.

    Every effect runs with the rights of the user who saves: the records an action links
    to must be readable by them, the ones it changes writable. The fields in
    ``MODULE_FIELDS`` are written by the module only.
    """

    _name = "crm.action"
    _description = "CRM Action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    # Identification
    name = fields.Char(string="Summary", required=True, tracking=True)
    state = fields.Selection(
        [
            ("planned", "Planned"),
            ("done", "Done"),
            ("cancel", "Cancelled"),
        ],
        required=True,
        default="planned",
        copy=False,
        tracking=True,
        index=True,
        # the kanban shows Planned, Done, Cancelled in that order, empty columns included
        group_expand=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    priority = fields.Selection(
        [("0", "Normal"), ("1", "Important"), ("2", "High"), ("3", "Urgent")],
        default="0",
    )
    category_id = fields.Many2one("crm.action.category", string="Category")
    template_id = fields.Many2one(
        "crm.action.template",
        string="Template",
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
        help="Fills in type, summary, description, duration, category and priority.",
    )

    # Who and what it is about
    partner_id = fields.Many2one(
        "res.partner",
        string="Partner",
        compute="_compute_partner_id",
        precompute=True,
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        help="Customer, supplier, carrier or any other partner; empty for an unlinked action. "
        "Defaults to the partner of the lead/opportunity.",
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        store=True,
        precompute=True,
        index=True,
        string="Company Partner",
    )
    contact_ids = fields.Many2many(
        "res.partner",
        "crm_action_contact_rel",
        "action_id",
        "partner_id",
        string="Contact Persons",
        compute="_compute_contact_ids",
        precompute=True,
        store=True,
        readonly=False,
        domain="[('commercial_partner_id', '=', commercial_partner_id)]",
    )
    lead_id = fields.Many2one(
        "crm.lead",
        string="Lead/Opportunity",
        index=True,
        tracking=True,
        check_company=True,
    )
    occurrence_id = fields.Many2one("crm.action.occurrence", string="Occurrence", index="btree_not_null")
    source_ref = fields.Reference(
        selection="_selection_source_ref",
        string="Source Document",
        index=True,
        help="The business document this action is about.",
    )
    phone = fields.Char(compute="_compute_phone", store=True, readonly=False, precompute=True)
    phone_options = fields.Json(
        string="Numbers Offered",
        compute="_compute_phone_options",
        help="The numbers of the partner, its company and the contact persons, offered for the phone.",
    )
    place = fields.Char()

    # Classification: campaign, type, result
    campaign_id = fields.Many2one(
        "utm.campaign",
        string="Campaign",
        compute="_compute_campaign_medium",
        precompute=True,
        store=True,
        readonly=False,
        index=True,
    )
    campaign_line_id = fields.Many2one(
        "crm.action.campaign.line",
        string="Campaign Action",
        compute="_compute_campaign_line_id",
        precompute=True,
        store=True,
        index=True,
    )
    type_id = fields.Many2one("crm.action.type", string="Action Type", index=True, tracking=True)
    is_meeting = fields.Boolean(related="type_id.is_meeting")
    medium_id = fields.Many2one(
        "utm.medium",
        string="Medium",
        compute="_compute_campaign_medium",
        precompute=True,
        store=True,
        readonly=False,
    )
    objective = fields.Text(help="What this action should achieve.")
    result_id = fields.Many2one("crm.action.result", string="Result", index=True, tracking=True)
    result_outcome = fields.Selection(related="result_id.outcome", store=True, precompute=True, string="Outcome")
    result_detail_id = fields.Many2one(
        "crm.action.result.detail",
        string="Result Detail",
        domain="['|', ('result_id', '=', False), ('result_id', '=', result_id)]",
    )
    result_detail = fields.Text(string="Result Justification", help="Why the action had this result.")
    description = fields.Html()
    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        string="Cost Centre",
        check_company=True,
    )

    # Result-driven flow: the chain of actions of one campaign flow
    flow_mode = fields.Selection(
        FLOW_MODES,
        compute="_compute_flow_mode",
        string="Result Flow",
        help="What saving the result does, as configured on the campaign action.",
    )
    previous_action_id = fields.Many2one(
        "crm.action",
        string="Previous Action",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        readonly=True,
    )
    next_action_ids = fields.One2many("crm.action", "previous_action_id", string="Next Actions", readonly=True)
    flow_root_id = fields.Many2one(
        "crm.action",
        string="Flow Start",
        compute="_compute_flow_root_id",
        precompute=True,
        store=True,
        recursive=True,
        index="btree_not_null",
        help="First action of the chain this action belongs to.",
    )
    lost_reason_id = fields.Many2one(
        "crm.lost.reason",
        string="Loss Reason",
        help="Required for a negative result: the flow is closed and the opportunity marked lost with it.",
    )
    partner_class_id = fields.Many2one(
        "res.partner.class",
        string="Partner Class When Done",
        compute="_compute_partner_class_id",
        precompute=True,
        store=True,
        help="Class of the partner when the action was done; class transitions count these.",
    )

    # When
    date_start = fields.Datetime(string="Start", default=fields.Datetime.now, index=True)
    date_end = fields.Datetime(
        string="End",
        compute="_compute_date_end",
        precompute=True,
        store=True,
        readonly=False,
    )
    duration = fields.Float(
        help="Time spent, in hours.",
        compute="_compute_duration",
        precompute=True,
        store=True,
        readonly=False,
    )
    all_day = fields.Boolean(string="Some Time That Day")
    date_deadline = fields.Date(string="Deadline", tracking=True)
    date_due = fields.Date(
        string="Due Date",
        compute="_compute_date_due",
        precompute=True,
        store=True,
        index=True,
        help="The deadline, or the start day when there is none.",
    )
    due_state = fields.Selection(
        [("overdue", "Overdue"), ("soon", "Due Soon"), ("later", "Later"), ("closed", "Closed")],
        compute="_compute_due_state",
        search="_search_due_state",
    )
    due_color = fields.Integer(
        compute="_compute_due_state",
        help="Colour index of the due state for kanban and calendar: red overdue, yellow due soon.",
    )
    date_done = fields.Datetime(string="Done On", readonly=True, copy=False)
    is_locked = fields.Boolean(
        string="Locked",
        compute="_compute_is_locked",
        help="Done actions are read-only, except for CRM Actions managers.",
    )

    # People
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    requester_id = fields.Many2one(
        "res.users",
        string="Requester",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        compute="_compute_team_id",
        precompute=True,
        store=True,
        readonly=False,
        index=True,
    )
    # Planned by a sequence line that named a group rather than a user
    assignee_group_id = fields.Many2one(
        "res.groups",
        string="Assignee Group",
        index="btree_not_null",
        copy=False,
        help="Any member of this group may take the action over.",
    )
    assignee_missing = fields.Boolean(
        string="Needs an Assignee",
        compute="_compute_assignee_missing",
        precompute=True,
        store=True,
        readonly=False,
        help="Planned for a group that had no active user: assign it by hand.",
    )
    can_take_over = fields.Boolean(compute="_compute_can_take_over")

    # Acknowledgement of an action assigned by someone else
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
    acknowledgement_emailed = fields.Boolean(readonly=True, copy=False)
    is_responsible = fields.Boolean(compute="_compute_is_responsible")

    # The responsible's to-do in Odoo's activities
    todo_activity_id = fields.Many2one(
        "mail.activity",
        string="To-do",
        compute="_compute_todo_activity_id",
        help="The to-do of the responsible in Odoo's activities, kept in sync with this action.",
    )

    # Meetings: participants, costs, calendar event
    attendee_user_ids = fields.Many2many(
        "res.users",
        "crm_action_attendee_user_rel",
        "action_id",
        "user_id",
        string="Participants",
        compute="_compute_attendee_user_ids",
        store=True,
        readonly=False,
        domain="[('share', '=', False)]",
        help="Colleagues taking part in the meeting, the responsible first; the contact persons take part too.",
    )
    expected_cost = fields.Monetary(currency_field="expected_currency_id")
    expected_currency_id = fields.Many2one(
        "res.currency",
        string="Expected Cost Currency",
        default=lambda self: self.env.company.currency_id,
    )
    actual_cost = fields.Monetary(currency_field="actual_currency_id")
    actual_currency_id = fields.Many2one(
        "res.currency",
        string="Actual Cost Currency",
        default=lambda self: self.env.company.currency_id,
    )
    add_to_calendar = fields.Boolean(
        string="Add to Calendar",
        compute="_compute_add_to_calendar",
        precompute=True,
        store=True,
        readonly=False,
        help="Keep an event in the participants' Odoo calendar (synchronised onward "
        "like any event, e.g. to Outlook or Google).",
    )
    calendar_event_id = fields.Many2one(
        "calendar.event",
        string="Calendar Event",
        readonly=True,
        copy=False,
        ondelete="set null",
    )

    # Timer: start / pause / resume / stop add the time spent to the duration
    timer_start = fields.Datetime(
        readonly=True,
        copy=False,
        help="When the running timer was (re)started; empty when stopped or paused.",
    )
    timer_paused = fields.Boolean(readonly=True, copy=False)
    timer_state = fields.Selection(
        [("stopped", "Stopped"), ("running", "Running"), ("paused", "Paused")],
        compute="_compute_timer_state",
    )
    # Not stored: the moment the form of a new action registered as it happens was opened
    # (set by the form's defaults, sent back on save); create starts the timer from it.
    timer_opened_at = fields.Datetime(
        string="Form Opened At",
        default=lambda self: self._default_timer_opened_at(),
        store=False,
        help="When the form of this new action was opened: its timer runs from then until it is stopped.",
    )

    # Follow-up: "next contact in N hours / days / weeks, or on a date"
    followup_interval = fields.Integer(
        string="Next Contact In",
        help="Create a similar planned action this long after this one is done.",
    )
    followup_unit = fields.Selection(
        [("hours", "Hours"), ("days", "Days"), ("weeks", "Weeks")],
        string="Next Contact Unit",
        default="days",
    )
    followup_date = fields.Datetime(
        string="Next Contact On",
        help="Create a similar planned action at this time when this one is done; wins over the interval.",
    )
    followup_action_id = fields.Many2one(
        "crm.action",
        string="Follow-up Action",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )

    # Expenses, against the planned expense of the campaign action
    expense_ids = fields.One2many("crm.action.expense", "action_id", string="Expenses")
    expense_currency_id = fields.Many2one(related="campaign_line_id.currency_id", string="Expense Currency")
    expense_planned = fields.Monetary(
        related="campaign_line_id.expense_planned",
        currency_field="expense_currency_id",
        string="Planned Expense",
    )
    expense_actual = fields.Monetary(
        compute="_compute_expense_actual",
        currency_field="expense_currency_id",
        string="Actual Expenses",
    )
    show_expenses = fields.Boolean(compute="_compute_expense_actual")

    # E-mail notification of chosen recipients
    notify_partner_ids = fields.Many2many(
        "res.partner",
        "crm_action_notify_partner_rel",
        "action_id",
        "partner_id",
        string="Recipients",
        compute="_compute_notify_partner_ids",
        precompute=True,
        store=True,
        readonly=False,
        help="People who receive the action's summary by e-mail with the Notify button. "
        "Proposed from the responsible, the requester, the contact persons and the "
        "lead's salesperson.",
    )

    # ------------------------------------------------------------ computes
    @api.model
    def _selection_source_ref(self):
        # the business documents an action is about, among the installed models (read from
        # the registry: no query)
        labels = {
            "sale.order": self.env._("Quotation / Order"),
            "stock.picking": self.env._("Transfer"),
            "crm.lead": self.env._("Lead / Opportunity"),
            "res.partner": self.env._("Partner"),
            "crm.action.occurrence": self.env._("Occurrence"),
            "account.move": self.env._("Invoice"),
        }
        return [(model, labels[model]) for model in SOURCE_DOCUMENT_MODELS if model in self.env]

    @api.depends("lead_id")
    def _compute_partner_id(self):
        for action in self:
            action.partner_id = action.partner_id or action.lead_id.partner_id

    @api.depends("lead_id")
    def _compute_campaign_medium(self):
        for action in self:
            action.campaign_id = action.campaign_id or action.lead_id.campaign_id
            action.medium_id = action.medium_id or action.lead_id.medium_id

    @api.depends("partner_id")
    def _compute_contact_ids(self):
        # one write per contact, not per action: a batch of new actions on a few partners
        # inserts its contact links in a few queries
        for contact, actions in self.grouped(lambda a: a.partner_id._crm_action_main_contact()).items():
            actions.contact_ids = contact

    @api.depends("partner_id", "contact_ids")
    def _compute_phone(self):
        # the first contact's number, else the partner's, else its company's; the user may
        # pick another of phone_options or type one
        for action in self:
            people = action.contact_ids[:1] | action.partner_id | action.partner_id.commercial_partner_id
            if not people:
                # An unlinked action keeps the number the user typed.
                action.phone = action.phone
                continue
            action.phone = next((p.phone or p.mobile for p in people if p.phone or p.mobile), False)

    @api.depends(
        "partner_id.phone",
        "partner_id.mobile",
        "partner_id.commercial_partner_id.phone",
        "partner_id.commercial_partner_id.mobile",
        "contact_ids.phone",
        "contact_ids.mobile",
    )
    def _compute_phone_options(self):
        # the contacts first, as the default phone is the first contact's
        for action in self:
            people = action.contact_ids | action.partner_id | action.partner_id.commercial_partner_id
            action.phone_options = people._crm_action_phone_options()

    @api.depends("campaign_id.action_line_ids.type_id", "type_id")
    def _compute_campaign_line_id(self):
        # the campaigns' configuration in one query per model: their actions, the result
        # flows and action types of these, which the flow and the next action's defaults read
        self.env["crm.action.campaign.line"]._prefetch_campaigns(self.campaign_id)
        for action in self:
            action.campaign_line_id = action.campaign_id.action_line_ids.filtered(
                lambda line, action=action: line.type_id == action.type_id
            )[:1]

    @api.depends("campaign_line_id", "result_id")
    def _compute_flow_mode(self):
        for action in self:
            action.flow_mode = action._result_flow().mode

    @api.depends("previous_action_id.flow_root_id")
    def _compute_flow_root_id(self):
        for action in self:
            previous = action.previous_action_id
            action.flow_root_id = previous.flow_root_id or previous

    @api.depends("state")
    def _compute_partner_class_id(self):
        for action in self:
            if action.state != "done":
                action.partner_class_id = False
            elif not action.partner_class_id:
                action.partner_class_id = action.commercial_partner_id.class_id

    @api.depends("date_start", "duration")
    def _compute_date_end(self):
        # moving the start moves the end by as much: the duration is kept
        for action in self:
            if action.date_start:
                action.date_end = action.date_start + timedelta(hours=action.duration or 0.0)
            else:
                action.date_end = action.date_end

    @api.depends("date_start", "date_end")
    def _compute_duration(self):
        for action in self:
            if action.date_start and action.date_end and action.date_end >= action.date_start:
                action.duration = (action.date_end - action.date_start).total_seconds() / 3600.0

    @api.depends("date_deadline", "date_start", "user_id.tz")
    def _compute_date_due(self):
        # the day of the start where the responsible works, not in UTC
        for action in self:
            action.date_due = action.date_deadline or (action.date_start and action._local_day(action.date_start))

    @api.depends("state", "date_due", "all_day", "date_end")
    @api.depends_context("tz")
    def _compute_due_state(self):
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        for action in self:
            if action.state != "planned":
                action.due_state = "closed"
            elif action.date_due and action.date_due < today:
                action.due_state = "overdue"
            elif action._is_timed() and action.date_end and action.date_end < now:
                # a call at 10:00 not done by 11:00 is late; "some time that day" is not, yet
                action.due_state = "overdue"
            elif action.date_due and action.date_due <= today + timedelta(days=1):
                action.due_state = "soon"
            else:
                action.due_state = "later"
            action.due_color = DUE_COLORS[action.due_state]

    @api.depends("state")
    @api.depends_context("uid")
    def _compute_is_locked(self):
        is_manager = self._is_action_manager()
        for action in self:
            action.is_locked = action.state == "done" and not is_manager

    @api.depends("user_id")
    def _compute_team_id(self):
        for action in self:
            if action.user_id and (not action.team_id or action.user_id not in action.team_id.member_ids):
                action.team_id = action.user_id.sale_team_id

    @api.depends("user_id")
    def _compute_assignee_missing(self):
        for action in self:
            if action.user_id:
                action.assignee_missing = False

    @api.depends("assignee_group_id", "user_id", "state")
    @api.depends_context("uid")
    def _compute_can_take_over(self):
        user = self.env.user
        for action in self:
            action.can_take_over = (
                action.state == "planned"
                and bool(action.assignee_group_id)
                and action.assignee_group_id in user.groups_id
                and action.user_id != user
            )

    @api.depends("user_id")
    @api.depends_context("uid")
    def _compute_is_responsible(self):
        for action in self:
            action.is_responsible = action.user_id == self.env.user

    def _compute_todo_activity_id(self):
        todos = self._get_todo_activities()
        for action in self:
            action.todo_activity_id = todos.get(action.id, self.env["mail.activity"])[:1]

    @api.depends("type_id", "user_id")
    def _compute_attendee_user_ids(self):
        # like the organiser of an Odoo event, the responsible takes part in the meeting
        for action in self:
            if action.type_id.is_meeting and action.user_id:
                action.attendee_user_ids |= action.user_id

    @api.depends("type_id")
    def _compute_add_to_calendar(self):
        for action in self:
            action.add_to_calendar = action.type_id.is_meeting

    @api.depends("timer_start", "timer_paused", "timer_opened_at", "state", "user_id", "date_start")
    def _compute_timer_state(self):
        now = fields.Datetime.now()
        for action in self:
            # a new form registered as it happens: the timer runs from the opening already
            if action.timer_start or (not action._origin and action._timer_may_start_at(action.timer_opened_at, now)):
                action.timer_state = "running"
            elif action.timer_paused:
                action.timer_state = "paused"
            else:
                action.timer_state = "stopped"

    @api.depends("expense_ids.amount", "expense_ids.currency_id", "expense_ids.date", "campaign_line_id")
    def _compute_expense_actual(self):
        company = self.env.company
        for action in self:
            currency = action.expense_currency_id or company.currency_id
            action.expense_actual = sum(
                expense.currency_id._convert(expense.amount, currency, action.company_id or company, expense.date)
                for expense in action.expense_ids
            )
            action.show_expenses = bool(action.expense_planned or action.expense_ids)

    @api.depends("user_id", "requester_id", "contact_ids", "lead_id.user_id")
    def _compute_notify_partner_ids(self):
        # one write per set of recipients, not per action (see the contacts above)
        recipients = self.grouped(
            lambda a: (
                a.user_id.partner_id | a.requester_id.partner_id | a.contact_ids | a.lead_id.user_id.partner_id
            ).filtered("email")
        )
        for people, actions in recipients.items():
            actions.notify_partner_ids = people

    def _search_due_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Filter 'Due' with =, !=, in or not in only."))
        today = fields.Date.context_today(self)
        tomorrow = today + timedelta(days=1)
        # mirrors _compute_due_state: a timed action without deadline is late once it has ended
        timed_past = [("all_day", "=", False), ("date_deadline", "=", False), ("date_end", "<", fields.Datetime.now())]
        domains = {
            "closed": [("state", "!=", "planned")],
            "overdue": [
                ("state", "=", "planned"),
                "|",
                ("date_due", "<", today),
                *expression.normalize_domain(timed_past),
            ],
            "soon": [
                ("state", "=", "planned"),
                ("date_due", ">=", today),
                ("date_due", "<=", tomorrow),
                "!",
                *expression.normalize_domain(timed_past),
            ],
            "later": [
                ("state", "=", "planned"),
                "|",
                ("date_due", "=", False),
                ("date_due", ">", tomorrow),
            ],
        }
        values = [value] if isinstance(value, str) else list(value)
        domain = expression.OR([domains[v] for v in values])
        if operator in ("!=", "not in"):
            domain = ["!", *expression.normalize_domain(domain)]
        return domain

    # ------------------------------------------------------------ onchanges
    @api.onchange("type_id")
    def _onchange_type_id(self):
        for action in self:
            if action.type_id.default_duration and not action.duration:
                action.duration = action.type_id.default_duration
            if action.type_id.category_id and not action.category_id:
                action.category_id = action.type_id.category_id
            if not action.name and action.type_id:
                action.name = action.type_id.name
            self.env["crm.action.campaign.line"]._apply_action_defaults(action)

    @api.onchange("campaign_id")
    def _onchange_campaign_id(self):
        for action in self:
            self.env["crm.action.campaign.line"]._apply_action_defaults(action, first_type=True)

    @api.onchange("template_id")
    def _onchange_template_id(self):
        for action in self.filtered("template_id"):
            action.update(action.template_id._prepare_action_values())

    # ------------------------------------------------------------ constraints
    @api.constrains("name")
    def _check_name(self):
        for action in self:
            if not (action.name or "").strip():
                raise ValidationError(self.env._("Give the action a summary: it cannot be empty."))

    @api.constrains("duration")
    def _check_duration(self):
        for action in self:
            if action.duration < 0:
                raise ValidationError(
                    self.env._(
                        "The duration of '%(name)s' is negative: enter the time spent in hours, 0 or more.",
                        name=action.name,
                    )
                )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for action in self:
            # A negative duration also puts the end before the start; _check_duration says so.
            if action.duration < 0:
                continue
            if action.date_start and action.date_end and action.date_end < action.date_start:
                raise ValidationError(
                    self.env._(
                        "Action '%(name)s' ends before it starts: set an end after the start.",
                        name=action.name,
                    )
                )

    @api.constrains("partner_id", "contact_ids")
    def _check_contacts(self):
        contacts_field = self._fields["contact_ids"]
        creating = self.env.context.get(CREATING)
        for action in self:
            if creating and not self.env.cache.contains(action, contacts_field):
                # Odoo has just inserted the action without contacts (most are) and left
                # the empty relation out of the cache: it goes back in, so that neither this
                # check nor the completion and the Next Action dialog read it to find none
                self.env.cache.set(action, contacts_field, ())
                continue
            if not action.contact_ids:
                continue
            if not action.partner_id:
                raise ValidationError(
                    self.env._("Choose a partner before adding contact persons to '%(name)s'.", name=action.name)
                )
            strangers = action.contact_ids.filtered(
                lambda c, action=action: c.commercial_partner_id != action.commercial_partner_id
            )
            if strangers:
                raise ValidationError(
                    self.env._(
                        "%(contacts)s is not a contact of %(partner)s: choose contact persons of the action's partner.",
                        contacts=", ".join(strangers.mapped("display_name")),
                        partner=action.partner_id.display_name,
                    )
                )

    @api.constrains("result_id", "result_detail_id")
    def _check_result_detail(self):
        for action in self:
            detail = action.result_detail_id
            if detail.result_id and detail.result_id != action.result_id:
                raise ValidationError(
                    self.env._(
                        "Result detail '%(detail)s' justifies result '%(detail_result)s', not '%(result)s': "
                        "choose a detail of the action's result.",
                        detail=detail.name,
                        detail_result=detail.result_id.name,
                        result=action.result_id.name or self.env._("none"),
                    )
                )

    @api.constrains("user_id", "requester_id", "attendee_user_ids")
    def _check_internal_users(self):
        for action in self:
            outsiders = (action.user_id | action.requester_id | action.attendee_user_ids).filtered("share")
            if outsiders:
                raise ValidationError(
                    self.env._(
                        "%(users)s cannot take part in action '%(name)s': responsible, requester and participants "
                        "are internal users, not portal users.",
                        users=", ".join(outsiders.mapped("name")),
                        name=action.name,
                    )
                )

    @api.constrains("expected_cost", "actual_cost")
    def _check_costs(self):
        for action in self:
            if action.expected_cost < 0 or action.actual_cost < 0:
                raise ValidationError(
                    self.env._(
                        "The costs of '%(name)s' cannot be negative: enter 0 or more.",
                        name=action.name,
                    )
                )

    @api.constrains("type_id", "attendee_user_ids", "contact_ids")
    def _check_meeting_participants(self):
        for action in self:
            if action.type_id.is_meeting and not action.attendee_user_ids and not action.contact_ids:
                raise ValidationError(
                    self.env._(
                        "Meeting '%(name)s' has no participant: add participants or contact persons.",
                        name=action.name,
                    )
                )

    @api.constrains("followup_interval")
    def _check_followup_interval(self):
        for action in self:
            if action.followup_interval < 0:
                raise ValidationError(
                    self.env._(
                        "The next contact of '%(name)s' cannot be in a negative time: enter 0 or more.",
                        name=action.name,
                    )
                )

    @api.constrains("followup_date")
    def _check_followup_date(self):
        now = fields.Datetime.now()
        for action in self:
            if action.state == "planned" and action.followup_date and action.followup_date < now:
                raise ValidationError(
                    self.env._(
                        "The next contact of '%(name)s' is in the past (%(date)s): choose a future time.",
                        name=action.name,
                        date=format_datetime(self.env, action.followup_date, dt_format="short"),
                    )
                )
            if action.followup_date and action.date_start and action.followup_date < action.date_start:
                raise ValidationError(
                    self.env._(
                        "The next contact of '%(name)s' (%(date)s) is before the action itself starts "
                        "(%(start)s): choose a time after it.",
                        name=action.name,
                        date=format_datetime(self.env, action.followup_date, dt_format="short"),
                        start=format_datetime(self.env, action.date_start, dt_format="short"),
                    )
                )

    # ------------------------------------------------------------ CRUD: the lifecycle
    @api.model_create_multi
    def create(self, vals_list):
        self._check_client_values(vals_list)
        # the chatter of an action starts with what happened to it, not a "created" note
        model = self._without_module_defaults().with_context(mail_create_nolog=True, **{CREATING: True})
        now = fields.Datetime.now()
        for vals in vals_list:
            template = model.env["crm.action.template"].browse(
                vals.get("template_id", model.env.context.get("default_template_id"))
            )
            if template:
                # explicit values win over the template's
                for name, value in template._prepare_action_values().items():
                    vals.setdefault(name, value)
            if vals.get("state") == "done":
                vals.setdefault("date_done", now)
            if _date_only(vals.get("date_start")):
                # a day without an hour: "some time that day"
                vals.setdefault("all_day", True)
        timers_opened = [vals.pop("timer_opened_at", False) for vals in vals_list]
        model._prefetch_create_links(vals_list)
        actions = super(CrmAction, model).create(vals_list).with_env(self.env)
        if not model.env.context.get("tracking_disable"):
            actions._auto_subscribe_created(vals_list, model.env.context)
        for action, vals in zip(actions, vals_list, strict=True):
            if action.all_day:
                action._snap_all_day(_date_only(vals.get("date_start")))
        actions._check_links(
            [fname for fname in LINK_FIELDS if any(_links_records(vals.get(fname)) for vals in vals_list)]
        )
        actions._timer_start_at_opening(timers_opened)
        done = actions.filtered(lambda a: a.state == "done")
        done._complete(new=True)
        others = actions - done
        # create has just made every responsible a follower (unless tracking is off): their
        # to-dos need not subscribe them again
        others.with_context(**{RESPONSIBLES_FOLLOW: not model.env.context.get("tracking_disable")})._sync_todo_activity(
            new=True
        )
        others._sync_calendar_event()
        others.filtered(
            lambda a: a.state == "planned" and a.user_id and a.user_id != self.env.user
        )._request_acknowledgement(new=True)
        return actions

    def _message_auto_subscribe(self, updated_values, followers_existing_policy="skip"):
        # Odoo's create subscribes the responsible of each new record in a call of its own
        # (three queries): ``create`` does it for its actions in groups instead
        if self.env.context.get(CREATING):
            return True
        return super()._message_auto_subscribe(updated_values, followers_existing_policy=followers_existing_policy)

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        if (
            self.env.context.get(RESPONSIBLES_FOLLOW)
            and subtype_ids is None
            and set(partner_ids or ()) <= set(self.user_id.partner_id.ids)
        ):
            # the to-dos of new actions subscribing their responsibles, who follow already
            return True
        return super().message_subscribe(partner_ids=partner_ids, subtype_ids=subtype_ids)

    def _auto_subscribe_created(self, vals_list, context):
        """Subscribe the responsibles of the new actions ``self`` (created from
        ``vals_list`` in ``context``) as Odoo's create does, one call per group of actions
        with the same values for it: a sequence plans several actions for one person."""
        *_subtypes, relations = self.env["mail.message.subtype"]._get_auto_subscription_subtypes(self._name)
        keys = ["user_id", *sorted({fname for fnames in relations.values() for fname in fnames})]
        # as Odoo: the values given, completed by the context's defaults
        defaults = {key[8:]: value for key, value in context.items() if key.startswith("default_")}
        groups = defaultdict(list)
        for action, vals in zip(self, vals_list, strict=True):
            values = {**defaults, **vals}
            groups[tuple(values.get(key) for key in keys)].append(action.id)
        # mail.thread's create made the creator a follower already: as the responsible, with
        # no related record to take followers from, there is nobody else to subscribe
        creator_follows = not context.get("mail_create_nosubscribe") and self.env.user.active
        for group_values, ids in groups.items():
            user_id, *relations = group_values
            if creator_follows and user_id in (None, False, self.env.uid) and not any(relations):
                continue
            self.browse(ids)._message_auto_subscribe(
                dict(zip(keys, group_values, strict=True)), followers_existing_policy="update"
            )

    def _add_precomputed_values(self, vals_list):
        # No precomputed field reads the source document: the new records the computes run
        # on are made without it, as Odoo checks that a reference exists when a record
        # gets it (once here per action, then again at the INSERT).
        sources = [vals.pop("source_ref", None) for vals in vals_list]
        try:
            # Untracked: mail.thread prepares the tracking of each field it computes, for
            # the records that have an id, which the new records computed here do not have.
            return super(CrmAction, self.with_context(mail_notrack=True))._add_precomputed_values(vals_list)
        finally:
            for vals, source in zip(vals_list, sources, strict=True):
                if source is not None:
                    vals["source_ref"] = source

    def _prefetch_create_links(self, vals_list):
        """Read what new actions link to (leads, users, partners) in one query per model,
        with the user's rights, before the computes and constraints read it one relation
        at a time."""
        defaults = {}
        if any("user_id" not in vals for vals in vals_list):
            defaults = self.default_get(["user_id", "requester_id"])
        leads = self.env["crm.lead"].browse({vals["lead_id"] for vals in vals_list if vals.get("lead_id")})
        users = self.env["res.users"].browse(
            {
                vals.get(fname, defaults.get(fname))
                for vals in vals_list
                for fname in ("user_id", "requester_id")
                if vals.get(fname, defaults.get(fname))
            }
        )
        partner_ids = set()
        for vals in vals_list:
            if vals.get("partner_id"):
                partner_ids.add(vals["partner_id"])
            for command in vals.get("contact_ids") or ():
                if isinstance(command, int):
                    partner_ids.add(command)
                elif isinstance(command, (list, tuple)) and command[0] == Command.SET:
                    partner_ids.update(command[2])
                elif isinstance(command, (list, tuple)) and command[0] == Command.LINK:
                    partner_ids.add(command[1])
        # the lead first: its partner and responsible are read with the others below; the
        # users are read with their partners (one query each)
        fetch_missing(leads, LEAD_FIELDS_READ)
        users = self._prefetch_users(users | leads.user_id)
        partners = self.env["res.partner"].browse(partner_ids) | leads.partner_id | users.partner_id
        teams = self.env["crm.team"].browse({vals["team_id"] for vals in vals_list if vals.get("team_id")})
        self._prefetch_links(leads, partners, teams | users.sale_team_id)
        self.env["crm.action.result"].browse(
            {vals["result_id"] for vals in vals_list if vals.get("result_id")}
        )._prefetch_configuration()

    @api.model
    def _prefetch_users(self, users):
        """Read what a save reads of ``users`` (responsibles, requesters, the leads'
        salespersons: USER_FIELDS_READ) in one query, and return them. As superuser: they
        are internal users, whom every internal user may read (``_check_internal_users``
        refuses the others), and checking that through the record rules of users and,
        through them, of partners would cost more than the query (the multi-company rule
        reads the companies' hierarchy)."""
        fetch_missing(users.sudo(), USER_FIELDS_READ)
        return users

    @api.model
    def _prefetch_links(self, leads, partners, teams):
        """Read what saving or completing actions reads of their ``leads`` and ``partners``
        (computes, record rules, lead rules, the responsible's time zone) and the members
        of their ``teams``, one query per model, with only those fields: a lead has some 150
        columns and a partner a hundred, and reading them all costs more than the rest of
        the save. What the cache holds already is not read again."""
        fetch_missing(leads, LEAD_FIELDS_READ)
        # Of the user's companies, what a save reads: the hierarchy (the multi-company record
        # rule on partners), the currency of the costs, the working hour of planned actions,
        # the name and alias domain (the chatter's reply-to); reading only these spares the
        # ORM the hundred other columns of a company. sudo: as the ORM evaluates record
        # rules and the chatter's reply-to; the rest is the companies' configuration
        fetch_missing(self.env.companies.sudo(), COMPANY_FIELDS_READ)
        fetch_missing(partners, PARTNER_FIELDS_READ)
        # sudo: the teams' members, which the record rule on actions reads as superuser to
        # check the user's access, with their fields in one query
        prefetch_one2many(teams.sudo(), "crm_team_member_ids")

    def write(self, vals):
        self._check_client_values([vals])
        if not self.env.su and set(vals) - DONE_WRITABLE_FIELDS and not self._is_action_manager():
            done = self.filtered(lambda a: a.state == "done")
            if done and vals and set(vals) <= AFTER_MEETING_FIELDS:
                # the actual cost is known after the meeting: whoever may edit the action
                # records it, even though a done action is otherwise locked
                self.check_access("write")
                return super(CrmAction, self.sudo()).write(vals)
            if done:
                raise UserError(
                    self.env._(
                        "Action '%(name)s' is done and locked: only a CRM Actions manager can change it.",
                        name=done[0].name,
                    )
                )
        new_state = vals.get("state")
        completing = self.filtered(lambda a: a.state != "done") if new_state == "done" else self.browse()
        previous_users = {action.id: action.user_id for action in self} if "user_id" in vals else {}
        vals = dict(vals)
        if new_state == "done":
            # refused before anything is written (the other checks follow in _complete)
            completing.filtered(lambda a: not vals.get("result_id", a.result_id.id))._check_completion()
            vals.setdefault("date_done", fields.Datetime.now())
            completing._stop_timers()
        elif new_state == "planned":
            vals["date_done"] = False
        if new_state in ("done", "cancel"):
            vals["acknowledgement_pending"] = False
        res = super().write(vals)
        if {"all_day", "date_start", "user_id"} & set(vals):
            self.filtered("all_day")._snap_all_day(_date_only(vals.get("date_start")))
        if "date_start" in vals:
            # a running timer counts time spent: its action cannot move to a later start
            self.filtered("timer_start")._check_timer_started(fields.Datetime.now())
        self._check_links([fname for fname in LINK_FIELDS if fname in vals])
        if completing:
            completing._complete()
        others = self - completing
        if TODO_FIELDS & set(vals) and not self.env.context.get(TODO_SYNC):
            others._sync_todo_activity()
        if CALENDAR_FIELDS & set(vals) and not self.env.context.get(CALENDAR_SYNC):
            others._sync_calendar_event()
        if previous_users:
            self._follow_reassignment(previous_users)
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_only_own_planned(self):
        if self.env.su or self._is_action_manager():
            return
        for action in self:
            if action.state != "planned" or action.user_id != self.env.user:
                raise AccessError(
                    self.env._(
                        "You can delete only your own planned actions; '%(name)s' is not one. "
                        "Cancel it instead, or ask a CRM Actions manager.",
                        name=action.name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_calendar_event(self):
        # the event is the action's own (calendar_event_id is set by the module only);
        # the attendees' copies of it are not the deleting user's to remove
        self.calendar_event_id.sudo().with_context(**{CALENDAR_SYNC: True}).unlink()

    def _check_client_values(self, vals_list):
        """Refuse, from anything but the module itself, values of fields the module sets."""
        if self.env.su:
            return
        refused = {fname for vals in vals_list for fname in vals if self._is_module_field(fname)}
        if refused:
            labels = ", ".join(sorted(self._fields[fname]._description_string(self.env) for fname in refused))
            raise AccessError(
                self.env._(
                    "%(fields)s of a CRM action are set by the module itself (when the action is done, "
                    "acknowledged, planned from another or put in the calendar): leave them out.",
                    fields=labels,
                )
            )

    def _is_module_field(self, fname):
        field = self._fields.get(fname)
        # computed fields without inverse are the module's too: writing them would bypass
        # what they are computed from (e.g. the flow start, the campaign action)
        return fname in MODULE_FIELDS or bool(field and field.compute and field.store and field.readonly)

    def _without_module_defaults(self):
        """Ignore context defaults of module fields (e.g. a ``default_previous_action_id``
        left by a dialog, or sent by a client)."""
        context = self.env.context
        keys = [key for key in context if key.startswith("default_") and self._is_module_field(key[8:])]
        if not keys or self.env.su:
            return self
        return self.with_context(**dict.fromkeys(keys, False))

    def _check_links(self, fnames):
        """The user must be allowed to read the records these actions point at."""
        if self.env.su or not fnames:
            return
        for fname in fnames:
            if fname == "source_ref":
                for model, ids in self._source_documents().items():
                    self.env[model].browse(ids).check_access("read")
            elif records := self.mapped(fname):
                records.check_access("read")

    def _source_documents(self):
        """{model: ids} of the source documents of ``self``."""
        documents = {}
        for action in self:
            if action.source_ref:
                documents.setdefault(action.source_ref._name, set()).add(action.source_ref.id)
        return {model: list(ids) for model, ids in documents.items()}

    # ------------------------------------------------------------ buttons: state
    def action_done(self):
        """Mark planned actions done; each needs a result. For one action whose result asks
        for a next action, return the Next Action dialog."""
        closed = self.filtered(lambda a: a.state != "planned")
        if closed:
            raise UserError(
                self.env._("'%(name)s' is not planned: only planned actions can be marked done.", name=closed[0].name)
            )
        # the refusal users meet most, before anything is changed
        self._check_result_set()
        self._check_completion()
        # The timers stop before the Next Action dialog is prepared, as it proposes the
        # action's duration.
        self._stop_timers()
        next_action = self.action_plan_next() if len(self) == 1 and self.flow_mode == "ask" else True
        self.write({"state": "done"})
        return next_action

    def action_cancel(self):
        """Cancel planned actions; the record is kept."""
        closed = self.filtered(lambda a: a.state != "planned")
        if closed:
            raise UserError(
                self.env._("'%(name)s' is not planned: only planned actions can be cancelled.", name=closed[0].name)
            )
        self.write({"state": "cancel"})
        return True

    def action_reset_to_planned(self):
        """Reopen cancelled actions (and, for managers, done ones)."""
        self.write({"state": "planned"})
        return True

    # ------------------------------------------------------------ completion
    def _complete(self, new=False):
        """What marking ``self`` done does, once the state is written; see the class
        docstring for the order. Raises (and so rolls the save back) when one step cannot
        be carried out.

        :param new: ``self`` was just created done, so it has no to-do to complete
        """
        if not self:
            return  # a save that completes nothing reads no rule
        self._check_completion()
        self._apply_rules()
        self._apply_result_flow()
        self._plan_followups()
        self._sync_calendar_event()
        # a to-do marked done in the activities menu completes its action: Odoo closes it
        if not new and not self.env.context.get(TODO_SYNC):
            self._sync_todo_activity()

    def _check_completion(self):
        # the campaigns' flows, which the checks below, the flow and the Next Action dialog read
        self.env["crm.action.campaign.line"]._prefetch_campaigns(self.campaign_id)
        # and what the rules and the dialog read of the leads, partners and teams
        self._prefetch_links(
            self.lead_id,
            self.partner_id | self.commercial_partner_id | self._prefetch_users(self.user_id).partner_id,
            self.team_id | self.user_id.sale_team_id,
        )
        self._check_result_set()
        missing_reason = self.filtered(lambda a: a._result_flow().mode == "negative" and not a.lost_reason_id)
        if missing_reason:
            raise UserError(
                self.env._(
                    "Result '%(result)s' of '%(name)s' is negative: give a loss reason. It closes the flow "
                    "and marks the opportunity lost.",
                    result=missing_reason[0].result_id.name,
                    name=missing_reason[0].name,
                )
            )
        now = fields.Datetime.now()
        past = self.filtered(lambda a: a.followup_date and a.followup_date < now and not a.followup_action_id)
        if past:
            raise UserError(
                self.env._(
                    "The next contact of '%(name)s' is in the past: choose a future time or clear it.",
                    name=past[0].name,
                )
            )

    def _check_result_set(self):
        missing = self.filtered(lambda a: not a.result_id)
        if missing:
            raise UserError(self.env._("Set a result on '%(name)s' before marking it done.", name=missing[0].name))

    def _stop_timers(self):
        """Add the time of running or paused timers to the duration and stop them."""
        running = self.filtered(lambda a: a.timer_start or a.timer_paused)
        if running:
            running._timer_stop(fields.Datetime.now())

    def _apply_rules(self):
        self.env["crm.action.rule"]._apply_to_actions(self)

    def _apply_result_flow(self):
        """Automatic next actions, then negative results closing their flows."""
        flows = {action: action._result_flow() for action in self}
        automatic = self.filtered(lambda a: flows[a].mode == "automatic")
        if automatic:
            self._create_planned(
                [
                    action._prepare_next_values(
                        flows[action].next_type_id,
                        action._planned_datetime(action.date_done or fields.Datetime.now(), flows[action].delay_days),
                    )
                    for action in automatic
                ]
            )
        negative = self.filtered(lambda a: flows[a].mode == "negative")
        if negative:
            negative._close_flow()

    def _close_flow(self):
        """Negative result: cancel the pending actions of these actions' flows and of their
        opportunities (those the user may see), and mark the opportunities lost with the
        actions' loss reasons."""
        roots = self.flow_root_id | self.filtered(lambda a: not a.flow_root_id)
        domains = [[("id", "in", roots.ids)], [("flow_root_id", "in", roots.ids)]]
        if self.lead_id:
            domains.append([("lead_id", "in", self.lead_id.ids)])
        pending = self.search(expression.AND([[("state", "=", "planned")], expression.OR(domains)]))
        if pending:
            pending.action_cancel()
            for action in pending:
                action.message_post(
                    body=self.env._("Closed: the flow ended with a negative result."),
                    subtype_xmlid="mail.mt_note",
                )
        for action in self.filtered(lambda a: a.lead_id.active):
            lead = action.lead_id
            lead.action_set_lost(lost_reason_id=action.lost_reason_id.id)
            lead.message_post(
                body=Markup("%s")
                % self.env._(
                    "Lost after action '%(action)s' (result %(result)s): %(reason)s",
                    action=action.name,
                    result=action.result_id.name,
                    reason=action.lost_reason_id.name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _plan_followups(self):
        """Create the follow-up of each action that asks for one, and say what was planned
        in its chatter and in a notification to the user."""
        asking = self.filtered(lambda a: not a.followup_action_id and a._followup_datetime())
        if not asking:
            return
        followups = self._create_planned(
            [action._prepare_followup_values(action._followup_datetime()) for action in asking]
        )
        for action, followup in zip(asking, followups, strict=True):
            # the link is the module's: the action is done (locked) by now
            action.sudo().followup_action_id = followup
            when = format_datetime(self.env, followup.date_start, dt_format="short")
            action.message_post(
                body=self.env._("Follow-up planned for %(date)s: %(link)s", date=when, link=followup._get_html_link()),
                subtype_xmlid="mail.mt_note",
            )
            self.env.user._bus_send(
                "simple_notification",
                {
                    "type": "info",
                    "title": self.env._("Follow-up planned"),
                    "message": self.env._(
                        "%(action)s: next contact planned for %(date)s.", action=followup.name, date=when
                    ),
                },
            )

    def _follow_reassignment(self, previous_users):
        """Ask a new responsible to acknowledge; stop asking one who assigned it to themselves."""
        reassigned = self.filtered(lambda a: a.user_id != previous_users[a.id])
        to_others = reassigned.filtered(lambda a: a.state == "planned" and a.user_id and a.user_id != self.env.user)
        to_others._request_acknowledgement()
        # module fields: the user may reassign, the acknowledgement state follows
        (reassigned - to_others).filtered("acknowledgement_pending").sudo().write({"acknowledgement_pending": False})

    # ------------------------------------------------------------ buttons: flow
    def action_plan_next(self):
        """Open the Next Action dialog, prefilled from the campaign's flow."""
        self.ensure_one()
        flow = self._result_flow()
        next_type = flow.next_type_id or self.type_id
        date_start = self._planned_datetime(self.date_done or fields.Datetime.now(), flow.delay_days)
        duration = next_type.default_duration or self.duration or 1.0
        values = self._prepare_next_values(next_type, date_start, duration=duration)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Next Action"),
            "res_model": "crm.action.next.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_previous_action_id": self.id,
                "default_contact_id": self.contact_ids[:1].id,
                "default_type_id": next_type.id,
                "default_objective": values["objective"],
                "default_user_id": self.user_id.id,
                "default_phone": self.phone,
                "default_date_start": fields.Datetime.to_string(values["date_start"]),
                "default_date_end": fields.Datetime.to_string(values["date_end"]),
            },
        }

    def create_next_action(self, values):
        """Create the planned action that follows this one in its flow.

        :param dict values: crm.action values of the next action; at least ``type_id``.
        :return: the new planned action
        """
        self.ensure_one()
        # planning what follows an action needs the right to see it
        self.check_access("read")
        self._check_client_values([values])
        action_type = self.env["crm.action.type"].browse(values["type_id"])
        vals = self._prepare_next_values(action_type, values.get("date_start") or fields.Datetime.now())
        vals.update(values)
        return self._create_planned([vals])

    def action_view_flow(self):
        """All actions of this action's flow."""
        self.ensure_one()
        root = self.flow_root_id or self
        return self._action_open_actions(
            ["|", ("id", "=", root.id), ("flow_root_id", "=", root.id)], name=self.env._("Flow")
        )

    def action_view_expenses(self):
        """The expenses of this action, to log them from the history list."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Expenses of %(action)s", action=self.name),
            "res_model": "crm.action.expense",
            "view_mode": "list",
            "domain": [("action_id", "=", self.id)],
            "context": {"default_action_id": self.id, "default_currency_id": self.expense_currency_id.id},
        }

    # ------------------------------------------------------------ planning actions
    def _prepare_next_values(self, action_type, date_start, duration=None):
        """Values of a planned action of ``action_type`` at ``date_start`` that carries on
        from ``self``: same partner, contacts, lead, occurrence, source document, campaign,
        responsible, team and company, with the campaign's medium and objective for that
        type. ``self`` may be empty (a sequence planning on a new lead): the caller then
        adds the links. The one builder of next actions, follow-ups and sequence actions.
        """
        campaign = self.campaign_id
        # a planned action has no result yet: only the campaign's medium and objective
        defaults = self.env["crm.action.campaign.line"]._get_action_defaults(campaign, action_type)
        duration = duration if duration is not None else action_type.default_duration
        values = {
            "name": action_type.name,
            "type_id": action_type.id,
            "category_id": action_type.category_id.id or self.category_id.id,
            "campaign_id": campaign.id,
            "medium_id": defaults.get("medium_id", self.medium_id).id,
            "objective": defaults.get("objective", False),
            "date_start": date_start,
            "date_end": date_start + timedelta(hours=duration or 0.0),
            "duration": duration or 0.0,
            "state": "planned",
        }
        if self:
            self.ensure_one()
            values.update(
                partner_id=self.partner_id.id,
                contact_ids=[Command.set(self.contact_ids.ids)],
                phone=self.phone,
                lead_id=self.lead_id.id,
                occurrence_id=self.occurrence_id.id,
                source_ref=self.source_ref and f"{self.source_ref._name},{self.source_ref.id}",
                user_id=self.user_id.id,
                team_id=self.team_id.id,
                company_id=self.company_id.id,
                previous_action_id=self.id,
            )
        return values

    def _prepare_followup_values(self, date_start):
        """Values of the planned action that follows ``self`` at ``date_start``: the same
        action again (summary, type, people, place, meeting participants)."""
        self.ensure_one()
        values = self._prepare_next_values(self.type_id, date_start, self.type_id.default_duration or self.duration)
        del values["previous_action_id"]
        values.update(
            name=self.name,
            medium_id=self.medium_id.id,
            objective=self.objective or values["objective"],
            priority=self.priority,
            place=self.place,
            requester_id=self.requester_id.id,
            category_id=self.category_id.id,
            attendee_user_ids=[Command.set(self.attendee_user_ids.ids)],
            add_to_calendar=self.add_to_calendar,
            expected_currency_id=self.expected_currency_id.id,
            actual_currency_id=self.actual_currency_id.id,
        )
        return values

    def _create_planned(self, vals_list):
        """Create actions the module plans (next actions, follow-ups), which may carry module
        fields such as the flow link, after checking that the current user may create them
        and read what they link to."""
        # the module fields (previous action) are set here only; the links are checked below
        actions = self.sudo().with_context(clean_context(self.env.context)).create(vals_list).sudo(False)
        actions.check_access("create")
        actions._check_links(LINK_FIELDS)
        return actions

    def _followup_datetime(self):
        """When the follow-up asked for starts: the chosen date, or the interval counted from
        the end of this action (the meeting is over then): N hours later, or N days or weeks
        later at the company's working hour; never before the action."""
        self.ensure_one()
        if self.followup_date:
            return self.followup_date
        if self.followup_interval <= 0:
            return False
        base = self.date_end or self.date_start or fields.Datetime.now()
        if self.followup_unit == "hours":
            return base + timedelta(hours=self.followup_interval)
        days = self.followup_interval * (7 if self.followup_unit == "weeks" else 1)
        return self._planned_datetime(base, days)

    # ------------------------------------------------------------ days and hours
    def _tz(self, user=None):
        """The time zone the action's days are read in: its responsible's, else the user's."""
        user = user or self[:1].user_id or self.env.user
        return pytz.timezone(user.tz or self.env.user.tz or "UTC")

    def _local_day(self, moment):
        return pytz.utc.localize(moment).astimezone(self._tz()).date()

    def _is_timed(self):
        """Planned at an hour, as opposed to some time that day or by a deadline."""
        self.ensure_one()
        return not self.all_day and not self.date_deadline

    def _planned_datetime(self, base, days=0, user=None, company=None):
        """The moment ``days`` days after ``base`` at the company's working hour, in the
        responsible's time zone (``user``, else this action's), never before ``base``: the
        start proposed for next actions, follow-ups in days and sequence actions."""
        company = company or self[:1].company_id or self.env.company
        tz = self._tz(user)
        day = pytz.utc.localize(base).astimezone(tz).date() + timedelta(days=days)
        local = datetime.combine(day, time()) + timedelta(minutes=round(company.crm_action_work_hour * 60))
        return max(tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None), base)

    def _snap_all_day(self, day=None):
        """Put all-day actions at noon of their day (``day``, else the local day of their
        start) in the responsible's time zone: the manuals' convention for "some time that
        day", and the hour that keeps the day the same in every time zone's display."""
        by_noon = defaultdict(lambda: self.browse())
        for action in self:
            local_day = day or (action.date_start and action._local_day(action.date_start))
            if not local_day:
                continue
            tz = action._tz()
            noon = tz.localize(datetime.combine(local_day, time(12))).astimezone(pytz.utc).replace(tzinfo=None)
            if action.date_start != noon:
                by_noon[noon] |= action
        # past the locks of write(): the day was chosen, only its hour is the module's
        for noon, actions in by_noon.items():
            super(CrmAction, actions).write({"date_start": noon})
        return True

    def _result_flow(self):
        """The campaign's flow for this action's result (empty if none)."""
        self.ensure_one()
        if not self.campaign_line_id or not self.result_id:
            return self.env["crm.action.campaign.result"]
        return self.campaign_line_id._get_result_flow(self.result_id)

    def _attach_files(self, attachments):
        """Attach the files uploaded in a dialog (Register, Next Action) to this action."""
        self.ensure_one()
        if not attachments:
            return
        self.check_access("write")
        # only the user's own uploads of the dialog, not yet on another record
        files = attachments.filtered(
            lambda a: (
                a.create_uid == self.env.user
                and a.res_model in (False, "crm.action.register.wizard", "crm.action.next.wizard")
            )
        )
        # the uploads belong to the transient dialog, which the user may no longer write
        files.sudo().write({"res_model": self._name, "res_id": self.id})

    # ------------------------------------------------------------ buttons: group actions
    def action_take_over(self):
        """Make the current user responsible for these group actions."""
        refused = self.filtered(lambda a: not a.can_take_over)
        if refused:
            raise UserError(
                self.env._(
                    "You cannot take over '%(name)s': only a planned action of one of your groups can be taken over.",
                    name=refused[0].name,
                )
            )
        self.write({"user_id": self.env.user.id})
        return True

    # ------------------------------------------------------------ acknowledgement
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
        # module fields; the responsible acknowledges even where the form is locked (done)
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

    def _message_auto_subscribe_notify(self, partner_ids, template):
        # The acknowledgement request is how a responsible learns of an action assigned
        # to them: Odoo's "You have been assigned" message would say it a second time.
        return

    def _request_acknowledgement(self, new=False):
        """Ask the responsibles to acknowledge ``self``: inbox message and sticky notification.

        :param new: ``self`` was just created, so nothing was acknowledged yet
        """
        if not self:
            return
        values = {"acknowledgement_pending": True, "last_reminder_date": fields.Datetime.now()}
        if not new:
            # a reassignment is acknowledged and e-mailed anew
            values.update(acknowledged_date=False, acknowledged_by_id=False, acknowledgement_emailed=False)
        # module fields; new records still have their values in the cache, written at the
        # same flush as the INSERT's other columns would be (one UPDATE for the batch)
        self.sudo().write(values)
        for user, actions in self.grouped("user_id").items():
            actions._post_acknowledgement_request(user)
            actions._send_acknowledgement_reminder(user, title=self.env._("New action assigned to you"))

    def _post_acknowledgement_request(self, user):
        """Ask ``user`` in the chatter of each of ``self`` to acknowledge it, and notify them
        once (inbox or e-mail, as they chose): by the message on the first action, which
        names the others; the messages of the others are logged in one batch."""
        bodies = {
            action.id: self.env._(
                "%(requester)s assigned you this action: %(name)s. Please acknowledge it.",
                requester=self.env.user.name,
                name=action.name,
            )
            for action in self
        }
        first, others = self[0], self[1:]
        body = Markup("%s") % bodies[first.id]
        if others:
            links = Markup(", ").join(action._get_html_link() for action in others[:10])
            if len(others) > 10:
                links = self.env._("%(links)s and %(count)s more", links=links, count=len(others) - 10)
            body += Markup("<br/>") + self.env._(
                "Also assigned to you with it: %(links)s.",
                links=links,
            )
            # logged without a notification of their own: the first message is the one
            others._message_log_batch(
                bodies={action_id: Markup("%s") % text for action_id, text in bodies.items() if action_id != first.id},
                partner_ids=user.partner_id.ids,
            )
        first.message_post(body=body, partner_ids=user.partner_id.ids, subtype_xmlid="mail.mt_note")

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
        reminder is at least that old, or always with ``force`` (at login). With the
        setting "E-mail unacknowledged assignments", the periodic reminders also e-mail
        each assignment once.
        """
        now = now or fields.Datetime.now()
        domain = [("acknowledgement_pending", "=", True), ("state", "=", "planned"), ("user_id", "!=", False)]
        if users is not None:
            domain.append(("user_id", "in", users.ids))
        # the cron reminds everyone; at login ``users`` is the user alone
        pending = self.sudo().search(domain, order="id")
        reminded = pending.browse()
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
        # At login the user is in Odoo already: only the periodic reminders e-mail.
        if not force and self.env["ir.config_parameter"].sudo().get_param("crm_action.reminder_email"):
            reminded.filtered(lambda a: not a.acknowledgement_emailed)._send_acknowledgement_email()
        return reminded

    @api.model
    def _cron_remind_unacknowledged(self):
        self._remind_unacknowledged()

    def _send_acknowledgement_email(self):
        """One e-mail per responsible listing ``self``; each action is e-mailed once."""
        # outgoing mails are technical records no user creates by hand
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

    # ------------------------------------------------------------ to-do sync
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
        # the to-do is the responsible's: whoever may read the action sees which one it is
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search_fetch(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", activity_type.id),
                ],
                # what the sync compares, what Odoo reads to delete a to-do and what archiving
                # it computes, in the same query
                ["res_id", "active", "user_id", "date_deadline", "summary", "date_done"],
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
        side is managed as superuser (the change of the action was checked already and
        the to-do belongs to the responsible) and with TODO_SYNC set, so that it does not
        write back on the action.

        :param new: ``self`` was just created, so it has no to-do yet (saves a search)
        """
        activity_type = self._get_todo_activity_type()
        if not activity_type or not self:
            return
        todos = {} if new else self._get_todo_activities()
        # no "you have been assigned" e-mail: the acknowledgement request notifies instead
        activity_model = (
            self.env["mail.activity"].sudo().with_context(**{TODO_SYNC: True, "mail_activity_quick_update": True})
        )
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
                        # what Odoo would compute after the INSERT, then UPDATE
                        res_name=action.display_name,
                        user_tz=action.user_id.tz,
                        date_done=False,
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
            # the model's name, which the new to-dos read of it: known, not read with the
            # model's twenty other columns
            ir_model = self.env["ir.model"].browse(res_model_id)
            self.env.cache.insert_missing(ir_model, ir_model._fields["model"], [self._name])
            activity_model.create(to_create)
        if to_complete:
            # Archived, as Odoo archives the done activities of a type that keeps them: they
            # leave the activities menu and the chatter. Deleting them here would empty
            # Odoo's whole cache (``unlink`` does) halfway through the completion, which
            # would then read the action, its lead, partner, campaign, user and company
            # again: _gc_done_todo_activities deletes them daily instead. Not through
            # ``_action_done``: the action's chatter logs it done, that would log it twice.
            to_complete.with_context(**{TODO_SYNC: True}).write({"active": False})
        if to_remove:
            to_remove.with_context(**{TODO_SYNC: True}).unlink()

    @api.autovacuum
    def _gc_done_todo_activities(self):
        """Delete the to-dos archived when their actions were done (see
        :meth:`_sync_todo_activity`), unless the to-do type keeps done activities."""
        activity_type = self._get_todo_activity_type()
        if not activity_type or activity_type.keep_done:
            return
        # sudo: the to-dos belong to their responsibles; they are deleted whoever they are
        done_todos = (
            self.env["mail.activity"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("res_model", "=", self._name),
                    ("activity_type_id", "=", activity_type.id),
                    ("active", "=", False),
                ]
            )
        )
        done_todos.with_context(**{TODO_SYNC: True}).unlink()

    # ------------------------------------------------------------ calendar sync
    def action_open_calendar_event(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "calendar.event",
            "res_id": self.calendar_event_id.id,
            "view_mode": "form",
            "target": "current",
        }

    def _prepare_calendar_event_values(self):
        self.ensure_one()
        start = self.date_start
        stop = self.date_end if self.date_end and self.date_end > start else start + timedelta(hours=1)
        partners = self.user_id.partner_id | self.attendee_user_ids.partner_id | self.contact_ids
        return {
            "name": self.name,
            "start": start,
            "stop": stop,
            "allday": self.all_day,
            "location": self.place,
            "description": self.description,
            "user_id": self.user_id.id,
            "partner_ids": [Command.set(partners.ids)],
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
        }

    def _sync_calendar_event(self):
        """Create, update or delete the calendar event of each action: one event while
        "Add to calendar" is on and the action is not cancelled."""
        if not self:
            return
        # the event is the action's own (calendar_event_id is set here only) and private
        # to its organiser: the change of the action was checked already
        event_model = self.env["calendar.event"].sudo()
        to_delete = event_model
        for action in self:
            event = action.calendar_event_id.sudo()
            if not action.add_to_calendar or action.state == "cancel" or not action.date_start:
                to_delete |= event
                if event:
                    action.sudo().with_context(**{CALENDAR_SYNC: True}).calendar_event_id = False
                continue
            values = action._prepare_calendar_event_values()
            if event:
                event.write(values)
            else:
                event = event_model.create(values)
                action.sudo().with_context(**{CALENDAR_SYNC: True}).calendar_event_id = event
        to_delete.with_context(**{CALENDAR_SYNC: True}).unlink()

    # ------------------------------------------------------------ timer
    def _check_timer_state(self, states):
        wrong = self.filtered(lambda a: a.state != "planned" or a.timer_state not in states)
        if wrong:
            timer_states = dict(self._fields["timer_state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "The timer of '%(name)s' cannot do that now: the timer is %(timer)s and only the "
                    "timer of a planned action runs.",
                    name=wrong[0].name,
                    timer=timer_states[wrong[0].timer_state].lower(),
                )
            )

    def _check_timer_started(self, now):
        # the time spent is added to the duration from the start: never to a future date
        future = self.filtered(lambda a: a.date_start and a.date_start > now)
        if future:
            raise UserError(
                self.env._(
                    "'%(name)s' starts on %(date)s: its timer runs only once the action has started. "
                    "Change the start to now, or start the timer then.",
                    name=future[0].name,
                    date=format_datetime(self.env, future[0].date_start, dt_format="short"),
                )
            )

    def _timer_elapsed_hours(self, now):
        self.ensure_one()
        return max((now - self.timer_start).total_seconds(), 0.0) / 3600.0

    @api.model
    def _default_timer_opened_at(self):
        # only the form of a new action registered as it happens (the Log Action buttons,
        # My Actions' New) asks for the timer: an action planned from code or a dialog has none
        if self.env.context.get(START_TIMER) and self.env.user.has_group("crm_action.group_crm_action_timer"):
            return fields.Datetime.now()
        return False

    def _timer_may_start_at(self, opened, now):
        """Whether the timer of new action ``self`` may run from ``opened``, the moment its
        form was opened: a planned action of the user's own that has started, opened in the
        last TIMER_OPENED_MAX (a form left open overnight starts no timer)."""
        self.ensure_one()
        return bool(
            opened
            and now - TIMER_OPENED_MAX <= opened <= now
            and self.state == "planned"
            and self.user_id == self.env.user
            and not (self.date_start and self.date_start > now)
            and self.env.user.has_group("crm_action.group_crm_action_timer")
        )

    def _timer_start_at_opening(self, timers_opened):
        """Start the timers of the new actions ``self`` from the moments their forms were
        opened (seed 003: the time of a contact runs from opening the window), given in the
        order of ``self`` as the client sent them.

        The moment is a client value: one in the future is refused; one that does not pass
        :meth:`_timer_may_start_at` starts no timer. It grants nothing the user cannot do
        by hand, as the duration is theirs to edit anyway."""
        now = fields.Datetime.now()
        starts = {}
        for action, opened in zip(self, timers_opened, strict=True):
            opened = fields.Datetime.to_datetime(opened)
            if opened and opened > now:
                raise UserError(
                    self.env._(
                        "The timer of '%(name)s' cannot start in the future: reopen the form and save it again.",
                        name=action.name,
                    )
                )
            if action._timer_may_start_at(opened, now):
                starts.setdefault(opened, []).append(action.id)
        for opened, ids in starts.items():
            # a module field, written for the user's own new action only
            self.browse(ids).sudo().write({"timer_start": opened, "timer_paused": False})

    def action_timer_start(self):
        self._check_timer_state(["stopped"])
        self._check_timer_started(fields.Datetime.now())
        self._timer_run()
        return True

    def action_timer_pause(self):
        self._check_timer_state(["running"])
        self.check_access("write")
        now = fields.Datetime.now()
        for action in self:
            action.duration += action._timer_elapsed_hours(now)
        self.sudo().write({"timer_start": False, "timer_paused": True})
        return True

    def action_timer_resume(self):
        self._check_timer_state(["paused"])
        self._check_timer_started(fields.Datetime.now())
        self._timer_run()
        return True

    def _timer_run(self):
        self.check_access("write")
        # module fields: the timer is run by its buttons only
        self.sudo().write({"timer_start": fields.Datetime.now(), "timer_paused": False})

    def action_timer_stop(self):
        self._check_timer_state(["running", "paused"])
        self._timer_stop(fields.Datetime.now())
        return True

    def _timer_stop(self, now):
        self.check_access("write")
        for action in self.filtered("timer_start"):
            action.duration += action._timer_elapsed_hours(now)
        self.sudo().write({"timer_start": False, "timer_paused": False})

    # ------------------------------------------------------------ notify
    def action_open_notify_wizard(self):
        """Open the Notify dialog of this action: the people involved, ticked when they are
        among its recipients, and further addresses to type."""
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Notify"),
            "res_model": "crm.action.notify.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_action_id": self.id},
        }

    def action_notify_recipients(self):
        """Send one e-mail with the action's summary to its chosen recipients
        (``notify_partner_ids``), through the mail queue."""
        for action in self:
            action._notify_send(action.notify_partner_ids)
        return True

    def _notify_suggestions(self):
        """The people involved in this action who may be notified, each once.

        :return: list of (partner, [roles]) in the order responsible, requester, contact
            persons, participants, partner, lead's salesperson, followers, other recipients
        """
        self.ensure_one()
        self.check_access("read")
        roles = {}
        candidates = [
            (self.user_id.partner_id, self.env._("Responsible")),
            (self.requester_id.partner_id, self.env._("Requester")),
            (self.contact_ids, self.env._("Contact Person")),
            (self.attendee_user_ids.partner_id, self.env._("Participant")),
            (self.partner_id, self.env._("Partner")),
            (self.lead_id.user_id.partner_id, self.env._("Salesperson of the Lead")),
            (self.message_partner_ids, self.env._("Follower")),
        ]
        for partners, role in candidates:
            for partner in partners:
                partner_roles = roles.setdefault(partner, [])
                if role not in partner_roles:
                    partner_roles.append(role)
        # recipients chosen by hand who are none of the above
        for partner in self.notify_partner_ids:
            roles.setdefault(partner, [self.env._("Recipient")])
        return list(roles.items())

    @api.model
    def _notify_parse_emails(self, text):
        """The e-mail addresses typed in ``text`` (separated by commas, semicolons, spaces or
        lines), normalised and each once; refuses the first one that is not an address."""
        emails = []
        for token in re.split(r"[,;\s]+", text or ""):
            if not token:
                continue
            email = email_normalize(token, strict=True)
            if not email:
                raise ValidationError(
                    self.env._(
                        "'%(address)s' is not an e-mail address: correct it or remove it from the "
                        "other addresses (separate addresses with commas).",
                        address=token,
                    )
                )
            if email not in emails:
                emails.append(email)
        return emails

    def _notify_send(self, partners, emails=()):
        """E-mail this action's summary (template ``crm_action_mail_template_notify``) to
        ``partners`` and to the typed addresses ``emails``, through Odoo's mail queue, and
        leave it in the chatter.

        :param partners: res.partner recipients; each needs an e-mail address
        :param emails: further e-mail addresses (already validated), without a partner
        :return: the posted mail.message
        """
        self.ensure_one()
        # notifying about an action needs the right to see it, and the recipients
        self.check_access("read")
        partners.check_access("read")
        # an address typed for someone who is ticked already gets one e-mail
        emails = [email for email in emails if email not in partners.mapped("email_normalized")]
        if not partners and not emails:
            raise UserError(self.env._("Choose at least one recipient to notify about '%(name)s'.", name=self.name))
        no_email = partners.filtered(lambda p: not p.email)
        if no_email:
            raise UserError(
                self.env._(
                    "Recipients without an e-mail address: %(names)s. Add their address or "
                    "remove them from the recipients.",
                    names=", ".join(no_email.mapped("display_name")),
                )
            )
        template = self.env.ref("crm_action.crm_action_mail_template_notify")
        subject = template._render_field("subject", self.ids)[self.id]
        body = template._render_field("body_html", self.ids, compute_lang=True)[self.id]
        # An internal note with the recipients named: exactly the ticked people are
        # e-mailed (a comment would also reach every follower), queued rather than sent
        # while the user waits.
        message = self.message_post(
            subject=subject,
            body=body,
            partner_ids=partners.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            email_layout_xmlid="mail.mail_notification_light",
            force_send=False,
            notify_author=self.env.user.partner_id in partners,
        )
        if emails:
            # Addresses without a partner: one queued e-mail each, on the posted message
            # (mail.mail is Odoo's, written by the system as for any notification).
            self.env["mail.mail"].sudo().create(
                [
                    {
                        "mail_message_id": message.id,
                        "email_to": email,
                        "body_html": body,
                        "auto_delete": True,
                    }
                    for email in emails
                ]
            )
            self.message_post(
                body=self.env._("Summary also e-mailed to: %(emails)s", emails=", ".join(emails)),
                subtype_xmlid="mail.mt_note",
            )
        return message

    # ------------------------------------------------------------ helpers
    def _is_action_manager(self):
        return self.env.user.has_group("crm_action.crm_action_group_manager")

    @api.model
    def _count_by_source(self, records):
        """Number of visible actions per source document, as {record id: count}, in one query."""
        records = records._origin.filtered("id")
        if not records:
            return {}
        refs = [f"{records._name},{record_id}" for record_id in records.ids]
        groups = self._read_group([("source_ref", "in", refs)], ["source_ref"], ["__count"])
        return {int(ref.split(",")[1]): count for ref, count in groups}

    @api.model
    def _action_log(self, partner=None, lead=None, source=None, template=None):
        """The window action of a new action form, prefilled with the partner (its main
        contact follows), the lead/opportunity, the source document and a template (given,
        or passed as ``default_template_id`` in the context of a "Log action" button)."""
        context = {}
        if partner:
            context["default_partner_id"] = partner.id
        if lead:
            context["default_lead_id"] = lead.id
        if source:
            context["default_source_ref"] = f"{source._name},{source.id}"
        template_id = template.id if template else self.env.context.get("default_template_id")
        if template_id:
            context["default_template_id"] = template_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Action"),
            "res_model": "crm.action",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {**context, START_TIMER: True},
        }

    @api.model
    def _action_open_actions(self, domain, name=None, context=None):
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_action.crm_action_action")
        action["domain"] = domain
        action["context"] = dict(context or {})
        if name:
            action["display_name"] = name
        return action
