from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError


class CrmAction(models.Model):
    """Follow-up (seed 003): "next contact in N hours / days / weeks, or on a date";
    marking the action done creates the analogous planned action at that time."""

    _inherit = "crm.action"

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
                        date=fields.Datetime.to_string(action.followup_date),
                    )
                )

    def action_done(self):
        now = fields.Datetime.now()
        dates = {action.id: action._get_followup_datetime(now) for action in self}
        past = self.filtered(lambda a: dates[a.id] and dates[a.id] < now)
        if past:
            raise UserError(
                self.env._(
                    "The next contact of '%(name)s' is in the past: choose a future time or clear it.",
                    name=past[0].name,
                )
            )
        res = super().action_done()
        for action in self.filtered(lambda a: dates[a.id] and not a.followup_action_id):
            followup = self.create(action._prepare_followup_values(dates[action.id]))
            action.sudo().followup_action_id = followup
            action.message_post(
                body=self.env._("Follow-up planned: %(link)s", link=followup._get_html_link()),
                subtype_xmlid="mail.mt_note",
            )
        return res

    def _get_followup_datetime(self, now):
        self.ensure_one()
        if self.followup_date:
            return self.followup_date
        if self.followup_interval > 0:
            return now + relativedelta(**{self.followup_unit or "days": self.followup_interval})
        return False

    def _prepare_followup_values(self, date_start):
        """Values of the planned action that follows ``self`` at ``date_start``."""
        self.ensure_one()
        return {
            "name": self.name,
            "partner_id": self.partner_id.id,
            "contact_ids": [Command.set(self.contact_ids.ids)],
            "type_id": self.type_id.id,
            "campaign_id": self.campaign_id.id,
            "medium_id": self.medium_id.id,
            "lead_id": self.lead_id.id,
            "source_ref": self.source_ref and f"{self.source_ref._name},{self.source_ref.id}",
            "category_id": self.category_id.id,
            "priority": self.priority,
            "place": self.place,
            "user_id": self.user_id.id,
            "requester_id": self.requester_id.id,
            "team_id": self.team_id.id,
            "company_id": self.company_id.id,
            "date_start": date_start,
            "duration": self.type_id.default_duration or self.duration,
            "state": "planned",
        }
