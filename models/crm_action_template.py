from odoo import fields, models


class CrmActionTemplate(models.Model):
    _name = "crm.action.template"
    _description = "CRM Action Template"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", string="Company", help="Empty for all companies.")

    # What the template fills in
    type_id = fields.Many2one("crm.action.type", string="Action Type")
    summary = fields.Char(translate=True, help="Summary of the action; the template's name when empty.")
    description = fields.Html(translate=True)
    duration = fields.Float(help="Time spent, in hours.")
    category_id = fields.Many2one("crm.action.category", string="Category")
    priority = fields.Selection(
        [("0", "Normal"), ("1", "Important"), ("2", "High"), ("3", "Urgent")],
        default="0",
    )

    _sql_constraints = [
        ("duration_positive", "CHECK(duration >= 0)", "The duration of a template cannot be negative."),
    ]

    def _prepare_action_values(self):
        """Values a new action takes from this template (only those it sets)."""
        self.ensure_one()
        values = {"name": self.summary or self.name, "priority": self.priority}
        if self.type_id:
            values["type_id"] = self.type_id.id
        if self.category_id:
            values["category_id"] = self.category_id.id
        if self.duration:
            values["duration"] = self.duration
        if self.description:
            values["description"] = self.description
        return values
