from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class CrmActionExpense(models.Model):
    """An actual expense of an action, compared with the expense its campaign action plans.

    Access follows the action (record rules on ``action_id``, see
    security/crm_action_flow_security.xml). A done action is locked, but its responsible
    still logs the expenses it caused: on a done action only the responsible and CRM
    Actions managers add, change or delete expenses.
    """

    _name = "crm.action.expense"
    _inherit = "crm.action.expense.mixin"
    _description = "CRM Action Expense"
    _order = "date desc, id desc"

    action_id = fields.Many2one("crm.action", string="Action", required=True, ondelete="cascade", index=True)
    campaign_id = fields.Many2one(related="action_id.campaign_id", store=True, index=True)
    company_id = fields.Many2one(related="action_id.company_id", store=True)

    _sql_constraints = [
        ("amount_positive", "CHECK(amount >= 0)", "An expense amount cannot be negative."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        actions = self.env["crm.action"].browse({vals["action_id"] for vals in vals_list if vals.get("action_id")})
        self._check_actions_accept_expenses(actions)
        return super().create(vals_list)

    def write(self, vals):
        self._check_actions_unlocked(self.action_id)
        if vals.get("action_id"):
            self._check_actions_accept_expenses(self.env["crm.action"].browse(vals["action_id"]))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_locked_action(self):
        self._check_actions_unlocked(self.action_id)

    @api.model
    def _check_actions_accept_expenses(self, actions):
        """Users log expenses only on actions they may change, that are not locked for
        them, and whose campaign action plans an expense.

        Code running as superuser (data files, migrations) is not checked: it records
        history as it is.
        """
        if self.env.su:
            return
        self._check_actions_unlocked(actions)
        for action in actions:
            if not action.campaign_line_id.expense_planned:
                raise ValidationError(
                    self.env._(
                        "Action '%(action)s' plans no expense: expenses are logged on actions of a campaign "
                        "action with a planned expense. Choose the campaign and its action on the action, or "
                        "ask a CRM Actions manager to plan an expense on the campaign action.",
                        action=action.display_name,
                    )
                )

    @api.model
    def _check_actions_unlocked(self, actions):
        """Refuse, but to managers, a change to the expenses of an action the user may not
        change, or of a done action that is not theirs (a done action is locked; its
        responsible may still log expenses)."""
        if self.env.su or self.env.user.has_group("crm_action.crm_action_group_manager"):
            return
        actions.check_access("write")
        for action in actions:
            if action.state == "done" and action.user_id != self.env.user:
                raise UserError(
                    self.env._(
                        "Action '%(action)s' is done and locked: only its responsible or a CRM Actions manager "
                        "can add, change or delete its expenses.",
                        action=action.display_name,
                    )
                )
