from odoo import api, fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    class_id = fields.Many2one(
        "res.partner.class",
        string="Qualification Class",
        index=True,
        tracking=True,
        help="Set by lead qualification rules when an action is registered on the lead.",
    )
    crm_action_spawn_ids = fields.One2many("crm.action.spawn", "lead_id", string="Spawned From")
    crm_action_source_name = fields.Char(
        compute="_compute_crm_action_source_name",
        string="Source Document",
    )
    crm_action_count = fields.Integer(
        string="Actions",
        compute="_compute_crm_action_count",
        groups="crm_action.crm_action_group_user",
    )

    # Counts show what the user may see: record rules depend on the user and companies.
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_crm_action_count(self):
        leads = self._origin.filtered("id")
        counts = {}
        if leads:
            groups = self.env["crm.action"]._read_group([("lead_id", "in", leads.ids)], ["lead_id"], ["__count"])
            counts = {lead.id: count for lead, count in groups}
        for lead in self:
            lead.crm_action_count = counts.get(lead._origin.id, 0)

    def action_view_crm_actions(self):
        """The actions on this lead/opportunity."""
        self.ensure_one()
        return self.env["crm.action"]._action_open_actions(
            [("lead_id", "=", self.id)],
            name=self.env._("Actions: %(lead)s", lead=self.name),
            context={"default_lead_id": self.id, "default_partner_id": self.partner_id.id},
        )

    def action_log_crm_action(self):
        """A new action form on this lead/opportunity and its partner."""
        self.ensure_one()
        return self.env["crm.action"]._action_log(partner=self.partner_id, lead=self)

    def _compute_crm_action_source_name(self):
        for lead in self:
            lead.crm_action_source_name = lead.sudo().crm_action_spawn_ids[:1].document_name

    def action_open_crm_action_source(self):
        """Open the quotation, order or return that spawned the lead."""
        self.ensure_one()
        return self.sudo().crm_action_spawn_ids[:1].action_open_document()
