from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    # Defaults for documents whose team or operation type names no sequence
    crm_action_quotation_sequence_id = fields.Many2one(
        "crm.action.sequence",
        string="Default Sequence for New Quotations",
        ondelete="restrict",
    )
    crm_action_order_sequence_id = fields.Many2one(
        "crm.action.sequence",
        string="Default Sequence for Confirmed Orders",
        ondelete="restrict",
    )
    crm_action_return_sequence_id = fields.Many2one(
        "crm.action.sequence",
        string="Default Sequence for Customer Returns",
        ondelete="restrict",
    )

    # The hour planned actions are proposed at, when only their day follows from a delay
    crm_action_work_hour = fields.Float(
        string="Planned Actions At",
        default=9.0,
        help="Time of day (in the responsible's time zone) at which next actions, follow-ups "
        "in days or weeks and sequence actions are planned.",
    )

    @api.constrains("crm_action_work_hour")
    def _check_crm_action_work_hour(self):
        for company in self:
            if not 0 <= company.crm_action_work_hour < 24:
                raise ValidationError(
                    self.env._(
                        "The hour planned actions are proposed at must be between 00:00 and 23:59, not %(hour)s.",
                        hour=company.crm_action_work_hour,
                    )
                )

    @api.constrains(
        "crm_action_quotation_sequence_id",
        "crm_action_order_sequence_id",
        "crm_action_return_sequence_id",
    )
    def _check_crm_action_sequence_company(self):
        """A company's default sequence is one of its own or one shared by all companies."""
        for company in self:
            for fname in (
                "crm_action_quotation_sequence_id",
                "crm_action_order_sequence_id",
                "crm_action_return_sequence_id",
            ):
                sequence = company[fname].sudo()
                if sequence.company_id and sequence.company_id != company:
                    raise ValidationError(
                        self.env._(
                            "%(field)s of %(company)s cannot be sequence %(sequence)s of %(other)s: "
                            "choose a sequence of %(company)s or one shared by all companies.",
                            field=company._fields[fname]._description_string(self.env),
                            company=company.name,
                            sequence=sequence.display_name,
                            other=sequence.company_id.name,
                        )
                    )
