from odoo import api, fields, models


class CrmActionSourceMixin(models.AbstractModel):
    """The CRM action smart buttons of a business document that actions name as their
    source (quotations/orders, transfers): the count of its actions, the list of them and
    a new action form about it.

    A model using it has a ``partner_id``, defines ``_crm_action_actions_title`` and may
    define ``_crm_action_source_lead`` (the opportunity a new action is about).
    """

    _name = "crm.action.source.mixin"
    _description = "CRM Actions of a Source Document"

    crm_action_count = fields.Integer(
        string="Actions",
        compute="_compute_crm_action_count",
        groups="crm_action.crm_action_group_user",
    )

    # Counts show what the user may see: record rules depend on the user and companies.
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_crm_action_count(self):
        counts = self.env["crm.action"]._count_by_source(self)
        for record in self:
            record.crm_action_count = counts.get(record._origin.id, 0)

    def action_view_crm_actions(self):
        """The actions about this document."""
        self.ensure_one()
        return self.env["crm.action"]._action_open_actions(
            [("source_ref", "=", f"{self._name},{self.id}")],
            name=self._crm_action_actions_title(),
            context={"default_source_ref": f"{self._name},{self.id}", "default_partner_id": self.partner_id.id},
        )

    def action_log_crm_action(self):
        """A new action form about this document, its partner and its opportunity."""
        self.ensure_one()
        return self.env["crm.action"]._action_log(
            partner=self.partner_id, lead=self._crm_action_source_lead(), source=self
        )

    def _crm_action_actions_title(self):
        """The title of the list of this document's actions."""
        raise NotImplementedError

    def _crm_action_source_lead(self):
        """The lead/opportunity a new action about this document is about."""
        return self.env["crm.lead"]
