from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import AftersalesPortalCommon


@tagged('post_install', '-at_install')
class TestPortalComplaints(AftersalesPortalCommon):
    """SECURITY.md PA1, PA3, PA4, PA5, PA12, PA14 and BI2 on /my/complaints."""

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.quick_ref(
            'aftersales_complaint.aftersales_complaint_group_manager'
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_complaint = cls._create_complaint(cls.customer_company, "Late delivery of chairs")
        cls.other_complaint = cls._create_complaint(cls.other_company, "Rival secret grievance")
        cls.own_invoice = cls.init_invoice(
            'out_invoice', partner=cls.customer_company, products=cls.product_order, post=True,
        )
        cls.other_invoice = cls.init_invoice(
            'out_invoice', partner=cls.other_company, products=cls.product_order, post=True,
        )
        cls.own_order = cls._confirmed_order(cls.customer_company)
        cls.other_order = cls._confirmed_order(cls.other_company)

    @classmethod
    def _create_complaint(cls, partner, title, **values):
        return cls.env['aftersales.complaint'].create({
            'partner_id': partner.id, 'title': title,
            'description': f"<p>{title}: what happened.</p>", **values,
        })

    @classmethod
    def _confirmed_order(cls, partner):
        order = cls.env['sale.order'].create({
            'partner_id': partner.id,
            'order_line': [Command.create({'product_id': cls.product_order.id, 'product_uom_qty': 1})],
        })
        order.action_confirm()
        return order

    def _fulfil(self, complaint):
        # sudo: the steps' own rules are the complaint module's tests.
        complaint.sudo().write({
            'state': 'fulfilled', 'user_id': self.agent.id, 'date_end': fields.Date.today(),
            'review_result': "<p>We replaced the chairs and refunded the delivery.</p>",
        })

    def _post_new_complaint(self, data=None, csrf=True):
        payload = {'title': "Broken armrest", 'description': "The armrest broke on day one.", **(data or {})}
        if csrf:
            payload['csrf_token'] = self._csrf()
        return self.url_open('/my/complaints/new', data=payload)

    def _new_complaints(self):
        return self.env['aftersales.complaint'].search([('title', '=', "Broken armrest")])

    # Home and list

    def test_home_counts_only_own_complaints(self):
        self._login(self.portal_user)
        counters = self.make_jsonrpc_request('/my/counters', {'counters': ['aftersales_complaint_count']})
        self.assertEqual(counters['aftersales_complaint_count'], 1)
        self.own_complaint.active = False
        counters = self.make_jsonrpc_request('/my/counters', {'counters': ['aftersales_complaint_count']})
        self.assertEqual(counters['aftersales_complaint_count'], 0)

    def test_list_shows_own_complaints_only(self):
        self._login(self.portal_user)
        response = self.url_open('/my/complaints')
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.own_complaint.name, response.text)
        self.assertNotIn("Rival secret", response.text)
        self.assertNotIn(self.other_complaint.name, response.text)

    def test_list_searches_filters_sorts_and_groups(self):
        done = self._create_complaint(self.customer_company, "Wrong colour of desk")
        self._fulfil(done)
        self._login(self.portal_user)
        found = self.url_open('/my/complaints?search_in=title&search=colour').text
        self.assertIn("Wrong colour", found)
        self.assertNotIn("Late delivery", found)
        closed = self.url_open('/my/complaints?filterby=closed').text
        self.assertIn("Wrong colour", closed)
        self.assertNotIn("Late delivery", closed)
        grouped = self.url_open('/my/complaints?groupby=status&sortby=reference').text
        self.assertIn('table-light', grouped)
        self.assertLess(grouped.index("Late delivery"), grouped.index("Wrong colour"))

    def test_list_query_count_does_not_grow_with_complaints(self):
        self.env['aftersales.complaint'].create([
            {'partner_id': self.customer_company.id, 'title': f"Complaint {n}"} for n in range(9)
        ])
        self._login(self.portal_user)
        queries_10 = self._count_queries('/my/complaints')
        self.env['aftersales.complaint'].create([
            {'partner_id': self.customer_company.id, 'title': f"More {n}", 'user_id': self.agent.id}
            for n in range(490)
        ])
        self.assertEqual(self._count_queries('/my/complaints'), queries_10)
        self.url_open('/my/complaints')
        with self.assertQueryCount(queries_10):
            self.url_open('/my/complaints')

    # Detail and tokens

    def test_detail_shows_the_complaint_and_its_outcome_once_fulfilled(self):
        self.own_complaint.write({'user_id': self.agent.id, 'invoice_id': self.own_invoice.id})
        self._login(self.portal_user)
        page = self.url_open(f'/my/complaints/{self.own_complaint.id}').text
        self.assertIn("Late delivery of chairs: what happened.", page)
        self.assertIn(self.agent.name, page)
        self.assertIn(self.own_invoice.name, page)
        self.assertIn('o_portal_chatter', page)
        self.assertNotIn('aftersales_complaint_outcome', page)
        self.assertNotIn('aftersales_complaint_accept', page)
        self._fulfil(self.own_complaint)
        page = self.url_open(f'/my/complaints/{self.own_complaint.id}').text
        self.assertIn("We replaced the chairs", page)
        self.assertIn('aftersales_complaint_accept', page)

    def test_description_script_is_sanitised_in_the_page(self):
        self.own_complaint.description = "<p>Angry</p><script>alert('x')</script><img src=x onerror=alert(1)>"
        self._login(self.portal_user)
        page = self.url_open(f'/my/complaints/{self.own_complaint.id}').text
        self.assertIn("Angry", page)
        self.assertNotIn("<script>alert('x')", page)
        self.assertNotIn("onerror=alert", page)

    def test_another_customers_complaint_looks_like_an_unknown_one(self):
        self._login(self.portal_user)
        for complaint_id in (self.other_complaint.id, 999999999):
            with self.subTest(complaint_id=complaint_id):
                response = self.url_open(f'/my/complaints/{complaint_id}', allow_redirects=False)
                self._assert_redirected_home(response, "Rival secret", self.other_complaint.name)

    def test_token_opens_its_complaint_only(self):
        token = self.own_complaint._portal_ensure_token()
        other_token = self.other_complaint._portal_ensure_token()
        self._fulfil(self.own_complaint)
        self.authenticate(None, None)
        response = self.url_open(f'/my/complaints/{self.own_complaint.id}?access_token={token}')
        self.assertEqual(response.status_code, 200)
        self.assertIn("Late delivery", response.text)
        self.assertNotIn('aftersales_complaint_accept', response.text)
        for complaint, forged in ((self.own_complaint, 'forged-token'), (self.own_complaint, other_token),
                                  (self.own_complaint, ''), (self.other_complaint, token)):
            with self.subTest(complaint=complaint.name, token=forged):
                response = self.url_open(
                    f'/my/complaints/{complaint.id}?access_token={forged}', allow_redirects=False,
                )
                self._assert_redirected_home(response, "Late delivery", "Rival secret")

    def test_token_is_renewed_when_the_customer_changes(self):
        token = self.own_complaint._portal_ensure_token()
        self.own_complaint.partner_id = self.other_company
        self.assertNotEqual(self.own_complaint.access_token, token)

    def test_customer_writes_on_own_complaint_through_the_chatter(self):
        self._login(self.portal_user)
        page = self.url_open(f'/my/complaints/{self.own_complaint.id}').text
        token = self.own_complaint.access_token
        self.assertIn(f'data-token="{token}"', page)
        self.make_jsonrpc_request('/mail/message/post', {
            'thread_model': 'aftersales.complaint', 'thread_id': self.own_complaint.id, 'token': token,
            'post_data': {'body': "Any news on the chairs?", 'message_type': 'comment'},
        })
        message = self.own_complaint.message_ids.filtered(lambda m: 'Any news' in str(m.body))
        self.assertEqual(message.author_id, self.customer_contact)
        with mute_logger('odoo.http'), self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request('/mail/message/post', {
                'thread_model': 'aftersales.complaint', 'thread_id': self.other_complaint.id, 'token': token,
                'post_data': {'body': "Intrusion", 'message_type': 'comment'},
            })
        self.assertFalse(self.other_complaint.message_ids.filtered(lambda m: 'Intrusion' in str(m.body)))

    def test_token_is_made_on_a_posted_complaint(self):
        self._fulfil(self.own_complaint)
        self.own_complaint.sudo().state = 'posted'
        self._login(self.portal_user)
        response = self.url_open(f'/my/complaints/{self.own_complaint.id}')
        self.assertEqual(response.status_code, 200)
        self.assertTrue(self.own_complaint.access_token)

    # Submitting a complaint

    def test_new_complaint_form_offers_own_invoices_and_orders(self):
        self._login(self.portal_user)
        page = self.url_open('/my/complaints/new').text
        self.assertIn(self.own_invoice.name, page)
        self.assertIn(self.own_order.name, page)
        self.assertNotIn(self.other_invoice.name, page)
        self.assertNotIn(self.other_order.name, page)

    def test_new_complaint_is_a_draft_for_the_customers_company(self):
        self._login(self.portal_user)
        response = self._post_new_complaint({
            'description': "<script>alert('x')</script> broke", 'invoice_id': self.own_invoice.id,
        })
        complaint = self._new_complaints()
        self.assertRecordValues(complaint, [{
            'state': 'draft', 'partner_id': self.customer_company.id, 'invoice_id': self.own_invoice.id,
            'sale_order_id': False, 'user_id': False, 'company_id': self.own_invoice.company_id.id,
        }])
        self.assertEqual(complaint.contact_ids, self.customer_contact)
        self.assertNotIn('<script>', str(complaint.description))
        self.assertIn(f'/my/complaints/{complaint.id}?', response.url)
        self.assertIn('message=created', response.url)
        self.assertNotIn("<script>alert", response.text)

    def test_new_complaint_cites_an_own_order(self):
        self._login(self.portal_user)
        self._post_new_complaint({'sale_order_id': self.own_order.id})
        self.assertRecordValues(self._new_complaints(), [{
            'sale_order_id': self.own_order.id, 'partner_id': self.customer_company.id,
        }])

    def test_new_complaint_refuses_documents_that_are_not_the_customers(self):
        self._login(self.portal_user)
        answers = []
        for data in ({'invoice_id': self.other_invoice.id}, {'invoice_id': 999999999},
                     {'sale_order_id': self.other_order.id}, {'sale_order_id': 999999999},
                     {'invoice_id': 'abc'},
                     {'invoice_id': self.own_invoice.id, 'sale_order_id': self.own_order.id}):
            with self.subTest(data=data):
                response = self._post_new_complaint(data)
                self.assertEqual(response.status_code, 200)
                self.assertIn('alert-danger', response.text)
                for hidden in (self.other_invoice.name, self.other_order.name, "Rival"):
                    self.assertNotIn(hidden, response.text)
                self.assertFalse(self._new_complaints())
                answers.append(response.text.split('alert-danger')[1][:200])
        # Another customer's document is answered exactly like an unknown one.
        self.assertEqual(answers[0], answers[1])
        self.assertEqual(answers[2], answers[3])

    def test_new_complaint_needs_a_subject_and_a_description(self):
        self._login(self.portal_user)
        for data in ({'title': "  "}, {'description': ""}, {'title': "x" * 201}):
            with self.subTest(data=data):
                self.assertIn('alert-danger', self._post_new_complaint(data).text)
        self.assertFalse(self.env['aftersales.complaint'].search([('title', 'in', ("  ", "x" * 201))]))
        self.assertFalse(self._new_complaints())

    def test_new_complaint_ignores_fields_outside_the_form(self):
        self._login(self.portal_user)
        self._post_new_complaint({
            'partner_id': self.other_company.id, 'user_id': self.agent.id, 'state': 'fulfilled',
            'comment': "injected", 'amount': 999,
        })
        self.assertRecordValues(self._new_complaints(), [{
            'partner_id': self.customer_company.id, 'user_id': False, 'state': 'draft',
            'comment': False, 'amount': 0.0,
        }])

    def test_new_complaint_without_csrf_is_refused(self):
        self._login(self.portal_user)
        with mute_logger('odoo.http'):
            response = self._post_new_complaint(csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._new_complaints())

    # Accepting the outcome

    def test_customer_accepts_the_outcome_once(self):
        self._fulfil(self.own_complaint)
        self._login(self.portal_user)
        response = self.url_open(
            f'/my/complaints/{self.own_complaint.id}/accept', data={'csrf_token': self._csrf()},
        )
        self.assertIn('message=accepted', response.url)
        self.assertTrue(self.own_complaint.outcome_accepted_date)
        self.assertEqual(self.own_complaint.state, 'fulfilled')
        message = self.own_complaint.message_ids.filtered(lambda m: m.author_id == self.customer_contact)
        self.assertEqual(len(message), 1)
        self.assertEqual(self.own_complaint.activity_ids.user_id, self.agent)
        self.assertNotIn('aftersales_complaint_accept', response.text)
        accepted_on = self.own_complaint.outcome_accepted_date
        response = self.url_open(
            f'/my/complaints/{self.own_complaint.id}/accept', data={'csrf_token': self._csrf()},
        )
        self.assertIn('alert-danger', response.text)
        self.assertEqual(self.own_complaint.outcome_accepted_date, accepted_on)

    def test_outcome_is_not_accepted_before_fulfilment(self):
        self._login(self.portal_user)
        response = self.url_open(
            f'/my/complaints/{self.own_complaint.id}/accept', data={'csrf_token': self._csrf()},
        )
        self.assertIn('alert-danger', response.text)
        self.assertFalse(self.own_complaint.outcome_accepted_date)

    def test_only_the_customer_accepts_the_outcome(self):
        self._fulfil(self.other_complaint)
        self._login(self.portal_user)
        response = self.url_open(
            f'/my/complaints/{self.other_complaint.id}/accept', data={'csrf_token': self._csrf()},
            allow_redirects=False,
        )
        self._assert_redirected_home(response, "Rival secret")
        self.assertFalse(self.other_complaint.outcome_accepted_date)
        # A visitor holding the link reads the complaint but does not accept for the customer.
        token = self.other_complaint._portal_ensure_token()
        self.authenticate(None, None)
        self.url_open(
            f'/my/complaints/{self.other_complaint.id}/accept?access_token={token}',
            data={'csrf_token': self._csrf()},
        )
        self.assertFalse(self.other_complaint.outcome_accepted_date)

    def test_accept_needs_a_post_with_csrf(self):
        self._fulfil(self.own_complaint)
        self._login(self.portal_user)
        with mute_logger('odoo.http'):
            self.url_open(f'/my/complaints/{self.own_complaint.id}/accept', data={})
            self.url_open(f'/my/complaints/{self.own_complaint.id}/accept')
        self.assertFalse(self.own_complaint.outcome_accepted_date)

    # RPC

    def test_portal_user_reads_own_complaints_only_and_writes_nothing(self):
        complaint = self.own_complaint.with_user(self.portal_user)
        self.assertEqual(complaint.title, "Late delivery of chairs")
        muted = mute_logger('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')
        with muted, self.assertRaises(AccessError):
            complaint.write({'title': "Changed"})
        with muted, self.assertRaises(AccessError):
            self.env['aftersales.complaint'].with_user(self.portal_user).create({
                'partner_id': self.customer_company.id, 'title': "Over RPC",
            })
        with muted, self.assertRaises(AccessError):
            self.other_complaint.with_user(self.portal_user).check_access('read')

    def test_portal_user_does_not_read_internal_notes(self):
        self.own_complaint.comment = "Customer is difficult"
        complaint = self.own_complaint.with_user(self.portal_user)
        with mute_logger('odoo.addons.base.models.ir_model'), self.assertRaises(AccessError):
            complaint.read(['comment'])
        self.assertNotIn('comment', complaint.fields_get())
