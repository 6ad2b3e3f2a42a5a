from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _crm_action_main_contact(self):
        """The contact person an action on this partner defaults to: the partner itself
        for a person, the first contact-type child for a company, nobody without a partner."""
        if len(self) != 1:
            return self.browse()
        if not self.is_company:
            return self
        return self.child_ids.filtered(lambda c: c.type == "contact")[:1]
