from odoo import Command
from odoo.addons.aftersales_case.tests.common import AftersalesAssertions
from odoo.addons.sale.tests.common import TestSaleCommon
from odoo.tests import new_test_user


class AftersalesRmaCommon(AftersalesAssertions, TestSaleCommon):
    """A delivered and invoiced order of a plain and a serial-tracked product."""

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.quick_ref(
            'aftersales_case.aftersales_group_manager'
        ) | cls.quick_ref('stock.group_stock_manager') | cls.quick_ref('stock.group_production_lot')

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.warehouse = cls.env['stock.warehouse'].search([('company_id', '=', cls.company.id)], limit=1)
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.customer = cls.partner_a
        cls.tax = cls.tax_sale_a
        cls.product_delivery = cls._create_rma_product(
            name="Desk Lamp", invoice_policy='delivery', lst_price=100.0,
        )
        cls.product_order = cls._create_rma_product(
            name="Office Chair", invoice_policy='order', lst_price=150.0,
        )
        cls.product_serial = cls._create_rma_product(
            name="Label Printer", invoice_policy='delivery', lst_price=200.0, tracking='serial',
        )
        cls.serials = cls.env['stock.lot'].create([
            {'name': f"LP-{n:03d}", 'product_id': cls.product_serial.id} for n in range(1, 6)
        ])
        for product in (cls.product_delivery, cls.product_order):
            cls.env['stock.quant']._update_available_quantity(product, cls.stock_location, 100)
        for lot in cls.serials:
            cls.env['stock.quant']._update_available_quantity(
                cls.product_serial, cls.stock_location, 1, lot_id=lot,
            )
        cls.agent = new_test_user(
            cls.env, login='rma_agent', company_id=cls.company.id,
            groups='aftersales_case.aftersales_group_user,base.group_user',
        )
        cls.warehouse_user = new_test_user(
            cls.env, login='rma_warehouse', company_id=cls.company.id,
            groups='stock.group_stock_user,stock.group_production_lot',
        )
        cls.accountant = new_test_user(
            cls.env, login='rma_accountant', company_id=cls.company.id,
            groups='account.group_account_invoice',
        )

    @classmethod
    def _create_rma_product(cls, **values):
        return cls.env['product.product'].create({
            'type': 'consu',
            'is_storable': True,
            'taxes_id': [Command.set(cls.tax.ids)],
            'company_id': cls.company.id,
            **values,
        })

    def _deliver_order(self, lines, serials=None, partner=None):
        """Confirm an order of ``[(product, qty)]`` and deliver all of it."""
        order = self.env['sale.order'].create({
            'partner_id': (partner or self.customer).id,
            'warehouse_id': self.warehouse.id,
            'order_line': [
                Command.create({'product_id': product.id, 'product_uom_qty': qty})
                for product, qty in lines
            ],
        })
        order.action_confirm()
        picking = order.picking_ids
        for move in picking.move_ids:
            if move.product_id.tracking == 'serial':
                move.lot_ids = serials or self.serials[:int(move.product_uom_qty)]
            else:
                move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, 'done')
        return order

    def _invoice(self, order):
        invoice = order._create_invoices()
        invoice.action_post()
        return invoice

    def _create_rma(self, order, lines, **values):
        """A draft return of ``[(product, qty, resolution, lot)]`` from ``order``."""
        return self._create_return(order.partner_id, lines, lambda product: {
            'sale_line_id': order.order_line.filtered(lambda sol: sol.product_id == product).id,
        }, sale_order_id=order.id, **values)

    def _create_return(self, partner, lines, origin_of, **values):
        """A draft return of ``[(product, qty, resolution, lot)]``, each line
        completed with ``origin_of(product)`` (the order or invoice line)."""
        return self.env['aftersales.rma'].create({
            'partner_id': partner.id,
            'line_ids': [
                Command.create({
                    'product_id': product.id,
                    'product_uom_qty': qty,
                    'resolution': resolution,
                    'lot_id': lot.id if lot else False,
                    **origin_of(product),
                })
                for product, qty, resolution, lot in lines
            ],
            **values,
        })

    def _receive(self, rma, user=None):
        """Validate the return's pending receipts as ``user`` (the warehouse)."""
        receipts = rma.picking_ids.filtered(
            lambda p: p.picking_type_code == 'incoming' and p.state not in ('done', 'cancel')
        )
        for move in receipts.move_ids:
            if not move.quantity:
                move.quantity = move.product_uom_qty
        receipts.move_ids.picked = True
        receipts.with_user(user or self.warehouse_user).button_validate()
        return receipts


class AftersalesRmaAccessCommon(AftersalesRmaCommon):
    """Teams and the other access levels around returns, and helpers for
    returns of invoices made without an order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent_other = new_test_user(
            cls.env, login='rma_agent_other', company_id=cls.company.id,
            groups='aftersales_case.aftersales_group_user',
        )
        cls.agent_all = new_test_user(
            cls.env, login='rma_agent_all', company_id=cls.company.id,
            groups='aftersales_case.aftersales_group_user_all',
        )
        cls.internal_user = new_test_user(
            cls.env, login='rma_internal', company_id=cls.company.id, groups='base.group_user',
        )
        cls.team = cls.env['aftersales.team'].create({
            'name': "Returns Desk", 'member_ids': [Command.set(cls.agent.ids)],
        })
        cls.team_other = cls.env['aftersales.team'].create({
            'name': "Other Returns Desk", 'member_ids': [Command.set(cls.agent_other.ids)],
        })

    @classmethod
    def _post_invoice(cls, lines, partner=None, **values):
        """A posted customer invoice made directly, with no order, of
        ``[(product, qty, price_unit, discount)]``."""
        invoice = cls.env['account.move'].create({
            'move_type': 'out_invoice',
            'partner_id': (partner or cls.customer).id,
            'invoice_line_ids': [
                Command.create({
                    'product_id': product.id, 'quantity': qty,
                    'price_unit': price, 'discount': discount,
                })
                for product, qty, price, discount in lines
            ],
            **values,
        })
        invoice.action_post()
        return invoice

    def _create_invoice_rma(self, invoice, lines, **values):
        """A draft return of ``[(product, qty, resolution, lot)]`` from ``invoice``."""
        invoice_lines = invoice.invoice_line_ids
        return self._create_return(invoice.partner_id, lines, lambda product: {
            'invoice_line_id': invoice_lines.filtered(lambda aml: aml.product_id == product)[:1].id,
        }, invoice_id=invoice.id, **values)

    def _received_rma(self, order, lines, **values):
        """A return of ``order`` approved and received in full."""
        rma = self._create_rma(order, lines, **values)
        rma.action_approve()
        self._receive(rma)
        return rma

    def _reverse(self, invoice, post=True):
        """Credit the whole invoice the way accounting does, outside any return."""
        reversal = self.env['account.move.reversal'].with_context(
            active_model='account.move', active_ids=invoice.ids,
        ).create({'journal_id': invoice.journal_id.id, 'reason': "Goodwill"})
        reversal.refund_moves()
        credit_note = reversal.new_move_ids
        if post:
            credit_note.action_post()
        return credit_note
