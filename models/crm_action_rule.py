from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

from .prefetch import cached_values, insert_values

# Match keys: a rule field, and how to read the same value on an action.
MATCH_KEYS = {
    "campaign_id": "campaign_id",
    "type_id": "type_id",
    "result_id": "result_id",
    "team_id": "lead_id.team_id",
    "company_id": "company_id",
}
# Effects and the fields that hold their value; two rules with the same keys may not
# give one effect two different values.
EFFECTS = {
    "class": ("class_from_id", "class_to_id", "class_action_count"),
    "lead_class": ("lead_class_id",),
    "stage": ("stage_id",),
    "occurrence": ("occurrence_status_id",),
}
EFFECT_FIELDS = ["lead_convert", *(fname for fnames in EFFECTS.values() for fname in fnames)]
# What applying the rules reads of them (their names only for messages and errors).
RULE_FIELDS = [*MATCH_KEYS, "sequence", *EFFECT_FIELDS]


class CrmActionRule(models.Model):
    """Rules applied when an action is saved as done.

    A rule matches a done action when each of its keys that is set (campaign, action
    type, result, sales team of the action's opportunity, company) equals the action's;
    an empty key matches anything.

    Order of application, inside the transaction that marks the actions done, so a rule
    that fails (raises) rolls the whole save back and nothing is half-applied:

    1. Partner class transition: a partner (the commercial entity) in class "from"
       that counts N or more done actions matching the rule, done while it was in that
       class, moves to class "to"; the move is logged in its chatter. At most one move
       per partner and save, so a batch of actions moves a partner once.
    2. Lead qualification: the lead of the action gets the rule's class and, if the
       rule says so, is converted into an opportunity.
    3. Opportunity stage: the opportunity of the action moves to the rule's stage
       (a stage of the opportunity's team or of all teams, else the save is refused).
       A lead that 2 converts moves too; 2 and 3 are one write of the lead.
    4. Occurrence status: the occurrence of the action moves to the rule's status.

    Each effect runs with the rights of the user who saves the action: the partner, lead
    or occurrence it changes must be writable by them, or the save is refused. Only the
    rules themselves (a manager's configuration) and the count of a partner's done actions
    (the rule's threshold counts them all, whoever can see them) are read as superuser.

    Then ``crm.action`` applies the result-driven flow of the campaign (automatic next
    action, or negative: close the flow and mark the opportunity lost); the "ask" mode
    returns the next-action wizard to the user last.

    Precedence: when several rules match one action and give the same effect, the most
    specific rule wins (most keys set), then the lowest sequence, then the oldest rule.
    Two active rules with the same keys that give one effect different values are refused
    when they are saved.
    """

    _name = "crm.action.rule"
    _inherit = ["crm.action.configuration.mixin"]
    _description = "CRM Action Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    # Match keys (empty = any)
    campaign_id = fields.Many2one("utm.campaign", string="Campaign", ondelete="cascade")
    type_id = fields.Many2one("crm.action.type", string="Action Type", ondelete="cascade")
    result_id = fields.Many2one("crm.action.result", string="Result", ondelete="cascade")
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        ondelete="cascade",
        help="Only actions on opportunities of this team.",
    )
    company_id = fields.Many2one("res.company", string="Company", ondelete="cascade")

    # Partner class transition
    class_from_id = fields.Many2one(
        "res.partner.class",
        string="From Class",
        ondelete="restrict",
        help="The partner's class while the actions are counted (empty: partners without a class).",
    )
    class_to_id = fields.Many2one("res.partner.class", string="To Class", ondelete="restrict")
    class_action_count = fields.Integer(
        string="After Actions",
        default=1,
        help="Number of matching done actions, done while the partner was in the 'from' class.",
    )
    # Lead qualification
    lead_class_id = fields.Many2one("res.partner.class", string="Qualify Lead As", ondelete="restrict")
    lead_convert = fields.Boolean(string="Convert Lead to Opportunity")
    # Opportunity stage
    stage_id = fields.Many2one("crm.stage", string="Move Opportunity To", ondelete="restrict")
    # Occurrence status
    occurrence_status_id = fields.Many2one(
        "crm.action.occurrence.status",
        string="Move Occurrence To",
        ondelete="restrict",
    )

    _sql_constraints = [
        (
            "class_action_count_positive",
            "CHECK(class_action_count >= 1)",
            "A class transition happens after at least one action.",
        ),
    ]

    # ------------------------------------------------------------ constraints
    @api.constrains("name", "class_to_id", "lead_class_id", "lead_convert", "stage_id", "occurrence_status_id")
    def _check_has_effect(self):
        for rule in self:
            if not (
                rule.class_to_id
                or rule.lead_class_id
                or rule.lead_convert
                or rule.stage_id
                or rule.occurrence_status_id
            ):
                raise ValidationError(
                    self.env._(
                        "Rule '%(name)s' does nothing: set a class transition, a lead qualification, "
                        "an opportunity stage or an occurrence status.",
                        name=rule.name,
                    )
                )

    @api.constrains("class_from_id", "class_to_id")
    def _check_class_transition(self):
        for rule in self:
            if rule.class_from_id and not rule.class_to_id:
                raise ValidationError(
                    self.env._("Rule '%(name)s' has a 'from' class: choose the class to move to.", name=rule.name)
                )
            if rule.class_to_id and rule.class_to_id == rule.class_from_id:
                raise ValidationError(
                    self.env._(
                        "Rule '%(name)s' moves partners from %(cls)s to %(cls)s: choose another target class.",
                        name=rule.name,
                        cls=rule.class_to_id.name,
                    )
                )

    @api.constrains("stage_id", "team_id")
    def _check_stage_team(self):
        for rule in self:
            stage_team = rule.stage_id.team_id
            if stage_team and stage_team != rule.team_id:
                raise ValidationError(
                    self.env._(
                        "Stage '%(stage)s' belongs to sales team %(team)s: set the rule's sales team to "
                        "%(team)s or choose a stage shared by all teams.",
                        stage=rule.stage_id.name,
                        team=stage_team.name,
                    )
                )

    @api.constrains(*MATCH_KEYS, "active", *[f for fields_ in EFFECTS.values() for f in fields_])
    def _check_no_contradiction(self):
        for rule in self.filtered("active"):
            twins = self.search([("id", "!=", rule.id)] + [(key, "=", rule[key].id) for key in MATCH_KEYS])
            for twin in twins:
                for effect_fields in EFFECTS.values():
                    if effect_fields == EFFECTS["class"]:
                        # Two transitions contradict only from the same class.
                        if not (rule.class_to_id and twin.class_to_id) or rule.class_from_id != twin.class_from_id:
                            continue
                    elif not (rule[effect_fields[0]] and twin[effect_fields[0]]):
                        continue
                    if any(rule[f] != twin[f] for f in effect_fields):
                        raise ValidationError(
                            self.env._(
                                "Rules '%(rule)s' and '%(twin)s' match the same actions and contradict each "
                                "other: merge them, or make one more specific (campaign, type, result, team).",
                                rule=rule.name,
                                twin=twin.name,
                            )
                        )

    # ------------------------------------------------------------ application
    @api.model
    def _apply_to_actions(self, actions):
        """Apply the active rules to ``actions``, which have just been marked done, in the
        order documented on the class. Raises (and so rolls the save back) on a rule that
        cannot be applied."""
        rules = self._get_matching_rules(actions)
        if not rules:
            return
        rules_by_action = {action: rules.filtered(lambda r, a=action: r._matches(a)) for action in actions}
        self._apply_class_transitions(actions, rules_by_action)
        self._apply_lead_rules(actions, rules_by_action)
        self._apply_occurrence_status(actions, rules_by_action)

    @api.model
    def _get_matching_rules(self, actions):
        """Candidate rules for ``actions``, sorted by precedence: the active rules whose
        keys are empty or those of one of the actions. Reads nothing from the database
        while the worker's cache of the rules holds."""
        # the keys, first of the values: as the ORM caches a many-to-one, an id or None
        allowed = [{*actions.mapped(path).ids, None} for path in MATCH_KEYS.values()]
        matching = [
            (rule_id, values)
            for rule_id, values in self._active_rules()
            if all(key in ids for key, ids in zip(values[: len(MATCH_KEYS)], allowed, strict=True))
        ]
        # the rules are a manager's configuration, applied to whoever saves
        rules = insert_values(self.sudo(), RULE_FIELDS, matching)
        return rules.sorted(lambda r: (-r._specificity(), r.sequence, r.id))

    @api.model
    @tools.ormcache()
    def _active_rules(self):
        """((id, values of RULE_FIELDS as the ORM caches them), ...) of the active rules,
        kept by each worker until a rule is created, changed or deleted.

        A rule that PostgreSQL deletes with its campaign (or action type, result, team,
        company) stays in the cache unwarned, but matches no action: no action can point at
        the record it was deleted with."""
        # sudo: see _get_matching_rules; the active ones whatever the caller's context, as
        # the cache does not depend on it
        rules = self.sudo().with_context(active_test=False).search([("active", "=", True)])
        return cached_values(rules, RULE_FIELDS)[1]

    def _specificity(self):
        return sum(1 for key in MATCH_KEYS if self[key])

    def _matches(self, action):
        return all(not self[key] or self[key] == action.mapped(path) for key, path in MATCH_KEYS.items())

    def _count_domain(self):
        domain = [("state", "=", "done"), ("partner_class_id", "=", self.class_from_id.id)]
        for key, path in MATCH_KEYS.items():
            if self[key]:
                domain.append((path, "=", self[key].id))
        return domain

    @api.model
    def _apply_class_transitions(self, actions, rules_by_action):
        # Candidate rules per partner: transitions from the class the partner is in now.
        candidates = {}
        for action in actions:
            partner = action.commercial_partner_id
            if not partner:
                continue
            for rule in rules_by_action[action]:
                if rule.class_to_id and rule.class_from_id == partner.class_id == action.partner_class_id:
                    candidates.setdefault(rule, self.env["res.partner"])
                    candidates[rule] |= partner
        if not candidates:
            return
        self._lock_partners_for_count(self.env["res.partner"].union(*candidates.values()))
        # the counts below flush the actions' fields they filter on: write all their
        # pending fields in that one UPDATE rather than a second one at the end of the save
        actions.flush_recordset()
        # One count per candidate rule, whatever the partners' history.
        counts = {}
        for rule, partners in candidates.items():
            # the threshold counts every done action of the partner, visible to the user or not
            groups = (
                self.env["crm.action"]
                .sudo()
                ._read_group(
                    expression.AND([rule._count_domain(), [("commercial_partner_id", "in", partners.ids)]]),
                    ["commercial_partner_id"],
                    ["__count"],
                )
            )
            for partner, count in groups:
                counts[rule, partner] = count
        moved = self.env["res.partner"]
        moves = {}  # (rule, count): the partners it moves, in one write and one batch of notes
        for rule in self.browse().union(*candidates).sorted(lambda r: (-r._specificity(), r.sequence, r.id)):
            for partner in candidates[rule] - moved:
                count = counts.get((rule, partner), 0)
                if count >= rule.class_action_count:
                    moves[rule, count] = moves.get((rule, count), self.env["res.partner"]) | partner
                    moved |= partner
        for (rule, count), partners in moves.items():
            partners._crm_action_move_class(rule.class_to_id, rule, count)

    @api.model
    def _lock_partners_for_count(self, partners):
        """Make concurrent saves on the same partners conflict before they count.

        Two transactions that each mark one action done on a partner would otherwise
        count under their own snapshot (REPEATABLE READ): neither sees the other's action,
        so two actions that together reach a threshold of 2 would move nobody. A SELECT
        ... FOR UPDATE is not enough: PostgreSQL lets the second transaction through once
        the first commits, still with its old snapshot, because a row that was only locked
        counts as unchanged. An UPDATE that changes nothing does create a new row version:
        the second transaction waits for the first, then fails with a serialization error,
        and Odoo retries the whole request (odoo.service.model.retrying) with a snapshot
        that sees the first action; a deadlock between two batches is retried the same way.
        """
        if partners:
            self.env.cr.execute(
                "UPDATE res_partner SET write_date = write_date WHERE id IN %s",
                [tuple(partners.ids)],
            )

    @api.model
    def _apply_lead_rules(self, actions, rules_by_action):
        """Qualify, convert and move the leads of ``actions`` (steps 2 and 3), in one write
        per action: each write of a lead costs Odoo its scoring and its tracking."""
        for action in actions:
            lead = action.lead_id
            if not lead:
                continue
            rules = rules_by_action[action]
            values = {}
            class_rule = next((r for r in rules if r.lead_class_id), None)
            if class_rule and lead.class_id != class_rule.lead_class_id:
                values["class_id"] = class_rule.lead_class_id.id
            opportunity = lead.type == "opportunity"
            # what Odoo's convert_opportunity writes, which skips won leads
            if any(r.lead_convert for r in rules) and not opportunity and lead.active and lead.probability != 100:
                values.update(lead._convert_opportunity_data(lead.partner_id))
                opportunity = True
            stage_rule = next((r for r in rules if r.stage_id), None)
            if stage_rule and opportunity and lead.active:
                stage = stage_rule.stage_id
                # already there: nothing moves, whatever team the stage belongs to
                if values.get("stage_id", lead.stage_id.id) != stage.id:
                    stage_rule._refuse_stage_of_other_team(lead)
                    values["stage_id"] = stage.id
            if values:
                lead.write(values)

    def _refuse_stage_of_other_team(self, lead):
        stage = self.stage_id
        if stage.team_id and stage.team_id != lead.team_id:
            raise UserError(
                self.env._(
                    "Rule '%(rule)s' would move opportunity '%(lead)s' to stage '%(stage)s' of team "
                    "%(team)s, but the opportunity belongs to %(lead_team)s. Fix the rule or the "
                    "opportunity's sales team; the action was not saved.",
                    rule=self.name,
                    lead=lead.name,
                    stage=stage.name,
                    team=stage.team_id.name,
                    lead_team=lead.team_id.name or self.env._("no team"),
                )
            )

    @api.model
    def _apply_occurrence_status(self, actions, rules_by_action):
        for action in actions:
            occurrence = action.occurrence_id
            rule = next((r for r in rules_by_action[action] if r.occurrence_status_id), None)
            if rule and occurrence and occurrence.status_id != rule.occurrence_status_id:
                occurrence.status_id = rule.occurrence_status_id
