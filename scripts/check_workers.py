"""Client of scripts/check_workers.sh: drives an Odoo started with --workers=2 and a cron
worker, through XML-RPC like any integration would.

1. Queued spawning: one XML-RPC call creates more quotations than the spawn-at-once
   limit; the call returns with their leads queued, and the cron worker creates them.
2. Reminder job: an action assigned to another user and not acknowledged is reminded
   (a sticky bus notification, stamped in Last Reminder) when the cron worker runs
   "CRM Actions: remind unacknowledged actions".
3. Rules cached by each worker: visits registered done before and after a rule changes
   move their occurrences as the rule is at their save, whichever HTTP worker saves them.

Every wait is bounded; any failure exits non-zero with the reason.
Usage: python check_workers.py URL DB
"""

import sys
import time
import xmlrpc.client
from datetime import datetime, timezone

WAIT_SECONDS = 240  # the cron worker wakes on a notification, or polls every 60 s


def fail(message):
    print(f"check-workers: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def wait_for(what, probe):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        result = probe()
        if result:
            return result
        time.sleep(2)
    fail(f"{what}: not within {WAIT_SECONDS} s")


def main(url, db):
    uid = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").authenticate(db, "admin", "admin", {})
    if not uid:
        fail("cannot log in as admin/admin")
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def call(model, method, *args, **kwargs):
        return models.execute_kw(db, uid, "admin", model, method, list(args), kwargs)

    def ref(xmlid):
        module, name = xmlid.split(".")
        data = call("ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)], fields=["res_id"])
        if not data:
            fail(f"no record {xmlid}")
        return data[0]["res_id"]

    # ------------------------------------------------------------ queued spawning
    limit = int(call("ir.config_parameter", "get_param", "crm_action.spawn_sync_limit", "20"))
    count = limit + 5
    team_id = ref("sales_team.team_sales_department")
    sequence = call("crm.team", "read", [team_id], ["crm_action_quotation_sequence_id"])[0]
    if not sequence["crm_action_quotation_sequence_id"]:
        fail("the demo sales team has no sequence for new quotations")
    partner_id = ref("base.res_partner_2")
    print(f"spawn-at-once limit: {limit}; creating {count} quotations in one XML-RPC call")
    started = time.monotonic()
    order_ids = call(
        "sale.order",
        "create",
        [{"partner_id": partner_id, "team_id": team_id, "user_id": uid} for _ in range(count)],
    )
    print(f"  saved in {time.monotonic() - started:.1f} s")
    domain = [("res_model", "=", "sale.order"), ("res_id", "in", order_ids), ("trigger", "=", "quotation")]
    rows = call("crm.action.spawn", "search_read", domain, fields=["state", "lead_id"])
    if len(rows) != count:
        fail(f"{len(rows)} spawn rows for {count} quotations (expected one each)")
    if any(row["state"] == "failed" for row in rows):
        fail("some leads failed to spawn")
    states = {state: sum(row["state"] == state for row in rows) for state in ("queued", "done")}
    print(f"  right after the call: {states['queued']} queued, {states['done']} with their lead")

    def all_spawned():
        rows = call("crm.action.spawn", "search_read", domain, fields=["state", "lead_id"])
        if any(row["state"] == "failed" for row in rows):
            fail("the cron worker failed to create some leads")
        return rows if all(row["state"] == "done" and row["lead_id"] for row in rows) else None

    rows = wait_for("the cron worker creating the queued leads", all_spawned)
    lead_ids = [row["lead_id"][0] for row in rows]
    if len(set(lead_ids)) != count:
        fail(f"{len(set(lead_ids))} distinct leads for {count} quotations")
    action_count = call("crm.action", "search_count", [("lead_id", "in", lead_ids)])
    print(f"queued spawning works: {count} leads created by the cron worker, {action_count} planned actions on them")

    # ------------------------------------------------------------ reminder job
    demo_uid = ref("base.user_demo")
    call("res.users", "write", [demo_uid], {"crm_action_reminder_interval": 1})
    action_id = call(
        "crm.action",
        "create",
        {"name": "check-workers: call the customer back", "partner_id": partner_id, "user_id": demo_uid},
    )
    action = call("crm.action", "read", [action_id], ["acknowledgement_pending", "last_reminder_date"])[0]
    if not action["acknowledgement_pending"]:
        fail("an action assigned to another user does not wait for acknowledgement")
    # The announcement counts as the first reminder (Last Reminder is the module's own
    # field, which no client may write): the next is due once the 1-minute interval is over.
    announced = action["last_reminder_date"]
    time.sleep(61)
    cron_id = ref("crm_action.ir_cron_crm_action_remind_unacknowledged")
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    # Due now: the cron worker runs it at its next wake-up (ODOO_NOTIFY_CRON_CHANGES wakes it).
    call("ir.cron", "write", [cron_id], {"nextcall": now})
    print("reminder job due now; waiting for the cron worker")

    def reminded():
        action = call("crm.action", "read", [action_id], ["last_reminder_date"])[0]
        return action if action["last_reminder_date"] and action["last_reminder_date"] > announced else None

    action = wait_for("the cron worker running the reminder job", reminded)
    # the reminder itself is a sticky bus notification to the responsible; the job stamps it
    print(f"reminder job works: the action was reminded at {action['last_reminder_date']} (UTC)")

    check_rules_per_worker(call, ref)


def check_rules_per_worker(call, ref):
    """Done visits registered before and after a rule changes move their occurrences as
    the rule is at their save, whichever HTTP worker (each with its cache of the rules)
    saves them. On occurrences: new leads would meet Odoo's lead enrichment job, which
    logs an error for each lead a request is writing."""
    analysis = ref("crm_action.crm_action_occurrence_status_analysis")
    solved = ref("crm_action.crm_action_occurrence_status_solved")
    visit, positive = ref("crm_action.crm_action_type_visit"), ref("crm_action.crm_action_result_positive")
    rule_id = call(
        "crm.action.rule",
        "create",
        {"name": "check-workers: visited", "type_id": visit, "result_id": positive, "occurrence_status_id": analysis},
    )

    def statuses_after(saves):
        """The status the rule gave to the occurrence of each of ``saves`` done visits,
        a call each (spread over the HTTP workers by the kernel)."""
        statuses = []
        for n in range(saves):
            occurrence_id = call("crm.action.occurrence", "create", {"name": f"check-workers: claim {n}"})
            action_id = call(
                "crm.action",
                "create",
                {
                    "name": "check-workers: visit",
                    "occurrence_id": occurrence_id,
                    "type_id": visit,
                    "result_id": positive,
                },
            )
            call("crm.action", "action_done", [action_id])
            statuses.append(call("crm.action.occurrence", "read", [occurrence_id], ["status_id"])[0]["status_id"][0])
        return statuses

    saves = 8
    if statuses_after(saves) != [analysis] * saves:
        fail("the rule did not move every occurrence to In Analysis")
    call("crm.action.rule", "write", [rule_id], {"occurrence_status_id": solved})
    after = statuses_after(saves)
    if after != [solved] * saves:
        fail(f"after the rule changed, {after.count(analysis)} of {saves} saves applied it as it was before")
    print(f"rules cached per worker: {saves} saves before and {saves} after a change of the rule, each as it was then")


if __name__ == "__main__":
    main(*sys.argv[1:3])
