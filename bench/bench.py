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
import io
import json
import os
import platform
import re
import resource
import subprocess
import sys
import time
from datetime import datetime, timezone

import xlsxwriter

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry
from odoo.tools import config

# 3,000 registrations against 3,000 activities by default (under 10 minutes on a laptop);
# BENCH_SCALE=1 for the 10,000, 0.05 for a quick run.
DEFAULT_SCALE = "0.3"
# The month the statistics export benchmark fills, apart from every other action.
EXPORT_PERIOD = ("2020-01-01", "2020-01-31")


def out(text=""):
    sys.stdout.write(f"{text}\n")
    sys.stdout.flush()


class Bench:
    def __init__(self, dbname, scale):
        self.dbname = dbname
        self.scale = scale
        self.registry = Registry(dbname)
        self.rows = []  # report lines
        self.pending = []  # (number, benchmark) of features not on this branch yet
        self.notes = []

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
                        "class_action_count": 3,
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
            self.user_id = user.id
            self.class_rule_id = rules[0].id
            self.campaign_id = campaign.id
            self.lead_ids = leads.ids
            self.occurrence_by_partner = {o.partner_id.id: o.id for o in occurrences}
            self.visit_id, self.positive_id = visit.id, positive.id
        out(f"set-up: {n_leads} leads and partners, 4 rules, campaign with a result flow")

    # ------------------------------------------------------------ 1
    def bench_register_vs_activities(self):
        total = self.scaled(10000, 50)
        batch = max(10, min(500, total // 10))
        crm_seconds = activity_seconds = 0.0
        done = 0
        while done < total:
            size = min(batch, total - done)
            leads = [self.lead_ids[(done + i) % len(self.lead_ids)] for i in range(size)]
            crm_seconds += self._register_actions(leads)
            activity_seconds += self._done_activities(leads)
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
        out(
            f"[1] {total} done actions registered with all rules: {crm_seconds:.1f} s "
            f"({1000 * crm_seconds / total:.1f} ms each); {total} mail.activity created and marked done: "
            f"{activity_seconds:.1f} s ({1000 * activity_seconds / total:.1f} ms each); ratio {ratio:.2f} (goal <= 1.5)"
        )
        out(f"    check: {registered} done actions on the campaign, {moved} partners moved to Prospect")
        self.rows.append(
            (
                "1",
                f"Register {total:,} done actions, all rules active (register wizard, one by one)",
                f"{crm_seconds:.1f} s ({1000 * crm_seconds / total:.1f} ms/action)",
                f"{total:,} `mail.activity` created and marked done on the same leads: {activity_seconds:.1f} s "
                f"({1000 * activity_seconds / total:.1f} ms/activity)",
                f"{ratio:.2f}",
                "ratio <= 1.5",
                "met" if ratio <= 1.5 else f"NOT met (gap {ratio - 1.5:.2f})",
            )
        )

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
        (each spawns a lead with three planned actions) and off."""
        if "crm.action.sequence" not in self.registry:
            self.pending.append(("2", "Spawning leads for 1,000 quotations vs the same quotations without automation"))
            return
        total = self.scaled(1000, 20) if self.scale < 0.1 else 1000
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
        self._create_quotations(10, spawn=False)  # warm the caches
        self._create_quotations(10, spawn=True)
        self._spawn_queued()
        # Alternate the two sides three times and keep each side's best run, so that a
        # moment of load on the machine does not land on one side only.
        plain_runs, spawning_runs, background_runs = [], [], []
        queued = 0
        for _round in range(3):
            plain_runs.append(self._create_quotations(total, spawn=False)[0])
            elapsed, _leads, queued = self._create_quotations(total, spawn=True)
            spawning_runs.append(elapsed)
            background_runs.append(self._spawn_queued())
        plain, spawning = min(plain_runs), min(spawning_runs)
        background, leads, actions = min(background_runs)
        overhead = spawning / plain - 1
        out(
            f"[2] {total} quotations in one batch: {plain:.1f} s with the automation rule off, {spawning:.1f} s "
            f"with it ({queued} leads queued); overhead {100 * overhead:.0f}% (goal <= 30%); the background job "
            f"then created {leads} leads with {actions} planned actions in {background:.1f} s "
            f"({1000 * background / max(leads, 1):.1f} ms per lead)"
        )
        self.rows.append(
            (
                "2",
                f"Create {total:,} quotations in one batch, each spawning a lead with 3 planned actions",
                f"{spawning:.1f} s to save them ({queued:,} leads queued); then the background job: {leads:,} "
                f"leads with {actions:,} actions in {background:.1f} s ({1000 * background / max(leads, 1):.1f} "
                "ms per lead)",
                f"the same {total:,} quotations with the automation rule off: {plain:.1f} s",
                f"{spawning / plain:.2f} (overhead {100 * overhead:.0f}%)",
                "overhead <= 30%",
                "met" if overhead <= 0.3 else f"NOT met (gap {100 * (overhead - 0.3):.0f} points)",
            )
        )

    def _spawn_queued(self):
        """Run the background job until no lead is queued: (seconds, leads, actions) created."""
        with self.registry.cursor() as cr:
            env = self.env(cr)
            leads_before = env["crm.lead"].search_count([])
            actions_before = env["crm.action"].search_count([])
            start = time.perf_counter()
            while env["crm.action.spawn"]._cron_spawn_queued():
                env.flush_all()
            elapsed = time.perf_counter() - start
            leads = env["crm.lead"].search_count([]) - leads_before
            actions = env["crm.action"].search_count([]) - actions_before
            cr.commit()
        return elapsed, leads, actions

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
        export in its own process to measure its peak memory; Odoo's list export (export_data
        and an in-memory workbook, as web/controllers/export.py) of 100,000 for comparison."""
        if "crm.action.statistics" not in self.registry:
            self.pending.append(("3", "Statistics XLSX export of 100,000 and 1,000,000 actions: seconds and peak RSS"))
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
                f"[3] {size:>9,} actions: statistics XLSX {mine['seconds']:.1f} s, peak RSS {mine['peak_mb']:.0f} MB "
                f"(+{mine['peak_mb'] - mine['base_mb']:.0f} MB over the loaded registry), "
                f"{mine['bytes'] / 1e6:.1f} MB file"
            )
            if theirs:
                line += (
                    f"; Odoo's list export {theirs['seconds']:.1f} s, peak RSS {theirs['peak_mb']:.0f} MB "
                    f"(+{theirs['peak_mb'] - theirs['base_mb']:.0f} MB)"
                )
            out(line)
        (small, mine_small, theirs_small), (large, mine_large, _none) = figures
        growth_small = mine_small["peak_mb"] - mine_small["base_mb"]
        growth_large = mine_large["peak_mb"] - mine_large["base_mb"]
        # The finished file is returned as bytes (to be stored as the download's
        # attachment): it grows with the rows by nature; the rest of the peak must not.
        file_small, file_large = mine_small["bytes"] / 2**20, mine_large["bytes"] / 2**20
        work_small, work_large = max(growth_small - file_small, 0), max(growth_large - file_large, 0)
        # "Not growing with rows": the larger export may use at most a quarter more memory
        # (and 20 MB of slack) than the smaller one, for three to ten times the rows.
        flat = work_large <= 1.25 * work_small + 20
        fast = mine_small["seconds"] <= 10 if small >= 100000 else None
        verdicts = []
        if fast is not None:
            verdicts.append(
                "100,000 rows under 10 s: " + ("met" if fast else f"NOT met ({mine_small['seconds']:.1f} s)")
            )
        verdicts.append(
            "memory flat apart from the file returned: "
            + ("met" if flat else f"NOT met (+{work_small:.0f} MB vs +{work_large:.0f} MB)")
        )
        self.rows.append(
            (
                "3",
                f"Statistics XLSX export of {small:,} and {large:,} actions (each in its own process)",
                f"{small:,}: {mine_small['seconds']:.1f} s, peak +{growth_small:.0f} MB (file {file_small:.0f} MB); "
                f"{large:,}: {mine_large['seconds']:.1f} s, peak +{growth_large:.0f} MB (file {file_large:.0f} MB)",
                f"Odoo's list export (export_data + in-memory workbook) of {small:,}: {theirs_small['seconds']:.1f} s, "
                f"peak +{theirs_small['peak_mb'] - theirs_small['base_mb']:.0f} MB",
                f"{mine_small['seconds'] / theirs_small['seconds']:.2f} (time, {small:,})",
                "100,000 rows < 10 s; peak memory flat",
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
        figures = "; ".join(f"{size:,} earlier: {counts[0]} queries, {1000 * s:.0f} ms" for size, counts, s in results)
        self.rows.append(
            (
                "4",
                "Queries per action registration (register wizard) vs the partner's history",
                figures,
                f"the same registration with {sizes[0]} earlier actions",
                f"{max(all_counts)}/{min(all_counts)} = {max(all_counts) / min(all_counts):.2f}",
                "same number each time",
                "met" if same else "NOT met",
            )
        )

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

    def _register_once(self, partner_id, lead_id, occurrence_id):
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
            start = time.perf_counter()
            wizard.action_register()
            env.flush_all()
            elapsed = time.perf_counter() - start
            queries = cr.sql_log_count - count0
            cr.commit()
        return queries, elapsed

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
        with open(path, "w", encoding="utf-8") as report:
            report.write("\n".join(merged) + "\n")
        out(f"rows {numbers} of {path} replaced")

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
        with open(path, "w", encoding="utf-8") as report:
            report.write("\n".join(lines) + "\n")
        out(f"report written to {path}")


def measure_export(dbname, kind):
    """In a process of its own: export the period as a manager, print seconds and peak RSS."""
    registry = Registry(dbname)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        admin = env.ref("base.user_admin")
        env = api.Environment(cr, admin.id, {"tz": "UTC", "allowed_company_ids": admin.company_ids.ids})
        wizard = env["crm.action.statistics"].create({"date_from": EXPORT_PERIOD[0], "date_to": EXPORT_PERIOD[1]})
        columns = [fname for fname, _width in wizard._get_export_columns()]
        env.invalidate_all()
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        start = time.perf_counter()
        if kind == "crm_action":
            _name, content = wizard._export_xlsx()
        else:
            # What the list view's export does (web/controllers/export.py): export_data of
            # all the records, then an in-memory workbook written cell by cell.
            records = env["crm.action"].search(wizard._get_action_domain(), order="date_start, id")
            rows = records.export_data(columns)["datas"]
            output = io.BytesIO()
            workbook = xlsxwriter.Workbook(output, {"in_memory": True})
            sheet = workbook.add_worksheet()
            for col, fname in enumerate(columns):
                sheet.write(0, col, fname)
            for row_index, row in enumerate(rows, start=1):
                for col, value in enumerate(row):
                    sheet.write(row_index, col, value if not isinstance(value, (list, tuple, dict)) else str(value))
            workbook.close()
            content = output.getvalue()
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out(json.dumps({"seconds": seconds, "base_mb": base, "peak_mb": peak, "bytes": len(content)}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--report")
    parser.add_argument(
        "--only",
        default=os.environ.get("BENCH_ONLY", ""),
        help="benchmarks to run, e.g. 3 or 1,4 (default: BENCH_ONLY, else all five); their rows "
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
        parser.error(f"--only/BENCH_ONLY: unknown benchmark {', '.join(sorted(only - set(BENCHMARKS)))} (1 to 5)")
    scale = float(os.environ.get("BENCH_SCALE", DEFAULT_SCALE))
    start = time.perf_counter()
    bench = Bench(args.database, scale)
    bench.config_path = args.config
    bench.setup()
    # The reminder cron first: its baseline has no other history.
    for number, method in BENCHMARKS.items():
        if not only or number in only:
            getattr(bench, method)()
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
}


if __name__ == "__main__":
    main()
