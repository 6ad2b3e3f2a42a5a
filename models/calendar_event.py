from odoo import api, models

# Context flag: the event is deleted by its action's own calendar sync.
CALENDAR_SYNC = "crm_action_calendar_sync"


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    @api.model
    def _get_activity_excluded_models(self):
        # a meeting action already has its to-do: its event must not add a second one
        return [*super()._get_activity_excluded_models(), "crm.action"]

    def unlink(self):
        if self.env.context.get(CALENDAR_SYNC):
            return super().unlink()
        # deleted from the calendar: the meeting leaves the calendar instead of
        # coming back at its next change
        # the actions of the deleted events may belong to other users (the event's attendees
        # may delete it): only their calendar flag follows
        actions = self.env["crm.action"].sudo().search([("calendar_event_id", "in", self.ids)])
        res = super().unlink()
        actions.with_context(**{CALENDAR_SYNC: True}).write({"add_to_calendar": False})
        return res
