from odoo import api, fields, models


class CrmAction(models.Model):
    """One-click presets: an action picks a template (seed 001), on the form or through
    ``default_template_id`` in the context (e.g. from "Log action" buttons)."""

    _inherit = "crm.action"

    template_id = fields.Many2one(
        "crm.action.template",
        string="Template",
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
        help="Fills in type, summary, description, duration, category and priority.",
    )

    @api.onchange("template_id")
    def _onchange_template_id(self):
        for action in self.filtered("template_id"):
            action.update(action.template_id._prepare_action_values())

    @api.model_create_multi
    def create(self, vals_list):
        default_template_id = self.env.context.get("default_template_id")
        templates = self.env["crm.action.template"]
        for vals in vals_list:
            template = templates.browse(vals.get("template_id", default_template_id))
            if template:
                # explicit values win over the template's
                for name, value in template._prepare_action_values().items():
                    vals.setdefault(name, value)
        return super().create(vals_list)

    @api.model
    def _action_log(self, partner=None, lead=None, source=None, template=None):
        """Also preset a template: given, or passed as ``default_template_id`` in the
        context of a "Log action" button."""
        action = super()._action_log(partner=partner, lead=lead, source=source)
        template_id = template.id if template else self.env.context.get("default_template_id")
        if template_id:
            action["context"] = dict(action.get("context") or {}, default_template_id=template_id)
        return action
