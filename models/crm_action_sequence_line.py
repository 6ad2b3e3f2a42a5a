from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmActionSequenceLine(models.Model):
    _name = "crm.action.sequence.line"
    _description = "CRM Automatic Action Sequence Line"
    _order = "sequence_id, sequence, id"

    sequence_id = fields.Many2one("crm.action.sequence", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(string="Order", default=10)
    company_id = fields.Many2one(related="sequence_id.company_id", store=True)

    # Who: one user, or any member of a group
    user_id = fields.Many2one(
        "res.users",
        string="Assignee",
        domain="[('share', '=', False)]",
        help="The user who carries out this action. Leave empty to give it to a group.",
    )
    group_id = fields.Many2one(
        "res.groups",
        string="Assignee Group",
        help="Any member of this group can carry out the action: it goes to the active member "
        "with the fewest planned actions, and the group stays on the action so another member can take it over.",
    )

    # What and when
    type_id = fields.Many2one("crm.action.type", string="Action Type", required=True)
    planned_hours = fields.Float(help="Expected time in hours: 0.5 is half an hour.")
    notes = fields.Text(
        string="Pre-execution Notes",
        help="Shown to the operator in the action's description.",
        translate=True,
    )
    postpone_days = fields.Integer(
        string="Postpone Days",
        help="Days between the previous action (or the document, for the first line) and this one.",
    )

    @api.constrains("user_id", "group_id", "type_id")
    def _check_assignee(self):
        for line in self:
            if not line.user_id and not line.group_id:
                raise ValidationError(
                    self.env._(
                        "Line '%(type)s' of sequence %(sequence)s has no assignee: choose a user or a group.",
                        type=line.type_id.name,
                        sequence=line.sequence_id.display_name,
                    )
                )
            if line.user_id and line.group_id:
                raise ValidationError(
                    self.env._(
                        "Line '%(type)s' of sequence %(sequence)s has both a user and a group: keep only one.",
                        type=line.type_id.name,
                        sequence=line.sequence_id.display_name,
                    )
                )

    @api.constrains("planned_hours", "postpone_days", "type_id")
    def _check_not_negative(self):
        for line in self:
            if line.planned_hours < 0:
                raise ValidationError(
                    self.env._(
                        "Line '%(type)s' of sequence %(sequence)s plans negative hours: enter 0 or more.",
                        type=line.type_id.name,
                        sequence=line.sequence_id.display_name,
                    )
                )
            if line.postpone_days < 0:
                raise ValidationError(
                    self.env._(
                        "Line '%(type)s' of sequence %(sequence)s is postponed by negative days: enter 0 or more.",
                        type=line.type_id.name,
                        sequence=line.sequence_id.display_name,
                    )
                )

    # ------------------------------------------------------------ business
    def _crm_action_assignee_planner(self):
        """Return ``assign(line, company, team=None) -> res.users`` for the lines of ``self``.

        A user line gives its user. A group line gives the group's active internal
        member (allowed in the document's company) with the fewest planned actions;
        ties go to the lowest id. When some members of the group belong to ``team``
        (the document's sales team: its leader or members), one of them gets it.
        Open actions are counted once, for all the lines, and each assignment counts
        at once, so the lines of many documents spread.
        An empty recordset means the group has no such member.
        """
        members = self.group_id.users.filtered(lambda u: u.active and not u.share)
        counts = dict(
            self.env["crm.action"]
            .sudo()
            ._read_group(
                [("state", "=", "planned"), ("user_id", "in", members.ids)],
                ["user_id"],
                ["__count"],
            )
        )
        load = {user.id: counts.get(user, 0) for user in members}

        def assign(line, company, team=None):
            if line.user_id:
                return line.user_id
            candidates = line.group_id.users.filtered(
                lambda u: u.id in load and (not company or company in u.company_ids)
            )
            if not candidates:
                return self.env["res.users"]
            if team:
                candidates = (candidates & (team.member_ids | team.user_id)) or candidates
            user = min(candidates, key=lambda u: (load[u.id], u.id))
            load[user.id] += 1
            return user

        return assign
