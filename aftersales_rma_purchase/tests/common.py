from odoo import Command, fields
from odoo.addons.aftersales_rma.tests.common import AftersalesRmaAccessCommon
from odoo.tests import Form, new_test_user


class AftersalesRmaPurchaseCommon(AftersalesRmaAccessCommon):
    """Goods bought from vendors, sold to a customer and returned: a lamp
    from one vendor, serial-tracked scanners, and the users around them."""

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.quick_ref('purchase.group_purchase_manager')

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor = cls.env['res.partner'].create({
            'name': "Lumen Wholesale", 'is_company': True, 'supplier_rank': 1,
        })
        cls.vendor_other = cls.env['res.partner'].create({
            'name': "Second Source Ltd", 'is_company': True, 'supplier_rank': 1,
        })
        cls.lamp = cls._create_bought_product("Reading Lamp", cls.vendor, price=40.0)
        cls.shade = cls._create_bought_product("Lamp Shade", cls.vendor, price=5.0)
        cls.scanner = cls._create_bought_product("Barcode Scanner", cls.vendor, price=90.0, tracking='serial')
        cls.scanner_serials = cls.env['stock.lot'].create([
            {'name': f"BS-{n:03d}", 'product_id': cls.scanner.id} for n in range(1, 5)
        ])
        cls.purchase_user = new_test_user(
            cls.env, login='rma_purchase_user', company_id=cls.company.id,
            groups='purchase.group_purchase_user',
        )

    @classmethod
    def _create_bought_product(cls, name, vendor, price, **values):
        return cls._create_rma_product(
            name=name, invoice_policy='delivery', lst_price=price * 2, purchase_method='receive',
            seller_ids=[Command.create({'partner_id': vendor.id, 'price': price})], **values,
        )

    def _purchase(self, lines, vendor=None, serials=None, bill=True):
        """A purchase order of ``[(product, qty)]`` from ``vendor``, received
        in full (``serials`` for the tracked product) and billed unless not ``bill``."""
        order = self.env['purchase.order'].create({
            'partner_id': (vendor or self.vendor).id,
            'order_line': [
                Command.create({'product_id': product.id, 'product_qty': qty}) for product, qty in lines
            ],
        })
        order.button_confirm()
        receipt = order.picking_ids
        for move in receipt.move_ids:
            if move.product_id.tracking == 'serial':
                move.lot_ids = serials
            else:
                move.quantity = move.product_uom_qty
        receipt.move_ids.picked = True
        receipt.button_validate()
        self.assertEqual(receipt.state, 'done')
        if bill:
            order.action_create_invoice()
            order.invoice_ids.invoice_date = fields.Date.today()
            order.invoice_ids.action_post()
        return order

    def _returned(self, lines, team=None, order=None):
        """A return of ``[(product, qty, resolution, serial)]`` delivered to the
        customer (by ``order``, else a new one), approved and received in full."""
        order = order or self._deliver_order(
            [(product, qty) for product, qty, _resolution, _lot in lines],
            serials=self.env['stock.lot'].union(*(lot for *_rest, lot in lines if lot)) or None,
        )
        rma = self._create_rma(order, lines, team_id=(team or self.team).id)
        rma.action_approve()
        self._receive(rma)
        return rma

    def _return_to_vendor(self, rma, user=None, quantities=None):
        """Send ``rma``'s goods back to the vendor through the wizard, as ``user``
        (the own-team agent); ``quantities`` by product, else all proposed."""
        action = rma.with_user(user or self.agent).action_return_to_vendor()
        with Form.from_action(self.env(user=user or self.agent), action) as wizard:
            for index in range(len(wizard.line_ids)):
                with wizard.line_ids.edit(index) as line:
                    if quantities is not None:
                        line.quantity = quantities.get(line.product_id, 0.0)
        before = rma.vendor_picking_ids
        wizard.record.action_confirm()
        rma.invalidate_recordset(['vendor_picking_ids'])
        return rma.vendor_picking_ids - before

    def _validate(self, pickings, user=None):
        """The warehouse sends the reserved goods off."""
        for move in pickings.move_ids:
            if not move.quantity:
                move.quantity = move.product_uom_qty
        pickings.move_ids.picked = True
        pickings.with_user(user or self.warehouse_user).button_validate()
        self.assertEqual(set(pickings.mapped('state')), {'done'})
        return pickings

    def _order_line(self, order, product):
        return order.order_line.filtered(lambda line: line.product_id == product)
