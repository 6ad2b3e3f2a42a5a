from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .test_crm_action_sequence import CrmActionSequenceCommon


@tagged("post_install", "-at_install")
class TestCrmActionSettingsSpawn(CrmActionSequenceCommon):
    """Settings > CRM > CRM Actions: default sequences per company, trigger switches, open-the-lead."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Tiles Iberia"})
        cls.admin = cls.env.ref("base.user_admin")
        cls.admin.company_ids |= cls.company_b
        Sequence = cls.env["crm.action.sequence"]
        cls.seq_a = Sequence.create({"code": "A-DEF", "name": "Default of the main company"})
        cls.seq_b = Sequence.create({"code": "B-DEF", "name": "Default of Iberia", "company_id": cls.company_b.id})
        cls.seq_shared = Sequence.create({"code": "ALL", "name": "Shared by all companies", "company_id": False})
        cls.automations = (
            cls.env.ref("crm_action.crm_action_automation_quotation")
            | cls.env.ref("crm_action.crm_action_automation_order")
            | cls.env.ref("crm_action.crm_action_automation_return")
        )

    def setUp(self):
        super().setUp()
        # Runs before the test's rollback: the automation patches of the registry follow
        # the rules' active flag, so they are put back as the other tests expect them.
        self.addCleanup(lambda: self.automations.exists().write({"active": True}))

    def _settings_form(self, company):
        env = self.env(user=self.admin, context=dict(self.env.context, allowed_company_ids=company.ids))
        return Form(env["res.config.settings"])

    # ------------------------------------------------------------ default sequences
    def test_default_sequences_per_company(self):
        for company, quotation, order, customer_return in (
            (self.company, self.seq_a, self.seq_shared, self.seq_a),
            (self.company_b, self.seq_b, self.seq_b, self.seq_shared),
        ):
            form = self._settings_form(company)
            form.crm_action_quotation_sequence_id = quotation
            form.crm_action_order_sequence_id = order
            form.crm_action_return_sequence_id = customer_return
            form.save().execute()
        for company, quotation, order, customer_return in (
            (self.company, self.seq_a, self.seq_shared, self.seq_a),
            (self.company_b, self.seq_b, self.seq_b, self.seq_shared),
        ):
            form = self._settings_form(company)
            self.assertEqual(form.crm_action_quotation_sequence_id, quotation)
            self.assertEqual(form.crm_action_order_sequence_id, order)
            self.assertEqual(form.crm_action_return_sequence_id, customer_return)
            self.assertEqual(company.crm_action_quotation_sequence_id, quotation)
            self.assertEqual(company.crm_action_order_sequence_id, order)
            self.assertEqual(company.crm_action_return_sequence_id, customer_return)

    def test_sequence_of_another_company_refused(self):
        form = self._settings_form(self.company)
        form.crm_action_quotation_sequence_id = self.seq_b
        # the request is rolled back as a whole, as the web client's would be
        with self.assertRaisesRegex(ValidationError, "Default of Iberia.*Tiles Iberia"), self.env.cr.savepoint():
            form.save()
        self.env.invalidate_all()
        self.assertFalse(self.company.crm_action_quotation_sequence_id, "nothing saved")
        with self.assertRaisesRegex(ValidationError, "shared by all companies"), self.env.cr.savepoint():
            self.company_b.crm_action_return_sequence_id = self.seq_a
        self.assertTrue(self._settings_form(self.company).crm_action_trigger_quotation, "the switches are untouched")

    def test_company_default_spawns_where_the_team_names_none(self):
        self.team.crm_action_quotation_sequence_id = False
        form = self._settings_form(self.company)
        form.crm_action_quotation_sequence_id = self.seq_quote
        form.save().execute()
        order = self._create_quotation()
        self.assertEqual(self._spawns(order, "quotation").sequence_id, self.seq_quote)

    # ------------------------------------------------------------ trigger switches
    def test_switch_and_automation_rule_show_the_same_state(self):
        rule = self.env.ref("crm_action.crm_action_automation_order")
        form = self._settings_form(self.company)
        self.assertTrue(form.crm_action_trigger_order)
        form.crm_action_trigger_order = False
        form.save().execute()
        self.assertFalse(rule.active, "the switch archives the automation rule")
        self.assertTrue(self.env.ref("crm_action.crm_action_automation_quotation").active, "the others stay")
        self.assertFalse(self._settings_form(self.company_b).crm_action_trigger_order)

        rule.active = True  # from Settings > Technical > Automation Rules
        self.assertTrue(self._settings_form(self.company).crm_action_trigger_order)

    def test_switched_off_trigger_spawns_no_lead_switched_on_does(self):
        form = self._settings_form(self.company)
        form.crm_action_trigger_quotation = False
        form.save().execute()
        self.assertTrue(self.env.ref("crm_action.crm_action_automation_order").active, "only this trigger is off")
        order = self._create_quotation()
        self.assertFalse(self._spawns(order, "quotation"), "switched off: no lead")

        form = self._settings_form(self.company)
        form.crm_action_trigger_quotation = True
        form.save().execute()
        order = self._create_quotation()
        self.assertEqual(len(self._lead(order, "quotation")), 1, "switched on: the quotation spawns its lead")

    # ------------------------------------------------------------ batches spawned at once
    def test_spawn_sync_limit_decides_what_a_batch_queues(self):
        form = self._settings_form(self.company)
        self.assertEqual(form.crm_action_spawn_sync_limit, 20)
        form.crm_action_spawn_sync_limit = 2
        form.save().execute()
        self.assertEqual(self.env["ir.config_parameter"].get_param("crm_action.spawn_sync_limit"), "2")
        values = {
            "partner_id": self.company_partner.id,
            "team_id": self.team.id,
            "user_id": self.user_sales.id,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
        }
        pair = self.env["sale.order"].create([values, values])
        self.assertEqual(len(self._lead(pair, "quotation")), 2, "two documents: spawned at once")
        three = self.env["sale.order"].create([values, values, values])
        self.assertFalse(self._lead(three, "quotation"))
        self.assertEqual(set(self._spawns(three, "quotation").mapped("state")), {"queued"})
        self.assertTrue(three[0].crm_action_spawn_queued)

        form = self._settings_form(self.company)
        form.crm_action_spawn_sync_limit = -1
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            form.save()
        self.assertEqual(self.env["ir.config_parameter"].get_param("crm_action.spawn_sync_limit"), "2")

    # ------------------------------------------------------------ open the spawned lead
    def test_open_spawned_lead_is_the_default_of_new_sequences(self):
        Sequence = self.env["crm.action.sequence"]
        self.assertFalse(Sequence.create({"code": "N1", "name": "New"}).open_lead)
        form = self._settings_form(self.company)
        form.crm_action_open_spawned_lead = True
        form.save().execute()
        self.assertTrue(self._settings_form(self.company_b).crm_action_open_spawned_lead)
        self.assertTrue(Sequence.create({"code": "N2", "name": "Newer"}).open_lead)
        self.assertFalse(self.seq_order.open_lead, "existing sequences keep their choice")

    def test_switching_on_a_deleted_rule_says_how_to_restore_it(self):
        self.env.ref("crm_action.crm_action_automation_return").unlink()
        form = self._settings_form(self.company)
        self.assertFalse(form.crm_action_trigger_return)
        form.crm_action_trigger_return = True
        with self.assertRaisesRegex(UserError, "update the CRM Actions module"):
            form.save()
