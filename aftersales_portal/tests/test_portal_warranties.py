from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PNG_1PX, AftersalesPortalCommon


@tagged('post_install', '-at_install')
class TestPortalWarranties(AftersalesPortalCommon):
    """SECURITY.md PA1, PA3, PA5 and WA4 on /my/warranties and /my/warranty_claims."""

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.quick_ref(
            'aftersales_warranty.aftersales_warranty_group_manager'
        )

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
        cls.own_registration = cls._register(cls.customer_company, cls.serials[0])
        cls.other_registration = cls._register(cls.other_company, cls.serials[1])
        cls.own_claim = cls._claim(cls.customer_company, cls.serials[0], "Paper feed grinds")
        cls.other_claim = cls._claim(cls.other_company, cls.serials[1], "Rival secret failure")

    @classmethod
    def _register(cls, partner, lot=None):
        return cls.env['aftersales.warranty'].create({
            'partner_id': partner.id, 'product_id': cls.product_serial.id, 'lot_id': lot.id if lot else False,
        })

    @classmethod
    def _claim(cls, partner, lot, problem, **values):
        return cls.env['aftersales.warranty.claim'].create({
            'partner_id': partner.id, 'lot_id': lot.id if lot else False,
            'product_id': cls.product_serial.id, 'problem': problem, **values,
        })

    # Home and lists

    def test_home_counts_only_own_registrations_and_claims(self):
        self._login(self.portal_user)
        counters = self.make_jsonrpc_request('/my/counters', {
            'counters': ['aftersales_warranty_count', 'aftersales_warranty_claim_count'],
        })
        self.assertEqual(counters, {'aftersales_warranty_count': 1, 'aftersales_warranty_claim_count': 1})
        self._login(self.other_portal_user)
        for document in (self.other_registration, self.other_claim):
            document.partner_id = self.customer_company
        counters = self.make_jsonrpc_request('/my/counters', {
            'counters': ['aftersales_warranty_count', 'aftersales_warranty_claim_count'],
        })
        self.assertEqual(counters, {'aftersales_warranty_count': 0, 'aftersales_warranty_claim_count': 0})

    def test_registration_list_shows_own_units_only(self):
        self._login(self.portal_user)
        page = self.url_open('/my/warranties').text
        self.assertIn(self.own_registration.name, page)
        self.assertIn(self.serials[0].name, page)
        self.assertNotIn(self.other_registration.name, page)
        self.assertNotIn(self.serials[1].name, page)

    def test_registration_list_searches_filters_and_groups(self):
        ended = self._register(self.customer_company, self.serials[2])
        ended.sudo().write({'state': 'expired'})
        self._login(self.portal_user)
        found = self.url_open(f'/my/warranties?search_in=serial&search={self.serials[2].name}').text
        self.assertIn(ended.name, found)
        self.assertNotIn(self.own_registration.name, found)
        in_warranty = self.url_open('/my/warranties?filterby=active').text
        self.assertIn(self.own_registration.name, in_warranty)
        self.assertNotIn(ended.name, in_warranty)
        grouped = self.url_open('/my/warranties?groupby=status').text
        self.assertIn('table-light', grouped)
        self.assertLess(grouped.index(self.own_registration.name), grouped.index(ended.name))

    def test_claim_list_shows_own_claims_only(self):
        self._login(self.portal_user)
        page = self.url_open('/my/warranty_claims').text
        self.assertIn(self.own_claim.name, page)
        self.assertNotIn(self.other_claim.name, page)
        closed = self.url_open('/my/warranty_claims?filterby=closed').text
        self.assertNotIn(self.own_claim.name, closed)

    def test_registration_list_query_count_does_not_grow(self):
        self._assert_list_query_count_flat(
            '/my/warranties', lambda count: self.env['aftersales.warranty'].create([
                {'partner_id': self.customer_company.id, 'product_id': self.product_serial.id}
                for _n in range(count)
            ]),
        )

    def test_claim_list_query_count_does_not_grow(self):
        self._assert_list_query_count_flat(
            '/my/warranty_claims', lambda count: self.env['aftersales.warranty.claim'].create([
                {'partner_id': self.customer_company.id, 'product_id': self.product_serial.id,
                 'problem': f"Fault {n}"} for n in range(count)
            ]),
        )

    def _assert_list_query_count_flat(self, url, create):
        """The same queries for 10 and for 500 documents in the list."""
        create(9)
        self._login(self.portal_user)
        queries_10 = self._count_queries(url)
        create(490)
        # At most as many: the first page may now hold no serial number to read.
        self.assertLessEqual(self._count_queries(url), queries_10)
        self.url_open(url)
        with self.assertQueryCount(queries_10):
            self.url_open(url)

    # Details and tokens

    def test_registration_page_shows_the_unit_and_its_claims(self):
        self._login(self.portal_user)
        page = self.url_open(f'/my/warranties/{self.own_registration.id}').text
        self.assertIn(self.serials[0].name, page)
        self.assertIn("Printers: two years", page)
        self.assertIn(self.own_claim.name, page)
        self.assertIn('o_portal_chatter', page)
        self.assertIn(f'data-token="{self.own_registration.access_token}"', page)

    def test_claim_page_shows_the_warranty_check(self):
        self._login(self.portal_user)
        page = self.url_open(f'/my/warranty_claims/{self.own_claim.id}').text
        self.assertEqual(self.own_claim.state, 'accepted')
        self.assertIn("Paper feed grinds", page)
        self.assertIn("Covered: the claim meets the warranty terms.", page)
        self.assertIn(self.own_registration.name, page)

    def test_claim_on_another_customers_serial_reveals_nothing_of_them(self):
        claim = self._claim(self.customer_company, self.serials[1], "Found this printer")
        self.assertEqual(claim.state, 'refused')
        self._login(self.portal_user)
        page = self.url_open(f'/my/warranty_claims/{claim.id}').text
        self.assertIn("No registration of this unit is known", page)
        for hidden in (self.other_registration.name, "Rival", self.other_claim.name):
            self.assertNotIn(hidden, page)

    def test_another_customers_documents_look_like_unknown_ones(self):
        self._login(self.portal_user)
        for url in (f'/my/warranties/{self.other_registration.id}', '/my/warranties/999999999',
                    f'/my/warranty_claims/{self.other_claim.id}', '/my/warranty_claims/999999999'):
            with self.subTest(url=url):
                response = self.url_open(url, allow_redirects=False)
                self._assert_redirected_home(
                    response, "Rival secret", self.other_registration.name, self.serials[1].name,
                )

    def test_token_opens_its_document_only(self):
        token = self.own_registration._portal_ensure_token()
        self.other_registration._portal_ensure_token()
        self.authenticate(None, None)
        page = self.url_open(f'/my/warranties/{self.own_registration.id}?access_token={token}').text
        self.assertIn(self.serials[0].name, page)
        # The registration's link does not list nor open the claims made on it.
        self.assertNotIn(self.own_claim.name, page)
        for url in (f'/my/warranties/{self.own_registration.id}?access_token=forged',
                    f'/my/warranties/{self.own_registration.id}?access_token={self.other_registration.access_token}',
                    f'/my/warranties/{self.other_registration.id}?access_token={token}',
                    f'/my/warranty_claims/{self.own_claim.id}?access_token={token}',
                    '/my/warranties', '/my/warranty_claims'):
            with self.subTest(url=url):
                response = self.url_open(url, allow_redirects=False)
                self.assertEqual(response.status_code, 303)
                self.assertNotIn(self.serials[0].name, response.text)

    def test_token_is_renewed_when_the_unit_changes_owner(self):
        token = self.own_registration._portal_ensure_token()
        self.own_registration.partner_id = self.other_company
        self.assertNotEqual(self.own_registration.access_token, token)
        response = self.url_open(
            f'/my/warranties/{self.own_registration.id}?access_token={token}', allow_redirects=False,
        )
        self._assert_redirected_home(response, self.serials[0].name)

    # Registering a product

    def _post_registration(self, serial, proof=True, csrf=True):
        data = {'serial': serial}
        if csrf:
            data['csrf_token'] = self._csrf()
        files = {'proof': ('receipt.png', PNG_1PX, 'image/png')} if proof else None
        return self.url_open('/my/warranties/new', data=data, files=files)

    def _registrations_of(self, lots):
        return self.env['aftersales.warranty'].search([('lot_id', 'in', lots.ids)])

    def test_customer_registers_a_serial_delivered_to_them(self):
        order = self._deliver_order(
            [(self.product_serial, 1)], self.serials[2], partner=self.customer_company,
        )
        self._login(self.portal_user)
        response = self._post_registration(self.serials[2].name)
        registration = self._registrations_of(self.serials[2])
        self.assertRecordValues(registration, [{
            'partner_id': self.customer_company.id, 'product_id': self.product_serial.id,
            'sale_order_id': order.id, 'picking_id': order.picking_ids.id, 'state': 'active',
        }])
        self.assertIn('message=registered', response.url)
        self.assertEqual(registration.message_ids.attachment_ids.mapped('name'), ['receipt.png'])
        response = self._post_registration(self.serials[2].name)
        self.assertIn("is already registered", response.text)
        self.assertEqual(len(self._registrations_of(self.serials[2])), 1)

    def test_registration_refuses_serials_not_delivered_to_the_customer(self):
        self._deliver_order([(self.product_serial, 1)], self.serials[3], partner=self.other_company)
        self._login(self.portal_user)
        answers = set()
        for serial in (self.serials[3].name, self.serials[4].name, "NO-SUCH-SERIAL"):
            with self.subTest(serial=serial):
                response = self._post_registration(serial)
                self.assertIn('alert-danger', response.text)
                self.assertNotIn("Rival", response.text)
                answers.add(response.text.split('alert-danger')[1].replace(serial, 'SERIAL')[:200])
        # A serial delivered to another customer is answered like an unknown one.
        self.assertEqual(len(answers), 1)
        self.assertFalse(self._registrations_of(self.serials[3] | self.serials[4]))

    def test_registration_needs_a_proof_of_purchase_and_csrf(self):
        self._deliver_order([(self.product_serial, 1)], self.serials[2], partner=self.customer_company)
        self._login(self.portal_user)
        self.assertIn('alert-danger', self._post_registration(self.serials[2].name, proof=False).text)
        with mute_logger('odoo.http'):
            self.assertEqual(self._post_registration(self.serials[2].name, csrf=False).status_code, 400)
        self.assertFalse(self._registrations_of(self.serials[2]))

    # Submitting a claim

    def _post_claim(self, data, csrf=True):
        payload = {'remedy': 'repair', 'problem': "Ribbon snaps", **data}
        if csrf:
            payload['csrf_token'] = self._csrf()
        return self.url_open('/my/warranty_claims/new', data=payload)

    def _new_claims(self):
        return self.env['aftersales.warranty.claim'].search([('problem', '=', "Ribbon snaps")])

    def test_claim_on_an_own_registration_is_checked(self):
        self._login(self.portal_user)
        form = self.url_open(f'/my/warranty_claims/new?registration_id={self.own_registration.id}').text
        self.assertIn(self.serials[0].name, form)
        self.assertNotIn(self.serials[1].name, form)
        response = self._post_claim({
            'registration_id': self.own_registration.id, 'state': 'done', 'is_overridden': '1',
            'partner_id': self.other_company.id,
        })
        claim = self._new_claims()
        self.assertRecordValues(claim, [{
            'partner_id': self.customer_company.id, 'registration_id': self.own_registration.id,
            'lot_id': self.serials[0].id, 'state': 'accepted', 'is_overridden': False,
        }])
        self.assertIn('message=created', response.url)
        self.assertIn("Covered: the claim meets the warranty terms.", response.text)

    def test_claim_refuses_registrations_that_are_not_the_customers(self):
        self._login(self.portal_user)
        for data in ({'registration_id': self.other_registration.id}, {'registration_id': 999999999},
                     {'registration_id': 'abc'},
                     {'registration_id': self.own_registration.id, 'remedy': 'gold'},
                     {'registration_id': self.own_registration.id, 'problem': "  "}):
            with self.subTest(data=data):
                response = self._post_claim(data)
                self.assertIn('alert-danger', response.text)
                self.assertNotIn(self.other_registration.name, response.text)
        self.assertFalse(self._new_claims())

    def test_claim_without_csrf_is_refused(self):
        self._login(self.portal_user)
        with mute_logger('odoo.http'):
            response = self._post_claim({'registration_id': self.own_registration.id}, csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._new_claims())

    # RPC

    def test_portal_user_reads_own_documents_only_and_writes_nothing(self):
        muted = mute_logger('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')
        pairs = ((self.own_registration, self.other_registration), (self.own_claim, self.other_claim))
        for own, other in pairs:
            with self.subTest(model=own._name):
                own.with_user(self.portal_user).check_access('read')
                with muted, self.assertRaises(AccessError):
                    other.with_user(self.portal_user).check_access('read')
                with muted, self.assertRaises(AccessError):
                    own.with_user(self.portal_user).write({'partner_id': self.customer_contact.id})
        with muted, self.assertRaises(AccessError):
            self.env['aftersales.warranty.claim'].with_user(self.portal_user).create({
                'partner_id': self.customer_company.id, 'lot_id': self.serials[0].id, 'problem': "RPC",
            })
