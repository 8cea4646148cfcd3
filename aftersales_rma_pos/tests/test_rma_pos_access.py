from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import AftersalesRmaPosCommon

ACCESS_LOGGERS = ('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')


@tagged('post_install', '-at_install')
class TestRmaPosAccess(AftersalesRmaPosCommon):
    """Who returns, approves, refunds and pays the goods of a till receipt."""

    def setUp(self):
        super().setUp()
        self.order = self._sell([(self.product_delivery, 5)], partner=self.customer)

    def _team_return(self, team, user):
        return self._pos_return(self.order, [(self.product_delivery, 2, 'refund', None)],
                                team_id=team.id, user_id=user.id)

    def test_agent_without_point_of_sale_rights_approves_a_team_return(self):
        rma = self._team_return(self.team, self.agent)
        rma.with_user(self.agent).action_approve()
        self.assertEqual(rma.state, 'approved')
        self.assertEqual(rma.picking_ids.move_ids.product_uom_qty, 2.0)

    @mute_logger(*ACCESS_LOGGERS)
    def test_agent_cannot_approve_another_teams_return(self):
        rma = self._team_return(self.team_other, self.agent_other)
        with self.assertRaises(AccessError):
            rma.with_user(self.agent).action_approve()
        self.assertEqual(rma.state, 'draft')

    @mute_logger(*ACCESS_LOGGERS)
    def test_point_of_sale_agent_cannot_refund_another_teams_return(self):
        rma = self._team_return(self.team_other, self.agent_other)
        rma.action_approve()
        self._receive(rma)
        with self.assertRaises(AccessError):
            rma.with_user(self.pos_agent).action_refund()
        self.assertFalse(rma.sudo().pos_refund_order_ids)

    @mute_logger(*ACCESS_LOGGERS)
    def test_cashier_pays_the_refund_order_but_cannot_read_the_return(self):
        rma = self._team_return(self.team, self.pos_agent)
        rma.action_approve()
        self._receive(rma)
        rma.with_user(self.pos_agent).action_refund()
        refund = rma.sudo().pos_refund_order_ids
        with self.assertRaises(AccessError):
            rma.with_user(self.cashier).check_access('read')
        self._pay_at_till(refund, user=self.cashier)
        self.assertEqual(rma.state, 'done')

    def test_return_and_refund_order_open_each_other(self):
        rma = self._team_return(self.team, self.pos_agent)
        rma.action_approve()
        self._receive(rma)
        action = rma.with_user(self.pos_agent).action_refund()
        refund = rma.sudo().pos_refund_order_ids
        self.assertEqual((action['res_model'], action['res_id']), ('pos.order', refund.id))
        self.assertEqual(rma.with_user(self.pos_agent).action_view_pos_refunds()['res_id'], refund.id)
        self.assertEqual(refund.with_user(self.pos_agent).action_view_aftersales_rma()['res_id'], rma.id)
        order = self.order.with_user(self.pos_agent)
        self.assertEqual(order.aftersales_rma_count, 1)
        self.assertEqual(order.action_view_aftersales_rmas()['res_id'], rma.id)
        self.assertEqual(rma.with_user(self.pos_agent).pos_refund_count, 1)

    @mute_logger(*ACCESS_LOGGERS)
    def test_receipt_counts_only_the_returns_the_user_may_open(self):
        self._team_return(self.team_other, self.agent_other)
        self.assertEqual(self.order.with_user(self.pos_agent).aftersales_rma_count, 0)
