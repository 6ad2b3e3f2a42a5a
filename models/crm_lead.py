from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    crm_action_spawn_ids = fields.One2many("crm.action.spawn", "lead_id", string="Spawned From")
    crm_action_source_name = fields.Char(
        compute="_compute_crm_action_source_name",
        string="Source Document",
    )

    def _compute_crm_action_source_name(self):
        for lead in self:
            lead.crm_action_source_name = lead.sudo().crm_action_spawn_ids[:1].document_name

    def action_open_crm_action_source(self):
        """Open the quotation, order or return that spawned the lead."""
        self.ensure_one()
        return self.sudo().crm_action_spawn_ids[:1].action_open_document()
