"""Access rights of every model of the module but crm.action, per kind of user.

One table (RIGHTS) says what each kind of user gets for each operation on each model: OK,
or the exception they get. The records are made once; each case runs in a savepoint that
is rolled back, so every case starts from the same records.
"""

import base64
import importlib.util
import os
from contextlib import closing
from xmlrpc.client import Fault

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.base.controllers.rpc import RPC_FAULT_CODE_ACCESS_ERROR

from .common import CrmActionCommon

OK = "ok"
A = AccessError
# Not an access refusal: the lock of a done action, or no right to export at all (portal).
L = UserError
V = ValidationError

# The kinds of user, in the order of the table's columns.
USERS = ("sales", "other_team", "other_company", "removed", "manager", "portal")
# sales:          salesperson of team A, responsible of the records of the table
# other_team:     salesperson of team B, same company
# other_company:  salesperson working only in another company
# removed:        salesperson who was in team A and was removed from it in the test
# manager:        sales manager (CRM Actions / Manager)
# portal:         portal user

# Configuration without a company: read by every internal user, changed by managers.
CONFIG = {
    "read": (OK, OK, OK, OK, OK, A),
    "export": (OK, OK, OK, OK, OK, L),
    "write": (A, A, A, A, OK, A),
    "create": (A, A, A, A, OK, A),
    "unlink": (A, A, A, A, OK, A),
}
# Configuration of one company: hidden from the other companies' users.
COMPANY_CONFIG = {
    **CONFIG,
    "read": (OK, OK, A, OK, OK, A),
    "export": (OK, OK, A, OK, OK, L),
}
# Records of the team-A salesperson: their own, their managers'.
OWN = {
    "read": (OK, A, A, A, OK, A),
    "export": (OK, A, A, A, OK, L),
    "write": (OK, A, A, A, OK, A),
    "create": (OK, A, A, A, OK, A),
    "unlink": (OK, A, A, A, OK, A),
}
# A dialog belongs to the user who opened it, whoever they are.
WIZARD = {
    "read": (OK, A, A, A, A, A),
    "export": (OK, A, A, A, A, L),
    "write": (OK, A, A, A, A, A),
    "create": (OK, OK, OK, OK, OK, A),
    "unlink": (OK, A, A, A, A, A),
}

RIGHTS = {
    # expenses follow their action (a planned action of the team-A salesperson)
    "expense": OWN,
    # on a done action: its responsible still logs expenses (see test_done_action_expenses)
    "done_expense": OWN,
    # an action whose campaign action plans no expense takes none
    "unplanned_expense": {"create": (V, A, A, A, V, A)},
    "occurrence": {
        "read": (OK, OK, A, OK, OK, A),
        "export": (OK, OK, A, OK, OK, L),
        "write": (OK, OK, A, OK, OK, A),
        "create": (OK, OK, OK, OK, OK, A),
        "unlink": (A, A, A, A, OK, A),
        "action_view_actions": (OK, OK, A, OK, OK, A),
    },
    "occurrence_status": CONFIG,
    "rule": COMPANY_CONFIG,
    # the button reads no field of the sequence, so another company's user gets a list of
    # its leads, which shows only the leads they may read (crm.lead's own rules)
    "sequence": {**COMPANY_CONFIG, "action_view_leads": (OK, OK, A, OK, OK, A)},
    "sequence_line": COMPANY_CONFIG,
    "campaign_line": COMPANY_CONFIG,
    "campaign_result": COMPANY_CONFIG,
    "type": CONFIG,
    "result": CONFIG,
    "result_detail": CONFIG,
    "category": CONFIG,
    "partner_class": {**CONFIG, "action_view_partners": (OK, OK, OK, OK, OK, A)},
    "template": COMPANY_CONFIG,
    # rows written by the module: read by the salesperson of the lead, changed by managers
    "spawn": {
        **OWN,
        "write": (A, A, A, A, OK, A),
        "create": (A, A, A, A, OK, A),
        "unlink": (A, A, A, A, OK, A),
        "action_open_document": (OK, A, A, A, OK, A),
    },
    "statistics": {
        **OWN,
        "create": (OK, OK, OK, OK, OK, A),
        "action_show": (OK, A, A, A, OK, A),
        "action_download_xlsx": (OK, A, A, A, OK, A),
    },
    "statistics_file": OWN,
    # the analysis of a planned action of the team-A salesperson: read-only for everyone
    "report": {
        **OWN,
        "write": (A, A, A, A, A, A),
        "create": (A, A, A, A, A, A),
        "unlink": (A, A, A, A, A, A),
    },
    "register_wizard": {**WIZARD, "action_register": (OK, A, A, A, A, A)},
    "next_wizard": {**WIZARD, "action_confirm": (OK, A, A, A, A, A)},
    # the Notify dialog is about an action: opened only by those who may read it
    "notify_wizard": {**WIZARD, "create": (OK, A, A, A, OK, A), "action_send": (OK, A, A, A, A, A)},
    # the lines of a dialog are its user's
    "notify_wizard_line": {**WIZARD, "create": (OK, A, A, A, A, A)},
    "register_wizard_expense": {**WIZARD, "create": (OK, A, A, A, A, A)},
}

MODELS = {
    "expense": "crm.action.expense",
    "done_expense": "crm.action.expense",
    "unplanned_expense": "crm.action.expense",
    "occurrence": "crm.action.occurrence",
    "occurrence_status": "crm.action.occurrence.status",
    "rule": "crm.action.rule",
    "sequence": "crm.action.sequence",
    "sequence_line": "crm.action.sequence.line",
    "campaign_line": "crm.action.campaign.line",
    "campaign_result": "crm.action.campaign.result",
    "type": "crm.action.type",
    "result": "crm.action.result",
    "result_detail": "crm.action.result.detail",
    "category": "crm.action.category",
    "partner_class": "res.partner.class",
    "template": "crm.action.template",
    "spawn": "crm.action.spawn",
    "statistics": "crm.action.statistics",
    "statistics_file": "ir.attachment",
    "report": "crm.action.report",
    "register_wizard": "crm.action.register.wizard",
    "next_wizard": "crm.action.next.wizard",
    "notify_wizard": "crm.action.notify.wizard",
    "notify_wizard_line": "crm.action.notify.wizard.line",
    "register_wizard_expense": "crm.action.register.wizard.expense",
}
# A value each write sets, per record (checked afterwards as a user would see it).
WRITE_VALUES = {
    "expense": {"name": "Changed"},
    "done_expense": {"name": "Changed"},
    "occurrence": {"name": "Changed"},
    "occurrence_status": {"name": "Changed"},
    "rule": {"sequence": 42},
    "sequence": {"notes": "Changed"},
    "sequence_line": {"notes": "Changed"},
    "campaign_line": {"objective": "Changed"},
    "campaign_result": {"delay_days": 42},
    "type": {"name": "Changed"},
    "result": {"name": "Changed"},
    "result_detail": {"name": "Changed"},
    "category": {"name": "Changed"},
    "partner_class": {"description": "Changed"},
    "template": {"name": "Changed"},
    "spawn": {"error_message": "Changed"},
    "statistics": {"state": "done"},
    "statistics_file": {"name": "Changed.xlsx"},
    "report": {"name": "Changed"},
    "register_wizard": {"name": "Changed"},
    "next_wizard": {"objective": "Changed"},
    "notify_wizard": {"filter_text": "Changed"},
    "notify_wizard_line": {"selected": True},
    "register_wizard_expense": {"name": "Changed"},
}
# The field read and exported: a column of the record itself (a display name could be
# refused for the record it names, e.g. a spawn row's lead).
READ_FIELDS = {"report": ["name"]}
DEFAULT_READ_FIELDS = ["create_date"]


@tagged("post_install", "-at_install")
class TestAccessModels(CrmActionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company_b = env["res.company"].create({"name": "Access Other Company"})
        salesman = "sales_team.group_sale_salesman,base.group_allow_export"
        cls.users = {
            "sales": new_test_user(env, login="access_sales", name="Access Sales", groups=salesman),
            "other_team": new_test_user(env, login="access_other_team", name="Access Other Team", groups=salesman),
            "other_company": new_test_user(
                env,
                login="access_other_company",
                name="Access Other Company",
                groups=salesman,
                company_id=cls.company_b.id,
                company_ids=[Command.set(cls.company_b.ids)],
            ),
            "removed": new_test_user(env, login="access_removed", name="Access Removed", groups=salesman),
            "manager": new_test_user(
                env,
                login="access_manager",
                name="Access Manager",
                groups="sales_team.group_sale_manager,base.group_allow_export",
            ),
            "portal": cls.user_portal,
        }
        cls.sales = cls.users["sales"]
        cls.teammate = new_test_user(env, login="access_teammate", name="Access Teammate", groups=salesman)
        cls.team_a = env["crm.team"].create(
            {
                "name": "Access Team A",
                "member_ids": [Command.set((cls.sales | cls.users["removed"] | cls.teammate).ids)],
            }
        )
        cls.team_b = env["crm.team"].create(
            {"name": "Access Team B", "member_ids": [Command.set(cls.users["other_team"].ids)]}
        )
        cls.type_offer = env.ref("crm_action.crm_action_type_offer")
        cls.campaign = env["utm.campaign"].create({"title": "Access Campaign"})
        cls.campaign_line = env["crm.action.campaign.line"].create(
            {"campaign_id": cls.campaign.id, "type_id": cls.type_visit.id, "expense_planned": 50.0}
        )
        cls.campaign_result = env["crm.action.campaign.result"].create(
            {"line_id": cls.campaign_line.id, "result_id": cls.result_negative.id, "mode": "negative"}
        )
        common = {
            "partner_id": cls.company_partner.id,
            "user_id": cls.sales.id,
            "team_id": cls.team_a.id,
            "campaign_id": cls.campaign.id,
            "type_id": cls.type_visit.id,
        }
        Action = env["crm.action"]
        cls.action = Action.create({**common, "name": "Access visit"})
        cls.done_action = Action.create({**common, "name": "Access done visit", "result_id": cls.result_positive.id})
        cls.done_action.action_done()
        cls.unplanned_action = Action.create({**common, "name": "Access call", "type_id": cls.type_call.id})
        cls.status = env["crm.action.occurrence.status"].create({"name": "Access status"})
        cls.sequence = env["crm.action.sequence"].create(
            {"code": "ACCESS", "name": "Access sequence", "company_id": cls.company.id}
        )
        cls.order = env["sale.order"].create(
            {"partner_id": cls.company_partner.id, "user_id": cls.sales.id, "team_id": cls.team_a.id}
        )
        cls.lead = env["crm.lead"].create({"name": "Access lead", "user_id": cls.sales.id, "team_id": cls.team_a.id})
        statistics = env["crm.action.statistics"].with_user(cls.sales).create({})
        download = statistics.action_download_xlsx()
        cls.records = {
            "expense": env["crm.action.expense"].create({"action_id": cls.action.id, "name": "Fuel", "amount": 9.0}),
            "done_expense": env["crm.action.expense"].create(
                {"action_id": cls.done_action.id, "name": "Lunch", "amount": 12.0}
            ),
            "occurrence": env["crm.action.occurrence"].create(
                {"name": "Access claim", "partner_id": cls.company_partner.id, "user_id": cls.sales.id}
            ),
            "occurrence_status": cls.status,
            "rule": env["crm.action.rule"].create(
                {
                    "name": "Access rule",
                    "type_id": cls.type_call.id,
                    "occurrence_status_id": env.ref("crm_action.crm_action_occurrence_status_new").id,
                    "company_id": cls.company.id,
                }
            ),
            "sequence": cls.sequence,
            "sequence_line": env["crm.action.sequence.line"].create(
                {"sequence_id": cls.sequence.id, "type_id": cls.type_call.id, "user_id": cls.sales.id}
            ),
            "campaign_line": cls.campaign_line,
            "campaign_result": cls.campaign_result,
            "type": env["crm.action.type"].create({"name": "Access type"}),
            "result": env["crm.action.result"].create({"name": "Access result"}),
            "result_detail": env["crm.action.result.detail"].create({"name": "Access detail"}),
            "category": env["crm.action.category"].create({"name": "Access category"}),
            "partner_class": env["res.partner.class"].create({"name": "Access class"}),
            "template": env["crm.action.template"].create(
                {"name": "Access template", "type_id": cls.type_call.id, "company_id": cls.company.id}
            ),
            "spawn": env["crm.action.spawn"].create(
                {
                    "res_model": "sale.order",
                    "res_id": cls.order.id,
                    "trigger": "quotation",
                    "lead_id": cls.lead.id,
                    "sequence_id": cls.sequence.id,
                    "company_id": cls.company.id,
                }
            ),
            "statistics": statistics.with_user(env.user),
            "statistics_file": env["ir.attachment"].browse(int(download["url"].split("/")[3].split("?")[0])),
            "register_wizard": env["crm.action.register.wizard"]
            .with_user(cls.sales)
            .create(
                {"partner_id": cls.company_partner.id, "type_id": cls.type_call.id, "result_id": cls.result_positive.id}
            )
            .with_user(env.user),
            "next_wizard": env["crm.action.next.wizard"]
            .with_user(cls.sales)
            .create({"previous_action_id": cls.done_action.id, "type_id": cls.type_offer.id})
            .with_user(env.user),
        }
        notify_wizard = env["crm.action.notify.wizard"].with_user(cls.sales).create({"action_id": cls.action.id})
        cls.records["notify_wizard"] = notify_wizard.with_user(env.user)
        cls.records["notify_wizard_line"] = notify_wizard.line_ids[:1].with_user(env.user)
        cls.records["register_wizard_expense"] = (
            env["crm.action.register.wizard.expense"]
            .with_user(cls.sales)
            .create({"wizard_id": cls.records["register_wizard"].id, "name": "Taxi", "amount": 5.0})
            .with_user(env.user)
        )
        env.flush_all()
        cls.records["report"] = env["crm.action.report"].search([("action_id", "=", cls.action.id)])

    # ------------------------------------------------------------ the operations
    def _create_values(self, key):
        """Values of a new record of the model of ``key``, as the user would send them."""
        return {
            "expense": {"action_id": self.action.id, "name": "Taxi", "amount": 5.0},
            "done_expense": {"action_id": self.done_action.id, "name": "Taxi", "amount": 5.0},
            "unplanned_expense": {"action_id": self.unplanned_action.id, "name": "Taxi", "amount": 5.0},
            "occurrence": {"name": "New claim"},
            "occurrence_status": {"name": "New status"},
            "rule": {"name": "New rule", "type_id": self.type_visit.id, "occurrence_status_id": self.status.id},
            "sequence": {"code": "ACCESS-NEW", "name": "New sequence"},
            "sequence_line": {"sequence_id": self.sequence.id, "type_id": self.type_visit.id, "user_id": self.sales.id},
            "campaign_line": {"campaign_id": self.campaign.id, "type_id": self.type_offer.id},
            "campaign_result": {
                "line_id": self.campaign_line.id,
                "result_id": self.env.ref("crm_action.crm_action_result_neutral").id,
                "mode": "negative",
            },
            "type": {"name": "New type"},
            "result": {"name": "New result"},
            "result_detail": {"name": "New detail"},
            "category": {"name": "New category"},
            "partner_class": {"name": "New class"},
            "template": {"name": "New template", "type_id": self.type_visit.id},
            "spawn": {"res_model": "sale.order", "res_id": self.order.id, "trigger": "order", "state": "failed"},
            "statistics": {},
            "statistics_file": {
                "name": "mine.xlsx",
                "raw": b"not a workbook",
                "res_model": "crm.action.statistics",
                "res_id": self.records["statistics"].id,
            },
            "report": {"name": "New"},
            "register_wizard": {"type_id": self.type_call.id, "result_id": self.result_positive.id},
            "next_wizard": {"previous_action_id": self.done_action.id, "type_id": self.type_offer.id},
            "notify_wizard": {"action_id": self.action.id},
            "notify_wizard_line": {
                "wizard_id": self.records["notify_wizard"].id,
                "partner_id": self.company_partner.id,
                "role": "Partner",
            },
            "register_wizard_expense": {"wizard_id": self.records["register_wizard"].id, "name": "Taxi", "amount": 1.0},
        }[key]

    def _run(self, key, operation, user):
        """Run ``operation`` on the record of ``key`` as ``user``; return what to check."""
        env = self.env(user=user, context=dict(self.env.context, allowed_company_ids=user.company_ids.ids))
        if operation == "create":
            return env[MODELS[key]].create(self._create_values(key))
        record = self.records[key].with_env(env)
        fnames = READ_FIELDS.get(key, DEFAULT_READ_FIELDS)
        if operation == "read":
            return record.read(fnames)
        if operation == "export":
            return record.export_data(fnames)
        if operation == "write":
            record.write(WRITE_VALUES[key])
            record.flush_recordset()
            return record
        if operation == "unlink":
            return record.unlink()
        return getattr(record, operation)()

    def _check_allowed(self, key, operation, result):
        """What the user notices after an allowed operation."""
        record = self.records[key].sudo()
        if operation == "write":
            field, value = next(iter(WRITE_VALUES[key].items()))
            self.assertEqual(record[field], value)
        elif operation == "unlink":
            self.assertFalse(record.exists())
        elif operation == "create":
            self.assertTrue(result.sudo().exists())
        elif operation == "read":
            self.assertEqual(result[0]["id"], record.id)
        elif operation == "export":
            self.assertEqual(len(result["datas"]), 1)
        else:
            self.assertTrue(result, "the button returns what the client opens")

    def _remove_from_team(self):
        """Remove the 'removed' user from team A, after the rules were evaluated for them
        (so that Odoo's rule cache holds their domains)."""
        removed = self.users["removed"]
        Action = self.env["crm.action"].with_user(removed)
        self.assertIn(self.action, Action.search([]), "a team member sees the team's actions")
        self.assertIn(self.records["expense"], self.env["crm.action.expense"].with_user(removed).search([]))
        self.assertIn(self.records["report"], self.env["crm.action.report"].with_user(removed).search([]))
        self.team_a.crm_team_member_ids.filtered(lambda m: m.user_id == removed).action_archive()

    def test_access_models(self):
        self._remove_from_team()
        for key, operations in RIGHTS.items():
            for operation, outcomes in operations.items():
                for user_key, expected in zip(USERS, outcomes, strict=True):
                    with (
                        self.subTest(model=key, operation=operation, user=user_key),
                        closing(self.env.cr.savepoint()),
                    ):
                        if expected is OK:
                            result = self._run(key, operation, self.users[user_key])
                            self.env.flush_all()
                            self._check_allowed(key, operation, result)
                        else:
                            with self.assertRaises(expected) as caught, self.env.cr.savepoint():
                                self._run(key, operation, self.users[user_key])
                                self.env.flush_all()
                            if expected is not AccessError:
                                self.assertNotIsInstance(caught.exception, AccessError, "not an access refusal")
                            self.assertTrue(str(caught.exception), "the refusal tells the user why")
                            if key in self.records:
                                self.assertTrue(
                                    self.records[key].sudo().exists(), "a refused operation deletes nothing"
                                )
                    self.env.invalidate_all()

    def test_table_covers_every_model_user_and_operation(self):
        module_models = {
            name
            for name, model in self.env.registry.items()
            if model._original_module == "crm_action" and not model._abstract
        }
        self.assertEqual(module_models - {"crm.action"}, set(MODELS.values()) - {"ir.attachment"})
        for key, operations in RIGHTS.items():
            self.assertIn(key, MODELS)
            if key != "unplanned_expense":
                self.assertLessEqual({"read", "export", "write", "create", "unlink"}, set(operations), key)
            self.assertEqual({len(outcomes) for outcomes in operations.values()}, {len(USERS)}, key)

    # ------------------------------------------------------------ details the table cannot say
    def test_removed_member_stops_seeing_team_records_at_once(self):
        removed = self.users["removed"]
        teammates_action = self.env["crm.action"].create(
            {"name": "Teammate's call", "user_id": self.teammate.id, "team_id": self.team_a.id}
        )
        self.env.flush_all()
        row = self.env["crm.action.report"].search([("action_id", "=", teammates_action.id)])
        self.assertIn(teammates_action, self.env["crm.action"].with_user(removed).search([]))
        self.assertIn(row, self.env["crm.action.report"].with_user(removed).search([]))
        self.team_a.member_ids = [Command.unlink(removed.id)]
        self.assertNotIn(teammates_action, self.env["crm.action"].with_user(removed).search([]))
        self.assertNotIn(row, self.env["crm.action.report"].with_user(removed).search([]))
        with self.assertRaises(AccessError):
            teammates_action.with_user(removed).read(["name"])
        self.assertIn(teammates_action, self.env["crm.action"].with_user(self.teammate).search([]))

    def test_done_action_expenses(self):
        Expense = self.env["crm.action.expense"]
        # the responsible logs an expense on their done action
        Expense.with_user(self.sales).create({"action_id": self.done_action.id, "name": "Parking", "amount": 3.0})
        self.assertEqual(self.done_action.expense_actual, 15.0)
        # a teammate sees it but cannot change the expenses of someone else's done action
        expense = self.records["done_expense"].with_user(self.teammate)
        self.assertEqual(expense.name, "Lunch")
        with self.assertRaisesRegex(UserError, "done and locked"):
            expense.amount = 1.0
        with self.assertRaisesRegex(UserError, "done and locked"):
            Expense.with_user(self.teammate).create({"action_id": self.done_action.id, "name": "Mine", "amount": 1})
        with self.assertRaisesRegex(UserError, "done and locked"):
            expense.unlink()
        self.assertEqual(self.done_action.expense_actual, 15.0)

    def test_expense_needs_a_planned_expense(self):
        with self.assertRaisesRegex(ValidationError, "plans no expense"):
            self.env["crm.action.expense"].with_user(self.sales).create(
                {"action_id": self.unplanned_action.id, "name": "Taxi", "amount": 5.0}
            )

    def test_statistics_files_are_their_makers(self):
        Attachment = self.env["ir.attachment"]
        domain = [("res_model", "=", "crm.action.statistics")]
        self.assertIn(self.records["statistics_file"], Attachment.with_user(self.sales).search(domain))
        for user in (self.users["other_team"], self.teammate):
            self.assertFalse(Attachment.with_user(user).search_read(domain, ["name"]))
        self.assertIn(self.records["statistics_file"], Attachment.with_user(self.users["manager"]).search(domain))

    def test_spawned_leads_list_and_retry(self):
        other_order = self.env["sale.order"].create(
            {"partner_id": self.other_partner.id, "user_id": self.users["other_team"].id, "team_id": self.team_b.id}
        )
        Spawn = self.env["crm.action.spawn"]
        # a row of the salesperson's lead whose document they may not read: listed, unnamed
        mine = Spawn.create(
            {"res_model": "sale.order", "res_id": other_order.id, "trigger": "order", "lead_id": self.lead.id}
        )
        # a failed row of another team's quotation: not listed, and no retry
        other = Spawn.create(
            {"res_model": "sale.order", "res_id": other_order.id, "trigger": "quotation", "state": "failed"}
        )
        rows = Spawn.with_user(self.sales).search_read([], ["document_name", "lead_id", "state"])
        self.assertEqual({row["id"] for row in rows}, {mine.id, self.records["spawn"].id})
        self.assertEqual({row["id"]: row["document_name"] for row in rows}[mine.id], f"Sales Order #{other_order.id}")
        with self.assertRaisesRegex(AccessError, "retry the lead creation"):
            other_order.with_user(self.sales).action_crm_action_retry_spawn()
        self.assertTrue(other.exists(), "the failed row stays for its salesperson")
        self.assertTrue(self.order.with_user(self.sales).action_crm_action_retry_spawn())

    def test_upgrade_gets_the_new_team_rules(self):
        """The team rules are noupdate: the migration to 18.0.1.0.1 gives an existing database
        the domains of a new installation."""
        path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations", "18.0.1.0.1", "post-migrate.py")
        spec = importlib.util.spec_from_file_location("crm_action_migration_18_0_1_0_1", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        for xmlid in migration.RULES:
            rule = self.env.ref(xmlid)
            installed = rule.domain_force
            rule.domain_force = installed.replace(migration.NEW_TEAM_TERM, migration.OLD_TEAM_TERM)
            self.assertIn("crm_team_ids", rule.domain_force)
            migration.migrate(self.env.cr, "18.0.1.0.0")
            self.assertEqual(rule.domain_force, installed)


@tagged("post_install", "-at_install")
class TestAccessModelsHttp(HttpCase):
    """What a salesperson gets through the web client's download route and XML-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        salesman = "sales_team.group_sale_salesman"
        cls.maker = new_test_user(cls.env, login="access_http_maker", groups=salesman)
        cls.other = new_test_user(cls.env, login="access_http_other", groups=salesman)
        statistics = cls.env["crm.action.statistics"].with_user(cls.maker).create({})
        url = statistics.action_download_xlsx()["url"]
        cls.url = url
        cls.attachment = cls.env["ir.attachment"].browse(int(url.split("/")[3].split("?")[0]))
        company_b = cls.env["res.company"].create({"name": "Access HTTP Other Company"})
        sequence = cls.env["crm.action.sequence"].create(
            {"code": "HTTP-B", "name": "Other company's sequence", "company_id": company_b.id}
        )
        cls.line_b = cls.env["crm.action.sequence.line"].create(
            {
                "sequence_id": sequence.id,
                "type_id": cls.env.ref("crm_action.crm_action_type_call").id,
                "user_id": cls.env.user.id,
            }
        )

    def test_statistics_file_download(self):
        self.authenticate(self.maker.login, self.maker.login)
        response = self.url_open(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, base64.b64decode(self.attachment.datas))
        self.authenticate(self.other.login, self.other.login)
        response = self.url_open(self.url)
        self.assertIn(response.status_code, (403, 404))
        self.assertNotEqual(response.content, base64.b64decode(self.attachment.datas))

    def test_xmlrpc_refuses_other_users_files_and_other_companies_lines(self):
        db = self.env.cr.dbname
        uid, password = self.other.id, self.other.login

        def call(model, method, *args, **kwargs):
            return self.xmlrpc_object.execute_kw(db, uid, password, model, method, list(args), kwargs)

        with self.assertRaises(Fault) as caught:
            call("ir.attachment", "read", [self.attachment.id], ["name", "datas"])
        self.assertEqual(caught.exception.faultCode, RPC_FAULT_CODE_ACCESS_ERROR)
        self.assertEqual(
            call("ir.attachment", "search_read", [["res_model", "=", "crm.action.statistics"]], fields=["name"]), []
        )
        with self.assertRaises(Fault) as caught:
            call("crm.action.sequence.line", "read", [self.line_b.id], ["type_id"])
        self.assertEqual(caught.exception.faultCode, RPC_FAULT_CODE_ACCESS_ERROR)
        self.assertEqual(call("crm.action.sequence.line", "search", [["id", "=", self.line_b.id]]), [])
        # the maker reads their own file
        self.assertEqual(
            self.xmlrpc_object.execute_kw(
                db, self.maker.id, self.maker.login, "ir.attachment", "read", [[self.attachment.id], ["name"]]
            )[0]["name"],
            self.attachment.name,
        )
