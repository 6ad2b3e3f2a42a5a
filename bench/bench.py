"""Benchmarks of crm_action against the Odoo operation a user would otherwise use.

Run through bench/run.sh (``make bench``), which gives a fresh database with the module
installed: ``python bench/bench.py -c odoo.conf -d DB --report bench/REPORT.md``.
BENCH_SCALE (default 0.3) multiplies the volume of benchmark 1 (10,000 actions at 1)
and of the set-up; benchmark 4 uses 10, 1,000 and 100,000 earlier actions unless the
scale is under 0.1. 0.05 makes a quick run.
``--only 3`` (or BENCH_ONLY=3) runs only benchmark 3 (after the set-up) and replaces its
row in the existing report, keeping the other rows.
Not part of the test suite.
"""

import argparse
import json
import os
import platform
import re
import resource
import subprocess
import sys
import threading
import time
import traceback
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import odoo
from odoo import SUPERUSER_ID, Command, api, http
from odoo.modules.registry import Registry
from odoo.tools import config

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import throughput  # bench/throughput.py, beside this file

# 3,000 registrations against 3,000 activities by default (under 10 minutes on a laptop);
# BENCH_SCALE=1 for the 10,000, 0.05 for a quick run.
DEFAULT_SCALE = "0.3"
# The month the statistics export benchmark fills, apart from every other action.
EXPORT_PERIOD = ("2020-01-01", "2020-01-31")
# Benchmark 6: concurrent XML-RPC clients, the salespersons they log in as (two clients
# each), the leads each client works on, and the password of those users and of admin.
RPC_CLIENTS = 8
RPC_USERS = 4
RPC_LEADS_PER_CLIENT = 25
RPC_PASSWORD = "bench-rpc-password"
# Benchmark 1: the class transition rule moves an account after this many positive visits.
CLASS_MOVE_AFTER = 3
# Goals (issue 18).
GOAL_REGISTER_RATIO = 0.7
GOAL_REGISTER_QUERIES = 20
GOAL_SPAWN_SAVE_RATIO = 1.2
GOAL_SPAWN_WHOLE_RATIO = 1.5
GOAL_THROUGHPUT_RATIO = 0.9
GOAL_EXPORT_100K_SECONDS = 10
GOAL_EXPORT_1M_SECONDS = 40


def out(text=""):
    sys.stdout.write(f"{text}\n")
    sys.stdout.flush()


def split_enrichment_errors(lines):
    """ERROR lines of Odoo's lead enrichment cron (crm_iap_enrich, woken by every new lead),
    and the others. The cron locks its leads with FOR UPDATE NOWAIT inside a savepoint; when
    a request holds one of them it logs the failed batch, then the savepoint's RELEASE in the
    aborted transaction ("bad query") and the failed job, all from the cron's process."""
    enrichment, others = [], []
    last_was_enrichment = {}  # process id: whether its previous ERROR line was the cron's
    for line in lines:
        fields = line.split()
        pid = fields[2] if len(fields) > 2 else ""
        cron = "odoo.addons.crm_iap_enrich" in line or "Job 'CRM: enrich leads (IAP)'" in line
        cron = cron or (last_was_enrichment.get(pid) and "odoo.sql_db: bad query: b'RELEASE SAVEPOINT" in line)
        (enrichment if cron else others).append(line)
        last_was_enrichment[pid] = bool(cron)
    return enrichment, others


def verdict(met):
    return "met" if met else "NOT met"


class Bench:
    def __init__(self, dbname, scale):
        self.dbname = dbname
        self.scale = scale
        self.registry = Registry(dbname)
        self.rows = []  # report lines
        self.pending = []  # (number, benchmark) of features not on this branch yet
        self.notes = []
        self.load = None  # 1-minute load averages at the start and the end

    def scaled(self, count, minimum=1):
        return max(minimum, int(count * self.scale))

    def env(self, cr, uid=SUPERUSER_ID, context=None):
        return api.Environment(cr, uid, context or {})

    # ------------------------------------------------------------ set-up
    def setup(self):
        """A salesperson, a campaign whose positive visit asks for an offer, one rule of
        each kind (class transition, lead qualification, opportunity stage, occurrence
        status), leads with partners and occurrences."""
        n_leads = self.scaled(1000, 10)
        with self.registry.cursor() as cr:
            env = self.env(cr, context={"tracking_disable": True})
            ref = env.ref
            company = ref("base.main_company")
            user = env["res.users"].create(
                {
                    "name": "Bench Salesperson",
                    "login": "bench_sales",
                    "email": "bench@example.com",
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "groups_id": [Command.set([ref("sales_team.group_sale_salesman").id])],
                }
            )
            team = env["crm.team"].create({"name": "Bench Team", "member_ids": [Command.set(user.ids)]})
            stage_new = env["crm.stage"].create({"name": "Bench Visit Planned", "sequence": 1})
            stage_proposal = env["crm.stage"].create({"name": "Bench Proposal", "sequence": 2})
            visit = ref("crm_action.crm_action_type_visit")
            offer = ref("crm_action.crm_action_type_offer")
            positive = ref("crm_action.crm_action_result_positive")
            suspect = ref("crm_action.res_partner_class_suspect")
            prospect = ref("crm_action.res_partner_class_prospect")
            campaign = env["utm.campaign"].create({"title": "Bench Campaign"})
            env["crm.action.campaign.line"].create(
                [
                    {
                        "campaign_id": campaign.id,
                        "sequence": 1,
                        "type_id": visit.id,
                        "default_result_id": positive.id,
                        "result_flow_ids": [
                            Command.create(
                                {"result_id": positive.id, "mode": "ask", "next_type_id": offer.id, "delay_days": 2}
                            )
                        ],
                    },
                    {"campaign_id": campaign.id, "sequence": 2, "type_id": offer.id},
                ]
            )
            rules = env["crm.action.rule"].create(
                [
                    {
                        "name": "Bench: suspect to prospect after 3 positive visits",
                        "campaign_id": campaign.id,
                        "type_id": visit.id,
                        "result_id": positive.id,
                        "class_from_id": suspect.id,
                        "class_to_id": prospect.id,
                        "class_action_count": CLASS_MOVE_AFTER,
                    },
                    {
                        "name": "Bench: qualify the lead",
                        "campaign_id": campaign.id,
                        "result_id": positive.id,
                        "lead_class_id": prospect.id,
                        "lead_convert": True,
                    },
                    {
                        "name": "Bench: proposal",
                        "campaign_id": campaign.id,
                        "type_id": visit.id,
                        "result_id": positive.id,
                        "stage_id": stage_proposal.id,
                    },
                    {
                        "name": "Bench: occurrence in analysis",
                        "campaign_id": campaign.id,
                        "result_id": positive.id,
                        "occurrence_status_id": ref("crm_action.crm_action_occurrence_status_analysis").id,
                    },
                ]
            )
            partners = env["res.partner"].create(
                [{"name": f"Bench Account {i}", "is_company": True, "class_id": suspect.id} for i in range(n_leads)]
            )
            leads = env["crm.lead"].create(
                [
                    {
                        "name": f"Bench Lead {i}",
                        "type": "lead",
                        "partner_id": partner.id,
                        "user_id": user.id,
                        "team_id": team.id,
                        "stage_id": stage_new.id,
                        "campaign_id": campaign.id,
                    }
                    for i, partner in enumerate(partners)
                ]
            )
            occurrences = env["crm.action.occurrence"].create(
                [{"name": f"Bench Claim {i}", "partner_id": p.id, "user_id": user.id} for i, p in enumerate(partners)]
            )
            # benchmark 6: salespersons who log in over XML-RPC, each client with leads of its own
            rpc_users = env["res.users"].create(
                [
                    {
                        "name": f"Bench RPC Salesperson {i}",
                        "login": f"bench_rpc_{i}",
                        "password": RPC_PASSWORD,
                        "email": f"bench_rpc_{i}@example.com",
                        "company_id": company.id,
                        "company_ids": [Command.set(company.ids)],
                        "groups_id": [Command.set([ref("sales_team.group_sale_salesman").id])],
                    }
                    for i in range(RPC_USERS)
                ]
            )
            ref("base.user_admin").password = RPC_PASSWORD
            # the first half for crm_action's side, the second for plain Odoo reaching the
            # same outcome by hand: both start from the same leads, not yet converted
            rpc_partners = env["res.partner"].create(
                [
                    {"name": f"Bench RPC Account {i}", "is_company": True, "class_id": suspect.id}
                    for i in range(2 * RPC_CLIENTS * RPC_LEADS_PER_CLIENT)
                ]
            )
            rpc_leads = env["crm.lead"].create(
                [
                    {
                        "name": f"Bench RPC Lead {i}",
                        "type": "lead",
                        "partner_id": partner.id,
                        "user_id": rpc_users[(i // RPC_LEADS_PER_CLIENT) % RPC_USERS].id,
                        "team_id": team.id,
                        "stage_id": stage_new.id,
                        "campaign_id": campaign.id,
                    }
                    for i, partner in enumerate(rpc_partners)
                ]
            )
            # client i: (login, [(lead, partner)]) of its own
            self.rpc_clients = [
                (
                    rpc_users[i % RPC_USERS].login,
                    [
                        (lead.id, lead.partner_id.id)
                        for lead in rpc_leads[i * RPC_LEADS_PER_CLIENT : (i + 1) * RPC_LEADS_PER_CLIENT]
                    ],
                )
                for i in range(RPC_CLIENTS)
            ]
            hand_leads = rpc_leads[RPC_CLIENTS * RPC_LEADS_PER_CLIENT :]
            self.rpc_hand_leads = [
                [
                    (lead.id, lead.partner_id.id)
                    for lead in hand_leads[i * RPC_LEADS_PER_CLIENT : (i + 1) * RPC_LEADS_PER_CLIENT]
                ]
                for i in range(RPC_CLIENTS)
            ]
            self.stage_proposal_id = stage_proposal.id
            self.user_id = user.id
            self.class_rule_id = rules[0].id
            self.campaign_id = campaign.id
            self.lead_ids = leads.ids
            self.occurrence_by_partner = {o.partner_id.id: o.id for o in occurrences}
            self.visit_id, self.positive_id = visit.id, positive.id
        out(
            f"set-up: {n_leads} leads and partners, 4 rules, campaign with a result flow; {RPC_USERS} salespersons "
            f"with passwords and {RPC_CLIENTS * RPC_LEADS_PER_CLIENT} leads for the XML-RPC clients"
        )

    # ------------------------------------------------------------ 1
    def bench_register_vs_activities(self):
        total = self.scaled(10000, 50)
        n_leads = len(self.lead_ids)
        batch = max(10, min(500, total // 10))
        crm_seconds = activity_seconds = 0.0
        by_visit = {}  # visit number: [registrations, crm_action seconds, mail.activity seconds]
        done = 0
        while done < total:
            # a batch stays within one visit of every lead, so that it is timed as that visit
            size = min(batch, total - done, n_leads - done % n_leads)
            leads = [self.lead_ids[(done + i) % n_leads] for i in range(size)]
            crm_batch = self._register_actions(leads)
            activity_batch = self._done_activities(leads)
            crm_seconds += crm_batch
            activity_seconds += activity_batch
            visit = by_visit.setdefault(done // n_leads + 1, [0, 0.0, 0.0])
            visit[0] += size
            visit[1] += crm_batch
            visit[2] += activity_batch
            done += size
        with self.registry.cursor() as cr:
            env = self.env(cr)
            registered = env["crm.action"].search_count(
                [("campaign_id", "=", self.campaign_id), ("state", "=", "done")]
            )
            moved = env["res.partner"].search_count(
                [
                    ("name", "=like", "Bench Account %"),
                    ("class_id", "=", env.ref("crm_action.res_partner_class_prospect").id),
                ]
            )
        ratio = crm_seconds / activity_seconds
        breakdown = self._register_breakdown(by_visit)
        out(
            f"[1] {total} done actions registered with all rules: {crm_seconds:.1f} s "
            f"({1000 * crm_seconds / total:.1f} ms each); {total} mail.activity created and marked done: "
            f"{activity_seconds:.1f} s ({1000 * activity_seconds / total:.1f} ms each); ratio {ratio:.2f} "
            f"(goal <= {GOAL_REGISTER_RATIO}: {verdict(ratio <= GOAL_REGISTER_RATIO)})"
        )
        out(f"    by visit: {breakdown}")
        out(f"    check: {registered} done actions on the campaign, {moved} partners moved to Prospect")
        self.rows.append(
            (
                "1",
                f"Register {total:,} done actions, all rules active (register wizard, one by one), "
                f"{total // n_leads} visits on each of {n_leads:,} leads",
                f"{crm_seconds:.1f} s ({1000 * crm_seconds / total:.1f} ms/action); by visit: {breakdown}",
                f"{total:,} `mail.activity` created and marked done on the same leads: {activity_seconds:.1f} s "
                f"({1000 * activity_seconds / total:.1f} ms/activity)",
                f"{ratio:.2f}",
                f"ratio <= {GOAL_REGISTER_RATIO}",
                "met" if ratio <= GOAL_REGISTER_RATIO else f"NOT met (gap {ratio - GOAL_REGISTER_RATIO:.2f})",
            )
        )

    @staticmethod
    def _register_breakdown(by_visit):
        """Both sides' time per registration on the visits where the rules change the lead or
        the account, and on the others, with their ratios."""
        groups = [
            ("first visit (lead qualified, converted, moved to the rule's stage; occurrence status set)", {1}),
            (f"visit {CLASS_MOVE_AFTER} (account moved from Suspect to Prospect)", {CLASS_MOVE_AFTER}),
            ("the other visits (no rule changes anything)", set(by_visit) - {1, CLASS_MOVE_AFTER}),
        ]
        parts = []
        for label, visits in groups:
            rows = [by_visit[v] for v in visits if v in by_visit]
            count = sum(row[0] for row in rows)
            if not count:
                continue
            crm, activity = sum(row[1] for row in rows), sum(row[2] for row in rows)
            parts.append(
                f"{label}: {1000 * crm / count:.1f} ms vs {1000 * activity / count:.1f} ms, ratio {crm / activity:.2f}"
            )
        return "; ".join(parts)

    def _register_actions(self, lead_ids):
        """What a salesperson does: the register wizard, one action at a time, each saved
        (flushed) like a request would."""
        with self.registry.cursor() as cr:
            env = self.env(cr, self.user_id)
            leads = env["crm.lead"].browse(lead_ids)
            leads.fetch(["partner_id"])
            Wizard = env["crm.action.register.wizard"]
            start = time.perf_counter()
            for lead in leads:
                Wizard.create(
                    {
                        "partner_id": lead.partner_id.id,
                        "lead_id": lead.id,
                        "occurrence_id": self.occurrence_by_partner[lead.partner_id.id],
                        "campaign_id": self.campaign_id,
                        "type_id": self.visit_id,
                        "result_id": self.positive_id,
                    }
                ).action_register()
                env.flush_all()
            cr.commit()
            return time.perf_counter() - start

    def _done_activities(self, lead_ids):
        """The Odoo way: schedule an activity on the lead and mark it done, one at a time."""
        with self.registry.cursor() as cr:
            env = self.env(cr, self.user_id)
            model_id = env["ir.model"]._get_id("crm.lead")
            call = env.ref("mail.mail_activity_data_call")
            Activity = env["mail.activity"]
            today = datetime.now().date()
            start = time.perf_counter()
            for lead_id in lead_ids:
                Activity.create(
                    {
                        "res_model_id": model_id,
                        "res_id": lead_id,
                        "activity_type_id": call.id,
                        "summary": "Visit",
                        "user_id": self.user_id,
                        "date_deadline": today,
                    }
                ).action_feedback(feedback="Positive")
                env.flush_all()
            cr.commit()
            return time.perf_counter() - start

    # ------------------------------------------------------------ 2
    def bench_quotation_spawning(self):
        """1,000 quotations created in one batch, with the quotation automation rule on
        (each queues a lead with three planned actions, which the background job then
        creates) and off; the whole cost (save and job) against plain Odoo doing the same:
        the quotations saved, then the same leads and planned activities created through
        the ORM."""
        if "crm.action.sequence" not in self.registry:
            self.pending.append(("2", "Spawning leads for 1,000 quotations vs the same quotations without automation"))
            return
        total = self.scaled(1000, 20) if self.scale < 0.1 else 1000
        self._quotation_setup()
        self._create_quotations(10, spawn=False)  # warm the caches
        self._create_quotations(10, spawn=True)
        self._spawn_queued()
        self._plain_leads_with_activities(10)
        # Alternate the sides three times and keep each one's best run, so that a moment
        # of load on the machine does not land on one side only.
        plain_runs, spawning_runs, job_runs, odoo_runs = [], [], [], []
        queued = 0
        for _round in range(3):
            plain_runs.append(self._create_quotations(total, spawn=False)[0])
            elapsed, _leads, queued = self._create_quotations(total, spawn=True)
            spawning_runs.append(elapsed)
            job_runs.append(self._spawn_queued())
            odoo_runs.append(self._plain_leads_with_activities(total))
        plain, spawning = min(plain_runs), min(spawning_runs)
        job, leads, actions, job_queries = min(job_runs)
        odoo_leads, odoo_activities = min(odoo_runs), 3 * total
        save_ratio = spawning / plain
        whole, whole_odoo = spawning + job, plain + odoo_leads
        whole_ratio = whole / whole_odoo
        save_met, whole_met = save_ratio <= GOAL_SPAWN_SAVE_RATIO, whole_ratio <= GOAL_SPAWN_WHOLE_RATIO
        out(
            f"[2] {total} quotations in one batch: save {plain:.1f} s with the automation rule off, {spawning:.1f} s "
            f"with it ({queued} leads queued): ratio {save_ratio:.2f} (goal <= {GOAL_SPAWN_SAVE_RATIO}: "
            f"{verdict(save_met)}); the background job then created {leads} leads with {actions} planned actions in "
            f"{job:.1f} s ({1000 * job / max(leads, 1):.1f} ms and {job_queries / max(leads, 1):.1f} queries per "
            f"lead); plain Odoo: {total} leads and {odoo_activities} planned activities created through the ORM in "
            f"{odoo_leads:.1f} s; whole {whole:.1f} s vs {whole_odoo:.1f} s: ratio {whole_ratio:.2f} "
            f"(goal <= {GOAL_SPAWN_WHOLE_RATIO}: {verdict(whole_met)})"
        )
        self.rows.append(
            (
                "2",
                f"Create {total:,} quotations in one batch, each spawning a lead with 3 planned actions: the save, "
                "then the whole cost (save + background job, until every lead and its actions exist)",
                f"save {spawning:.1f} s ({queued:,} leads queued); background job: {leads:,} leads with "
                f"{actions:,} actions in {job:.1f} s ({1000 * job / max(leads, 1):.1f} ms, "
                f"{job_queries / max(leads, 1):.1f} queries per lead); whole {whole:.1f} s",
                f"save of the same {total:,} quotations with the automation rule off: {plain:.1f} s; then "
                f"{total:,} leads and {odoo_activities:,} planned `mail.activity` created through the ORM (one "
                f"`create()` per model): {odoo_leads:.1f} s; whole {whole_odoo:.1f} s",
                f"save {save_ratio:.2f}; whole {whole_ratio:.2f}",
                f"save <= {GOAL_SPAWN_SAVE_RATIO}; whole <= {GOAL_SPAWN_WHOLE_RATIO}",
                f"save: {verdict(save_met)}; whole: {verdict(whole_met)}",
            )
        )

    def _quotation_setup(self):
        """A team whose quotations follow a sequence of three actions (call, offer, visit)."""
        if getattr(self, "quotation", None):
            return
        with self.registry.cursor() as cr:
            env = self.env(cr, context={"tracking_disable": True})
            ref = env.ref
            user = env["res.users"].browse(self.user_id)
            types = (
                ref("crm_action.crm_action_type_call"),
                ref("crm_action.crm_action_type_offer"),
                ref("crm_action.crm_action_type_visit"),
            )
            sequence = env["crm.action.sequence"].create(
                {
                    "code": "BENCH-QUOTE",
                    "name": "Bench quotation follow-up",
                    "line_ids": [
                        Command.create({"sequence": i, "type_id": t.id, "user_id": user.id, "postpone_days": i + 1})
                        for i, t in enumerate(types)
                    ],
                }
            )
            team = env["crm.team"].create(
                {
                    "name": "Bench Quotation Team",
                    "member_ids": [Command.set(user.ids)],
                    "crm_action_quotation_sequence_id": sequence.id,
                }
            )
            product = env["product.product"].create({"name": "Bench Tile", "list_price": 12.0})
            partner = env["res.partner"].create({"name": "Bench Quotation Customer", "is_company": True})
            self.quotation = (team.id, product.id, partner.id)

    def _spawn_queued(self):
        """Run the background job until no lead is queued: (seconds, leads, actions,
        queries) of what it created."""
        with self.registry.cursor() as cr:
            env = self.env(cr)
            leads_before = env["crm.lead"].search_count([])
            actions_before = env["crm.action"].search_count([])
            count0 = cr.sql_log_count
            start = time.perf_counter()
            while env["crm.action.spawn"]._cron_spawn_queued():
                env.flush_all()
            elapsed = time.perf_counter() - start
            queries = cr.sql_log_count - count0
            leads = env["crm.lead"].search_count([]) - leads_before
            actions = env["crm.action"].search_count([]) - actions_before
            cr.commit()
        return elapsed, leads, actions, queries

    def _plain_leads_with_activities(self, count):
        """Plain Odoo reaching the job's result: ``count`` leads, then three planned
        activities on each (the sequence's responsible, deadlines a few days apart),
        created through the ORM with the job's rights (superuser), one ``create()`` per
        model. Returns the seconds."""
        team_id, _product_id, partner_id = self.quotation
        with self.registry.cursor() as cr:
            env = self.env(cr)
            todo = env.ref("mail.mail_activity_data_todo")
            model_id = env["ir.model"]._get_id("crm.lead")
            today = datetime.now().date()
            start = time.perf_counter()
            leads = env["crm.lead"].create(
                [
                    {
                        "name": f"Bench plain lead {i}",
                        "type": "lead",
                        "partner_id": partner_id,
                        "user_id": self.user_id,
                        "team_id": team_id,
                        "expected_revenue": 24.0,
                    }
                    for i in range(count)
                ]
            )
            env["mail.activity"].create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": lead.id,
                        "activity_type_id": todo.id,
                        "summary": f"Follow-up {step + 1}",
                        "user_id": self.user_id,
                        "date_deadline": today + timedelta(days=step + 1),
                    }
                    for lead in leads
                    for step in range(3)
                ]
            )
            env.flush_all()
            elapsed = time.perf_counter() - start
            cr.commit()
        return elapsed

    def _create_quotations(self, count, spawn):
        team_id, product_id, partner_id = self.quotation
        with self.registry.cursor() as cr:
            env = self.env(cr)
            rule = env.ref("crm_action.crm_action_automation_quotation")
            if rule.active != spawn:
                rule.active = spawn
                env.flush_all()
            leads_before = env["crm.lead"].search_count([("team_id", "=", team_id)])
            values = [
                {
                    "partner_id": partner_id,
                    "team_id": team_id,
                    "user_id": self.user_id,
                    "order_line": [Command.create({"product_id": product_id, "product_uom_qty": 2})],
                }
                for _i in range(count)
            ]
            start = time.perf_counter()
            env["sale.order"].with_user(self.user_id).create(values)
            env.flush_all()
            elapsed = time.perf_counter() - start
            leads = env["crm.lead"].search_count([("team_id", "=", team_id)]) - leads_before
            queued = env["crm.action.spawn"].search_count([("state", "=", "queued")])
            cr.commit()
        return elapsed, leads, queued

    # ------------------------------------------------------------ 3
    def bench_statistics_export(self):
        """The statistics XLSX export of a period with 100,000 and 1,000,000 actions, each
        export in its own process to measure the growth of its memory; Odoo's own XLSX
        export of the list (the web/export/xlsx controller's path) of the smaller one."""
        if "crm.action.statistics" not in self.registry:
            self.pending.append(("3", "Statistics XLSX export of 100,000 and 1,000,000 actions: seconds and memory"))
            return
        if self.scale >= 1:
            sizes = [100000, 1000000]
        elif self.scale >= 0.1:
            sizes = [100000, self.scaled(1000000)]
        else:
            sizes = [self.scaled(100000, 1000), self.scaled(1000000, 5000)]
        seed_id = self._export_seed(max(sizes))
        exported = 1
        figures = []
        for size in sizes:
            self._copy_action(seed_id, size - exported)
            exported = size
            mine = self._measure_in_child("crm_action")
            theirs = self._measure_in_child("odoo") if size == sizes[0] else None
            figures.append((size, mine, theirs))
            line = (
                f"[3] {size:>9,} actions: statistics XLSX {mine['seconds']:.1f} s, memory +{mine['growth_mb']:.0f} MB "
                f"during the export (sampled RSS), {mine['bytes'] / 1e6:.1f} MB file"
            )
            if theirs:
                line += (
                    f"; Odoo's XLSX export (web/export/xlsx path) {theirs['seconds']:.1f} s, "
                    f"+{theirs['growth_mb']:.0f} MB"
                )
            out(line)
        (small, mine_small, theirs_small), (large, mine_large, _none) = figures
        growth_small, growth_large = mine_small["growth_mb"], mine_large["growth_mb"]
        # The finished file is returned as bytes (to be stored as the download's
        # attachment): it grows with the rows by nature; the rest of the growth must not.
        file_small, file_large = mine_small["bytes"] / 2**20, mine_large["bytes"] / 2**20
        work_small, work_large = max(growth_small - file_small, 0), max(growth_large - file_large, 0)
        # "Not growing with rows": the larger export may use at most a quarter more memory
        # (and 20 MB of slack) than the smaller one, for three to ten times the rows.
        flat = work_large <= 1.25 * work_small + 20
        verdicts = []
        if small == 100000:
            verdicts.append(
                f"100,000 rows under {GOAL_EXPORT_100K_SECONDS} s: "
                + verdict(mine_small["seconds"] <= GOAL_EXPORT_100K_SECONDS)
            )
        else:
            verdicts.append(f"100,000 rows under {GOAL_EXPORT_100K_SECONDS} s: not measured at this scale")
        if large == 1000000:
            verdicts.append(
                f"1,000,000 rows under {GOAL_EXPORT_1M_SECONDS} s: "
                + verdict(mine_large["seconds"] <= GOAL_EXPORT_1M_SECONDS)
            )
        else:
            verdicts.append(f"1,000,000 rows under {GOAL_EXPORT_1M_SECONDS} s: not measured (BENCH_SCALE=1)")
        verdicts.append(
            f"memory flat apart from the file returned (+{work_small:.0f} MB at {small:,}, +{work_large:.0f} MB at "
            f"{large:,}): " + verdict(flat)
        )
        self.rows.append(
            (
                "3",
                f"Statistics XLSX export of {small:,} and {large:,} actions (each in its own process; memory: growth "
                "of the sampled RSS during the export)",
                f"{small:,}: {mine_small['seconds']:.1f} s, +{growth_small:.0f} MB (file {file_small:.0f} MB); "
                f"{large:,}: {mine_large['seconds']:.1f} s, +{growth_large:.0f} MB (file {file_large:.0f} MB)",
                f"Odoo's XLSX export of the same fields (web/export/xlsx: `export_data` + the controller's "
                f"`ExcelExport.from_data`) of {small:,}: {theirs_small['seconds']:.1f} s, "
                f"+{theirs_small['growth_mb']:.0f} MB",
                f"time {mine_small['seconds'] / theirs_small['seconds']:.2f}, memory "
                f"{growth_small / max(theirs_small['growth_mb'], 1):.2f} ({small:,})",
                f"100,000 rows < {GOAL_EXPORT_100K_SECONDS} s; 1,000,000 rows < {GOAL_EXPORT_1M_SECONDS} s; memory "
                "flat",
                "; ".join(verdicts),
            )
        )

    def _export_seed(self, row_limit):
        """The done action of the export period that _copy_action multiplies; returns its id."""
        with self.registry.cursor() as cr:
            env = self.env(cr, context={"tracking_disable": True})
            partner = env["res.partner"].create({"name": "Bench Export Account", "is_company": True})
            contact = env["res.partner"].create({"name": "Bench Export Contact", "parent_id": partner.id})
            seed = env["crm.action"].create(
                {
                    "name": "Bench exported visit",
                    "partner_id": partner.id,
                    "contact_ids": [Command.set(contact.ids)],
                    "campaign_id": self.campaign_id,
                    "type_id": self.visit_id,
                    "result_id": env.ref("crm_action.crm_action_result_neutral").id,
                    "user_id": self.user_id,
                    "date_start": EXPORT_PERIOD[0] + " 09:00:00",
                    "date_end": EXPORT_PERIOD[0] + " 10:00:00",
                    "result_detail": "Interested in the new catalogue; call again in spring.",
                }
            )
            seed.action_done()
            env["ir.config_parameter"].set_param("crm_action.export_row_limit", str(row_limit + 10))
            env.flush_all()
            return seed.id

    def _measure_in_child(self, kind):
        result = subprocess.run(
            [sys.executable, __file__, "-c", self.config_path, "-d", self.dbname, "--measure-export", kind],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            raise RuntimeError(f"export measurement failed:\n{result.stdout}\n{result.stderr}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    # ------------------------------------------------------------ 5
    def bench_reminder_cron(self):
        """The acknowledgement reminder cron with 1,000 pending assignments (10 users),
        first alone, then with 100,000 acknowledged actions beside them."""
        if "acknowledgement_pending" not in self.registry["crm.action"]._fields:
            self.pending.append(("5", "Reminder cron with 100,000 acknowledged and 1,000 pending assignments"))
            return
        pending_count = self.scaled(1000, 50) if self.scale < 0.1 else 1000
        acknowledged_count = self.scaled(100000, 2000) if self.scale < 0.1 else 100000
        with self.registry.cursor() as cr:
            env = self.env(cr, context={"tracking_disable": True, "mail_create_nolog": True})
            salesman = env.ref("sales_team.group_sale_salesman")
            users = env["res.users"].create(
                [
                    {
                        "name": f"Bench Responsible {i}",
                        "login": f"bench_responsible_{i}",
                        "groups_id": [Command.set(salesman.ids)],
                    }
                    for i in range(10)
                ]
            )
            users.write({"crm_action_reminder_interval": 30})
            partner = env["res.partner"].create({"name": "Bench Reminder Account", "is_company": True})
            seeds = env["crm.action"].create(
                [
                    {
                        "name": "Bench assigned call",
                        "partner_id": partner.id,
                        "type_id": self.visit_id,
                        "user_id": user.id,
                    }
                    for user in users
                ]
            )
            env.flush_all()
            # Pending, last reminded two hours ago: every run reminds them all.
            cr.execute(
                "UPDATE crm_action SET acknowledgement_pending = true, last_reminder_date = now() at time zone 'UTC' "
                "- interval '2 hours' WHERE id IN %s",
                [tuple(seeds.ids)],
            )
            acknowledged = env["crm.action"].create(
                {
                    "name": "Bench acknowledged call",
                    "partner_id": partner.id,
                    "type_id": self.visit_id,
                    "user_id": users[0].id,
                }
            )
            env.flush_all()
            cr.execute(
                "UPDATE crm_action SET acknowledgement_pending = false, acknowledged_date = now() at time zone 'UTC', "
                "acknowledged_by_id = user_id WHERE id = %s",
                [acknowledged.id],
            )
            seed_ids, acknowledged_id = seeds.ids, acknowledged.id
        per_seed = pending_count // len(seed_ids)
        for seed_id in seed_ids:
            self._copy_action(seed_id, per_seed - 1)
        self._run_reminder_cron()  # warm the caches
        alone = min(self._run_reminder_cron() for _i in range(3))
        self._copy_action(acknowledged_id, acknowledged_count - 1)
        beside = min(self._run_reminder_cron() for _i in range(3))
        ratio = beside[0] / alone[0]
        out(
            f"[5] reminder cron, {pending_count} pending assignments: {1000 * alone[0]:.0f} ms "
            f"({alone[1]} queries) alone, {1000 * beside[0]:.0f} ms ({beside[1]} queries) with "
            f"{acknowledged_count:,} acknowledged; ratio {ratio:.2f}"
        )
        self.rows.append(
            (
                "5",
                f"Reminder cron: {pending_count:,} pending assignments (10 users) beside {acknowledged_count:,} "
                "acknowledged actions",
                f"{1000 * beside[0]:.0f} ms per run, {beside[1]} queries",
                f"no comparable Odoo cron; the same run with no acknowledged actions: {1000 * alone[0]:.0f} ms, "
                f"{alone[1]} queries",
                f"{ratio:.2f}",
                "time per run (no goal); should not grow with acknowledged actions",
                "met" if beside[1] == alone[1] and ratio <= 1.5 else "NOT met",
            )
        )

    def _run_reminder_cron(self):
        """One run of the cron's method, rolled back so each run finds the same state."""
        with self.registry.cursor() as cr:
            env = self.env(cr)
            env.invalidate_all()
            count0 = cr.sql_log_count
            start = time.perf_counter()
            env["crm.action"]._cron_remind_unacknowledged()
            env.flush_all()
            elapsed = time.perf_counter() - start
            queries = cr.sql_log_count - count0
            cr.rollback()
        return elapsed, queries

    # ------------------------------------------------------------ 4
    def bench_queries_vs_history(self):
        # Inserting the history is cheap (SQL): the sizes unless in a quick run.
        sizes = [10, 1000, 100000] if self.scale >= 0.1 else [10, self.scaled(1000, 100), self.scaled(100000, 1000)]
        with self.registry.cursor() as cr:
            env = self.env(cr, context={"tracking_disable": True})
            partner = env["res.partner"].create(
                {
                    "name": "Bench History Account",
                    "is_company": True,
                    "class_id": env.ref("crm_action.res_partner_class_suspect").id,
                }
            )
            lead = env["crm.lead"].create(
                {"name": "Bench History Lead", "type": "opportunity", "partner_id": partner.id, "user_id": self.user_id}
            )
            occurrence = env["crm.action.occurrence"].create({"name": "Bench History Claim", "partner_id": partner.id})
            seed = env["crm.action"].create(
                {
                    "name": "Bench old visit",
                    "partner_id": partner.id,
                    "lead_id": lead.id,
                    "campaign_id": self.campaign_id,
                    "type_id": self.visit_id,
                    "result_id": env.ref("crm_action.crm_action_result_no_answer").id,
                    "user_id": self.user_id,
                }
            )
            seed.action_done()
            # The class transition is still counted on every registration, but never reached:
            # a move would make one registration cost more than the others.
            env["crm.action.rule"].browse(self.class_rule_id).class_action_count = 10**9
            env.flush_all()
            ids = (partner.id, lead.id, occurrence.id, seed.id)
        partner_id, lead_id, occurrence_id, seed_id = ids
        history = 1
        results = []
        for size in sizes:
            self._copy_action(seed_id, size - history)
            history = size
            counts, seconds = [], []
            for _ in range(4):  # the first one warms the caches
                queries, elapsed = self._register_once(partner_id, lead_id, occurrence_id)
                counts.append(queries)
                seconds.append(elapsed)
            results.append((size, counts[1:], min(seconds[1:])))
            out(
                f"[4] {size:>7,} earlier actions: {counts[1:]} queries per registration, "
                f"{1000 * min(seconds[1:]):.1f} ms"
            )
        all_counts = {c for _size, counts, _s in results for c in counts}
        same = len(all_counts) == 1
        few = max(all_counts) <= GOAL_REGISTER_QUERIES
        figures = "; ".join(f"{size:,} earlier: {counts[0]} queries, {1000 * s:.0f} ms" for size, counts, s in results)
        out(
            f"[4] at most {max(all_counts)} queries (goal <= {GOAL_REGISTER_QUERIES}: {verdict(few)}), "
            f"the same each time: {verdict(same)}"
        )
        self.rows.append(
            (
                "4",
                "Queries per action registration (register wizard) vs the partner's history",
                figures,
                f"the same registration with {sizes[0]} earlier actions",
                f"{max(all_counts)}/{min(all_counts)} = {max(all_counts) / min(all_counts):.2f}",
                f"<= {GOAL_REGISTER_QUERIES} queries; same number each time",
                f"<= {GOAL_REGISTER_QUERIES}: {verdict(few)}; same: {verdict(same)}",
            )
        )
        self._log_registration_queries(partner_id, lead_id, occurrence_id, sizes[-1])

    def _log_registration_queries(self, partner_id, lead_id, occurrence_id, history):
        """The queries of one registration, grouped by the code of the module that causes
        them (innermost crm_action frame) and the Odoo method they run in; printed and
        kept for the report."""
        module_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        bench_dir = os.path.dirname(os.path.abspath(__file__))
        odoo_dir = os.path.dirname(os.path.abspath(odoo.__file__))
        core = tuple(
            os.path.join(odoo_dir, name)
            for name in ("models.py", "fields.py", "api.py", "sql_db.py", "tools", "osv", "modules")
        )
        self._register_once(partner_id, lead_id, occurrence_id)  # warm the caches
        causes = {}

        def record(query):
            stack = traceback.extract_stack()[:-2]
            mine = next(
                (
                    f
                    for f in reversed(stack)
                    # the module is loaded through the addons link: compare real paths
                    if os.path.realpath(f.filename).startswith(module_dir)
                    and not os.path.realpath(f.filename).startswith(bench_dir)
                ),
                None,
            )
            theirs = next(
                (
                    f
                    for f in reversed(stack)
                    if f.filename.startswith(os.path.dirname(odoo_dir))
                    and not f.filename.startswith(core)
                    and not os.path.realpath(f.filename).startswith(module_dir)
                ),
                None,
            )
            orm = next((f for f in reversed(stack) if f.filename.startswith(core[:2])), None)
            where = (
                f"{os.path.relpath(os.path.realpath(mine.filename), module_dir)}:{mine.name}"
                if mine
                else "(outside crm_action)"
            )
            if theirs:
                inner = f"{os.path.basename(theirs.filename)}:{theirs.name}"
            else:
                inner = f"ORM {orm.name}" if orm else "ORM"
            text = getattr(query, "code", query)
            text = text.decode() if isinstance(text, bytes) else str(text)
            words = re.sub(r"\s+", " ", text).strip().split(" ")
            verb = words[0].upper()
            table = next(
                (
                    n.strip('"').split('"')[0]
                    for w, n in zip(words, [*words[1:], ""], strict=True)
                    if n and w.upper() in ("FROM", "INTO", "UPDATE")
                ),
                "",
            )
            if verb == "UPDATE":
                table = words[1].strip('"')
            key = (where, inner, f"{verb} {table}".strip())
            causes[key] = causes.get(key, 0) + 1

        queries = self._register_once(partner_id, lead_id, occurrence_id, record=record)[0]
        lines = [f"{count} x {verb} ({where}; in {inner})" for (where, inner, verb), count in causes.items()]
        out(f"[4] the {queries} queries of one registration, by cause:")
        for line in lines:
            out(f"    {line}")
        self.query_log = (queries, history, lines)

    def _copy_action(self, seed_id, count):
        """``count`` copies of a done action, inserted with SQL (only the history matters)."""
        if count <= 0:
            return
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'crm_action' AND column_name != 'id'"
            )
            columns = ", ".join(f'"{name}"' for (name,) in cr.fetchall())
            # Column names come from the catalog, the values are parameters.
            cr.execute(
                f"INSERT INTO crm_action ({columns}) "
                f"SELECT {columns} FROM crm_action, generate_series(1, %s) WHERE id = %s",
                [count, seed_id],
            )
            cr.execute("ANALYZE crm_action")

    def _register_once(self, partner_id, lead_id, occurrence_id, record=None):
        with self.registry.cursor() as cr:
            env = self.env(cr, self.user_id)
            wizard = env["crm.action.register.wizard"].create(
                {
                    "partner_id": partner_id,
                    "lead_id": lead_id,
                    "occurrence_id": occurrence_id,
                    "campaign_id": self.campaign_id,
                    "type_id": self.visit_id,
                    "result_id": self.positive_id,
                }
            )
            env.flush_all()
            env.invalidate_all()
            count0 = cr.sql_log_count
            if record:
                execute = cr.execute

                def recording_execute(query, params=None, log_exceptions=True):
                    record(query)
                    return execute(query, params, log_exceptions)

                cr.execute = recording_execute
            start = time.perf_counter()
            wizard.action_register()
            env.flush_all()
            elapsed = time.perf_counter() - start
            queries = cr.sql_log_count - count0
            if record:
                del cr.execute
            cr.commit()
        return queries, elapsed

    # ------------------------------------------------------------ 6
    def bench_throughput(self):
        """odoo-bin with --workers=2 and a cron worker on this database, driven by 8
        concurrent XML-RPC clients for a fixed time per phase: done actions registered
        against activities marked done, then quotations saved with the spawning rule on
        and off. The two sides of each pair alternate (two rounds each). A third side reaches
        each pair's outcome by hand in plain Odoo: no goal, it shows what the work itself
        costs."""
        self._quotation_setup()
        seconds = 30 if self.scale >= 0.3 else max(5, round(100 * self.scale))
        rounds = 2
        with self.registry.cursor() as cr:
            env = self.env(cr)
            ref = env.ref
            ids = {
                "visit": self.visit_id,
                "positive": self.positive_id,
                "call": ref("mail.mail_activity_data_call").id,
                "todo": ref("mail.mail_activity_data_todo").id,
                "lead_model": env["ir.model"]._get_id("crm.lead"),
                "rule": ref("crm_action.crm_action_automation_quotation").id,
            }
        team_id, product_id, partner_id = self.quotation
        today = datetime.now().date().isoformat()
        log_path = os.path.join(os.path.dirname(os.path.abspath(self.config_path)), "bench_server.log")

        visited = set()  # leads of crm_action's side registered on so far (each client has its own)

        def register(client, index, n):
            """A done action registered on one of the client's leads; returns which visit of
            the lead it was: on the first, the rules qualify, convert and move the lead."""
            lead_id, account_id = self.rpc_clients[index][1][n % RPC_LEADS_PER_CLIENT]
            action_id = client.call(
                "crm.action",
                "create",
                {
                    "name": "Visit",
                    "partner_id": account_id,
                    "lead_id": lead_id,
                    "type_id": ids["visit"],
                    "result_id": ids["positive"],
                    "user_id": client.uid,
                },
            )
            client.call("crm.action", "action_done", [action_id])
            first = lead_id not in visited
            visited.add(lead_id)
            return "first" if first else "later"

        def activity(client, index, n):
            lead_id, _account_id = self.rpc_clients[index][1][n % RPC_LEADS_PER_CLIENT]
            activity_done(client, lead_id)

        def activity_done(client, lead_id):
            activity_id = client.call(
                "mail.activity",
                "create",
                {
                    "res_model_id": ids["lead_model"],
                    "res_id": lead_id,
                    "activity_type_id": ids["call"],
                    "summary": "Visit",
                    "user_id": client.uid,
                    "date_deadline": today,
                },
            )
            client.call("mail.activity", "action_feedback", [activity_id], feedback="Positive")

        converted = set()  # leads of the by-hand side converted so far (each client has its own)

        def register_by_hand(client, index, n):
            """The outcome of a registration reached in plain Odoo: the activity marked done,
            and on the first visit the lead converted (the Convert to Opportunity dialog) and
            moved to the stage the rule moves it to."""
            lead_id, account_id = self.rpc_hand_leads[index][n % RPC_LEADS_PER_CLIENT]
            activity_done(client, lead_id)
            if lead_id in converted:
                return "later"
            converted.add(lead_id)
            context = {"active_model": "crm.lead", "active_id": lead_id, "active_ids": [lead_id]}
            wizard_id = client.call(
                "crm.lead2opportunity.partner",
                "create",
                {"name": "convert", "action": "exist", "partner_id": account_id},
                context=context,
            )
            client.call("crm.lead2opportunity.partner", "action_apply", [wizard_id], context=context)
            client.call("crm.lead", "write", [lead_id], {"stage_id": self.stage_proposal_id})
            return "first"

        def quotation(client, index, n, opportunity_id=False):
            client.call(
                "sale.order",
                "create",
                {
                    "partner_id": partner_id,
                    "team_id": team_id,
                    "user_id": client.uid,
                    "opportunity_id": opportunity_id,
                    # (0, 0, values): Command.create over XML-RPC, which cannot marshal the enum
                    "order_line": [(0, 0, {"product_id": product_id, "product_uom_qty": 2})],
                },
            )

        def quotation_by_hand(client, index, n):
            """The outcome of a spawning save reached in plain Odoo: the lead, its three planned
            activities for the sequence's responsible, then the quotation from the lead."""
            lead_id = client.call(
                "crm.lead",
                "create",
                {
                    "name": f"Bench follow-up by hand {index}-{n}-{time.monotonic_ns()}",
                    "partner_id": partner_id,
                    "user_id": client.uid,
                    "team_id": team_id,
                    "expected_revenue": 24.0,
                },
            )
            client.call(
                "mail.activity",
                "create",
                [
                    {
                        "res_model_id": ids["lead_model"],
                        "res_id": lead_id,
                        "activity_type_id": ids["todo"],
                        "summary": f"Follow-up {step + 1}",
                        "user_id": self.user_id,
                        "date_deadline": (datetime.now().date() + timedelta(days=step + 1)).isoformat(),
                    }
                    for step in range(3)
                ],
            )
            quotation(client, index, n, opportunity_id=lead_id)

        def counts():
            return self._throughput_counts(team_id)

        def clean_up_done_todos():
            """The daily clean-up, run as Odoo's autovacuum job does: it deletes the to-dos
            that the round's done actions archived. Returns its seconds, which count in the
            round's time."""
            start = time.perf_counter()
            with self.registry.cursor() as cr:
                self.env(cr)["crm.action"]._gc_done_todo_activities()
            return time.perf_counter() - start

        with self.registry.cursor() as cr:
            env = self.env(cr)
            logins = [login for login, _leads in self.rpc_clients]
            self.rpc_uids = tuple(env["res.users"].search([("login", "in", logins)]).ids)
            rule = env["base.automation"].browse(ids["rule"])
            rule.active = True
            env.flush_all()
            cr.commit()
        results = {}
        with throughput.OdooServer(self.config_path, self.dbname, log_path) as server:
            clients = [server.login(login, RPC_PASSWORD) for login, _leads in self.rpc_clients]
            admin = server.login("admin", RPC_PASSWORD)
            # every worker loads the registry and warms its caches before the clock runs
            throughput.warm_up(clients, register)
            throughput.warm_up(clients, activity)
            throughput.warm_up(clients, register_by_hand)
            runs = {key: [] for key in ("register", "activity", "register_hand", "spawn_on", "spawn_off", "spawn_hand")}
            before = counts()
            for _round in range(rounds):
                runs["register"].append(
                    throughput.add_after(throughput.drive(clients, register, seconds / rounds), clean_up_done_todos())
                )
                runs["activity"].append(throughput.drive(clients, activity, seconds / rounds))
                runs["register_hand"].append(throughput.drive(clients, register_by_hand, seconds / rounds))
            after_register = counts()
            spawn_check = [0, 0]  # quotations saved with the rule on, leads they spawned
            for _round in range(rounds):
                for active, key in ((True, "spawn_on"), (False, "spawn_off")):
                    admin.call("base.automation", "write", [ids["rule"]], {"active": active})
                    throughput.warm_up(clients, quotation)  # the workers reload the rule
                    start_counts = counts()
                    runs[key].append(throughput.drive(clients, quotation, seconds / rounds))
                    end_counts = counts()
                    if active:
                        spawn_check[0] += end_counts[1] - start_counts[1]
                        spawn_check[1] += end_counts[2] - start_counts[2]
                throughput.warm_up(clients, quotation_by_hand)  # the rule is still off
                runs["spawn_hand"].append(throughput.drive(clients, quotation_by_hand, seconds / rounds))
            admin.call("base.automation", "write", [ids["rule"]], {"active": True})
            after = counts()
            server_errors = server.error_lines()
        for key, phase_runs in runs.items():
            results[key] = throughput.merge(phase_runs)
        self.bare_lead_ms = self._bare_lead_ms(team_id, partner_id)
        registered = after_register[0] - before[0]
        duplicates = after[3]
        self.rows_throughput = results
        self._throughput_rows(
            results,
            seconds,
            rounds,
            registered=registered,
            duplicates=duplicates,
            spawn_check=spawn_check,
            server_errors=server_errors,
        )

    def _bare_lead_ms(self, team_id, partner_id, count=30):
        """Median milliseconds of creating only a lead like a spawned one, through the ORM,
        as superuser like the spawning (tracking, followers and the creation note as Odoo
        does them), each in a transaction of its own, committed like a request: the least
        work a quotation that spawns its lead adds, before its actions and to-dos."""
        times = []
        for index in range(count):
            with self.registry.cursor() as cr:
                env = self.env(cr)
                start = time.perf_counter()
                env["crm.lead"].create(
                    {
                        "name": f"Bench bare lead {index}",
                        "partner_id": partner_id,
                        "user_id": self.rpc_uids[0],
                        "team_id": team_id,
                        "company_id": env.company.id,
                        "expected_revenue": 24.0,
                    }
                )
                cr.commit()
                times.append(time.perf_counter() - start)
        return 1000 * throughput.percentile(times, 0.5)

    def _throughput_counts(self, team_id):
        """Actions, quotations and leads the clients created, and duplicate leads."""
        uids = self.rpc_uids
        with self.registry.cursor() as cr:
            cr.execute("SELECT count(*) FROM crm_action WHERE create_uid IN %s", [uids])
            actions = cr.fetchone()[0]
            cr.execute("SELECT count(*) FROM sale_order WHERE create_uid IN %s", [uids])
            orders = cr.fetchone()[0]
            # the leads the clients' quotations spawned (created in their name, as sudo)
            cr.execute("SELECT count(*) FROM crm_lead WHERE team_id = %s AND create_uid IN %s", [team_id, uids])
            leads = cr.fetchone()[0]
            # a quotation followed by two link rows, or two leads named after the same
            # quotation, would be a duplicate
            cr.execute(
                "SELECT count(*) FROM (SELECT res_id FROM crm_action_spawn WHERE res_model = 'sale.order' "
                "AND trigger = 'quotation' AND create_uid IN %s GROUP BY res_id HAVING count(*) > 1) d",
                [uids],
            )
            duplicate_spawns = cr.fetchone()[0]
            cr.execute(
                "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) n FROM crm_lead WHERE team_id = %s "
                "AND create_uid IN %s GROUP BY name HAVING count(*) > 1) d",
                [team_id, uids],
            )
            duplicate_leads = cr.fetchone()[0]
        return actions, orders, leads, duplicate_spawns + duplicate_leads

    def _throughput_rows(self, results, seconds, rounds, registered, duplicates, spawn_check, server_errors):
        """Print benchmark 6's figures and add its two rows to the report."""
        enrichment_errors, other_server_errors = split_enrichment_errors(server_errors)

        def side(figures):
            text = (
                f"{figures['ops']:,} ops in {figures['seconds']:.0f} s: {figures['ops_per_s']:.1f} ops/s, p50 "
                f"{figures['p50_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms, {figures['errors']} errors"
            )
            if figures.get("after_seconds"):
                text += (
                    f" (the time includes {figures['after_seconds']:.2f} s of the daily clean-up deleting the "
                    "to-dos the done actions archived)"
                )
            if figures["messages"]:
                text += " (" + "; ".join(figures["messages"]) + ")"
            return text

        # (crm_action, Odoo's operation the goal compares with, plain Odoo reaching the same
        # outcome by hand): the third side has no goal, it tells how much of the gap is the
        # work itself
        pairs = (
            (
                "register",
                "activity",
                "register_hand",
                "done actions registered (crm.action create with a result + action_done)",
                "`mail.activity` create + `action_feedback` on the same leads",
                "the same outcome by hand in plain Odoo, on leads of its own (the activity marked done; on the "
                "first visit the lead converted with the Convert to Opportunity dialog and moved to the rule's "
                "stage)",
            ),
            (
                "spawn_on",
                "spawn_off",
                "spawn_hand",
                "quotations saved, spawning rule on (a lead with 3 actions each)",
                "the same quotations, spawning rule off",
                "the same outcome by hand in plain Odoo, rule off (a lead, its 3 planned activities, then the "
                "quotation from the lead)",
            ),
        )
        for mine_key, theirs_key, hand_key, mine_text, theirs_text, hand_text in pairs:
            mine, theirs, hand = results[mine_key], results[theirs_key], results[hand_key]
            ratio = mine["ops_per_s"] / max(theirs["ops_per_s"], 1e-9)
            hand_ratio = mine["ops_per_s"] / max(hand["ops_per_s"], 1e-9)
            errors = mine["errors"] + theirs["errors"] + hand["errors"]
            checks = [
                f"ratio >= {GOAL_THROUGHPUT_RATIO}: {verdict(ratio >= GOAL_THROUGHPUT_RATIO)}",
                f"zero errors: {verdict(errors == 0 and not other_server_errors)} ({errors} in the clients, "
                f"{len(other_server_errors)} in the server's log over the whole benchmark, besides "
                f"{len(enrichment_errors)} of Odoo's lead enrichment cron failing to lock leads that requests "
                "were writing: its failed batches, their savepoints and jobs)",
            ]
            if mine_key == "register":
                checks.append(f"{registered:,} actions saved by the clients during the rounds ({mine['ops']:,} ops)")
                mine_text += f" [{self._visits_breakdown(mine, theirs, hand)}]"
            else:
                checks.append(
                    f"zero duplicate leads: {verdict(duplicates == 0)} ({spawn_check[1]:,} leads for "
                    f"{spawn_check[0]:,} quotations: {verdict(spawn_check[0] == spawn_check[1])})"
                )
                # The most any spawning can reach: with 8 clients the 2 workers are never idle,
                # so each quotation holds a worker 2 / (ops/s) seconds; a lead created with it
                # holds the worker at least as long as a bare lead takes alone
                service_ms = 1000 * 2 / max(theirs["ops_per_s"], 1e-9)
                ceiling = service_ms / (service_ms + self.bare_lead_ms)
                mine_text += (
                    f" [the most a quotation that creates its lead can reach: each quotation without the rule "
                    f"holds one of the 2 workers {service_ms:.0f} ms (2 / its ops/s), a bare lead created through "
                    f"the ORM alone takes {self.bare_lead_ms:.0f} ms (median of 30, in this process, "
                    f"before its actions and to-dos), so at most {service_ms:.0f} / "
                    f"({service_ms:.0f} + {self.bare_lead_ms:.0f}) = {ceiling:.2f} of the throughput without "
                    "the rule; a background job moves that work to the cron worker on the same 2 CPUs]"
                )
                if ceiling < GOAL_THROUGHPUT_RATIO:
                    checks[0] += f" (out of reach by construction: at most {ceiling:.2f}, see the benchmark)"
            out(
                f"[6] {mine_text}: {side(mine)}; {theirs_text}: {side(theirs)}; ratio {ratio:.2f}; {hand_text}: "
                f"{side(hand)}; ratio {hand_ratio:.2f} (no goal); " + "; ".join(checks)
            )
            self.rows.append(
                (
                    "6" + ("a" if mine_key == "register" else "b"),
                    f"Throughput, odoo-bin --workers=2 --max-cron-threads=1, {RPC_CLIENTS} concurrent XML-RPC "
                    f"clients, {seconds:g} s per side in {rounds} alternating rounds: {mine_text}",
                    side(mine),
                    f"{theirs_text}: {side(theirs)}; {hand_text}: {side(hand)}",
                    f"{ratio:.2f} (ops/s); {hand_ratio:.2f} against the same outcome by hand (no goal)",
                    f"ratio >= {GOAL_THROUGHPUT_RATIO}; zero errors; zero duplicate leads",
                    "; ".join(checks),
                )
            )
        if other_server_errors:
            out(f"[6] the server logged {len(other_server_errors)} ERROR lines, first: {other_server_errors[0][:300]}")
            self.server_errors = other_server_errors

    @staticmethod
    def _visits_breakdown(mine, activity, hand):
        """How many of the registrations were a lead's first visit, and the p50 latency of
        first and later visits on each side against the activity's: how many first visits
        a run reaches in its time depends on the machine's speed."""
        first, first_p50 = throughput.labelled(mine, "first")
        later, later_p50 = throughput.labelled(mine, "later")
        hand_first, hand_first_p50 = throughput.labelled(hand, "first")
        hand_later, hand_later_p50 = throughput.labelled(hand, "later")
        base = max(activity["p50_ms"], 1e-9)
        return (
            f"first visits of a lead (the rules convert it and move it): {first:,} of {mine['ops']:,} ops, p50 "
            f"{first_p50:.0f} ms ({first_p50 / base:.2f}x the activity's p50); later visits: {later:,} ops, p50 "
            f"{later_p50:.0f} ms ({later_p50 / base:.2f}x); by hand: first visits {hand_first:,}, p50 "
            f"{hand_first_p50:.0f} ms ({hand_first_p50 / base:.2f}x), later visits {hand_later:,}, p50 "
            f"{hand_later_p50:.0f} ms ({hand_later_p50 / base:.2f}x)"
        )

    # ------------------------------------------------------------ report
    def merge_report(self, path, seconds, only):
        """After a run of some benchmarks (--only): their rows replace theirs in the
        existing report, whose other rows and text are kept, with a line saying when they
        were rerun. Without a report, a new one holds only them."""
        if not os.path.exists(path):
            self.write_report(path, seconds)
            return
        with open(path, encoding="utf-8") as report:
            lines = report.read().splitlines()
        numbers = ",".join(sorted(only))
        new_rows = {row[0]: "| " + " | ".join(row) + " |" for row in self.rows}
        new_rows.update(
            {
                num: f"| {num} | {what} | pending: the feature is not merged yet | | | | not run |"
                for num, what in self.pending
            }
        )
        # the query log of the last run of benchmark 4, kept unless this run measured it again
        kept_query_log = []
        for index, line in enumerate(lines):
            if line.startswith("## The ") and line.endswith(", by cause"):
                end = next((i for i in range(index + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
                kept_query_log = ["", *lines[index:end]]
                while kept_query_log and not kept_query_log[-1]:
                    kept_query_log.pop()
                break
        # the generated reading and query log are written anew from the merged table
        for index, line in enumerate(lines):
            if line.startswith("## "):
                while index and not lines[index - 1]:
                    index -= 1
                lines = lines[:index]
                break
        merged, last_row = [], None
        for line in lines:
            number = line.split("|")[1].strip() if line.startswith("| ") else None
            if number in new_rows:
                line = new_rows.pop(number)
            rerun = re.match(r"Rerun alone \(`BENCH_ONLY=([\d,]+) ", line)
            if rerun and set(rerun.group(1).split(",")) <= only:
                if merged and not merged[-1]:
                    merged.pop()  # with its blank line
                continue
            merged.append(line)
            if number is not None:
                last_row = len(merged)
        if last_row is None:  # no table: a report of another shape, written anew
            self.write_report(path, seconds)
            return
        merged[last_row:last_row] = list(new_rows.values())
        last_row += len(new_rows)
        merged[last_row:last_row] = [
            "",
            f"Rerun alone (`BENCH_ONLY={numbers} make bench`) on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, "
            f"scale {self.scale:g}: row {numbers.replace(',', ', ')}, {seconds:.0f} s in all; the other rows are "
            "from the run above.",
        ]
        rows = [
            tuple(cell.strip() for cell in line.strip().strip("|").split(" | "))
            for line in merged
            if line.startswith("| ") and not line.startswith("| # ")
        ]
        merged += reading([row for row in rows if len(row) == 7], self.load)
        merged += self.query_log_lines() or kept_query_log
        with open(path, "w", encoding="utf-8") as report:
            report.write("\n".join(merged) + "\n")
        out(f"rows {numbers} of {path} replaced")

    def query_log_lines(self):
        if not getattr(self, "query_log", None):
            return []
        queries, history, lines = self.query_log
        return [
            "",
            f"## The {queries} queries of one registration (benchmark 4, {history:,} earlier actions), by cause",
            "Innermost frame of crm_action, then the Odoo method the query runs in, then the statement:",
            "",
            *(f"- {line}" for line in lines),
        ]

    def write_report(self, path, seconds):
        pending = self.pending
        lines = [
            "# crm_action benchmarks",
            "",
            f"Run by `make bench` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, scale {self.scale:g} "
            f"(BENCH_SCALE), {platform.python_implementation()} {platform.python_version()}, Odoo "
            f"{odoo.release.version}, one fresh database per run; total {seconds:.0f} s, peak RSS "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB.",
            "Both sides of each ratio are measured in the same run on the same database, as the "
            "same salesperson, each operation saved (flushed) one at a time like a request.",
            "",
            "| # | benchmark | crm_action | Odoo's own operation | ratio | goal | result |",
            "|---|---|---|---|---|---|---|",
        ]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        lines += [
            f"| {num} | {what} | pending: the feature is not merged yet | | | | not run |" for num, what in pending
        ]
        cpu = os.times()
        lines += [
            "",
            f"Wall time {seconds:.0f} s, of which this Python process used {cpu.user + cpu.system:.0f} s of CPU; the "
            "rest is PostgreSQL and waiting for the machine (figures are comparable within a run, not across "
            "machines or loads).",
            *self.notes,
        ]
        lines += reading(self.rows, self.load)
        lines += self.query_log_lines()
        with open(path, "w", encoding="utf-8") as report:
            report.write("\n".join(lines) + "\n")
        out(f"report written to {path}")


def reading(rows, load):
    """The reading of the figures, generated from the table's rows (number, benchmark,
    crm_action, Odoo, ratio, goal, result) and the load averages at the start and end."""
    lines = ["", "## Reading the figures (generated from this run)"]
    met = [row[0] for row in rows if "NOT met" not in row[6] and "not run" not in row[6]]
    missed = [row[0] for row in rows if "NOT met" in row[6]]
    lines.append(
        f"- {len(met)} of {len(rows)} rows meet every goal they state"
        + (f" ({', '.join(met)})" if met else "")
        + (f"; not met: {', '.join(missed)}." if missed else ".")
    )
    for row in rows:
        lines.append(f"- **{row[0]}**: ratio {row[4]} against the goal {row[5]}: {row[6]}.")
    if load:
        lines.append(
            f"- Load average (1 min) at the start {load[0]:.1f}, at the end {load[1]:.1f}, on {os.cpu_count()} "
            "CPUs shared with other work: absolute times are noisy; each ratio's two sides ran in the same "
            "conditions, alternating."
        )
    return lines


class RssSampler(threading.Thread):
    """Reads this process's resident memory (/proc/self/statm) every 50 ms; ``peak``
    is the highest reading since the start."""

    def __init__(self):
        super().__init__(daemon=True)
        self.page = os.sysconf("SC_PAGE_SIZE")
        self.base = self.peak = self.read()
        self.stopped = threading.Event()

    def read(self):
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * self.page / 2**20

    def run(self):
        while not self.stopped.wait(0.05):
            self.peak = max(self.peak, self.read())

    def stop(self):
        self.stopped.set()
        self.join()
        self.peak = max(self.peak, self.read())


def measure_export(dbname, kind):
    """In a process of its own: export the period as a manager, print seconds and the
    growth of resident memory during the export (sampled every 50 ms)."""
    registry = Registry(dbname)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        admin = env.ref("base.user_admin")
        env = api.Environment(cr, admin.id, {"tz": "UTC", "allowed_company_ids": admin.company_ids.ids})
        wizard = env["crm.action.statistics"].create({"date_from": EXPORT_PERIOD[0], "date_to": EXPORT_PERIOD[1]})
        columns = [fname for fname, _width in wizard._get_export_columns()]
        domain = wizard._get_action_domain()
        env.invalidate_all()
        if kind == "odoo":
            # Odoo's list export as the web client runs it (web/export/xlsx,
            # ExportFormat.base without groups): search, export_data, then the controller's
            # own ExcelExport.from_data and its ExportXlsxWriter. They read request.env only.
            from odoo.addons.web.controllers.export import ExcelExport

            Model = env["crm.action"].with_context(import_compat=False)
            described = Model.fields_get(columns, ["string", "type"])
            fields = [{"name": f, "label": described[f]["string"], "type": described[f]["type"]} for f in columns]
            headers = [field["label"].strip() for field in fields]
            http._request_stack.push(SimpleNamespace(env=Model.env))
        sampler = RssSampler()
        sampler.start()
        start = time.perf_counter()
        if kind == "crm_action":
            _name, content = wizard._export_xlsx()
        else:
            try:
                records = Model.search(domain, offset=0, limit=False, order=False)
                export_data = records.export_data(columns).get("datas", [])
                content = ExcelExport().from_data(fields, headers, export_data)
            finally:
                http._request_stack.pop()
        seconds = time.perf_counter() - start
        sampler.stop()
    out(
        json.dumps(
            {
                "seconds": seconds,
                "base_mb": sampler.base,
                "peak_mb": sampler.peak,
                "growth_mb": sampler.peak - sampler.base,
                "bytes": len(content),
            }
        )
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--report")
    parser.add_argument(
        "--only",
        default=os.environ.get("BENCH_ONLY", ""),
        help="benchmarks to run, e.g. 3 or 1,4 (default: BENCH_ONLY, else all six); their rows "
        "replace those of the existing report, the other rows are kept",
    )
    parser.add_argument("--measure-export", choices=["crm_action", "odoo"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    if args.measure_export:
        measure_export(args.database, args.measure_export)
        return
    only = {number.strip() for number in args.only.split(",") if number.strip()}
    if only - set(BENCHMARKS):
        parser.error(f"--only/BENCH_ONLY: unknown benchmark {', '.join(sorted(only - set(BENCHMARKS)))} (1 to 6)")
    scale = float(os.environ.get("BENCH_SCALE", DEFAULT_SCALE))
    start = time.perf_counter()
    bench = Bench(args.database, scale)
    bench.config_path = args.config
    load_start = os.getloadavg()[0]
    bench.setup()
    # The reminder cron first: its baseline has no other history.
    for number, method in BENCHMARKS.items():
        if not only or number in only:
            getattr(bench, method)()
    bench.load = (load_start, os.getloadavg()[0])
    if only:
        bench.merge_report(args.report, time.perf_counter() - start, only)
    else:
        bench.write_report(args.report, time.perf_counter() - start)


# The benchmarks in the order they run.
BENCHMARKS = {
    "5": "bench_reminder_cron",
    "1": "bench_register_vs_activities",
    "2": "bench_quotation_spawning",
    "3": "bench_statistics_export",
    "4": "bench_queries_vs_history",
    "6": "bench_throughput",
}


if __name__ == "__main__":
    main()
