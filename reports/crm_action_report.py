from odoo import fields, models, tools
from odoo.tools import SQL


class CrmActionReport(models.Model):
    """One row per action, with the measures the analyses add up.

    A SQL view, so pivot and graph views aggregate in the database. Its record rules
    (security/crm_action_report_security.xml) mirror those of crm.action.
    """

    _name = "crm.action.report"
    _description = "CRM Action Analysis"
    _auto = False
    _rec_name = "name"
    _order = "date_start desc, id desc"

    # Dimensions, as on the action
    action_id = fields.Many2one("crm.action", string="Action", readonly=True)
    name = fields.Char(string="Summary", readonly=True)
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancel", "Cancelled")],
        readonly=True,
    )
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    user_id = fields.Many2one("res.users", string="Responsible", readonly=True)
    requester_id = fields.Many2one("res.users", string="Requester", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Partner", readonly=True)
    commercial_partner_id = fields.Many2one("res.partner", string="Company Partner", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", string="Campaign", readonly=True)
    type_id = fields.Many2one("crm.action.type", string="Action Type", readonly=True)
    medium_id = fields.Many2one("utm.medium", string="Medium", readonly=True)
    category_id = fields.Many2one("crm.action.category", string="Category", readonly=True)
    result_id = fields.Many2one("crm.action.result", string="Result", readonly=True)
    result_outcome = fields.Selection(
        [("positive", "Positive"), ("neutral", "Neutral"), ("negative", "Negative")],
        string="Outcome",
        readonly=True,
    )
    date_start = fields.Datetime(string="Start", readonly=True)
    date_due = fields.Date(string="Due Date", readonly=True)
    date_done = fields.Datetime(string="Done On", readonly=True)

    # Dimensions of the partner (the company partner's country, class and tags)
    country_id = fields.Many2one("res.country", string="Partner Country", readonly=True)
    partner_class_id = fields.Many2one("res.partner.class", string="Partner Class", readonly=True)
    partner_category_ids = fields.Many2many(
        "res.partner.category",
        "crm_action_report_partner_category_rel",
        "report_id",
        "category_id",
        string="Partner Tags",
        readonly=True,
    )

    # Dimensions of the opportunity
    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    stage_id = fields.Many2one("crm.stage", string="Opportunity Stage", readonly=True)
    won_lead_id = fields.Many2one(
        "crm.lead",
        string="Won Opportunity",
        readonly=True,
        help="The opportunity when it is won; as a measure, the number of won opportunities.",
    )
    lost_lead_id = fields.Many2one(
        "crm.lead",
        string="Lost Opportunity",
        readonly=True,
        help="The opportunity when it is lost; as a measure, the number of lost opportunities.",
    )

    # Measures
    done_count = fields.Integer(string="Done", readonly=True, aggregator="sum")
    positive_count = fields.Integer(
        string="Positive",
        readonly=True,
        aggregator="sum",
        help="Done actions with a positive result.",
    )
    positive_rate = fields.Float(
        string="Positive Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the done actions that had a positive result.",
    )
    duration = fields.Float(string="Duration (Hours)", readonly=True, aggregator="sum")
    duration_avg = fields.Float(string="Average Duration (Hours)", readonly=True, aggregator="avg")
    won_lead_action_count = fields.Float(
        string="Actions per Won Opportunity",
        readonly=True,
        aggregator="avg",
        help="Average number of actions logged on the won opportunities.",
    )

    conversion_rate = fields.Float(
        string="Conversion Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the closed opportunities that were won: won / (won + lost). "
        "Opportunities still open are not counted.",
    )

    # ------------------------------------------------------------ SQL
    def _select(self):
        """Columns of the view. Extension point: a module adding fields to crm.action
        (costs, partner class) adds its columns here with super() and a field above."""
        return SQL(
            """
            a.id AS id,
            a.id AS action_id,
            a.name AS name,
            a.state AS state,
            a.company_id AS company_id,
            a.user_id AS user_id,
            a.requester_id AS requester_id,
            a.team_id AS team_id,
            a.partner_id AS partner_id,
            a.commercial_partner_id AS commercial_partner_id,
            a.campaign_id AS campaign_id,
            a.type_id AS type_id,
            a.medium_id AS medium_id,
            a.category_id AS category_id,
            a.result_id AS result_id,
            a.result_outcome AS result_outcome,
            a.date_start AS date_start,
            a.date_due AS date_due,
            a.date_done AS date_done,
            cp.country_id AS country_id,
            cp.class_id AS partner_class_id,
            a.lead_id AS lead_id,
            l.stage_id AS stage_id,
            CASE WHEN s.is_won THEN a.lead_id END AS won_lead_id,
            -- lost as crm means it: archived with a probability of 0
            CASE WHEN NOT COALESCE(s.is_won, FALSE) AND NOT l.active AND l.probability = 0
                THEN a.lead_id
            END AS lost_lead_id,
            -- 100 for a won, 0 for a lost opportunity, on one of its actions only (the last
            -- one): avg() is then won / (won + lost) over the closed opportunities.
            CASE WHEN a.id = MAX(a.id) OVER (PARTITION BY a.lead_id) THEN
                CASE WHEN s.is_won THEN 100.0 WHEN NOT l.active AND l.probability = 0 THEN 0.0 END
            END AS conversion_rate,
            CASE WHEN a.state = 'done' THEN 1 ELSE 0 END AS done_count,
            CASE WHEN a.state = 'done' AND a.result_outcome = 'positive' THEN 1 ELSE 0 END AS positive_count,
            -- NULL for actions not done: avg() skips them, so the rate is over done actions.
            CASE WHEN a.state = 'done'
                THEN CASE WHEN a.result_outcome = 'positive' THEN 100.0 ELSE 0.0 END
            END AS positive_rate,
            COALESCE(a.duration, 0.0) AS duration,
            a.duration AS duration_avg,
            -- The action count of a won opportunity, on one of its actions only (the
            -- last one), so that avg() gives the mean number of actions per won opportunity.
            CASE WHEN s.is_won AND a.id = MAX(a.id) OVER (PARTITION BY a.lead_id)
                THEN COUNT(a.id) OVER (PARTITION BY a.lead_id)
            END AS won_lead_action_count
            """
        )

    def _from(self):
        return SQL(
            """
            crm_action a
            LEFT JOIN res_partner cp ON cp.id = a.commercial_partner_id
            LEFT JOIN crm_lead l ON l.id = a.lead_id
            LEFT JOIN crm_stage s ON s.id = l.stage_id
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (SELECT %s FROM %s)",
                SQL.identifier(self._table),
                self._select(),
                self._from(),
            )
        )
        # The tags of the action's company partner, as the relation of partner_category_ids.
        relation = self._fields["partner_category_ids"].relation
        tools.drop_view_if_exists(self.env.cr, relation)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT a.id AS report_id, rel.category_id AS category_id
                      FROM crm_action a
                      JOIN res_partner_res_partner_category_rel rel ON rel.partner_id = a.commercial_partner_id
                )
                """,
                SQL.identifier(relation),
            )
        )
