"""18.0.1.0.1: the team rules of actions and of the analysis read the team members in SQL.

The rules are shipped in ``<data noupdate="1">``, so an upgrade does not rewrite them: this
script gives an existing database the domains a new installation gets. The old domain read
``user.crm_team_ids``, a computed field evaluated once per user and cached with the rule, so a
user removed from a team kept seeing its actions until the caches were cleared.
"""

from odoo import SUPERUSER_ID, api

OLD_TEAM_TERM = "('team_id', 'in', user.crm_team_ids.ids)"
NEW_TEAM_TERM = "('team_id.crm_team_member_ids', 'any', [('user_id', '=', user.id), ('active', '=', True)])"
RULES = ("crm_action.crm_action_rule_user", "crm_action.crm_action_report_rule_user")


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in RULES:
        rule = env.ref(xmlid, raise_if_not_found=False)
        # a rule an administrator rewrote by hand is theirs: only the shipped term is replaced
        if rule and OLD_TEAM_TERM in (rule.domain_force or ""):
            rule.domain_force = rule.domain_force.replace(OLD_TEAM_TERM, NEW_TEAM_TERM)
