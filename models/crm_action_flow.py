from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from .crm_action import DONE_WRITABLE_FIELDS

# What saving a result does, as shown on the action and in the register dialog.
FLOW_MODES = [("ask", "Ask for the next action"), ("automatic", "Automatic next action"), ("negative", "Negative")]

# Actual expenses are registered after the action, once it is done (C3): the lock on
# done actions covers what happened, not the costs logged afterwards.
DONE_WRITABLE_FIELDS.add("expense_ids")


class CrmAction(models.Model):
    """Campaigns, result-driven flow and rules on save (B1-B4, C1-C5)."""

    _inherit = "crm.action"

    # Campaign action (B1)
    campaign_line_id = fields.Many2one(
        "crm.action.campaign.line",
        string="Campaign Action",
        compute="_compute_campaign_line_id",
        store=True,
        index=True,
    )
    objective = fields.Text(help="What this action should achieve.")
    add_to_calendar = fields.Boolean(
        string="Add to Calendar",
        help="Put this action in the responsible's calendar.",
    )
    flow_mode = fields.Selection(
        FLOW_MODES,
        compute="_compute_flow_mode",
        string="Result Flow",
        help="What saving the result does, as configured on the campaign action.",
    )

    # Flow chain (B4)
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

    # Rules on save (C1, C5)
    partner_class_id = fields.Many2one(
        "res.partner.class",
        string="Partner Class When Done",
        compute="_compute_partner_class_id",
        store=True,
        help="Class of the partner when the action was done; class transitions count these.",
    )
    occurrence_id = fields.Many2one("crm.action.occurrence", string="Occurrence", index="btree_not_null")

    # Expenses (C3)
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

    # ------------------------------------------------------------ computes
    @api.depends("campaign_id.action_line_ids.type_id", "type_id")
    def _compute_campaign_line_id(self):
        for action in self:
            action.campaign_line_id = action.campaign_id.action_line_ids.filtered(
                lambda line, action=action: line.type_id == action.type_id
            )[:1]

    @api.depends("campaign_line_id", "result_id")
    def _compute_flow_mode(self):
        for action in self:
            action.flow_mode = action._crm_action_result_flow().mode

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

    # ------------------------------------------------------------ onchanges
    @api.onchange("campaign_id")
    def _onchange_campaign_id_first_type(self):
        for action in self:
            action._crm_action_apply_campaign_defaults(first_type=True)

    @api.onchange("type_id")
    def _onchange_type_id_campaign_defaults(self):
        for action in self:
            action._crm_action_apply_campaign_defaults()

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        done = actions.filtered(lambda a: a.state == "done")
        if done:
            done._crm_action_on_done()
        return actions

    def write(self, vals):
        becoming_done = self.filtered(lambda a: a.state != "done") if vals.get("state") == "done" else self.browse()
        res = super().write(vals)
        if becoming_done:
            becoming_done._crm_action_on_done()
        return res

    # ------------------------------------------------------------ buttons
    def action_done(self):
        """Mark the actions done (rules and flow run on save). For one action whose
        result asks for a next action, return the next-action wizard."""
        res = super().action_done()
        if len(self) == 1 and self.flow_mode == "ask":
            return self.action_plan_next()
        return res

    def action_plan_next(self):
        """Open the next-action wizard, prefilled from the campaign's flow."""
        self.ensure_one()
        flow = self._crm_action_result_flow()
        next_type = flow.next_type_id or self.type_id
        date_start = (self.date_done or fields.Datetime.now()) + timedelta(days=flow.delay_days)
        duration = next_type.default_duration or self.duration or 1.0
        line = self.campaign_id.action_line_ids.filtered(lambda ln: ln.type_id == next_type)[:1]
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
                "default_objective": line.objective or False,
                "default_user_id": self.user_id.id,
                "default_phone": self.phone,
                "default_date_start": fields.Datetime.to_string(date_start),
                "default_date_end": fields.Datetime.to_string(date_start + timedelta(hours=duration)),
            },
        }

    def action_view_expenses(self):
        """The expenses of this action, to log them from the history list (C3)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Expenses of %(action)s", action=self.name),
            "res_model": "crm.action.expense",
            "view_mode": "list",
            "domain": [("action_id", "=", self.id)],
            "context": {"default_action_id": self.id, "default_currency_id": self.expense_currency_id.id},
        }

    def action_view_flow(self):
        """All actions of this action's flow."""
        self.ensure_one()
        root = self.flow_root_id or self
        return self._action_open_actions(
            ["|", ("id", "=", root.id), ("flow_root_id", "=", root.id)], name=self.env._("Flow")
        )

    # ------------------------------------------------------------ business
    def create_next_action(self, values):
        """Create the planned action that follows this one in its flow.

        :param dict values: crm.action values of the next action; at least ``type_id``.
        :return: the new planned action
        """
        self.ensure_one()
        vals = self._crm_action_prepare_next_vals(self.env["crm.action.type"].browse(values["type_id"]))
        vals.update(values)
        return self.create(vals)

    def _crm_action_result_flow(self):
        self.ensure_one()
        if not self.campaign_line_id or not self.result_id:
            return self.env["crm.action.campaign.result"]
        return self.campaign_line_id._get_result_flow(self.result_id)

    def _crm_action_apply_campaign_defaults(self, first_type=False):
        values = self.env["crm.action.campaign.line"]._get_action_defaults(
            self.campaign_id, self.type_id, first_type=first_type
        )
        if self.objective:
            # an objective already written is kept
            values.pop("objective", None)
        self.update(values)

    def _crm_action_on_done(self):
        """Everything saving a result does, in one transaction: the rules (in the order
        documented on crm.action.rule), then the automatic or negative flow."""
        flows = {action: action._crm_action_result_flow() for action in self}
        missing_reason = self.filtered(lambda a: flows[a].mode == "negative" and not a.lost_reason_id)
        if missing_reason:
            raise UserError(
                self.env._(
                    "Result '%(result)s' of '%(name)s' is negative: give a loss reason. It closes the flow "
                    "and marks the opportunity lost.",
                    result=missing_reason[0].result_id.name,
                    name=missing_reason[0].name,
                )
            )
        self.env["crm.action.rule"]._apply_to_actions(self)
        next_vals = [
            action._crm_action_prepare_next_vals(
                flows[action].next_type_id,
                date_start=(action.date_done or fields.Datetime.now()) + timedelta(days=flows[action].delay_days),
            )
            for action in self
            if flows[action].mode == "automatic"
        ]
        if next_vals:
            self.create(next_vals)
        negative = self.filtered(lambda a: flows[a].mode == "negative")
        if negative:
            negative._crm_action_close_flow()

    def _crm_action_prepare_next_vals(self, next_type, date_start=None):
        self.ensure_one()
        line = self.campaign_id.action_line_ids.filtered(lambda ln: ln.type_id == next_type)[:1]
        date_start = date_start or fields.Datetime.now()
        duration = next_type.default_duration
        return {
            "name": next_type.name,
            "type_id": next_type.id,
            "campaign_id": self.campaign_id.id,
            "medium_id": line.default_medium_id.id or self.medium_id.id,
            "objective": line.objective or False,
            "partner_id": self.partner_id.id,
            "contact_ids": [fields.Command.set(self.contact_ids.ids)],
            "phone": self.phone,
            "lead_id": self.lead_id.id,
            "occurrence_id": self.occurrence_id.id,
            "source_ref": self.source_ref and f"{self.source_ref._name},{self.source_ref.id}",
            "user_id": self.user_id.id,
            "team_id": self.team_id.id,
            "company_id": self.company_id.id,
            "previous_action_id": self.id,
            "date_start": date_start,
            "date_end": date_start + timedelta(hours=duration),
            "duration": duration,
        }

    def _crm_action_close_flow(self):
        """Negative result: cancel the pending actions of these actions' flows and of their
        opportunities, and mark the opportunities lost with the actions' loss reasons."""
        roots = self.flow_root_id | self.filtered(lambda a: not a.flow_root_id)
        domains = [[("id", "in", roots.ids)], [("flow_root_id", "in", roots.ids)]]
        if self.lead_id:
            domains.append([("lead_id", "in", self.lead_id.ids)])
        pending = self.sudo().search(expression.AND([[("state", "=", "planned")], expression.OR(domains)]))
        if pending:
            pending.action_cancel()
            for action in pending:
                action.message_post(
                    body=self.env._("Closed: the flow ended with a negative result."),
                    subtype_xmlid="mail.mt_note",
                )
        for action in self.filtered(lambda a: a.lead_id.active):
            lead = action.lead_id.sudo()
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
