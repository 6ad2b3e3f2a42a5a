from odoo import api, models


class CrmActionConfigurationMixin(models.AbstractModel):
    """Configuration that each worker keeps in its cache (``tools.ormcache``) because every
    save of an action reads it: the rules on save, the campaign actions, their result flows
    and the action types. Creating, changing or deleting one empties the caches of every
    worker (Odoo signals it to the others through the database)."""

    _name = "crm.action.configuration.mixin"
    _description = "CRM Actions Cached Configuration"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        res = super().write(vals)
        self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res
