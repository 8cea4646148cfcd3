from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import JsonRpcException, tagged
from odoo.tools import mute_logger

from ..controllers.portal_returns import AftersalesReturnPortal
from .common import PNG_1PX, AftersalesPortalCommon


@tagged('post_install', '-at_install')
class TestPortalCases(AftersalesPortalCommon):
    """SECURITY.md PA1, PA3, PA4, PA11, PA12, PA14 and BI2 on /my/cases."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_case = cls._create_portal_case(cls.customer_company, "Printer jams on page two")
        cls.other_case = cls._create_portal_case(cls.other_company, "Rival secret about invoices")
        cls.own_order = cls.env['sale.order'].create({
            'partner_id': cls.customer_company.id,
            'order_line': [Command.create({'product_id': cls.product_order.id, 'product_uom_qty': 1})],
        })
        cls.own_order.action_confirm()
        cls.other_order = cls.env['sale.order'].create({
            'partner_id': cls.other_company.id,
            'order_line': [Command.create({'product_id': cls.product_delivery.id, 'product_uom_qty': 1})],
        })
        cls.other_order.action_confirm()

    def _post_new_case(self, data=None, files=None, csrf=True):
        payload = {
            'type_id': self.type_visible.id, 'subject': "Lamp flickers",
            'description': "It flickers after ten minutes.", **(data or {}),
        }
        if csrf:
            payload['csrf_token'] = self._csrf()
        return self.url_open('/my/cases/new', data=payload, files=files)

    def _new_cases(self):
        return self.env['aftersales.case'].search([('subject', '=', "Lamp flickers")])

    # Home and list

    def test_home_counts_only_own_cases(self):
        self._login(self.portal_user)
        counters = self.make_jsonrpc_request('/my/counters', {'counters': ['aftersales_case_count']})
        self.assertEqual(counters['aftersales_case_count'], 1)
        self.own_case.active = False
        counters = self.make_jsonrpc_request('/my/counters', {'counters': ['aftersales_case_count']})
        self.assertEqual(counters['aftersales_case_count'], 0)

    def test_list_shows_own_cases_only(self):
        self._login(self.portal_user)
        response = self.url_open('/my/cases')
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.own_case.name, response.text)
        self.assertNotIn("Rival secret", response.text)

    def test_list_searches_filters_sorts_and_groups(self):
        solved = self._create_portal_case(self.customer_company, "Drawer squeaks", user_id=self.agent.id)
        solved.stage_id = self.env.ref('aftersales_case.stage_solved')
        self._login(self.portal_user)
        found = self.url_open('/my/cases?search_in=subject&search=squeaks').text
        self.assertIn("Drawer squeaks", found)
        self.assertNotIn("Printer jams", found)
        by_reference = self.url_open(f'/my/cases?search_in=reference&search={self.own_case.name}').text
        self.assertIn("Printer jams", by_reference)
        self.assertNotIn("Drawer squeaks", by_reference)
        closed = self.url_open('/my/cases?filterby=closed').text
        self.assertIn("Drawer squeaks", closed)
        self.assertNotIn("Printer jams", closed)
        grouped = self.url_open('/my/cases?groupby=status&sortby=reference').text
        self.assertIn('table-light', grouped)
        self.assertLess(grouped.index("Printer jams"), grouped.index("Drawer squeaks"))

    def test_list_pages_through_the_cases(self):
        self.env['aftersales.case'].create([
            {'partner_id': self.customer_company.id, 'subject': f"Paged case {n}",
             'type_id': self.type_visible.id, 'team_id': self.portal_team.id} for n in range(5)
        ])
        self._login(self.portal_user)
        with patch.object(AftersalesReturnPortal, '_items_per_page', 4):
            first = self.url_open('/my/cases?sortby=reference').text
            second = self.url_open('/my/cases/page/2?sortby=reference').text
        self.assertIn('/my/cases/page/2', first)
        self.assertEqual((first.count('Paged case'), second.count('Paged case')), (4, 1))
        self.assertNotIn(self.own_case.name, first)
        self.assertIn(self.own_case.name, second)

    def test_list_query_count_does_not_grow_with_cases(self):
        self.env['aftersales.case'].create([
            {'partner_id': self.customer_company.id, 'subject': f"Case {n}", 'type_id': self.type_visible.id,
             'team_id': self.portal_team.id} for n in range(9)
        ])
        self._login(self.portal_user)
        queries_10 = self._count_queries('/my/cases')
        self.env['aftersales.case'].create([
            {'partner_id': self.customer_company.id, 'subject': f"More {n}", 'type_id': self.type_visible.id,
             'team_id': self.portal_team.id, 'user_id': self.agent.id} for n in range(490)
        ])
        self.assertEqual(self._count_queries('/my/cases'), queries_10)
        self.url_open('/my/cases')
        with self.assertQueryCount(queries_10):
            self.url_open('/my/cases')

    # Detail and tokens

    def test_detail_opens_own_case(self):
        self.own_case.user_id = self.agent
        self._login(self.portal_user)
        response = self.url_open(f'/my/cases/{self.own_case.id}')
        self.assertEqual(response.status_code, 200)
        self.assertIn("Printer jams", response.text)
        self.assertIn(self.agent.name, response.text)
        self.assertIn('o_portal_chatter', response.text)

    def test_another_customers_case_looks_like_an_unknown_one(self):
        self._login(self.portal_user)
        for case_id in (self.other_case.id, 999999999):
            with self.subTest(case_id=case_id):
                response = self.url_open(f'/my/cases/{case_id}', allow_redirects=False)
                self._assert_redirected_home(response, "Rival secret", self.other_case.name)

    def test_token_opens_its_case_only(self):
        token = self.own_case._portal_ensure_token()
        other_token = self.other_case._portal_ensure_token()
        self.authenticate(None, None)
        response = self.url_open(f'/my/cases/{self.own_case.id}?access_token={token}')
        self.assertEqual(response.status_code, 200)
        self.assertIn("Printer jams", response.text)
        self.assertNotIn('aftersales_case_close', response.text)
        for forged in ('forged-token', other_token, ''):
            with self.subTest(token=forged):
                response = self.url_open(
                    f'/my/cases/{self.own_case.id}?access_token={forged}', allow_redirects=False,
                )
                self._assert_redirected_home(response, "Printer jams")

    # Chatter

    def test_customer_writes_on_own_case_only(self):
        self._login(self.portal_user)
        self.make_jsonrpc_request('/mail/message/post', {
            'thread_model': 'aftersales.case', 'thread_id': self.own_case.id,
            'post_data': {'body': "Still jamming today", 'message_type': 'comment'},
        })
        message = self.own_case.message_ids.filtered(lambda m: 'Still jamming' in str(m.body))
        self.assertEqual(message.author_id, self.customer_contact)
        with mute_logger('odoo.http'), self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request('/mail/message/post', {
                'thread_model': 'aftersales.case', 'thread_id': self.other_case.id,
                'post_data': {'body': "Intrusion", 'message_type': 'comment'},
            })
        self.assertFalse(self.other_case.message_ids.filtered(lambda m: 'Intrusion' in str(m.body)))

    def test_chatter_of_another_customers_case_reveals_nothing(self):
        self.other_case.message_post(
            body="Rival private answer", message_type='comment', subtype_xmlid='mail.mt_comment',
        )
        self.own_case.message_post(
            body="Own visible answer", message_type='comment', subtype_xmlid='mail.mt_comment',
        )
        self._login(self.portal_user)
        params = {'thread_model': 'aftersales.case', 'thread_id': self.own_case.id}
        self.assertIn("Own visible answer", str(self.make_jsonrpc_request('/mail/thread/messages', params)))
        params['thread_id'] = self.other_case.id
        for route in ('/portal/chatter_init', '/mail/thread/messages'):
            with self.subTest(route=route):
                try:
                    result = self.make_jsonrpc_request(route, params)
                except JsonRpcException as error:
                    result = error
                self.assertNotIn("Rival private answer", str(result))
                self.assertNotIn("Rival secret", str(result))
                self.assertNotIn(self.other_case.name, str(result))

    def test_customer_sends_a_file_through_the_chatter(self):
        self._login(self.portal_user)
        upload = self.url_open('/mail/attachment/upload', data={
            'csrf_token': self._csrf(), 'thread_id': self.own_case.id,
            'thread_model': 'aftersales.case', 'is_pending': 'true',
        }, files={'ufile': ('jam.png', PNG_1PX, 'image/png')}).json()['data']
        stored = next(a for a in upload['store_data']['ir.attachment'] if a['id'] == upload['attachment_id'])
        self.make_jsonrpc_request('/mail/message/post', {
            'thread_model': 'aftersales.case', 'thread_id': self.own_case.id,
            'post_data': {
                'body': "Photo of the jam", 'message_type': 'comment',
                'attachment_ids': [upload['attachment_id']], 'attachment_tokens': [stored['ownership_token']],
            },
        })
        message = self.own_case.message_ids.filtered(lambda m: 'Photo of the jam' in str(m.body))
        self.assertEqual(message.attachment_ids.mapped('name'), ['jam.png'])
        with mute_logger('odoo.http'):
            response = self.url_open('/mail/attachment/upload', data={
                'csrf_token': self._csrf(), 'thread_id': self.other_case.id,
                'thread_model': 'aftersales.case',
            }, files={'ufile': ('spy.png', PNG_1PX, 'image/png')})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.env['ir.attachment'].search([('name', '=', 'spy.png')]))

    # New case

    def test_new_case_form_offers_portal_types_and_own_orders(self):
        self._login(self.portal_user)
        page = self.url_open('/my/cases/new').text
        self.assertIn("Portal Question", page)
        self.assertNotIn("Internal Audit Finding", page)
        self.assertIn('aftersales_case_type_choice', page, "The type comes first")
        page = self.url_open(f'/my/cases/new?type_id={self.type_visible.id}').text
        self.assertIn('aftersales_case_new_form', page)
        self.assertIn(self.own_order.name, page)
        self.assertNotIn(self.other_order.name, page)
        page = self.url_open(f'/my/cases/new?type_id={self.type_hidden.id}').text
        self.assertNotIn('aftersales_case_new_form', page, "A hidden type is not offered")

    def test_new_case_offers_delivered_serials_until_they_come_back(self):
        order = self._deliver_order([(self.product_serial, 2)], partner=self.customer_company)
        kept, returned = self.serials[:2]
        rma = self._create_rma(order, [(self.product_serial, 1, 'refund', returned)])
        rma.action_approve()
        receipt = rma.picking_ids
        receipt.move_ids.lot_ids = returned
        receipt.move_ids.picked = True
        receipt.button_validate()
        self.assertEqual(receipt.state, 'done')
        self._login(self.portal_user)
        page = self.url_open(f'/my/cases/new?type_id={self.type_visible.id}').text
        self.assertIn(kept.name, page)
        self.assertNotIn(returned.name, page, "A serial back in stock is no longer the customer's")
        response = self._post_new_case({'lot_id': returned.id})
        self.assertIn('alert-danger', response.text)
        self.assertFalse(self._new_cases())

    def test_new_case_is_created_for_the_customer(self):
        self._login(self.portal_user)
        response = self._post_new_case({
            'description': "<script>alert('x')</script> flickers",
            'sale_order_id': self.own_order.id, 'product_id': self.product_order.id,
        }, files={'attachments': ('lamp.png', PNG_1PX, 'image/png')})
        case = self._new_cases()
        self.assertEqual(len(case), 1)
        self.assertRecordValues(case, [{
            'partner_id': self.customer_company.id, 'contact_id': self.customer_contact.id,
            'type_id': self.type_visible.id, 'team_id': self.portal_team.id,
            'sale_order_id': self.own_order.id,
        }])
        self.assertEqual(case.product_ids, self.product_order)
        self.assertNotIn('<script>', str(case.description))
        self.assertIn('&lt;script&gt;', str(case.description))
        self.assertIn(f'/my/cases/{case.id}?', response.url)
        self.assertIn('message=created', response.url)
        self.assertNotIn("<script>alert", response.text)
        self.assertEqual(case.message_ids.attachment_ids.mapped('name'), ['lamp.png'])

    def test_new_case_refuses_ids_that_are_not_the_customers(self):
        self._login(self.portal_user)
        for data in ({'sale_order_id': self.other_order.id}, {'product_id': self.product_delivery.id},
                     {'type_id': self.type_hidden.id}, {'type_id': 'abc'}, {'lot_id': self.serials[0].id}):
            with self.subTest(data=data):
                response = self._post_new_case(data)
                self.assertEqual(response.status_code, 200)
                self.assertIn('alert-danger', response.text)
                self.assertFalse(self._new_cases())

    def test_new_case_ignores_fields_outside_the_form(self):
        self._login(self.portal_user)
        self._post_new_case({
            'partner_id': self.other_company.id, 'user_id': self.agent.id, 'priority': '3',
            'stage_id': self.env.ref('aftersales_case.stage_closed').id, 'cost': 999,
        })
        case = self._new_cases()
        self.assertRecordValues(case, [{
            'partner_id': self.customer_company.id, 'priority': '1', 'cost': 0.0, 'is_closed': False,
        }])

    def test_new_case_without_csrf_is_refused(self):
        self._login(self.portal_user)
        with mute_logger('odoo.http'):
            response = self._post_new_case(csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._new_cases())

    def test_new_case_refuses_oversized_and_unsafe_files(self):
        self._login(self.portal_user)
        big = PNG_1PX + b'\0' * (10 * 1024 * 1024)
        svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
        for name, data in (('big.png', big), ('logo.svg', svg)):
            with self.subTest(file=name):
                response = self._post_new_case(files={'attachments': (name, data, 'image/png')})
                # Past the server's own cap on a request part, the request never reaches the form.
                if response.status_code != 413:
                    self.assertIn('alert-danger', response.text)
                    self.assertIn(name, response.text)
                self.assertFalse(self._new_cases())

    # Closing and reopening

    def test_customer_closes_and_reopens_the_case(self):
        self.own_case.user_id = self.agent
        self._login(self.portal_user)
        self.url_open(f'/my/cases/{self.own_case.id}/close', data={'csrf_token': self._csrf()})
        self.assertEqual(self.own_case.stage_id, self.env.ref('aftersales_case.stage_solved'))
        self.url_open(f'/my/cases/{self.own_case.id}/reopen', data={'csrf_token': self._csrf()})
        self.assertFalse(self.own_case.is_closed)
        self.assertTrue(self.own_case.message_ids.filtered(lambda m: m.author_id == self.customer_contact))

    def test_only_the_customer_closes_the_case(self):
        self.other_case.user_id = self.agent
        stage = self.other_case.stage_id
        self._login(self.portal_user)
        response = self.url_open(
            f'/my/cases/{self.other_case.id}/close', data={'csrf_token': self._csrf()}, allow_redirects=False,
        )
        self._assert_redirected_home(response, "Rival secret")
        self.assertEqual(self.other_case.stage_id, stage)
        # A visitor holding the link reads the case but does not close it.
        token = self.other_case._portal_ensure_token()
        self.authenticate(None, None)
        self.url_open(
            f'/my/cases/{self.other_case.id}/close?access_token={token}', data={'csrf_token': self._csrf()},
        )
        self.assertEqual(self.other_case.stage_id, stage)

    def test_close_needs_a_post_with_csrf(self):
        self.own_case.user_id = self.agent
        stage = self.own_case.stage_id
        self._login(self.portal_user)
        with mute_logger('odoo.http'):
            self.url_open(f'/my/cases/{self.own_case.id}/close', data={})
            self.url_open(f'/my/cases/{self.own_case.id}/close')
        self.assertEqual(self.own_case.stage_id, stage)

    def test_portal_user_cannot_write_cases_over_rpc(self):
        case = self.own_case.with_user(self.portal_user)
        self.assertEqual(case.subject, "Printer jams on page two")
        with mute_logger('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule'), \
                self.assertRaises(AccessError):
            case.write({'subject': "Changed"})
        with mute_logger('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule'), \
                self.assertRaises(AccessError):
            self.other_case.with_user(self.portal_user).check_access('read')
