import base64

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PNG_1PX, AftersalesPortalCommon

SIGNATURE = base64.b64encode(PNG_1PX).decode()


@tagged('post_install', '-at_install')
class TestPortalRepairs(AftersalesPortalCommon):
    """SECURITY.md PA1, PA3, PA4 and PA5 on /my/repairs; the quote signed as
    a sale order is."""

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.quick_ref(
            'aftersales_repair.aftersales_repair_group_manager'
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.labour = cls.env['product.product'].create({
            'name': "Hinge Replacement", 'type': 'service', 'list_price': 60.0, 'invoice_policy': 'order',
        })
        cls.serial = cls.env['stock.lot'].create({'name': "CAB-0042", 'product_id': cls.product_order.id})
        cls.own_repair = cls._create_repair(cls.customer_company, lot_id=cls.serial.id)
        cls.other_repair = cls._create_repair(cls.other_company)

    @classmethod
    def _create_repair(cls, partner, **values):
        return cls.env['repair.order'].create({
            'partner_id': partner.id, 'product_id': cls.product_order.id,
            'aftersales_operation_ids': [Command.create({'product_id': cls.labour.id})],
            **values,
        })

    def _send_quote(self, repair):
        # The e-mail's own test is the repair module's: here the quote is out.
        repair.aftersales_quote_state = 'sent'

    def _accept(self, repair, token=None, name="Anna Portal", signature=SIGNATURE):
        params = {'name': name, 'signature': signature}
        if token is not None:
            params['access_token'] = token
        return self.make_jsonrpc_request(f'/my/repairs/{repair.id}/accept', params)

    # Home and list

    def test_home_counts_only_own_repairs(self):
        self._login(self.portal_user)
        counters = self.make_jsonrpc_request('/my/counters', {'counters': ['aftersales_repair_count']})
        self.assertEqual(counters['aftersales_repair_count'], 1)
        self._login(self.other_portal_user)
        counters = self.make_jsonrpc_request('/my/counters', {'counters': ['aftersales_repair_count']})
        self.assertEqual(counters['aftersales_repair_count'], 1)

    def test_list_shows_own_repairs_only(self):
        self._login(self.portal_user)
        response = self.url_open('/my/repairs')
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.own_repair.name, response.text)
        self.assertIn("CAB-0042", response.text)
        self.assertNotIn(self.other_repair.name, response.text)

    def test_list_searches_filters_and_groups(self):
        done = self._create_repair(self.customer_company)
        done.state = 'done'
        self._send_quote(self.own_repair)
        self._login(self.portal_user)
        found = self.url_open('/my/repairs?search_in=serial&search=CAB-0042').text
        self.assertIn(self.own_repair.name, found)
        self.assertNotIn(done.name, found)
        repaired = self.url_open('/my/repairs?filterby=done').text
        self.assertIn(done.name, repaired)
        self.assertNotIn(self.own_repair.name, repaired)
        to_sign = self.url_open('/my/repairs?filterby=to_sign').text
        self.assertIn(self.own_repair.name, to_sign)
        self.assertNotIn(done.name, to_sign)
        grouped = self.url_open('/my/repairs?groupby=status').text
        self.assertIn('table-light', grouped)

    def test_list_query_count_does_not_grow_with_repairs(self):
        self.env['repair.order'].create([{
            'partner_id': self.customer_company.id, 'product_id': self.product_order.id,
        } for _n in range(9)])
        self._login(self.portal_user)
        queries_10 = self._count_queries('/my/repairs')
        self.env['repair.order'].create([{
            'partner_id': self.customer_company.id, 'product_id': self.product_order.id,
            'lot_id': self.serial.id, 'aftersales_quote_state': 'sent',
        } for _n in range(490)])
        self.assertEqual(self._count_queries('/my/repairs'), queries_10)
        self.url_open('/my/repairs')
        with self.assertQueryCount(queries_10):
            self.url_open('/my/repairs')

    # Detail and tokens

    def test_detail_shows_progress_quote_and_history(self):
        earlier = self._create_repair(self.customer_company, lot_id=self.serial.id)
        rival_earlier = self._create_repair(self.other_company, lot_id=self.serial.id)
        self._send_quote(self.own_repair)
        self._login(self.portal_user)
        page = self.url_open(f'/my/repairs/{self.own_repair.id}').text
        self.assertIn("Hinge Replacement", page)
        self.assertIn('aftersales_repair_progress', page)
        self.assertIn('aftersales_repair_quote', page)
        self.assertIn('aftersales_repair_sign', page)
        self.assertIn(earlier.name, page, "The customer's earlier repair of the serial")
        self.assertNotIn(rival_earlier.name, page, "Another customer's repair of the serial stays hidden")
        self.assertIn('o_portal_chatter', page)

    def test_quote_not_sent_shows_no_quote_nor_sign_button(self):
        self._login(self.portal_user)
        page = self.url_open(f'/my/repairs/{self.own_repair.id}').text
        self.assertNotIn('aftersales_repair_quote', page)
        self.assertNotIn('aftersales_repair_sign', page)

    def test_another_customers_repair_looks_like_an_unknown_one(self):
        self._login(self.portal_user)
        for repair_id in (self.other_repair.id, 10 ** 8):
            with self.subTest(repair_id=repair_id):
                response = self.url_open(f'/my/repairs/{repair_id}', allow_redirects=False)
                self._assert_redirected_home(response, self.other_repair.name)

    def test_token_opens_its_repair_only(self):
        token = self.own_repair._portal_ensure_token()
        other_token = self.other_repair._portal_ensure_token()
        self.authenticate(None, None)
        response = self.url_open(f'/my/repairs/{self.own_repair.id}?access_token={token}')
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.own_repair.name, response.text)
        for repair, forged in ((self.own_repair, 'forged-token'), (self.own_repair, other_token),
                               (self.own_repair, ''), (self.other_repair, token)):
            with self.subTest(repair=repair.name, token=forged):
                response = self.url_open(
                    f'/my/repairs/{repair.id}?access_token={forged}', allow_redirects=False,
                )
                self._assert_redirected_home(response, self.own_repair.name, self.other_repair.name)

    def test_quote_pdf_downloads_with_the_token(self):
        self._send_quote(self.own_repair)
        token = self.own_repair._portal_ensure_token()
        self.authenticate(None, None)
        response = self.url_open(
            f'/my/repairs/{self.own_repair.id}?access_token={token}&report_type=html',
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Hinge Replacement", response.text)
        response = self.url_open(
            f'/my/repairs/{self.other_repair.id}?access_token={token}&report_type=html',
            allow_redirects=False,
        )
        self._assert_redirected_home(response, self.other_repair.name)

    # Signing the quote

    def test_customer_signs_the_quote_and_the_order_is_confirmed(self):
        self._send_quote(self.own_repair)
        self._login(self.portal_user)
        result = self._accept(self.own_repair)
        self.assertTrue(result.get('force_refresh'), result)
        self.assertRecordValues(self.own_repair, [{
            'aftersales_quote_state': 'confirmed', 'aftersales_signed_by': "Anna Portal",
        }])
        self.assertTrue(self.own_repair.aftersales_signature)
        self.assertEqual(self.own_repair.sale_order_id.state, 'sale')
        self.assertEqual(self.own_repair.sale_order_id.partner_id, self.customer_company)
        self.assertIn("Hinge Replacement", self.own_repair.sale_order_id.order_line.product_id.mapped('name'))
        message = self.own_repair.message_ids[0]
        self.assertIn("Quote signed by Anna Portal", str(message.body))
        self.assertEqual(message.attachment_ids.mimetype, 'application/pdf')
        page = self.url_open(f'/my/repairs/{self.own_repair.id}?message=signed').text
        self.assertIn('aftersales_repair_signature', page)
        self.assertNotIn('aftersales_repair_sign"', page)

    def test_link_holder_signs_with_the_token(self):
        self._send_quote(self.own_repair)
        token = self.own_repair._portal_ensure_token()
        self.authenticate(None, None)
        self.assertIn('error', self._accept(self.own_repair, token='forged'))
        self.assertEqual(self.own_repair.aftersales_quote_state, 'sent')
        result = self._accept(self.own_repair, token=token)
        self.assertNotIn('error', result)
        self.assertEqual(self.own_repair.aftersales_quote_state, 'confirmed')

    def test_signing_refused_unless_the_quote_waits_for_it(self):
        self._login(self.portal_user)
        self.assertIn('error', self._accept(self.own_repair), "A quote not sent is not signed")
        self._send_quote(self.own_repair)
        self.assertIn('error', self._accept(self.own_repair, signature=''), "No signature")
        self.assertIn('error', self._accept(self.own_repair, name='  '), "No name")
        with mute_logger('odoo.sql_db'):
            self.assertIn('error', self._accept(self.own_repair, signature='not base64!'))
        self.assertFalse(self.own_repair.sale_order_id)
        self.assertFalse(self.own_repair.aftersales_signature)
        self._accept(self.own_repair)
        self.assertIn('error', self._accept(self.own_repair), "Signed twice")
        self.assertEqual(len(self.own_repair.sale_order_id), 1)

    def test_signing_refused_once_the_desk_settled_the_quote(self):
        self._send_quote(self.own_repair)
        self.own_repair._aftersales_confirm_quote()  # a salesperson confirmed it in the backend
        order = self.own_repair.sale_order_id
        self._login(self.portal_user)
        self.assertIn('error', self._accept(self.own_repair))
        self.assertEqual(self.own_repair.sale_order_id, order, "no second order")
        self.assertFalse(self.own_repair.aftersales_signature)
        cancelled = self._create_repair(self.customer_company)
        self._send_quote(cancelled)
        cancelled.action_repair_cancel()
        self.assertIn('error', self._accept(cancelled))
        self.assertFalse(cancelled.sale_order_id)

    def test_other_customer_cannot_sign(self):
        self._send_quote(self.own_repair)
        self._login(self.other_portal_user)
        self.assertIn('error', self._accept(self.own_repair))
        self.assertEqual(self.own_repair.aftersales_quote_state, 'sent')
        self.assertFalse(self.own_repair.aftersales_signature)

    def test_customer_signs_the_quote_in_the_browser(self):
        self._send_quote(self.own_repair)
        self.start_tour(
            f'/my/repairs/{self.own_repair.id}', 'aftersales_portal_repair_sign',
            login=self.portal_user.login,
        )
        self.assertRecordValues(self.own_repair, [{
            'aftersales_quote_state': 'confirmed', 'aftersales_signed_by': "Anna Portal",
        }])
        self.assertEqual(self.own_repair.sale_order_id.state, 'sale')
