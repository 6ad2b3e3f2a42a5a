from odoo import api, fields, models


class CrmActionNextWizard(models.TransientModel):
    """The next action asked for right after a result is saved."""

    _name = "crm.action.next.wizard"
    _description = "Plan the Next Action"

    previous_action_id = fields.Many2one("crm.action", string="Previous Action", required=True, readonly=True)
    partner_id = fields.Many2one(related="previous_action_id.partner_id")
    commercial_partner_id = fields.Many2one(related="previous_action_id.commercial_partner_id")
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact",
        domain="[('commercial_partner_id', '=', commercial_partner_id)]",
    )
    type_id = fields.Many2one("crm.action.type", string="Action", required=True)
    objective = fields.Text()
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        required=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    phone = fields.Char()
    phone_options = fields.Json(
        string="Numbers Offered",
        compute="_compute_phone_options",
        help="The numbers of the partner, its company and the contact persons, offered for the phone.",
    )
    description = fields.Html()
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "crm_action_next_wizard_attachment_rel",
        string="Files",
        help="Files of the next action, attached to it when it is planned.",
    )
    date_start = fields.Datetime(string="Start", required=True, default=fields.Datetime.now)
    date_end = fields.Datetime(string="End")
    add_to_calendar = fields.Boolean(string="Add to Calendar")

    @api.depends(
        "contact_id.phone",
        "contact_id.mobile",
        "previous_action_id.contact_ids",
        "partner_id.phone",
        "partner_id.mobile",
        "commercial_partner_id.phone",
        "commercial_partner_id.mobile",
    )
    def _compute_phone_options(self):
        # seed 000: the phone of the next action is chosen among the account's numbers
        for wizard in self:
            people = (
                wizard.contact_id
                | wizard.previous_action_id.contact_ids
                | wizard.partner_id
                | wizard.commercial_partner_id
            )
            wizard.phone_options = people._crm_action_phone_options()

    @api.onchange("contact_id")
    def _onchange_contact_id(self):
        for wizard in self:
            if wizard.contact_id and (wizard.contact_id.phone or wizard.contact_id.mobile):
                wizard.phone = wizard.contact_id.phone or wizard.contact_id.mobile

    def action_confirm(self):
        """Create the planned next action, linked to the previous one."""
        self._plan_next_action()
        return {"type": "ir.actions.act_window_close"}

    def action_confirm_and_notify(self):
        """Create the planned next action, then open the Notify dialog about it."""
        return self._plan_next_action().action_open_notify_wizard()

    def _plan_next_action(self):
        self.ensure_one()
        action = self.previous_action_id.create_next_action(self._prepare_action_values())
        action._attach_files(self.attachment_ids)
        return action

    def _prepare_action_values(self):
        values = {
            "type_id": self.type_id.id,
            "name": self.type_id.name,
            "objective": self.objective,
            "user_id": self.user_id.id,
            "phone": self.phone,
            "description": self.description,
            "date_start": self.date_start,
            "date_end": max(self.date_end, self.date_start) if self.date_end else self.date_start,
            "add_to_calendar": self.add_to_calendar,
        }
        if self.date_end and self.date_end >= self.date_start:
            values["duration"] = (self.date_end - self.date_start).total_seconds() / 3600.0
        if self.contact_id:
            values["contact_ids"] = [fields.Command.set(self.contact_id.ids)]
        return values
