from odoo import models


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "crm.action.spawn.mixin", "crm.action.source.mixin"]

    def _crm_action_actions_title(self):
        return self.env._("Actions: %(picking)s", picking=self.name)

    def _crm_action_source_lead(self):
        return self.sale_id.opportunity_id

    def button_validate(self):
        """Validate; when a customer return spawned a lead whose sequence says so, open it."""
        before = self._crm_action_spawns()
        result = super().button_validate()
        return self._crm_action_open_spawned_since("return", before, result)

    def _action_done(self):
        self._crm_action_mark_bulk("return")
        return super()._action_done()

    def _crm_action_is_customer_return(self):
        """An incoming transfer that returns goods a customer received."""
        self.ensure_one()
        return (
            self.picking_type_code == "incoming"
            and bool(self.return_id)
            and self.return_id.picking_type_code == "outgoing"
        )

    def _crm_action_get_sequence(self, trigger):
        self.ensure_one()
        if trigger == "return":
            if not self._crm_action_is_customer_return():
                return self.env["crm.action.sequence"]
            return self.picking_type_id.crm_action_return_sequence_id or self.company_id.crm_action_return_sequence_id
        return super()._crm_action_get_sequence(trigger)

    def _crm_action_document_date(self, trigger):
        return self.date_done or super()._crm_action_document_date(trigger)

    def _crm_action_prepare_lead_values(self, trigger):
        self.ensure_one()
        order = self.sale_id or self.return_id.sale_id
        partner = self.partner_id or order.partner_id
        values = {
            **super()._crm_action_prepare_lead_values(trigger),
            "name": self.env._("Return %(document)s - %(partner)s", document=self.name, partner=partner.name or ""),
            "partner_id": partner.id,
            "company_id": self.company_id.id,
            "user_id": order.user_id.id or self.user_id.id or False,
        }
        if order:
            values.update(
                team_id=order.team_id.id,
                campaign_id=order.campaign_id.id,
                source_id=order.source_id.id,
                medium_id=order.medium_id.id,
            )
        return values
