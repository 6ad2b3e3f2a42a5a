from odoo import api, models, tools

from .prefetch import cached_values, insert_values, prefetch


class CrmActionConfigurationMixin(models.AbstractModel):
    """Configuration that each worker keeps in its cache (``tools.ormcache``) because every
    save of an action reads it: the rules on save, the campaign actions, their result flows,
    the action types and results. Creating, changing or deleting one empties the caches of
    every worker (Odoo signals it to the others through the database)."""

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

    def _prefetch_configuration(self):
        """Put the stored fields of ``self`` in the ORM's cache from the worker's cache of the
        model's records: no query while it holds. For models without record rules: the
        user's right to read the model is checked, as reading them would."""
        if not self or self.env.context.get("prefetch_langs"):
            # all languages at once: the worker's cache holds one
            prefetch(self)
            return
        self.browse().check_access("read")
        fnames, rows = self._configuration_values()
        wanted = set(self._ids)
        insert_values(self, fnames, [row for row in rows if row[0] in wanted])

    @api.model
    @tools.ormcache("self.env.lang")
    def _configuration_values(self):
        """Every record of the model (archived ones too: saved actions keep them) as
        ``cached_values`` gives them, in the user's language."""
        # sudo: a manager's configuration, which _prefetch_configuration gives to whoever may read it
        return cached_values(self.sudo().with_context(active_test=False).search([]))
