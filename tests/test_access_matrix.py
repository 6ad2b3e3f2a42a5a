from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .flow_common import CrmActionFlowCommon

OK = "ok"
# Users, in the order of the table's columns.
USERS = ("portal", "team_a", "team_b", "other_company", "manager")
# (model key, operation) -> outcome per user, in USERS order. An outcome is OK or the
# exception the user gets. "action" is a planned action of the team-A salesperson in the
# main company; "done_action" the same once done (locked for everyone but managers).
# Internal users have the export right (base.group_allow_export); portal users cannot
# export at all (UserError) and cannot read either.
MATRIX = {
    ("action", "read"): (AccessError, OK, AccessError, AccessError, OK),
    ("action", "export"): (UserError, OK, AccessError, AccessError, OK),
    ("action", "write"): (AccessError, OK, AccessError, AccessError, OK),
    ("action", "unlink"): (AccessError, OK, AccessError, AccessError, OK),
    ("done_action", "read"): (AccessError, OK, AccessError, AccessError, OK),
    ("done_action", "write"): (AccessError, UserError, AccessError, AccessError, OK),
    ("done_action", "unlink"): (AccessError, AccessError, AccessError, AccessError, OK),
    ("rule", "read"): (AccessError, OK, OK, OK, OK),
    ("rule", "export"): (UserError, OK, OK, OK, OK),
    ("rule", "write"): (AccessError, AccessError, AccessError, AccessError, OK),
    ("rule", "unlink"): (AccessError, AccessError, AccessError, AccessError, OK),
    ("occurrence", "read"): (AccessError, OK, OK, AccessError, OK),
    ("occurrence", "export"): (UserError, OK, OK, AccessError, OK),
    ("occurrence", "write"): (AccessError, OK, OK, AccessError, OK),
    ("occurrence", "unlink"): (AccessError, AccessError, AccessError, AccessError, OK),
    ("class", "read"): (AccessError, OK, OK, OK, OK),
    ("class", "write"): (AccessError, AccessError, AccessError, AccessError, OK),
    ("class", "unlink"): (AccessError, AccessError, AccessError, AccessError, OK),
    ("campaign_line", "read"): (AccessError, OK, OK, AccessError, OK),
    ("campaign_line", "write"): (AccessError, AccessError, AccessError, AccessError, OK),
    ("campaign_line", "unlink"): (AccessError, AccessError, AccessError, AccessError, OK),
    ("sequence", "read"): (AccessError, OK, OK, AccessError, OK),
    ("sequence", "write"): (AccessError, AccessError, AccessError, AccessError, OK),
    ("sequence", "unlink"): (AccessError, AccessError, AccessError, AccessError, OK),
    # The action analysis (statistics) row of the team-A action: read-only for everyone.
    ("statistics_row", "read"): (AccessError, OK, AccessError, AccessError, OK),
    ("statistics_row", "export"): (UserError, OK, AccessError, AccessError, OK),
    ("statistics_row", "write"): (AccessError, AccessError, AccessError, AccessError, AccessError),
    ("statistics_row", "unlink"): (AccessError, AccessError, AccessError, AccessError, AccessError),
}
# A value each operation writes, per model key.
WRITE_VALUES = {
    "action": {"result_detail": "Changed"},
    "done_action": {"result_detail": "Changed"},
    "rule": {"sequence": 42},
    "occurrence": {"name": "Changed"},
    "class": {"description": "Changed"},
    "campaign_line": {"objective": "Changed"},
    "sequence": {"notes": "Changed"},
    "statistics_row": {"name": "Changed"},
}


@tagged("post_install", "-at_install")
class TestAccessMatrix(CrmActionFlowCommon):
    """Read, export, write and unlink through the ORM as each kind of user, on a fresh
    record per case: allowed operations work, refusals are access (or lock) errors."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Matrix Other Company"})
        salesman = "sales_team.group_sale_salesman,base.group_allow_export"
        cls.users = {
            "portal": cls.user_portal,
            "team_a": new_test_user(cls.env, login="matrix_team_a", name="Matrix A", groups=salesman),
            "team_b": new_test_user(cls.env, login="matrix_team_b", name="Matrix B", groups=salesman),
            "other_company": new_test_user(
                cls.env,
                login="matrix_other_company",
                name="Matrix Other Company",
                groups=salesman,
                company_id=cls.company_b.id,
                company_ids=[Command.set(cls.company_b.ids)],
            ),
            "manager": cls.user_manager,
        }
        cls.user_manager.groups_id = [Command.link(cls.env.ref("base.group_allow_export").id)]
        cls.team_a = cls.env["crm.team"].create(
            {"name": "Matrix Team A", "member_ids": [Command.set(cls.users["team_a"].ids)]}
        )
        cls.team_b = cls.env["crm.team"].create(
            {"name": "Matrix Team B", "member_ids": [Command.set(cls.users["team_b"].ids)]}
        )

    def _new_record(self, key):
        env = self.env
        if key in ("action", "done_action"):
            action = (
                env["crm.action"]
                .with_user(self.users["team_a"])
                .create(
                    {
                        "name": "Matrix call",
                        "partner_id": self.company_partner.id,
                        "type_id": self.type_call.id,
                        "result_id": self.result_positive.id,
                    }
                )
            )
            if key == "done_action":
                action.action_done()
            return action.with_user(env.user)
        if key == "rule":
            return env["crm.action.rule"].create(
                {"name": "Matrix rule", "type_id": self.type_call.id, "occurrence_status_id": self.status_new.id}
            )
        if key == "occurrence":
            return env["crm.action.occurrence"].create({"name": "Matrix claim", "partner_id": self.company_partner.id})
        if key == "sequence":
            self.counter += 1
            return env["crm.action.sequence"].create({"code": f"MATRIX-{self.counter}", "name": "Matrix sequence"})
        if key == "statistics_row":
            action = self._new_record("action")
            self.env.flush_all()
            return env["crm.action.report"].search([("action_id", "=", action.id)])
        if key == "class":
            self.counter += 1
            return env["res.partner.class"].create({"name": f"Matrix class {self.counter}"})
        campaign = env["utm.campaign"].create({"title": "Matrix campaign"})
        return env["crm.action.campaign.line"].create({"campaign_id": campaign.id, "type_id": self.type_call.id})

    def _run(self, record, operation, key):
        if operation == "read":
            record.read(["display_name"])
        elif operation == "export":
            record.export_data(["display_name"])
        elif operation == "write":
            record.write(WRITE_VALUES[key])
            record.flush_recordset()
        else:
            record.unlink()

    def _check_done(self, record, operation, key):
        """What a user would see after an allowed operation."""
        record = record.sudo()
        if operation == "write":
            field, value = next(iter(WRITE_VALUES[key].items()))
            self.assertEqual(record[field], value)
        elif operation == "unlink":
            self.assertFalse(record.exists())

    def test_access_matrix(self):
        self.counter = 0
        for (key, operation), outcomes in MATRIX.items():
            for user_key, expected in zip(USERS, outcomes, strict=True):
                with self.subTest(model=key, operation=operation, user=user_key):
                    record = self._new_record(key)
                    self.env.invalidate_all()
                    as_user = record.with_user(self.users[user_key]).with_context(
                        allowed_company_ids=self.users[user_key].company_ids.ids
                    )
                    if expected is OK:
                        self._run(as_user, operation, key)
                        self._check_done(record, operation, key)
                    else:
                        with self.assertRaises(expected) as caught, self.env.cr.savepoint():
                            self._run(as_user, operation, key)
                        if expected is UserError:
                            # AccessError is a UserError: the lock must not be an access refusal.
                            self.assertNotIsInstance(caught.exception, AccessError)
                        self.assertTrue(str(caught.exception), "the refusal tells the user why")
                        self.assertTrue(record.sudo().exists(), "a refused operation deleted nothing")

    def test_matrix_covers_every_user_and_operation(self):
        for key in WRITE_VALUES:
            for operation in ("read", "write", "unlink"):
                self.assertIn((key, operation), MATRIX)
        self.assertEqual({len(outcomes) for outcomes in MATRIX.values()}, {len(USERS)})
