from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmAction(models.Model):
    """Duration timer (seed 003): start / pause / resume / stop add the time spent to
    the action's duration. The running state is stored, so it survives reloads."""

    _inherit = "crm.action"

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

    @api.depends("timer_start", "timer_paused")
    def _compute_timer_state(self):
        for action in self:
            if action.timer_start:
                action.timer_state = "running"
            elif action.timer_paused:
                action.timer_state = "paused"
            else:
                action.timer_state = "stopped"

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

    def _timer_elapsed_hours(self, now):
        self.ensure_one()
        return max((now - self.timer_start).total_seconds(), 0.0) / 3600.0

    def action_timer_start(self):
        self._check_timer_state(["stopped"])
        self.write({"timer_start": fields.Datetime.now(), "timer_paused": False})
        return True

    def action_timer_pause(self):
        self._check_timer_state(["running"])
        now = fields.Datetime.now()
        for action in self:
            action.write(
                {
                    "duration": action.duration + action._timer_elapsed_hours(now),
                    "timer_start": False,
                    "timer_paused": True,
                }
            )
        return True

    def action_timer_resume(self):
        self._check_timer_state(["paused"])
        self.write({"timer_start": fields.Datetime.now(), "timer_paused": False})
        return True

    def action_done(self):
        # the time still running counts in the duration of the done action
        self.filtered(lambda a: a.state == "planned" and a.timer_state != "stopped").action_timer_stop()
        return super().action_done()

    def action_timer_stop(self):
        self._check_timer_state(["running", "paused"])
        now = fields.Datetime.now()
        for action in self:
            values = {"timer_start": False, "timer_paused": False}
            if action.timer_start:
                values["duration"] = action.duration + action._timer_elapsed_hours(now)
            action.write(values)
        return True
