from collections import defaultdict

from odoo import api, fields, models, tools

from .prefetch import cached_values, insert_values, prefetch, prefetch_one2many


class CrmActionCampaignLine(models.Model):
    """One action of a campaign: its defaults and, per result, what comes next."""

    _name = "crm.action.campaign.line"
    _inherit = ["crm.action.configuration.mixin"]
    _description = "Campaign Action"
    _order = "campaign_id, sequence, id"
    _rec_name = "type_id"

    campaign_id = fields.Many2one("utm.campaign", string="Campaign", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    type_id = fields.Many2one("crm.action.type", string="Action Type", required=True, ondelete="restrict")

    # Defaults proposed on an action of this campaign and type
    default_result_id = fields.Many2one("crm.action.result", string="Default Result")
    default_medium_id = fields.Many2one("utm.medium", string="Default Medium")
    objective = fields.Text(translate=True, help="What the action should achieve; proposed on the next action.")

    # Planned expense: when set, actions of this line register their actual expenses
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, required=True)
    currency_id = fields.Many2one(
        "res.currency",
        string="Currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    expense_planned = fields.Monetary(string="Planned Expense", currency_field="currency_id")

    # Result-driven flow
    result_flow_ids = fields.One2many("crm.action.campaign.result", "line_id", string="Results and Next Actions")

    _sql_constraints = [
        (
            "campaign_type_unique",
            "UNIQUE(campaign_id, type_id)",
            "An action type appears once per campaign: edit the existing campaign action instead.",
        ),
        ("expense_planned_positive", "CHECK(expense_planned >= 0)", "A planned expense cannot be negative."),
    ]

    @api.depends("campaign_id", "type_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.campaign_id.title or ''} / {line.type_id.name or ''}"

    @api.model
    def _prefetch_campaigns(self, campaigns):
        """Put the actions of ``campaigns`` (``action_line_ids``), their result flows and
        the action types both name in the cache, from the worker's cache of the campaigns'
        configuration: no query while it holds. As with reading them, only the campaign
        actions of the user's companies (their record rules), and only for a user who may
        read campaign actions. Returns the campaign actions."""
        campaigns = campaigns._origin.filtered("id")
        field = campaigns._fields["action_line_ids"]
        # those whose actions the cache holds already are skipped (a save reads them more than once)
        missing = campaigns.browse(self.env.cache.get_missing_ids(campaigns, field))
        if missing and self.env.context.get("prefetch_langs"):
            # all languages at once: the worker's cache holds one
            lines = prefetch_one2many(missing, "action_line_ids")
            flows = prefetch_one2many(lines, "result_flow_ids")
            prefetch(lines.type_id | flows.next_type_id)
        elif missing:
            self.check_access("read")
            companies = set(self.env.companies.ids)
            for campaign in missing:
                (line_fnames, line_rows), (flow_fnames, flow_rows) = self._campaign_configuration(campaign.id)
                # the record rules: the campaign actions of the user's companies, and their flows
                company, line = line_fnames.index("company_id"), flow_fnames.index("line_id")
                allowed = {line_id for line_id, values in line_rows if values[company] in companies}
                flows_by_line = defaultdict(list)
                for flow_id, values in flow_rows:
                    flows_by_line[values[line]].append(flow_id)
                lines = insert_values(self, line_fnames, [row for row in line_rows if row[0] in allowed])
                flows = insert_values(
                    self.env["crm.action.campaign.result"],
                    flow_fnames,
                    [row for row in flow_rows if row[1][line] in allowed],
                )
                self.env.cache.insert_missing(campaign, field, [lines._ids])
                self.env.cache.insert_missing(
                    lines, self._fields["result_flow_ids"], [tuple(flows_by_line[line_id]) for line_id in lines._ids]
                )
                (lines.type_id | flows.next_type_id)._prefetch_configuration()
        return campaigns.action_line_ids

    @api.model
    @tools.ormcache("campaign_id", "self.env.lang")
    def _campaign_configuration(self, campaign_id):
        """The actions of a campaign and their result flows, each as ``cached_values``
        gives them, kept by each worker until a campaign action or a result flow is
        created, changed or deleted (the action types they name have a cache of their own)."""
        # sudo: a manager's configuration; _prefetch_campaigns keeps what the user may read
        lines = self.sudo().search([("campaign_id", "=", campaign_id)])
        flows = self.env["crm.action.campaign.result"].sudo().search([("line_id", "in", lines.ids)])
        return cached_values(lines), cached_values(flows)

    def _get_result_flow(self, result):
        """The flow configured for ``result`` on this campaign action (empty if none)."""
        self.ensure_one()
        return self.result_flow_ids.filtered(lambda f: f.result_id == result)[:1]

    @api.model
    def _get_action_defaults(self, campaign, action_type, first_type=False):
        """The values ``campaign`` proposes to an action of ``action_type`` (on the action's
        form and in the Register Action dialog): the default result and medium of its
        campaign action of that type, and its objective.

        :param first_type: the campaign was just chosen: when ``action_type`` is not one of
            its actions, propose its first action type (``type_id``) with that one's defaults
        :return: a dict of values (records), empty when the campaign has no such action
        """
        lines = campaign.action_line_ids
        values = {}
        if first_type:
            if not lines or action_type in lines.type_id:
                return values
            line = lines[0]
            values["type_id"] = line.type_id
        else:
            line = lines.filtered(lambda ln: ln.type_id == action_type)[:1]
            if not line:
                return values
        if line.default_result_id:
            values["result_id"] = line.default_result_id
        if line.default_medium_id:
            values["medium_id"] = line.default_medium_id
        if line.objective:
            values["objective"] = line.objective
        return values

    @api.model
    def _apply_action_defaults(self, record, first_type=False):
        """Put on ``record`` being edited (an action, the Register Action dialog) what its
        campaign proposes for its action type: the fields the record has, and the
        objective only when none is written yet. See ``_get_action_defaults``."""
        values = self._get_action_defaults(record.campaign_id, record.type_id, first_type=first_type)
        record.update(
            {
                name: value
                for name, value in values.items()
                if name in record._fields and not (name == "objective" and record.objective)
            }
        )
