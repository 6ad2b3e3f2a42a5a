from odoo import api, fields, models


class CrmActionSequence(models.Model):
    _inherit = "crm.action.sequence"

    # New sequences take "Open the Lead" from Settings > CRM > CRM Actions.
    open_lead = fields.Boolean(default=lambda self: self._default_open_lead())

    @api.model
    def _default_open_lead(self):
        return self.env["res.config.settings"]._crm_action_open_spawned_lead()
