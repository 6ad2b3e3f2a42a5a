from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestNotifyTour(HttpCase):
    def test_notify_from_the_action_form(self):
        sales = new_test_user(
            self.env,
            login="crm_action_notify_tour",
            name="Sally Sales",
            groups="sales_team.group_sale_salesman",
            email="sally@example.com",
        )
        sales.tour_enabled = False
        account = self.env["res.partner"].create(
            {"name": "Azure Tiles", "is_company": True, "email": "office@azure.example.com"}
        )
        contact = self.env["res.partner"].create(
            {"name": "Ana Azure", "parent_id": account.id, "email": "ana@azure.example.com"}
        )
        action = (
            self.env["crm.action"]
            .with_user(sales)
            .create({"name": "Call about the showroom", "partner_id": account.id, "user_id": sales.id})
        )
        self.assertEqual(action.contact_ids, contact)
        before = action.message_ids
        self.start_tour(f"/odoo/crm.action/{action.id}", "crm_action_notify", login=sales.login)
        message = (action.message_ids - before).filtered("partner_ids")
        self.assertEqual(message.subject, "Call about the showroom")
        self.assertEqual(message.partner_ids, sales.partner_id | contact | account)
        mails = self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        self.assertIn("guest@example.com", mails.mapped("email_to"))
        self.assertLessEqual(contact | account, mails.recipient_ids)
