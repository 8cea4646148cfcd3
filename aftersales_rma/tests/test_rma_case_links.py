from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import AftersalesRmaCommon


@tagged('post_install', '-at_install')
class TestRmaCaseLinks(AftersalesRmaCommon):
    """A case's order is its customer's, its vendor receipt a receipt from its
    partner, whatever the client posts; the Return type shows the order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_contact = cls.env['res.partner'].create({
            'name': "Buyer of the customer", 'parent_id': cls.customer.id,
        })
        cls.type_return = cls.env.ref('aftersales_case.type_return')

    def setUp(self):
        super().setUp()
        self.order = self._deliver_order([(self.product_delivery, 2)])
        self.other_order = self._deliver_order([(self.product_delivery, 2)], partner=self.partner_b)

    def _case(self, **values):
        return self.env['aftersales.case'].create({
            'subject': "Lamps to return", 'partner_id': self.customer.id, **values,
        })

    def _vendor_receipt(self, vendor):
        receipt = self.env['stock.picking'].create({
            'picking_type_id': self.warehouse.in_type_id.id,
            'partner_id': vendor.id,
            'move_ids': [Command.create({
                'product_id': self.product_delivery.id, 'product_uom_qty': 1,
                'location_id': self.env.ref('stock.stock_location_suppliers').id,
                'location_dest_id': self.stock_location.id,
            })],
        })
        receipt.action_confirm()
        return receipt

    # The case's order

    def test_case_refuses_another_customers_order(self):
        case = self._case()
        with self.assertRaisesText(ValidationError, f"Order {self.other_order.name} belongs to another "
                                                    f"customer than case {case.name}"):
            case.with_user(self.agent).write({'sale_order_id': self.other_order.id})
        self.assertFalse(case.sale_order_id)

    def test_case_is_not_created_with_another_customers_order(self):
        message = f"Order {self.other_order.name} belongs to another customer"
        with self.assertRaisesText(ValidationError, message):
            self._case(sale_order_id=self.other_order.id)

    def test_case_of_a_contact_keeps_its_companys_order(self):
        case = self._case(partner_id=self.customer_contact.id, sale_order_id=self.order.id)
        self.assertEqual(case.sale_order_id, self.order)

    def test_case_without_customer_refuses_an_order(self):
        with self.assertRaisesText(ValidationError, "belongs to another customer"):
            self._case(partner_id=False, sale_order_id=self.order.id)

    def test_case_customer_cannot_change_away_from_its_order(self):
        case = self._case(sale_order_id=self.order.id)
        with self.assertRaisesText(ValidationError, "belongs to another customer"):
            case.partner_id = self.partner_b
        self.assertEqual(case.partner_id, self.customer)

    # The case's vendor receipt

    def test_case_refuses_a_receipt_from_another_partner(self):
        receipt = self._vendor_receipt(self.partner_b)
        case = self._case()
        with self.assertRaisesText(ValidationError, f"{receipt.name} is not a receipt from the partner "
                                                    f"of case {case.name}"):
            case.aftersales_receipt_id = receipt

    def test_case_refuses_a_delivery_as_its_receipt(self):
        case = self._case()
        with self.assertRaisesText(ValidationError, "is not a receipt from the partner"):
            case.aftersales_receipt_id = self.order.picking_ids

    def test_case_keeps_a_receipt_from_its_partner(self):
        receipt = self._vendor_receipt(self.customer_contact)
        case = self._case(aftersales_receipt_id=receipt.id)
        self.assertEqual(case.aftersales_receipt_id, receipt)

    # The Return type

    def test_return_type_lists_the_sales_order_first(self):
        self.assertEqual(self.type_return.field_ids[:1].field_name, 'sale_order_id')
        self.assertFalse(self.type_return.field_ids[:1].required)

    def test_return_case_shows_the_sales_order(self):
        case = self._case(type_id=self.type_return.id, product_ids=[Command.set(self.product_delivery.ids)])
        self.assertNotIn(' sale_order_id ', case.hidden_field_names)
        self.assertNotIn(' sale_order_id ', case.required_field_names)

    def test_return_case_form_takes_the_sales_order(self):
        form = Form(self.env['aftersales.case'])
        form.subject = "Two lamps came broken"
        form.partner_id = self.customer
        form.type_id = self.type_return
        form.product_ids.add(self.product_delivery)
        form.sale_order_id = self.order
        case = form.save()
        self.assertEqual(case.sale_order_id, self.order)
        wizard = Form.from_action(self.env, case.action_create_aftersales_rma())
        self.assertEqual(wizard.sale_order_id, self.order)
