"""Data of every model of crm_action, and a field-by-field dump of it, for the upgrade
check of scripts/check_uninstall.sh (install, create data, upgrade, compare).

In ``odoo-bin shell`` (its code read from stdin), CRM_ACTION_UPGRADE_STEP says what to do:
- ``create``: creates records of every model of the module through its own flows
  (actions with to-dos, done, cancelled, meetings, timers, follow-ups, expenses,
  campaigns with their lines and results, rules, sequences with lines and spawned
  leads, occurrences, partner classes, templates, settings) and changes some shipped
  records as an administrator would (renamed type, switched-off trigger);
- ``dump``: writes to CRM_ACTION_UPGRADE_DUMP a JSON of every stored field of every
  record of the module's models, the module's stored fields on the models it extends
  (partner, lead, team, company, users, ...), the records it ships that an upgrade
  must not reset (noupdate), the to-dos, its system parameters and its feature groups.

Outside Odoo: ``python3 upgrade_data.py compare BEFORE.json AFTER.json`` prints every
difference and exits with 1 when there is one.
"""

import json
import os
import sys
from datetime import timedelta

# Fields an upgrade may change without changing the user's data.
IGNORED_FIELDS = {"write_date", "write_uid", "__last_update"}


# ---------------------------------------------------------------- create
def create_data(env):
    from odoo import Command, fields

    env = env(context=dict(env.context, tracking_disable=False, mail_notrace=True))
    ref = env.ref
    company = env.company
    today = fields.Date.context_today(env.user)
    now = fields.Datetime.now()

    # Settings: every optional feature on, a trigger off, the parameters changed.
    settings = env["res.config.settings"].create(
        {
            "group_crm_action_expenses": True,
            "group_crm_action_occurrences": True,
            "group_crm_action_timer": True,
            "group_crm_action_meetings": True,
            "crm_action_trigger_order": False,
            "crm_action_open_spawned_lead": True,
            "crm_action_reminder_interval": 45,
            "crm_action_reminder_email": True,
            "crm_action_export_row_limit": 5000,
        }
    )
    settings.execute()

    # Shipped records an administrator changed: an upgrade keeps them (noupdate).
    ref("crm_action.crm_action_type_call").write({"name": "Phone call (renamed)", "default_duration": 0.75})
    ref("crm_action.crm_action_result_negative").active = False
    ref("crm_action.ir_cron_crm_action_remind_unacknowledged").interval_number = 15

    users = env["res.users"].with_context(no_reset_password=True)
    ursula = users.create(
        {
            "name": "Upgrade Ursula",
            "login": "crm_action_upgrade_ursula",
            "email": "ursula@example.com",
            "groups_id": [Command.set([ref("base.group_user").id, ref("crm_action.crm_action_group_user").id])],
        }
    )
    ursula.crm_action_reminder_interval = 10
    manager = ref("base.user_admin")

    # Configuration.
    cold = env["res.partner.class"].create({"name": "Upgrade cold", "description": "Never bought"})
    warm = env["res.partner.class"].create({"name": "Upgrade warm", "sequence": 5})
    env["res.partner.class"].create({"name": "Upgrade archived", "active": False})
    category = env["crm.action.category"].create({"name": "Upgrade category", "description": "For the check"})
    action_type = env["crm.action.type"].create(
        {"name": "Upgrade demo", "icon": "fa-bolt", "default_duration": 1.5, "category_id": category.id}
    )
    meeting_type = ref("crm_action.crm_action_type_meeting")
    result = env["crm.action.result"].create({"name": "Upgrade agreed", "outcome": "positive", "description": "Yes"})
    detail = env["crm.action.result.detail"].create({"name": "Upgrade: price accepted", "result_id": result.id})
    negative = env["crm.action.result"].create({"name": "Upgrade refused", "outcome": "negative"})
    status_open = env["crm.action.occurrence.status"].create({"name": "Upgrade open", "sequence": 1})
    status_closed = env["crm.action.occurrence.status"].create(
        {"name": "Upgrade solved", "is_closed": True, "fold": True}
    )
    template = env["crm.action.template"].create(
        {
            "name": "Upgrade template",
            "type_id": action_type.id,
            "summary": "Templated call",
            "description": "<p>Ask about the roof</p>",
            "duration": 0.5,
            "category_id": category.id,
            "priority": "1",
        }
    )
    medium = env["utm.medium"].create({"name": "Upgrade medium"})
    campaign = env["utm.campaign"].create(
        {
            "name": "Upgrade campaign",
            "action_line_ids": [
                Command.create(
                    {
                        "type_id": action_type.id,
                        "default_result_id": result.id,
                        "default_medium_id": medium.id,
                        "objective": "Get the meeting",
                        "expense_planned": 250.0,
                        "result_flow_ids": [
                            Command.create({"result_id": result.id, "mode": "ask", "next_type_id": meeting_type.id}),
                            Command.create({"result_id": negative.id, "mode": "negative"}),
                        ],
                    }
                ),
                Command.create(
                    {
                        "type_id": meeting_type.id,
                        "sequence": 20,
                        "result_flow_ids": [
                            Command.create(
                                {
                                    "result_id": result.id,
                                    "mode": "automatic",
                                    "next_type_id": action_type.id,
                                    "delay_days": 7,
                                }
                            )
                        ],
                    }
                ),
            ],
        }
    )
    first_line = campaign.action_line_ids.sorted("sequence")[0]
    stage = env["crm.stage"].search([], order="sequence desc", limit=1)
    env["crm.action.rule"].create(
        [
            {
                "name": "Upgrade: cold to warm",
                "type_id": action_type.id,
                "result_id": result.id,
                "class_from_id": cold.id,
                "class_to_id": warm.id,
                "class_action_count": 1,
            },
            {
                "name": "Upgrade: qualify and move",
                "campaign_id": campaign.id,
                "result_id": result.id,
                "lead_class_id": warm.id,
                "lead_convert": True,
                "stage_id": stage.id,
                "occurrence_status_id": status_closed.id,
                "active": False,
            },
        ]
    )

    # Partners, a lead, an occurrence.
    partner = env["res.partner"].create({"name": "Upgrade Tiles", "is_company": True, "class_id": cold.id})
    contact = env["res.partner"].create({"name": "Ugo Upgrade", "parent_id": partner.id, "phone": "+39 02 0000"})
    lead = env["crm.lead"].create({"name": "Upgrade roof", "partner_id": partner.id, "type": "lead"})
    lead.class_id = cold
    occurrence = env["crm.action.occurrence"].create(
        {
            "name": "Upgrade: broken tiles",
            "kind": "complaint",
            "partner_id": partner.id,
            "user_id": ursula.id,
            "status_id": status_open.id,
            "description": "<p>Three broken</p>",
        }
    )

    # Actions: planned with a to-do, done from the to-do, cancelled, a flow, a meeting.
    Action = env["crm.action"]
    base = {"partner_id": partner.id, "contact_ids": [Command.set(contact.ids)], "lead_id": lead.id}
    planned = Action.create(
        dict(
            base,
            name="Upgrade: planned call",
            type_id=action_type.id,
            user_id=ursula.id,
            requester_id=manager.id,
            date_deadline=today + timedelta(days=5),
            place="Milan",
            priority="1",
            category_id=category.id,
            description="<p>Bring the catalogue</p>",
            template_id=template.id,
            followup_interval=2,
            followup_unit="weeks",
            occurrence_id=occurrence.id,
        )
    )
    assert len(planned.todo_activity_id) == 1, "the planned action has no to-do"
    done = Action.create(
        dict(
            base,
            name="Upgrade: done from its to-do",
            type_id=action_type.id,
            campaign_id=campaign.id,
            campaign_line_id=first_line.id,
            medium_id=medium.id,
            result_id=result.id,
            result_detail_id=detail.id,
            user_id=manager.id,
            followup_interval=3,
            followup_unit="days",
            source_ref=f"res.partner,{partner.id}",
        )
    )
    done.todo_activity_id.action_feedback(feedback="<p>Price accepted</p>")
    assert done.state == "done" and done.followup_action_id, "marking the to-do done did not complete the action"
    env["crm.action.expense"].create(
        {
            "action_id": done.id,
            "name": "Upgrade: fuel",
            "amount": 42.5,
            "date": today,
            "currency_id": company.currency_id.id,
        }
    )
    cancelled = Action.create(dict(base, name="Upgrade: cancelled", type_id=action_type.id, user_id=ursula.id))
    cancelled.action_cancel()
    meeting = Action.create(
        dict(
            base,
            name="Upgrade: meeting",
            type_id=meeting_type.id,
            user_id=manager.id,
            date_start=now + timedelta(days=2),
            date_end=now + timedelta(days=2, hours=2),
            expected_cost=120.0,
            actual_cost=95.0,
            attendee_user_ids=[Command.set([manager.id, ursula.id])],
            previous_action_id=done.id,
        )
    )
    assert meeting.calendar_event_id, "the meeting has no calendar event"
    timed = Action.create(dict(name="Upgrade: timed", type_id=action_type.id, user_id=manager.id))
    timed.action_timer_start()
    timed.action_timer_pause()
    planned.with_user(ursula).action_acknowledge()
    Action.create(dict(name="Upgrade: unassigned", all_day=True, duration=0.25, phone="+39 333"))

    # A sequence whose quotation spawns a lead with its actions.
    sequence = env["crm.action.sequence"].create(
        {
            "code": "UPGRADE",
            "name": "Upgrade follow-up",
            "notes": "For the upgrade check",
            "open_lead": True,
            "line_ids": [
                Command.create({"type_id": action_type.id, "user_id": ursula.id, "postpone_days": 1, "notes": "Call"}),
                Command.create(
                    {
                        "sequence": 20,
                        "type_id": meeting_type.id,
                        "group_id": ref("crm_action.crm_action_group_user").id,
                        "planned_hours": 1.0,
                        "postpone_days": 4,
                    }
                ),
            ],
        }
    )
    team = env["crm.team"].create({"name": "Upgrade team", "crm_action_quotation_sequence_id": sequence.id})
    team.crm_action_order_sequence_id = sequence
    company.crm_action_return_sequence_id = sequence
    ref("stock.picking_type_in").crm_action_return_sequence_id = sequence
    order = env["sale.order"].create({"partner_id": partner.id, "team_id": team.id})
    spawns = env["crm.action.spawn"].search([("res_model", "=", "sale.order"), ("res_id", "=", order.id)])
    assert spawns.lead_id, "the quotation spawned no lead"
    env.flush_all()
    return {"order": order.id, "spawns": spawns.ids}


# ---------------------------------------------------------------- dump
def _value(field, value):
    """A JSON value of ``value`` as read(load=False) returns it."""
    if field.type in ("one2many", "many2many"):
        return sorted(value)
    if field.type == "float" and value is not False:
        return round(value, 6)
    if field.type in ("date", "datetime") and value:
        return str(value)
    if field.type in ("html", "reference", "char", "text") and value:
        return str(value)
    if field.type in ("json", "properties", "properties_definition"):
        return json.dumps(value, sort_keys=True, default=str)
    return value


def _dump_records(records, fnames):
    fields_ = records._fields
    fnames = [name for name in fnames if name not in IGNORED_FIELDS and fields_[name].type != "binary"]
    rows = {}
    for values in records.read(fnames, load=False):
        rows[str(values["id"])] = {name: _value(fields_[name], values[name]) for name in fnames}
    return rows


def _stored_fields(model, names=None):
    return sorted(
        name
        for name, field in model._fields.items()
        if field.store and (names is None or name in names) and not (field.type == "one2many" and field.compute)
    )


def dump_data(env):
    env = env(context=dict(env.context, active_test=False, lang="en_US"))
    data = env["ir.model.data"]
    owned = data.search([("module", "=", "crm_action"), ("model", "=", "ir.model")])
    shared = data.search(
        [("module", "!=", "crm_action"), ("model", "=", "ir.model"), ("res_id", "in", owned.mapped("res_id"))]
    )
    own_models = env["ir.model"].browse(set(owned.mapped("res_id")) - set(shared.mapped("res_id"))).mapped("model")
    dump = {"own models": {}, "module fields on other models": {}, "shipped records": {}}
    empty = []
    for name in sorted(own_models):
        model = env[name]
        if model._abstract or model._transient:
            continue
        records = model.search([], order="id")
        if not records:
            empty.append(name)
        dump["own models"][name] = _dump_records(records, _stored_fields(model))
    if empty:
        raise AssertionError(f"no records of {', '.join(empty)}: the check must create some")

    module_fields = env["ir.model.fields"].browse(
        data.search([("module", "=", "crm_action"), ("model", "=", "ir.model.fields")]).mapped("res_id")
    )
    by_model = {}
    for field in module_fields:
        if field.model not in own_models and field.model in env:
            by_model.setdefault(field.model, set()).add(field.name)
    for name, names in sorted(by_model.items()):
        model = env[name]
        if model._abstract or model._transient:
            continue
        fnames = _stored_fields(model, names)
        if fnames:
            dump["module fields on other models"][name] = _dump_records(model.search([], order="id"), fnames)

    for xmlid in data.search([("module", "=", "crm_action"), ("noupdate", "=", True)], order="model, name"):
        if xmlid.model not in env or xmlid.model in own_models:
            continue
        record = env[xmlid.model].browse(xmlid.res_id).exists()
        rows = _dump_records(record, _stored_fields(record)) if record else {}
        dump["shipped records"][f"crm_action.{xmlid.name}"] = rows.get(str(xmlid.res_id), "missing")

    todos = env["mail.activity"].search([("res_model", "in", sorted(own_models))], order="id")
    dump["activities on its records"] = _dump_records(
        todos, ["res_model", "res_id", "activity_type_id", "user_id", "date_deadline", "summary", "note", "active"]
    )
    params = env["ir.config_parameter"].search([("key", "=like", "crm_action.%")])
    dump["system parameters"] = {param.key: param.value for param in params}
    feature_groups = env["res.groups"].browse(
        data.search([("module", "=", "crm_action"), ("model", "=", "res.groups")]).mapped("res_id")
    )
    implied = env.ref("base.group_user").implied_ids & feature_groups
    dump["groups implied by employees"] = sorted(implied.get_external_id().values())
    return dump


# ---------------------------------------------------------------- compare
def compare(before, after, path=""):
    """Differences between two dumps, as readable lines."""
    if isinstance(before, dict) and isinstance(after, dict):
        lines = []
        for key in sorted(set(before) | set(after)):
            where = f"{path} / {key}" if path else key
            if key not in after:
                lines.append(f"{where}: gone (was {json.dumps(before[key])[:200]})")
            elif key not in before:
                lines.append(f"{where}: new ({json.dumps(after[key])[:200]})")
            else:
                lines.extend(compare(before[key], after[key], where))
        return lines
    if before != after:
        return [f"{path}: {json.dumps(before)[:200]} -> {json.dumps(after)[:200]}"]
    return []


def _count(rows_by_model):
    return sum(len(rows) for rows in rows_by_model.values())


def main_compare(before_path, after_path):
    with open(before_path) as before_file, open(after_path) as after_file:
        before, after = json.load(before_file), json.load(after_file)
    differences = compare(before, after)
    for line in differences[:100]:
        print(f"  differs: {line}")
    if len(differences) > 100:
        print(f"  ... and {len(differences) - 100} more differences")
    own, other = before["own models"], before["module fields on other models"]
    print(
        f"  compared {_count(own)} records of {len(own)} models of the module, the module's fields on "
        f"{_count(other)} records of {len(other)} other models, {len(before['shipped records'])} shipped "
        f"records, {len(before['activities on its records'])} activities: {len(differences)} difference(s)"
    )
    return 1 if differences else 0


if "env" in globals():
    step = os.environ.get("CRM_ACTION_UPGRADE_STEP")
    if step == "create":
        create_data(env)  # noqa: F821 - given by odoo-bin shell
        env.cr.commit()  # noqa: F821
    elif step == "dump":
        with open(os.environ["CRM_ACTION_UPGRADE_DUMP"], "w") as dump_file:
            json.dump(dump_data(env), dump_file, indent=1, sort_keys=True)  # noqa: F821
    else:
        raise SystemExit(f"CRM_ACTION_UPGRADE_STEP must be create or dump, not {step!r}")
elif __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] != "compare":
        raise SystemExit("usage: upgrade_data.py compare BEFORE.json AFTER.json")
    sys.exit(main_compare(sys.argv[2], sys.argv[3]))
