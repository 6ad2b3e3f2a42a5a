from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# The documents that can spawn a lead, and the field naming the sequence on each
# configuration record that applies to them.
SPAWN_TRIGGERS = [
    ("quotation", "New Quotation"),
    ("order", "Confirmed Order"),
    ("return", "Customer Return"),
]


class CrmActionSequence(models.Model):
    _name = "crm.action.sequence"
    _description = "CRM Automatic Action Sequence"
    _order = "code, id"
    _rec_names_search = ["code", "name"]

    # Identification
    code = fields.Char(required=True, index=True)
    name = fields.Char(string="Description", required=True, translate=True)
    notes = fields.Text(string="Internal Notes")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Empty: the sequence is shared by all companies.",
    )

    # What is planned
    line_ids = fields.One2many("crm.action.sequence.line", "sequence_id", string="Actions", copy=True)
    open_lead = fields.Boolean(
        string="Open the Lead",
        default=lambda self: self._default_open_lead(),
        help="Show the new lead at once to the user whose confirmation or validated return created it. "
        "Saving a new quotation cannot open another record: its lead is on the quotation's "
        "Spawned Leads button as soon as it is saved.",
    )

    # Where it applies (drill-down and delete guard)
    quotation_team_ids = fields.One2many("crm.team", "crm_action_quotation_sequence_id", string="Teams (Quotations)")
    order_team_ids = fields.One2many("crm.team", "crm_action_order_sequence_id", string="Teams (Orders)")
    return_picking_type_ids = fields.One2many(
        "stock.picking.type",
        "crm_action_return_sequence_id",
        string="Operation Types (Returns)",
    )
    spawn_count = fields.Integer(compute="_compute_spawn_count", string="Leads")

    @api.model
    def _default_open_lead(self):
        # new sequences take "Open the Lead" from Settings > CRM > CRM Actions
        return self.env["res.config.settings"]._crm_action_open_spawned_lead()

    def _compute_display_name(self):
        for sequence in self:
            sequence.display_name = f"[{sequence.code}] {sequence.name}" if sequence.code else sequence.name

    def _compute_spawn_count(self):
        counts = dict(
            self.env["crm.action.spawn"]
            .sudo()
            ._read_group(
                [("sequence_id", "in", self.ids), ("lead_id", "!=", False)],
                ["sequence_id"],
                ["__count"],
            )
        )
        for sequence in self:
            sequence.spawn_count = counts.get(sequence, 0)

    @api.constrains("code", "company_id")
    def _check_code_unique(self):
        for sequence in self:
            duplicate = self.with_context(active_test=False).search_count(
                [
                    ("id", "!=", sequence.id),
                    ("code", "=ilike", sequence.code),
                    ("company_id", "=", sequence.company_id.id),
                ],
                limit=1,
            )
            if duplicate:
                raise ValidationError(
                    self.env._(
                        "The code %(code)s is already used by another sequence of this company: choose another code.",
                        code=sequence.code,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        """A sequence named by a team, an operation type or a company stays: archive it instead."""
        companies = (
            self.env["res.company"]
            .sudo()
            .search(
                [
                    "|",
                    "|",
                    ("crm_action_quotation_sequence_id", "in", self.ids),
                    ("crm_action_order_sequence_id", "in", self.ids),
                    ("crm_action_return_sequence_id", "in", self.ids),
                ]
            )
        )
        for sequence in self:
            users = [
                *sequence.sudo().with_context(active_test=False).quotation_team_ids.mapped("display_name"),
                *sequence.sudo().with_context(active_test=False).order_team_ids.mapped("display_name"),
                *sequence.sudo().with_context(active_test=False).return_picking_type_ids.mapped("display_name"),
                *companies.filtered(
                    lambda c, s=sequence: (
                        s
                        in (
                            c.crm_action_quotation_sequence_id
                            | c.crm_action_order_sequence_id
                            | c.crm_action_return_sequence_id
                        )
                    )
                ).mapped("display_name"),
            ]
            if users:
                raise UserError(
                    self.env._(
                        "Sequence %(sequence)s is still used by %(users)s: remove it there first, "
                        "or archive the sequence instead of deleting it.",
                        sequence=sequence.display_name,
                        users=", ".join(sorted(set(users))),
                    )
                )

    def action_view_leads(self):
        self.ensure_one()
        # the leads of a sequence the user may not read (another company's) are not listed
        self.check_access("read")
        lead_ids = self.env["crm.action.spawn"].sudo().search([("sequence_id", "=", self.id)]).lead_id.ids
        return self.env["crm.action.spawn"]._action_open_leads(lead_ids)
