from odoo import Command
from odoo.tests import Form, new_test_user, tagged

from .common import CrmActionCommon


@tagged("post_install", "-at_install")
class TestCrmActionButtons(CrmActionCommon):
    """Smart buttons and "Log Action" on partner, lead, order and transfer forms."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.team"].create({"name": "Button Team", "member_ids": [Command.set(cls.user_sales.ids)]})
        cls.contact_2 = cls.env["res.partner"].create({"name": "Alvaro Azure", "parent_id": cls.company_partner.id})
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Tiles for the hotel",
                "type": "opportunity",
                "partner_id": cls.company_partner.id,
                "user_id": cls.user_sales.id,
            }
        )
        cls.product = cls.env["product.product"].create({"name": "Blue tile", "type": "consu", "list_price": 12.0})
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.contact.id,
                "opportunity_id": cls.lead.id,
                "user_id": cls.user_sales.id,
                "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": 10})],
            }
        )
        cls.order.action_confirm()
        cls.picking = cls.order.picking_ids[:1]

    def _log_from(self, record, name, **changes):
        """What a user gets by clicking "Log Action" on `record`'s form, filling and saving it."""
        window = record.with_user(self.user_sales).action_log_crm_action()
        self.assertEqual(window["res_model"], "crm.action")
        self.assertEqual(window["views"], [(False, "form")])
        with Form(self.env["crm.action"].with_user(self.user_sales).with_context(**window["context"])) as action_form:
            action_form.name = name
            for fname, value in changes.items():
                setattr(action_form, fname, value)
        return action_form.record

    def _opened(self, record):
        """The actions listed by `record`'s smart button."""
        window = record.with_user(self.user_sales).action_view_crm_actions()
        self.assertEqual(window["res_model"], "crm.action")
        return self.env["crm.action"].with_user(self.user_sales).search(window["domain"])

    def test_log_from_partner_prefills_partner_and_contact(self):
        action = self._log_from(self.company_partner, "Phone the buyer")
        self.assertEqual(action.partner_id, self.company_partner)
        self.assertEqual(action.contact_ids, self.contact)
        self.assertFalse(action.source_ref)
        person_action = self._log_from(self.contact_2, "Visit Alvaro")
        self.assertEqual(person_action.partner_id, self.contact_2)
        self.assertEqual(person_action.contact_ids, self.contact_2)

    def test_log_from_lead_prefills_lead_and_partner(self):
        action = self._log_from(self.lead, "Send the samples")
        self.assertEqual(action.lead_id, self.lead)
        self.assertEqual(action.partner_id, self.company_partner)
        self.assertEqual(action.contact_ids, self.contact)

    def test_log_from_order_and_transfer_prefills_source_document(self):
        self.assertTrue(self.picking, "confirming the order made a delivery")
        from_order = self._log_from(self.order, "Confirm the delivery date")
        self.assertEqual(from_order.source_ref, self.order)
        self.assertEqual(from_order.partner_id, self.contact)
        self.assertEqual(from_order.lead_id, self.lead)
        from_picking = self._log_from(self.picking, "Warn about the late truck")
        self.assertEqual(from_picking.source_ref, self.picking)
        self.assertEqual(from_picking.partner_id, self.contact)
        self.assertEqual(from_picking.lead_id, self.lead)

    def test_smart_button_counts_and_lists(self):
        on_company = self._log_from(self.company_partner, "Company call")
        on_contact = self._log_from(self.contact_2, "Contact visit")
        on_lead = self._log_from(self.lead, "Lead mail")
        on_order = self._log_from(self.order, "Order call")
        on_picking = self._log_from(self.picking, "Picking call")
        elsewhere = self._log_from(self.other_partner, "Bricks call")

        company = self.company_partner.with_user(self.user_sales)
        company_actions = on_company | on_contact | on_lead | on_order | on_picking
        self.assertEqual(company.crm_action_count, 5, "a company counts its contacts' actions")
        self.assertEqual(self._opened(self.company_partner), company_actions)
        # Ana is the contact of the company-level actions and the partner of the order's.
        ana = self.contact.with_user(self.user_sales)
        self.assertEqual(ana.crm_action_count, 4)
        self.assertEqual(self._opened(self.contact), on_company | on_lead | on_order | on_picking)
        self.assertEqual(self.contact_2.with_user(self.user_sales).crm_action_count, 1)
        self.assertEqual(self.other_partner.with_user(self.user_sales).crm_action_count, 1)
        self.assertEqual(self._opened(self.other_partner), elsewhere)

        self.assertEqual(self.lead.with_user(self.user_sales).crm_action_count, 3)
        self.assertEqual(self._opened(self.lead), on_lead | on_order | on_picking)
        self.assertEqual(self.order.with_user(self.user_sales).crm_action_count, 1)
        self.assertEqual(self._opened(self.order), on_order)
        self.assertEqual(self.picking.with_user(self.user_sales).crm_action_count, 1)
        self.assertEqual(self._opened(self.picking), on_picking)

    def test_counts_follow_record_rules(self):
        self._log_from(self.company_partner, "Visible call")
        self.env["crm.action"].create(
            {"name": "Manager's own", "partner_id": self.company_partner.id, "user_id": self.user_manager.id}
        )
        self.assertEqual(self.company_partner.with_user(self.user_sales).crm_action_count, 1)
        self.assertEqual(self.company_partner.with_user(self.user_manager).crm_action_count, 2)

    def test_counts_are_batched(self):
        """Counting for many records costs the same queries as for one."""
        partners = self.company_partner | self.contact | self.contact_2 | self.other_partner | self.other_contact
        leads = self.lead | self.env["crm.lead"].create(
            [{"name": f"Lead {i}", "user_id": self.user_sales.id} for i in range(4)]
        )
        for record in (self.company_partner, self.lead, self.order):
            self._log_from(record, "Call")

        def queries(records):
            records = records.with_user(self.user_sales)
            records.invalidate_model()
            self.env.flush_all()
            before = self.cr.sql_log_count
            records.mapped("crm_action_count")
            return self.cr.sql_log_count - before

        self.assertEqual(queries(partners), queries(self.company_partner))
        self.assertEqual(queries(leads), queries(self.lead))
        self.assertLessEqual(queries(leads), 2)

    def test_forms_open_for_users_without_crm_actions(self):
        """An employee outside sales opens partners and transfers without the buttons nor an error."""
        stock_user = new_test_user(
            self.env, login="crm_action_stock", name="Stan Stock", groups="base.group_user,stock.group_stock_user"
        )
        self.assertFalse(stock_user.has_group("crm_action.crm_action_group_user"))
        for record in (self.company_partner, self.picking):
            Model = self.env[record._name].with_user(stock_user)
            arch = Model.get_views([(False, "form")])["views"]["form"]["arch"]
            self.assertNotIn("crm_action_count", arch)
            self.assertNotIn("action_log_crm_action", arch)
            Model.browse(record.id).web_read({"display_name": {}})
