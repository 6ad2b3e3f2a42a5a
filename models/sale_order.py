from odoo import api, fields, models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "crm.action.spawn.mixin", "crm.action.source.mixin"]

    # "Open the Lead" for a quotation saved from its form: a form save cannot navigate,
    # so the form shows the lead its sequence says to open, with a button to it.
    crm_action_open_lead_id = fields.Many2one(
        "crm.lead",
        compute="_compute_crm_action_open_lead_id",
        string="Lead to Open",
    )

    def _compute_crm_action_open_lead_id(self):
        spawns = self._crm_action_spawns().filtered(
            lambda s: s.trigger == "quotation" and s.state == "done" and s.lead_id and s.sequence_id.open_lead
        )
        lead_by_order = {spawn.res_id: spawn.lead_id for spawn in spawns}
        for order in self:
            order.crm_action_open_lead_id = lead_by_order.get(order._origin.id, self.env["crm.lead"])

    def action_crm_action_open_lead(self):
        """Open the lead spawned from this quotation."""
        self.ensure_one()
        return self.env["crm.action.spawn"]._action_open_leads(self.crm_action_open_lead_id.ids)

    def _crm_action_actions_title(self):
        return self.env._("Actions: %(order)s", order=self.name)

    def _crm_action_source_lead(self):
        return self.opportunity_id

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._crm_action_mark_bulk("quotation")
        return orders

    def action_confirm(self):
        """Confirm; when the confirmation spawned a lead whose sequence says so, open it."""
        self._crm_action_mark_bulk("order")
        before = self._crm_action_spawns()
        result = super().action_confirm()
        return self._crm_action_open_spawned_since("order", before, result)

    def _crm_action_create_leads(self, trigger, sequences, planner):
        """The spawned lead is also the quotation's opportunity as sale_crm knows it, so
        the lead's Quotations button counts the document (one already linked keeps its own)."""
        leads = super()._crm_action_create_leads(trigger, sequences, planner)
        for order, lead in zip(self, leads, strict=True):
            if not order.opportunity_id:
                order.opportunity_id = lead
        return leads

    def _crm_action_get_sequence(self, trigger):
        self.ensure_one()
        if trigger == "quotation":
            return self.team_id.crm_action_quotation_sequence_id or self.company_id.crm_action_quotation_sequence_id
        if trigger == "order":
            return self.team_id.crm_action_order_sequence_id or self.company_id.crm_action_order_sequence_id
        return super()._crm_action_get_sequence(trigger)

    def _crm_action_document_date(self, trigger):
        return self.date_order or super()._crm_action_document_date(trigger)

    def _crm_action_prepare_lead_values(self, trigger):
        self.ensure_one()
        company = self.company_id
        revenue = self.amount_untaxed
        if self.currency_id and company.currency_id and self.currency_id != company.currency_id:
            revenue = self.currency_id._convert(
                revenue, company.currency_id, company, self.date_order or fields.Date.today()
            )
        if trigger == "order":
            name = self.env._("Order %(document)s - %(partner)s", document=self.name, partner=self.partner_id.name)
        else:
            name = self.env._("Quotation %(document)s - %(partner)s", document=self.name, partner=self.partner_id.name)
        return {
            **super()._crm_action_prepare_lead_values(trigger),
            "name": name,
            "partner_id": self.partner_id.id,
            "user_id": self.user_id.id,
            "team_id": self.team_id.id,
            "company_id": company.id,
            "campaign_id": self.campaign_id.id,
            "source_id": self.source_id.id,
            "medium_id": self.medium_id.id,
            "expected_revenue": revenue,
        }
