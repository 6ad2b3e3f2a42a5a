from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

from .calendar_event import CALENDAR_SYNC

# Fields of crm.action shown on its calendar event.
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
# Fields still recorded once the meeting is done.
AFTER_MEETING_FIELDS = {"actual_cost", "actual_currency_id"}


class CrmAction(models.Model):
    """Meetings (seed 003): participants, costs and one calendar event kept in sync."""

    _inherit = "crm.action"

    is_meeting = fields.Boolean(related="type_id.is_meeting")
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
        compute="_compute_add_to_calendar",
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

    # ------------------------------------------------------------ constraints
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

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        actions._sync_calendar_event()
        return actions

    def write(self, vals):
        if (
            vals
            and set(vals) <= AFTER_MEETING_FIELDS
            and not self.env.su
            and any(action.state == "done" for action in self)
        ):
            # the actual cost is known after the meeting: whoever may edit the action
            # records it, even though a done action is otherwise locked
            self.check_access("write")
            return super(CrmAction, self.sudo()).write(vals)
        res = super().write(vals)
        if CALENDAR_FIELDS & set(vals) and not self.env.context.get(CALENDAR_SYNC):
            self._sync_calendar_event()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_calendar_event(self):
        self.calendar_event_id.sudo().with_context(**{CALENDAR_SYNC: True}).unlink()

    # ------------------------------------------------------------ buttons
    def action_open_calendar_event(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "calendar.event",
            "res_id": self.calendar_event_id.id,
            "view_mode": "form",
            "target": "current",
        }

    # ------------------------------------------------------------ business
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
        # the change of the action was checked already; events of others are private to them
        event_model = self.env["calendar.event"].sudo()
        to_delete = event_model
        for action in self:
            event = action.calendar_event_id.sudo()
            if not action.add_to_calendar or action.state == "cancel" or not action.date_start:
                to_delete |= event
                if event:
                    action.sudo().calendar_event_id = False
                continue
            values = action._prepare_calendar_event_values()
            if event:
                event.write(values)
            else:
                action.sudo().calendar_event_id = event_model.create(values)
        to_delete.with_context(**{CALENDAR_SYNC: True}).unlink()

    def _prepare_followup_values(self, date_start):
        values = super()._prepare_followup_values(date_start)
        values.update(
            attendee_user_ids=[Command.set(self.attendee_user_ids.ids)],
            add_to_calendar=self.add_to_calendar,
            expected_currency_id=self.expected_currency_id.id,
            actual_currency_id=self.actual_currency_id.id,
        )
        return values
