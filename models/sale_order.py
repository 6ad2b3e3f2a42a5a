from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    crm_action_count = fields.Integer(
        string="Actions",
        compute="_compute_crm_action_count",
        groups="crm_action.crm_action_group_user",
    )

    # Counts show what the user may see: record rules depend on the user and companies.
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_crm_action_count(self):
        counts = self.env["crm.action"]._count_by_source(self)
        for order in self:
            order.crm_action_count = counts.get(order._origin.id, 0)

    def action_view_crm_actions(self):
        """The actions about this quotation/order."""
        self.ensure_one()
        return self.env["crm.action"]._action_open_actions(
            [("source_ref", "=", f"{self._name},{self.id}")],
            name=self.env._("Actions: %(order)s", order=self.name),
            context={"default_source_ref": f"{self._name},{self.id}", "default_partner_id": self.partner_id.id},
        )

    def action_log_crm_action(self):
        """A new action form about this quotation/order, its customer and opportunity."""
        self.ensure_one()
        return self.env["crm.action"]._action_log(partner=self.partner_id, lead=self.opportunity_id, source=self)
