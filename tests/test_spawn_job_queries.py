from odoo import Command
from odoo.tests import tagged

from .test_crm_action_sequence import CrmActionSequenceCommon

# The background job creating the leads of queued quotations (a sequence of three
# planned actions): a fixed cost per run plus the same number of queries for each lead,
# whatever the size of the batch. Measured per lead: 5, all in Odoo's own code: the
# existence check of each action's source document (the ORM checks each "model,id" value
# on its own: 3), crm.lead's stage look-up, and base_automation's check when the quotation's
# opportunity is written; the actions, their contacts, recipients and acknowledgement
# requests are batched. The
# fixed cost includes one acknowledgement request per responsible (a notified message,
# the others logged in one batch): the sequence's four responsibles each have two
# actions or more from 4 leads on, so the counts below start there.
JOB_QUERIES_BASE = 139
JOB_QUERIES_PER_LEAD = 5
# What queueing adds to the save of each quotation of a large batch: the claim row's
# INSERT, with no savepoint (the batch's earlier rows are looked up once for all).
SAVE_QUERIES_PER_QUEUED = 1


@tagged("post_install", "-at_install", "is_query_count")
class TestSpawnJobQueries(CrmActionSequenceCommon):
    def _queue(self, count):
        """``count`` quotations saved in one batch, their leads queued for the job."""
        self.env["ir.config_parameter"].set_param("crm_action.spawn_sync_limit", "0")
        self.env.ref("crm_action.crm_action_automation_quotation").active = True
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": self.company_partner.id,
                    "team_id": self.team.id,
                    "user_id": self.user_sales.id,
                    "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 2})],
                }
                for _i in range(count)
            ]
        )
        self.assertEqual(set(self._spawns(orders, "quotation").mapped("state")), {"queued"})
        self.env.flush_all()
        self.env.invalidate_all()
        return orders

    def _run_job(self, count, warm=True):
        orders = self._queue(count)
        start = self.cr.sql_log_count
        if warm:
            with self.assertQueryCount(JOB_QUERIES_BASE + JOB_QUERIES_PER_LEAD * count):
                self.assertEqual(self.env["crm.action.spawn"]._cron_spawn_queued(), count)
        else:  # the first run fills the caches
            self.assertEqual(self.env["crm.action.spawn"]._cron_spawn_queued(), count)
        queries = self.cr.sql_log_count - start
        # what the salesperson sees afterwards: one lead per quotation, in the team's
        # first stage, with the sequence's three planned actions
        orders.invalidate_recordset()
        leads = self._lead(orders, "quotation")
        self.assertEqual(len(leads), count)
        self.assertEqual(orders.mapped("crm_action_lead_count"), [1] * count)
        first_stage = self.env["crm.lead"]._stage_find(team_id=self.team.id, domain=[("fold", "=", False)])
        self.assertEqual(leads.stage_id, first_stage)
        actions = self.env["crm.action"].search([("lead_id", "in", leads.ids)])
        self.assertEqual(len(actions), 3 * count)
        self.assertEqual(set(actions.mapped("state")), {"planned"})
        return queries

    def test_job_queries_grow_by_a_constant_per_lead(self):
        """4, 8 and 20 queued quotations: the same fixed cost and the same number of
        queries for every further lead (batched creates), not a run of the job per lead."""
        self._run_job(4, warm=False)
        four, eight, twenty = self._run_job(4), self._run_job(8), self._run_job(20)
        self.assertEqual(eight - four, 4 * JOB_QUERIES_PER_LEAD)
        self.assertEqual(twenty - eight, 12 * JOB_QUERIES_PER_LEAD)
        self.assertLess(twenty, 2 * four, "the fixed cost is paid once per run, not once per lead")

    def _save_queries(self, count, rule_active):
        self.env["ir.config_parameter"].set_param("crm_action.spawn_sync_limit", "0")
        self.env.ref("crm_action.crm_action_automation_quotation").active = rule_active
        return self._create_quotations(count)

    def test_bulk_save_queues_each_quotation_in_a_constant_number_of_queries(self):
        """Saving a large batch with the spawning rule on costs the same few queries more
        per quotation than with it off, whatever the size of the batch."""
        self._save_queries(10, True)  # warm the caches
        self._save_queries(10, False)
        extra = {}
        for count in (20, 40):
            _orders, plain = self._save_queries(count, False)
            orders, queuing = self._save_queries(count, True)
            self.assertEqual(set(self._spawns(orders, "quotation").mapped("state")), {"queued"})
            extra[count] = queuing - plain
        self.assertEqual(extra[40] - extra[20], 20 * SAVE_QUERIES_PER_QUEUED, extra)
