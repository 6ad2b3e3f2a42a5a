from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmAction(models.Model):
    _inherit = "crm.action"

    # Planned by a sequence line that named a group rather than a user
    assignee_group_id = fields.Many2one(
        "res.groups",
        string="Assignee Group",
        index="btree_not_null",
        help="Any member of this group may take the action over.",
    )
    assignee_missing = fields.Boolean(
        string="Needs an Assignee",
        compute="_compute_assignee_missing",
        store=True,
        readonly=False,
        help="Planned for a group that had no active user: assign it by hand.",
    )
    can_take_over = fields.Boolean(compute="_compute_can_take_over")

    @api.depends("user_id")
    def _compute_assignee_missing(self):
        for action in self:
            if action.user_id:
                action.assignee_missing = False

    @api.depends("assignee_group_id", "user_id", "state")
    @api.depends_context("uid")
    def _compute_can_take_over(self):
        user = self.env.user
        for action in self:
            action.can_take_over = (
                action.state == "planned"
                and action.assignee_group_id in user.groups_id
                and action.user_id != user
                and bool(action.assignee_group_id)
            )

    def action_take_over(self):
        """Make the current user responsible for these group actions."""
        refused = self.filtered(lambda a: not a.can_take_over)
        if refused:
            raise UserError(
                self.env._(
                    "You cannot take over '%(name)s': only a planned action of one of your groups can be taken over.",
                    name=refused[0].name,
                )
            )
        self.write({"user_id": self.env.user.id})
        return True
