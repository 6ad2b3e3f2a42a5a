from odoo import api, models


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    @api.model
    def _get_activity_excluded_models(self):
        # a meeting action already has its to-do: its event must not add a second one
        return [*super()._get_activity_excluded_models(), "crm.action"]
