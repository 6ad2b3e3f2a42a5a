from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

# Fields Odoo itself writes on records while a user only reads or comments them;
# a done action stays editable for these.
DONE_WRITABLE_FIELDS = {"message_main_attachment_id", "activity_ids", "message_follower_ids"}

# Colour indexes of Odoo's palette (kanban highlight, calendar): 1 red, 3 yellow, 4 blue.
DUE_COLORS = {"overdue": 1, "soon": 3, "later": 4, "closed": 0}


class CrmAction(models.Model):
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

    # Who and what it is about
    partner_id = fields.Many2one(
        "res.partner",
        string="Partner",
        compute="_compute_partner_id",
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
    source_ref = fields.Reference(
        selection="_selection_source_ref",
        string="Source Document",
        index=True,
        help="The business document this action is about.",
    )
    phone = fields.Char(compute="_compute_phone", store=True, readonly=False)
    place = fields.Char()

    # Classification
    campaign_id = fields.Many2one(
        "utm.campaign",
        string="Campaign",
        compute="_compute_campaign_medium",
        store=True,
        readonly=False,
        index=True,
    )
    type_id = fields.Many2one("crm.action.type", string="Action Type", index=True, tracking=True)
    medium_id = fields.Many2one(
        "utm.medium",
        string="Medium",
        compute="_compute_campaign_medium",
        store=True,
        readonly=False,
    )
    result_id = fields.Many2one("crm.action.result", string="Result", index=True, tracking=True)
    result_outcome = fields.Selection(related="result_id.outcome", store=True, string="Outcome")
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

    # When
    date_start = fields.Datetime(string="Start", default=fields.Datetime.now, index=True)
    date_end = fields.Datetime(
        string="End",
        compute="_compute_date_end",
        store=True,
        readonly=False,
    )
    duration = fields.Float(
        help="Time spent, in hours.",
        compute="_compute_duration",
        store=True,
        readonly=False,
    )
    all_day = fields.Boolean(string="Some Time That Day")
    date_deadline = fields.Date(string="Deadline", tracking=True)
    date_due = fields.Date(
        string="Due Date",
        compute="_compute_date_due",
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
        store=True,
        readonly=False,
        index=True,
    )

    # ------------------------------------------------------------ computes
    @api.model
    def _selection_source_ref(self):
        models_ = self.env["ir.model"].sudo().search([("transient", "=", False)], order="name")
        return [(model.model, model.name) for model in models_]

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
        for action in self:
            action.contact_ids = action.partner_id._crm_action_main_contact()

    @api.depends("partner_id", "contact_ids")
    def _compute_phone(self):
        for action in self:
            people = action.contact_ids[:1] | action.partner_id
            if not people:
                # An unlinked action keeps the number the user typed.
                action.phone = action.phone
                continue
            action.phone = next((p.phone or p.mobile for p in people if p.phone or p.mobile), False)

    @api.depends("date_start", "duration")
    def _compute_date_end(self):
        for action in self:
            if action.date_start and action.duration:
                action.date_end = action.date_start + timedelta(hours=action.duration)
            elif not action.date_end:
                action.date_end = action.date_start

    @api.depends("date_start", "date_end")
    def _compute_duration(self):
        for action in self:
            if action.date_start and action.date_end and action.date_end >= action.date_start:
                action.duration = (action.date_end - action.date_start).total_seconds() / 3600.0

    @api.depends("date_deadline", "date_start")
    def _compute_date_due(self):
        for action in self:
            action.date_due = action.date_deadline or (action.date_start and action.date_start.date())

    @api.depends("user_id")
    def _compute_team_id(self):
        for action in self:
            if action.user_id and (not action.team_id or action.user_id not in action.team_id.member_ids):
                action.team_id = action.user_id.sale_team_id

    @api.depends("state", "date_due")
    @api.depends_context("tz")
    def _compute_due_state(self):
        today = fields.Date.context_today(self)
        for action in self:
            if action.state != "planned":
                action.due_state = "closed"
            elif action.date_due and action.date_due < today:
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

    def _search_due_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Filter 'Due' with =, !=, in or not in only."))
        today = fields.Date.context_today(self)
        tomorrow = today + timedelta(days=1)
        domains = {
            "closed": [("state", "!=", "planned")],
            "overdue": [("state", "=", "planned"), ("date_due", "<", today)],
            "soon": [("state", "=", "planned"), ("date_due", ">=", today), ("date_due", "<=", tomorrow)],
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

    # ------------------------------------------------------------ constraints
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
        for action in self:
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
                        "%(contacts)s not a contact of %(partner)s: choose contact persons of the action's partner.",
                        contacts=", ".join(strangers.mapped("display_name")),
                        partner=action.partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------ CRUD
    def write(self, vals):
        if not self.env.su and set(vals) - DONE_WRITABLE_FIELDS and not self._is_action_manager():
            done = self.filtered(lambda a: a.state == "done")
            if done:
                raise UserError(
                    self.env._(
                        "Action '%(name)s' is done and locked: only a CRM Actions manager can change it.",
                        name=done[0].name,
                    )
                )
        return super().write(vals)

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

    # ------------------------------------------------------------ buttons
    def action_done(self):
        """Mark the actions done; each needs a result."""
        missing = self.filtered(lambda a: not a.result_id)
        if missing:
            raise UserError(
                self.env._(
                    "Set a result on '%(name)s' before marking it done.",
                    name=missing[0].name,
                )
            )
        closed = self.filtered(lambda a: a.state != "planned")
        if closed:
            raise UserError(
                self.env._("'%(name)s' is not planned: only planned actions can be marked done.", name=closed[0].name)
            )
        self.write({"state": "done", "date_done": fields.Datetime.now()})
        return True

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
        self.write({"state": "planned", "date_done": False})
        return True

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
    def _action_log(self, partner=None, lead=None, source=None):
        """The window action of a new action form, prefilled with the partner (its main
        contact follows), the lead/opportunity and the source document."""
        context = {}
        if partner:
            context["default_partner_id"] = partner.id
        if lead:
            context["default_lead_id"] = lead.id
        if source:
            context["default_source_ref"] = f"{source._name},{source.id}"
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Action"),
            "res_model": "crm.action",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": context,
        }

    @api.model
    def _action_open_actions(self, domain, name=None, context=None):
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_action.crm_action_action")
        action["domain"] = domain
        action["context"] = dict(context or {})
        if name:
            action["display_name"] = name
        return action
