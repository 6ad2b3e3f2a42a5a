from datetime import datetime, time, timedelta

import pytz

from odoo.tests import TransactionCase, new_test_user


def working_hour(base, days, user, acting_user=None, hour=9):
    """The start the module proposes ``days`` days after ``base`` for ``user``: 09:00 of
    that day where the user works (their time zone, else that of the user who acts,
    ``acting_user``, by default ``user``), in UTC, and never before ``base``."""
    tz = pytz.timezone(user.tz or (acting_user or user).tz or "UTC")
    day = pytz.utc.localize(base).astimezone(tz).date() + timedelta(days=days)
    start = tz.localize(datetime.combine(day, time(hour))).astimezone(pytz.utc).replace(tzinfo=None)
    return max(start, base)


class CrmActionCommon(TransactionCase):
    """Users per group and the reference data the tests share."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True))
        cls.company = cls.env.ref("base.main_company")
        cls.user_sales = new_test_user(
            cls.env,
            login="crm_action_sales",
            name="Sally Sales",
            groups="sales_team.group_sale_salesman",
            email="sally@example.com",
        )
        cls.user_action = new_test_user(
            cls.env,
            login="crm_action_user",
            name="Umberto User",
            groups="base.group_user,crm_action.crm_action_group_user",
        )
        cls.user_manager = new_test_user(
            cls.env,
            login="crm_action_manager",
            name="Marta Manager",
            groups="base.group_user,crm_action.crm_action_group_manager",
        )
        cls.user_portal = new_test_user(cls.env, login="crm_action_portal", groups="base.group_portal")
        cls.type_call = cls.env.ref("crm_action.crm_action_type_call")
        cls.type_visit = cls.env.ref("crm_action.crm_action_type_visit")
        cls.result_positive = cls.env.ref("crm_action.crm_action_result_positive")
        cls.result_negative = cls.env.ref("crm_action.crm_action_result_negative")
        cls.company_partner = cls.env["res.partner"].create({"name": "Azure Tiles", "is_company": True})
        cls.contact = cls.env["res.partner"].create(
            {"name": "Ana Azure", "parent_id": cls.company_partner.id, "phone": "+351 210 000 000"}
        )
        cls.other_partner = cls.env["res.partner"].create({"name": "Bricks Ltd", "is_company": True})
        cls.other_contact = cls.env["res.partner"].create({"name": "Bob Bricks", "parent_id": cls.other_partner.id})
        # The demo action sequences would spawn leads and actions from the quotations and
        # returns other tests create: every test starts without them.
        demo_team = cls.env.ref("sales_team.team_sales_department", raise_if_not_found=False)
        if demo_team:
            demo_team.crm_action_quotation_sequence_id = False
        receipts = cls.env.ref("stock.picking_type_in", raise_if_not_found=False)
        if receipts:
            receipts.crm_action_return_sequence_id = False
