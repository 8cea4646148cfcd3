from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import JsonRpcException, tagged
from odoo.tools import mute_logger

from ..controllers import portal as portal_controller
from .common import PNG_1PX, AftersalesPortalCommon


@tagged('post_install', '-at_install')
class TestPortalReturns(AftersalesPortalCommon):
    """SECURITY.md PA1, PA3, PA4, PA7, PA8, PA11 and PA12 on /my/returns."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reason = cls.env['aftersales.rma.reason'].create({'name': "Arrived broken"})

    def setUp(self):
        super().setUp()
        self.order = self._deliver_order([(self.product_delivery, 5)], partner=self.customer_company)
        self.sale_line = self.order.order_line
        self.other_order = self._deliver_order([(self.product_delivery, 3)], partner=self.other_company)

    def _request_url(self, order=None):
        return f'/my/returns/new?order_id={(order or self.order).id}'

    def _post_request(self, qty='2', data=None, files=None, order=None, csrf=True):
        order = order or self.order
        line = order.order_line
        payload = {
            f'qty_{line.id}-0': qty, 'reason_id': self.reason.id, 'resolution': 'replace',
            'description': "Two lamps arrived with cracked shades.", **(data or {}),
        }
        if csrf:
            payload['csrf_token'] = self._csrf()
        return self.url_open(self._request_url(order), data=payload, files=files)

    def _returns(self, order=None):
        return self.env['aftersales.rma'].search([('sale_order_id', '=', (order or self.order).id)])

    # Home, list and detail

    def test_home_counts_and_list_show_own_returns_only(self):
        own = self._create_rma(self.order, [(self.product_delivery, 1, 'refund', None)])
        other = self._create_rma(self.other_order, [(self.product_delivery, 1, 'refund', None)])
        self._login(self.portal_user)
        counters = self.make_jsonrpc_request('/my/counters', {'counters': ['aftersales_rma_count']})
        self.assertEqual(counters['aftersales_rma_count'], 1)
        page = self.url_open('/my/returns').text
        self.assertIn(own.name, page)
        self.assertNotIn(other.name, page)
        self.assertIn(own.name, self.url_open('/my/returns?filterby=open&sortby=reference').text)
        self.assertNotIn(own.name, self.url_open('/my/returns?filterby=closed').text)

    def test_detail_shows_lines_and_prints_the_authorisation(self):
        rma = self._create_rma(self.order, [(self.product_delivery, 2, 'refund', None)])
        self._login(self.portal_user)
        page = self.url_open(f'/my/returns/{rma.id}')
        self.assertEqual(page.status_code, 200)
        self.assertIn("Desk Lamp", page.text)
        self.assertIn('o_portal_chatter', page.text)
        report = self.url_open(f'/my/returns/{rma.id}?report_type=html')
        self.assertEqual(report.status_code, 200)
        self.assertIn(rma.name, report.text)

    def test_customer_writes_on_own_return(self):
        rma = self._create_rma(self.order, [(self.product_delivery, 1, 'refund', None)])
        other = self._create_rma(self.other_order, [(self.product_delivery, 1, 'refund', None)])
        self._login(self.portal_user)
        page = self.url_open(f'/my/returns/{rma.id}').text
        token = rma.access_token
        self.assertIn(f'data-token="{token}"', page)
        self.make_jsonrpc_request('/mail/message/post', {
            'thread_model': 'aftersales.rma', 'thread_id': rma.id, 'token': token,
            'post_data': {'body': "Parcel leaves tomorrow", 'message_type': 'comment'},
        })
        message = rma.message_ids.filtered(lambda m: 'Parcel leaves' in str(m.body))
        self.assertEqual(message.author_id, self.customer_contact)
        with mute_logger('odoo.http'), self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request('/mail/message/post', {
                'thread_model': 'aftersales.rma', 'thread_id': other.id, 'token': token,
                'post_data': {'body': "Intrusion", 'message_type': 'comment'},
            })
        self.assertFalse(other.message_ids.filtered(lambda m: 'Intrusion' in str(m.body)))

    def test_another_customers_return_and_report_look_unknown(self):
        other = self._create_rma(self.other_order, [(self.product_delivery, 1, 'refund', None)])
        self._login(self.portal_user)
        for url in (f'/my/returns/{other.id}', f'/my/returns/{other.id}?report_type=pdf',
                    '/my/returns/999999999?report_type=pdf'):
            with self.subTest(url=url):
                self._assert_redirected_home(self.url_open(url, allow_redirects=False), other.name)

    def test_token_opens_its_return_only(self):
        rma = self._create_rma(self.order, [(self.product_delivery, 1, 'refund', None)])
        other = self._create_rma(self.other_order, [(self.product_delivery, 1, 'refund', None)])
        token = rma._portal_ensure_token()
        self.authenticate(None, None)
        self.assertEqual(self.url_open(f'/my/returns/{rma.id}?access_token={token}').status_code, 200)
        for url in (f'/my/returns/{rma.id}?access_token=forged',
                    f'/my/returns/{other.id}?access_token={token}',
                    f'/my/returns/{other.id}?report_type=pdf&access_token={token}'):
            with self.subTest(url=url):
                self._assert_redirected_home(self.url_open(url, allow_redirects=False), other.name)
        # A link's token creates nothing: the request form wants the customer logged in.
        response = self.url_open(f'{self._request_url()}&access_token={token}', allow_redirects=False)
        self.assertIn('/web/login', response.headers.get('Location', ''))

    def test_list_query_count_does_not_grow_with_returns(self):
        order = self._deliver_order([(self.product_order, 500)], partner=self.customer_company)
        for _n in range(10):
            self._create_rma(order, [(self.product_order, 1, 'refund', None)])
        self._login(self.portal_user)
        queries_10 = self._count_queries('/my/returns')
        # 500 in all, made in one batch.
        self.env['aftersales.rma'].create([{
            'partner_id': self.customer_company.id, 'sale_order_id': order.id,
            'line_ids': [Command.create({
                'product_id': self.product_order.id, 'product_uom_qty': 1, 'resolution': 'refund',
                'sale_line_id': order.order_line.id,
            })],
        } for _n in range(490)])
        self.assertEqual(self._count_queries('/my/returns'), queries_10)
        self.url_open('/my/returns')
        with self.assertQueryCount(queries_10):
            self.url_open('/my/returns')

    # Requesting a return

    def test_order_page_offers_the_request(self):
        self._login(self.portal_user)
        page = self.url_open(f'/my/orders/{self.order.id}').text
        self.assertIn('aftersales_rma_request_from_order', page)
        choice = self.url_open('/my/returns/new').text
        self.assertIn(self.order.name, choice)
        self.assertNotIn(self.other_order.name, choice)
        form = self.url_open(self._request_url()).text
        self.assertIn(f'qty_{self.sale_line.id}-0', form)

    def test_request_creates_a_draft_return(self):
        self._login(self.portal_user)
        response = self._post_request(qty='2', files={'photos': ('shade.png', PNG_1PX, 'image/png')})
        rma = self._returns()
        self.assertEqual(len(rma), 1)
        self.assertRecordValues(rma, [{
            'state': 'draft', 'partner_id': self.customer_contact.id, 'user_id': False,
            'requested_resolution': 'replace',
        }])
        self.assertRecordValues(rma.line_ids, [{
            'product_id': self.product_delivery.id, 'sale_line_id': self.sale_line.id,
            'product_uom_qty': 2.0, 'reason_id': self.reason.id, 'resolution': 'replace',
        }])
        self.assertIn('cracked shades', str(rma.description))
        self.assertEqual(rma.message_ids.attachment_ids.mapped('name'), ['shade.png'])
        self.assertIn(f'/my/returns/{rma.id}?', response.url)
        self.assertIn('message=requested', response.url)

    def test_request_beyond_returnable_is_refused(self):
        self._create_rma(self.order, [(self.product_delivery, 4, 'refund', None)])
        self._login(self.portal_user)
        for qty in ('2', '6', '-1', 'nan', 'inf', '1e309', 'abc'):
            with self.subTest(qty=qty):
                response = self._post_request(qty=qty)
                self.assertEqual(response.status_code, 200)
                self.assertIn('alert-danger', response.text)
                self.assertEqual(len(self._returns()), 1)
        self._post_request(qty='1')
        self.assertEqual(len(self._returns()), 2)

    def test_nothing_to_return_is_refused(self):
        self._login(self.portal_user)
        response = self._post_request(qty='0')
        self.assertIn('alert-danger', response.text)
        self.assertFalse(self._returns())

    def test_request_for_another_customers_order_is_not_found(self):
        self._login(self.portal_user)
        with mute_logger('odoo.http'):
            self.assertEqual(self.url_open(self._request_url(self.other_order)).status_code, 404)
            self.assertEqual(self.url_open('/my/returns/new?order_id=abc').status_code, 404)
            response = self._post_request(qty='1', order=self.other_order)
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self._returns(self.other_order))

    def test_request_ignores_fields_outside_the_form(self):
        self._login(self.portal_user)
        self._post_request(qty='1', data={
            'state': 'approved', 'partner_id': self.other_company.id, 'user_id': self.agent.id,
            'price_unit': 0.01, 'warehouse_id': 0, 'resolution': 'replace',
        })
        rma = self._returns()
        self.assertRecordValues(rma, [{
            'state': 'draft', 'partner_id': self.customer_contact.id, 'user_id': False,
        }])
        self.assertEqual(rma.line_ids.price_unit, self.sale_line.price_unit)

    def test_request_with_an_unknown_resolution_is_refused(self):
        self._login(self.portal_user)
        response = self._post_request(qty='1', data={'resolution': 'cash_bonus'})
        self.assertIn('alert-danger', response.text)
        self.assertFalse(self._returns())

    def test_request_without_csrf_is_refused(self):
        self._login(self.portal_user)
        with mute_logger('odoo.http'):
            response = self._post_request(qty='1', csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._returns())

    def test_oversized_photo_is_refused(self):
        self._login(self.portal_user)
        big = PNG_1PX + b'\0' * (10 * 1024 * 1024)
        response = self._post_request(qty='1', files={'photos': ('huge.png', big, 'image/png')})
        # The server refuses a request part that large before the form reads it.
        self.assertEqual(response.status_code, 413)
        self.assertFalse(self._returns())
        # Under it, the form's own cap per file refuses the photo by name.
        with patch.object(portal_controller, 'UPLOAD_MAX_BYTES', len(PNG_1PX) + 10):
            response = self._post_request(qty='1', files={
                'photos': ('shade.png', PNG_1PX + b'\0' * 100, 'image/png'),
            })
        self.assertIn('alert-danger', response.text)
        self.assertIn('shade.png', response.text)
        self.assertFalse(self._returns())

    def test_portal_user_cannot_create_returns_over_rpc(self):
        with mute_logger('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule'), \
                self.assertRaises(AccessError):
            self.env['aftersales.rma'].with_user(self.portal_user).create({
                'partner_id': self.customer_company.id,
            })

    def test_customer_requests_a_return_in_the_browser(self):
        self.start_tour(
            f'/my/orders/{self.order.id}', 'aftersales_portal_return', login=self.portal_user.login,
        )
        rma = self._returns()
        self.assertEqual(len(rma), 1)
        self.assertRecordValues(rma, [{'state': 'draft', 'partner_id': self.customer_contact.id}])
        self.assertEqual(rma.line_ids.product_uom_qty, 1.0)
