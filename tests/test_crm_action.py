from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import CrmActionCommon


@tagged("post_install", "-at_install")
class TestCrmAction(CrmActionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create(
            {"name": "Tiles Team", "member_ids": [Command.set([cls.user_sales.id, cls.user_action.id])]}
        )
        cls.user_sales_2 = new_test_user(
            cls.env, login="crm_action_sales_2", name="Sam Second", groups="sales_team.group_sale_salesman"
        )
        cls.team.member_ids = [Command.link(cls.user_sales_2.id)]
        cls.campaign = cls.env["utm.campaign"].create({"name": "Spring Tiles"})
        cls.medium = cls.env["utm.medium"].create({"name": "Trade Fair"})
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Tiles for the new hotel",
                "type": "opportunity",
                "partner_id": cls.company_partner.id,
                "campaign_id": cls.campaign.id,
                "medium_id": cls.medium.id,
                "user_id": cls.user_sales.id,
            }
        )

    def _new_action(self, user=None, **vals):
        values = {"name": "Call about the catalogue", "partner_id": self.company_partner.id}
        values.update(vals)
        return self.env["crm.action"].with_user(user or self.user_sales).create(values)

    # ------------------------------------------------------------ defaults
    def test_defaults_from_company_partner(self):
        with Form(self.env["crm.action"].with_user(self.user_sales)) as action_form:
            action_form.name = "Present the tiles"
            action_form.partner_id = self.company_partner
            self.assertEqual(action_form.contact_ids[:], self.contact, "the company's main contact is proposed")
            self.assertEqual(action_form.phone, "+351 210 000 000", "the contact's phone is proposed")
        action = action_form.record
        self.assertEqual(action.contact_ids, self.contact)
        self.assertEqual(action.commercial_partner_id, self.company_partner)
        self.assertEqual(action.user_id, self.user_sales)
        self.assertEqual(action.requester_id, self.user_sales)
        self.assertEqual(action.team_id, self.team)
        self.assertEqual(action.company_id, self.company)
        self.assertEqual(action.state, "planned")

    def test_defaults_from_person_and_partner_change(self):
        with Form(self.env["crm.action"].with_user(self.user_sales)) as action_form:
            action_form.name = "Visit Bob"
            action_form.partner_id = self.other_contact
            self.assertEqual(action_form.contact_ids[:], self.other_contact, "a person is their own contact")
            action_form.partner_id = self.company_partner
            self.assertEqual(action_form.contact_ids[:], self.contact, "changing partner replaces the contacts")
        self.assertEqual(action_form.record.contact_ids, self.contact)

    def test_phone_follows_partner_and_contact(self):
        self.other_contact.phone = "+48 22 000 00 00"
        with Form(self.env["crm.action"].with_user(self.user_sales)) as action_form:
            action_form.name = "Call"
            action_form.partner_id = self.company_partner
            self.assertEqual(action_form.phone, "+351 210 000 000")
            action_form.partner_id = self.other_partner
            self.assertEqual(action_form.phone, "+48 22 000 00 00", "the new partner's contact phone")
            action_form.phone = "+48 600 000 000"
        self.assertEqual(action_form.record.phone, "+48 600 000 000", "a typed number is kept")

    def test_unlinked_action_has_no_contact(self):
        with Form(self.env["crm.action"].with_user(self.user_sales)) as action_form:
            action_form.name = "Prepare the fair"
        action = action_form.record
        self.assertFalse(action.partner_id)
        self.assertFalse(action.contact_ids)

    def test_defaults_from_lead(self):
        with Form(self.env["crm.action"].with_user(self.user_sales)) as action_form:
            action_form.name = "Follow the hotel"
            action_form.lead_id = self.lead
            self.assertEqual(action_form.partner_id, self.company_partner)
            self.assertEqual(action_form.contact_ids[:], self.contact)
            self.assertEqual(action_form.campaign_id, self.campaign)
            self.assertEqual(action_form.medium_id, self.medium)
        action = action_form.record
        self.assertEqual(action.partner_id, self.company_partner)
        self.assertEqual(action.campaign_id, self.campaign)
        self.assertEqual(action.medium_id, self.medium)

    def test_lead_keeps_a_chosen_partner(self):
        with Form(self.env["crm.action"].with_user(self.user_sales)) as action_form:
            action_form.name = "Call Bob about the hotel"
            action_form.partner_id = self.other_partner
            action_form.lead_id = self.lead
            self.assertEqual(action_form.partner_id, self.other_partner)
        self.assertEqual(action_form.record.partner_id, self.other_partner)

    def test_lead_defaults_without_form(self):
        """RPC clients creating an action on a lead get the same defaults as the form."""
        action = self.env["crm.action"].with_user(self.user_sales).create({"name": "Hotel", "lead_id": self.lead.id})
        self.assertEqual(action.partner_id, self.company_partner)
        self.assertEqual(action.contact_ids, self.contact)
        self.assertEqual(action.campaign_id, self.campaign)

    def test_type_fills_name_duration_category(self):
        self.type_visit.default_duration = 2.0
        with Form(self.env["crm.action"].with_user(self.user_sales)) as action_form:
            action_form.partner_id = self.company_partner
            action_form.type_id = self.type_visit
            self.assertEqual(action_form.name, self.type_visit.name)
            self.assertEqual(action_form.duration, 2.0)
        action = action_form.record
        self.assertEqual(action.date_end - action.date_start, timedelta(hours=2))

    # ------------------------------------------------------------ bad input
    def test_contact_of_another_partner_is_refused(self):
        action_form = Form(self.env["crm.action"].with_user(self.user_sales))
        action_form.name = "Call Ana"
        action_form.partner_id = self.company_partner
        action_form.contact_ids.add(self.other_contact)
        with self.assertRaisesRegex(ValidationError, "Bob Bricks is not a contact of Azure Tiles"):
            action_form.save()

    def test_contact_change_on_saved_action_is_refused_and_nothing_changes(self):
        action = self._new_action()
        with (
            self.assertRaisesRegex(ValidationError, "choose contact persons of the action's partner"),
            self.cr.savepoint(),
        ):
            action.contact_ids = [Command.link(self.other_contact.id)]
        action.invalidate_recordset()
        self.assertEqual(action.contact_ids, self.contact)

    def test_contact_without_partner_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "Choose a partner before adding contact persons"):
            self._new_action(partner_id=False, contact_ids=[Command.set(self.contact.ids)])

    def test_end_before_start_is_refused(self):
        start = fields.Datetime.now().replace(microsecond=0)
        action = self._new_action(date_start=start, duration=1.0)
        with self.assertRaisesRegex(ValidationError, "ends before it starts"), self.cr.savepoint():
            action.date_end = start - timedelta(hours=3)
        action.invalidate_recordset()
        self.assertEqual(action.date_end, start + timedelta(hours=1))

    def test_negative_duration_is_refused_with_a_clear_message(self):
        action_form = Form(self.env["crm.action"].with_user(self.user_sales))
        action_form.name = "Negative call"
        action_form.duration = -1.0
        with self.assertRaisesRegex(ValidationError, "duration .* is negative"):
            action_form.save()
        action = self._new_action(duration=1.5)
        with self.assertRaisesRegex(ValidationError, "enter the time spent in hours, 0 or more"), self.cr.savepoint():
            action.duration = -2
        action.invalidate_recordset()
        self.assertEqual(action.duration, 1.5)

    def test_dates_and_duration_follow_each_other(self):
        start = datetime(2026, 3, 2, 9, 0)
        with Form(self.env["crm.action"].with_user(self.user_sales)) as action_form:
            action_form.name = "Meeting"
            action_form.date_start = start
            action_form.duration = 1.5
            self.assertEqual(action_form.date_end, start + timedelta(hours=1, minutes=30))
            action_form.date_end = start + timedelta(hours=3)
            self.assertEqual(action_form.duration, 3.0)

    # ------------------------------------------------------------ due state
    def test_due_state_overdue_soon_later_closed(self):
        today = fields.Date.context_today(self.env["crm.action"])
        overdue = self._new_action(date_deadline=today - timedelta(days=1))
        due_today = self._new_action(date_deadline=today)
        due_tomorrow = self._new_action(date_deadline=today + timedelta(days=1))
        later = self._new_action(date_deadline=today + timedelta(days=5))
        done = self._new_action(date_deadline=today - timedelta(days=3), result_id=self.result_positive.id)
        done.action_done()
        self.assertEqual(overdue.due_state, "overdue")
        self.assertEqual(due_today.due_state, "soon")
        self.assertEqual(due_tomorrow.due_state, "soon")
        self.assertEqual(later.due_state, "later")
        self.assertEqual(done.due_state, "closed", "a done action is never overdue")
        self.assertEqual(overdue.due_color, 1, "red")
        self.assertEqual(due_today.due_color, 3, "yellow")
        self.assertEqual(later.due_color, 4)
        self.assertEqual(done.due_color, 0)
        mine = [("id", "in", (overdue | due_today | due_tomorrow | later | done).ids)]
        Action = self.env["crm.action"]
        self.assertEqual(Action.search([*mine, ("due_state", "=", "overdue")]), overdue)
        self.assertEqual(Action.search([*mine, ("due_state", "=", "soon")]), due_today | due_tomorrow)
        open_ones = overdue | due_today | due_tomorrow | later
        self.assertEqual(Action.search([*mine, ("due_state", "!=", "closed")]), open_ones)

    def test_due_date_is_start_day_without_deadline(self):
        start = datetime(2026, 3, 2, 9, 0)
        action = self._new_action(date_start=start)
        self.assertEqual(action.date_due, start.date())
        action.date_deadline = start.date() + timedelta(days=2)
        self.assertEqual(action.date_due, start.date() + timedelta(days=2))

    def _search_filter(self, name, user):
        """The actions a user finds with the search view's filter `name`."""
        Action = self.env["crm.action"].with_user(user)
        arch = Action.get_view(self.env.ref("crm_action.crm_action_view_search").id, "search")["arch"]
        node = etree.fromstring(arch).xpath(f"//filter[@name='{name}']")[0]
        today = fields.Date.context_today(Action)
        domain = safe_eval(
            node.get("domain"), {"uid": user.id, "context_today": lambda: today, "relativedelta": relativedelta}
        )
        return Action.search(domain)

    def test_search_filters(self):
        today = fields.Date.context_today(self.env["crm.action"])
        now = fields.Datetime.now()
        monday = today - timedelta(days=today.weekday())
        mine_today = self._new_action(date_deadline=today)
        mine_overdue = self._new_action(date_start=now - timedelta(days=20), date_deadline=today - timedelta(days=10))
        mine_done = self._new_action(date_start=now - timedelta(days=30), result_id=self.result_positive.id)
        mine_done.action_done()
        # due this week but not today: Sunday, or on a Sunday the day before (overdue then)
        teammate_day = monday + timedelta(days=6) if today.weekday() != 6 else today - timedelta(days=1)
        teammate = self._new_action(user=self.user_sales_2, user_id=self.user_sales_2.id, date_deadline=teammate_day)
        manager_own = self._new_action(user=self.user_manager, user_id=self.user_manager.id)
        self.assertNotIn(manager_own.team_id, self.team)
        ours = mine_today | mine_overdue | mine_done | teammate

        def found(name, user=self.user_sales):
            return self._search_filter(name, user) & (ours | manager_own)

        self.assertEqual(found("filter_mine"), mine_today | mine_overdue | mine_done)
        self.assertEqual(found("filter_my_team"), ours)
        self.assertEqual(found("filter_planned"), mine_today | mine_overdue | teammate)
        self.assertEqual(found("filter_done"), mine_done)
        self.assertEqual(
            found("filter_overdue"), mine_overdue | (teammate if teammate_day < today else teammate.browse())
        )
        self.assertEqual(
            found("filter_due_soon"), mine_today | (teammate if teammate.due_state == "soon" else teammate.browse())
        )
        self.assertEqual(found("filter_today"), mine_today)
        self.assertEqual(found("filter_this_week"), mine_today | teammate)
        self.assertEqual(found("filter_mine", self.user_manager), manager_own)

    # ------------------------------------------------------------ done / cancel / delete
    def test_mark_done_requires_result(self):
        action = self._new_action()
        with self.assertRaisesRegex(UserError, "Set a result"):
            action.action_done()
        self.assertEqual(action.state, "planned")
        with Form(action) as action_form:
            action_form.result_id = self.result_positive
            action_form.result_detail = "Wants 200 m2"
        action.action_done()
        self.assertEqual(action.state, "done")
        self.assertTrue(action.date_done)
        self.assertTrue(action.is_locked)

    def test_done_action_locked_for_user_not_for_manager(self):
        action = self._new_action(result_id=self.result_positive.id)
        action.action_done()
        with self.assertRaisesRegex(UserError, "done and locked"), self.cr.savepoint():
            action.write({"name": "Rewritten history"})
        with self.assertRaisesRegex(UserError, "done and locked"):
            action.action_reset_to_planned()
        action.invalidate_recordset()
        self.assertEqual(action.name, "Call about the catalogue")
        self.assertEqual(action.state, "done")
        # The user may still comment in the chatter.
        action.message_post(body="Customer called back to thank us")

        as_manager = action.with_user(self.user_manager)
        self.assertFalse(as_manager.is_locked)
        with Form(as_manager) as action_form:
            action_form.name = "Call about the catalogue (corrected)"
        self.assertEqual(action.name, "Call about the catalogue (corrected)")
        as_manager.action_reset_to_planned()
        self.assertEqual(action.state, "planned")
        self.assertFalse(action.date_done)

    def test_cancel_keeps_the_record_and_can_be_reopened(self):
        action = self._new_action()
        action.action_cancel()
        self.assertTrue(action.exists())
        self.assertEqual(action.state, "cancel")
        self.assertEqual(action.due_state, "closed")
        with self.assertRaisesRegex(UserError, "only planned actions can be marked done"):
            action.write({"result_id": self.result_positive.id})
            action.action_done()
        action.action_reset_to_planned()
        self.assertEqual(action.state, "planned")

    def test_user_deletes_only_own_planned_actions(self):
        own_planned = self._new_action()
        own_planned.unlink()
        self.assertFalse(own_planned.exists())

        teammate_planned = self._new_action(user=self.user_sales_2, user_id=self.user_sales_2.id)
        self.assertEqual(teammate_planned.team_id, self.team)
        teammate_planned = teammate_planned.with_user(self.user_sales)
        with self.assertRaisesRegex(AccessError, "delete only your own planned actions"):
            teammate_planned.unlink()

        own_done = self._new_action(result_id=self.result_positive.id)
        own_done.action_done()
        with self.assertRaisesRegex(AccessError, "Cancel it instead"):
            own_done.unlink()
        own_cancelled = self._new_action()
        own_cancelled.action_cancel()
        with self.assertRaises(AccessError):
            own_cancelled.unlink()
        self.assertTrue((teammate_planned | own_done | own_cancelled).exists())

        (teammate_planned | own_done | own_cancelled).with_user(self.user_manager).unlink()
        self.assertFalse((teammate_planned | own_done | own_cancelled).exists())
