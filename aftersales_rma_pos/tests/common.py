from odoo import Command
from odoo.addons.aftersales_rma.tests.common import AftersalesRmaAccessCommon
from odoo.tests import new_test_user


class AftersalesRmaPosCommon(AftersalesRmaAccessCommon):
    """A point of sale with an open session, stock moved in real time, and the
    people around its returns: an agent who also works the till, and a
    cashier with no after-sales rights."""

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.quick_ref('point_of_sale.group_pos_manager')

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.point_of_sale_update_stock_quantities = 'real'
        if not cls.company.account_default_pos_receivable_account_id:
            cls.company.account_default_pos_receivable_account_id = cls.env['account.account'].create({
                'code': 'X1012.POS', 'name': "Debtors (POS)", 'reconcile': True,
                'account_type': 'asset_receivable',
            })
        cls.cash_method = cls.env['pos.payment.method'].create({
            'name': "Cash", 'journal_id': cls.company_data['default_journal_cash'].id,
            'company_id': cls.company.id,
        })
        cls.pos_config = cls.env['pos.config'].create({
            'name': "Shop Till",
            'invoice_journal_id': cls.company_data['default_journal_sale'].id,
            'payment_method_ids': [Command.set(cls.cash_method.ids)],
            'picking_type_id': cls.warehouse.pos_type_id.id,
        })
        (cls.product_delivery | cls.product_order | cls.product_serial).available_in_pos = True
        cls.pos_agent = new_test_user(
            cls.env, login='rma_pos_agent', company_id=cls.company.id,
            groups='aftersales_case.aftersales_group_user,point_of_sale.group_pos_user,base.group_user',
        )
        cls.team.member_ids |= cls.pos_agent
        cls.cashier = new_test_user(
            cls.env, login='rma_cashier', company_id=cls.company.id,
            groups='point_of_sale.group_pos_user,base.group_user',
        )

    def setUp(self):
        super().setUp()
        self.pos_config.open_ui()
        self.session = self.pos_config.current_session_id
        self.session.set_opening_control(0, None)

    # Helpers

    def _sell(self, lines, partner=None, to_invoice=False):
        """A till receipt of ``[(product, qty)]`` or ``[(product, qty, serial names)]``,
        paid in cash in the open session, as core's tests make them."""
        order = self.env['pos.order'].create({
            'session_id': self.session.id,
            'partner_id': partner.id if partner else False,
            'to_invoice': to_invoice,
            'amount_total': 0.0, 'amount_paid': 0.0, 'amount_tax': 0.0, 'amount_return': 0.0,
            'lines': [Command.create(self._prepare_sale_line_vals(*line)) for line in lines],
        })
        order.lines._onchange_amount_line_all()
        order._compute_prices()
        self._pay(order)
        self.assertIn(order.state, ('paid', 'done'))
        return order

    def _prepare_sale_line_vals(self, product, qty, lot_names=()):
        return {
            'product_id': product.id,
            'qty': qty,
            'price_unit': product.lst_price,
            'tax_ids': [Command.set(product.taxes_id.ids)],
            'price_subtotal': 0.0, 'price_subtotal_incl': 0.0,
            'pack_lot_ids': [Command.create({'lot_name': name}) for name in lot_names],
        }

    def _pay(self, order, user=None):
        """Pay what the order asks (or gives back) in cash, as the Payment button does."""
        context = {'active_id': order.id, 'active_ids': order.ids}
        payment = self.env['pos.make.payment'].with_user(user or self.env.user).with_context(**context)
        payment.create({'payment_method_id': self.cash_method.id}).check()

    def _pay_at_till(self, order, user=None):
        """Pay a draft order in cash at the till, as the till sends it once paid."""
        amount = order.amount_total
        self.env['pos.order'].with_user(user or self.cashier).sync_from_ui([{
            'uuid': order.uuid, 'access_token': order.access_token, 'session_id': order.session_id.id,
            'state': 'paid', 'partner_id': order.partner_id.id, 'to_invoice': order.to_invoice,
            'amount_total': amount, 'amount_tax': order.amount_tax, 'amount_paid': amount,
            'amount_return': 0.0, 'lines': [],
            'payment_ids': [Command.create({
                'amount': amount, 'payment_method_id': self.cash_method.id, 'name': "Cash",
            })],
        }])

    def _refund_at_till(self, order, quantities):
        """Refund ``{product: qty}`` of ``order`` at the till (core's Return
        Products), paid back in cash."""
        refund = self.env['pos.order'].browse(order.refund()['res_id'])
        for line in refund.lines:
            qty = quantities.get(line.product_id, 0.0)
            if qty:
                line.qty = -qty
            else:
                line.unlink()
        refund.lines._onchange_amount_line_all()
        refund._compute_prices()
        self._pay(refund)
        return refund

    def _pos_return(self, order, lines, **values):
        """A draft return of ``[(product, qty, resolution, lot)]`` from the till receipt ``order``."""
        partner = values.pop('partner', None) or order.partner_id or self.customer
        return self._create_return(partner, lines, lambda product: {
            'pos_order_line_id': order.lines.filtered(lambda line: line.product_id == product)[:1].id,
        }, pos_order_id=order.id, **values)

    def _received_pos_return(self, order, lines, **values):
        rma = self._pos_return(order, lines, **values)
        rma.action_approve()
        self._receive(rma)
        return rma

    def _on_hand(self, product):
        return product.with_context(warehouse_id=self.warehouse.id).qty_available
