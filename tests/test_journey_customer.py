"""Journey of a customer in the portal, in headless Chromium: registers the
product delivered to them, claims under warranty, follows the repair the
claim became and signs its quote."""

from odoo import Command
from odoo.addons.aftersales_portal.tests.common import AftersalesPortalCommon
from odoo.tests import tagged


@tagged('post_install', '-at_install')
class TestJourneyCustomer(AftersalesPortalCommon):

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.quick_ref(
            'aftersales_warranty.aftersales_warranty_group_manager'
        ) | cls.quick_ref('aftersales_repair.aftersales_repair_group_manager')

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.aftersales_warranty_registration_trigger = 'none'
        cls.env['aftersales.warranty.term'].create({
            'name': "Printers: two years",
            'product_tmpl_id': cls.product_serial.product_tmpl_id.id,
            'duration': 2, 'duration_unit': 'year', 'start_trigger': 'registration',
            'cover_parts': True, 'cover_labour': True, 'cover_replacement': True, 'cover_refund': False,
        })
        cls.serial = cls.env['stock.lot'].create({'name': "JRN-0001", 'product_id': cls.product_serial.id})
        cls.env['stock.quant']._update_available_quantity(
            cls.product_serial, cls.stock_location, 1, lot_id=cls.serial,
        )

    def test_customer_registers_claims_and_signs_the_repair_quote(self):
        self._deliver_order([(self.product_serial, 1)], self.serial, partner=self.customer_company)
        self.start_tour('/my/warranties/new', 'aftersales_journey_customer_warranty',
                        login=self.portal_user.login)
        registration = self.env['aftersales.warranty'].search([('lot_id', '=', self.serial.id)])
        self.assertRecordValues(registration, [{
            'partner_id': self.customer_company.id, 'state': 'active',
        }])
        claim = registration.claim_ids
        self.assertRecordValues(claim, [{'state': 'accepted', 'remedy': 'repair'}])

        # The desk settles the accepted claim by a repair and sends its quote.
        claim.action_create_repair()
        repair = claim.repair_id
        self.assertTrue(repair.under_warranty)
        labour = self.env['product.product'].create({
            'name': "Paper Feed Replacement", 'type': 'service', 'list_price': 60.0,
        })
        repair.aftersales_operation_ids = [Command.create({'product_id': labour.id})]
        repair.with_context(mark_aftersales_quote_sent=True).message_post(body="Your repair quote.")
        self.assertEqual(repair.aftersales_quote_state, 'sent')

        self.start_tour('/my/home', 'aftersales_journey_customer_repair', login=self.portal_user.login)
        self.assertRecordValues(repair, [{
            'aftersales_quote_state': 'confirmed', 'aftersales_signed_by': "Anna Portal",
            'aftersales_amount_to_charge': 0.0,
        }])
        self.assertEqual(repair.sale_order_id.state, 'sale')
        self.assertEqual(repair.sale_order_id.partner_id, self.customer_company)
