from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

# Fields Odoo itself writes on records while a user only reads or comments them;
# a done action stays editable for these.
DONE_WRITABLE_FIELDS = {"message_main_attachment_id", "activity_ids", "message_follower_ids"}


class CrmAction(models.Model):
    _name = "crm.action"
    _description = "CRM Action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"

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
        index=True,
        tracking=True,
        help="Customer, supplier, carrier or any other partner; empty for an unlinked action.",
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
    campaign_id = fields.Many2one("utm.campaign", string="Campaign", index=True)
    type_id = fields.Many2one("crm.action.type", string="Action Type", index=True, tracking=True)
    medium_id = fields.Many2one("utm.medium", string="Medium")
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
    date_done = fields.Datetime(string="Done On", readonly=True, copy=False)

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

    _sql_constraints = [
        ("duration_positive", "CHECK(duration >= 0)", "The duration cannot be negative."),
    ]

    # ------------------------------------------------------------ computes
    @api.model
    def _selection_source_ref(self):
        models_ = self.env["ir.model"].sudo().search([("transient", "=", False)], order="name")
        return [(model.model, model.name) for model in models_]

    @api.depends("partner_id")
    def _compute_contact_ids(self):
        for action in self:
            action.contact_ids = action.partner_id._crm_action_main_contact()

    @api.depends("partner_id", "contact_ids")
    def _compute_phone(self):
        for action in self:
            if action.phone:
                continue
            people = action.contact_ids[:1] | action.partner_id
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

    @api.onchange("lead_id")
    def _onchange_lead_id(self):
        for action in self:
            lead = action.lead_id
            if lead and not action.partner_id and lead.partner_id:
                action.partner_id = lead.partner_id
            if lead and not action.campaign_id:
                action.campaign_id = lead.campaign_id
            if lead and not action.medium_id:
                action.medium_id = lead.medium_id

    # ------------------------------------------------------------ constraints
    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for action in self:
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
    def _action_open_actions(self, domain, name=None, context=None):
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_action.crm_action_action")
        action["domain"] = domain
        action["context"] = dict(context or {})
        if name:
            action["display_name"] = name
        return action
