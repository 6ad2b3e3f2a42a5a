from odoo import Command
from odoo.tests import tagged

from .test_crm_action_sequence import CrmActionSequenceCommon

# Queries that spawning one lead with three planned actions may add to the creation
# of one quotation, whatever the size of the batch (measured: about 36, for the rule's
# server action, the link row, the lead and its origin message, three actions).
# Since issue 5 each planned action is also a to-do of its responsible (activity,
# follower) and, assigned by someone else, posts them an acknowledgement request
# (inbox message): measured about 94.
QUERIES_PER_QUOTATION = 100


@tagged("post_install", "-at_install")
class TestCrmActionSequencePerformance(CrmActionSequenceCommon):
    def _create_quotations(self, count):
        values = [
            {
                "partner_id": self.company_partner.id,
                "team_id": self.team.id,
                "user_id": self.user_sales.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 2})],
            }
            for _i in range(count)
        ]
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        orders = self.env["sale.order"].create(values)
        self.env.flush_all()
        return orders, self.cr.sql_log_count - start

    def test_queries_per_quotation_are_bounded(self):
        self._create_quotations(2)  # warm the caches
        rule = self.env.ref("crm_action.crm_action_automation_quotation")
        rule.active = False
        _orders, plain_20 = self._create_quotations(20)
        rule.active = True
        orders_20, spawning_20 = self._create_quotations(20)
        orders_40, spawning_40 = self._create_quotations(40)
        self.assertEqual(len(self._lead(orders_20 | orders_40, "quotation")), 60)

        extra_per_quotation = (spawning_20 - plain_20) / 20
        marginal_per_quotation = (spawning_40 - spawning_20) / 20
        self.assertLessEqual(
            extra_per_quotation,
            QUERIES_PER_QUOTATION,
            f"{plain_20} queries without spawning, {spawning_20} with it, for 20 quotations",
        )
        self.assertLessEqual(
            marginal_per_quotation,
            QUERIES_PER_QUOTATION + plain_20 / 20,
            f"{spawning_20} queries for 20 quotations, {spawning_40} for 40",
        )
