import re

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PNG_1PX, AftersalesPortalCommon

THANKS = "Thank you for your message."


def without_csrf(page):
    return re.sub(r'[0-9a-f]{40}o\d+', 'CSRF', page)


@tagged('post_install', '-at_install')
class TestPublicContact(AftersalesPortalCommon):
    """The public contact form /aftersales/contact: SECURITY.md PA11, PA12, BI1, BI2."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Visitors browse as the public user, in its company: the test company here.
        cls.env.ref('base.public_user').sudo().write({
            'company_ids': [Command.link(cls.env.company.id)], 'company_id': cls.env.company.id,
        })
        # The portal user's creation gave the contact an address of its own.
        cls.customer_contact.email = 'anna@portal-customer.example'
        cls.order = cls.env['sale.order'].create({
            'partner_id': cls.customer_company.id,
            'order_line': [Command.create({'product_id': cls.product_order.id, 'product_uom_qty': 1})],
        })
        cls.order.action_confirm()
        cls.other_order = cls.env['sale.order'].create({
            'partner_id': cls.other_company.id,
            'order_line': [Command.create({'product_id': cls.product_order.id, 'product_uom_qty': 1})],
        })
        cls.other_order.action_confirm()
        # The form's limits, explicit: the tests do not depend on the database's settings.
        for key, value in (('contact_max_per_email', 5), ('contact_max_per_ip', 5),
                           ('contact_window_minutes', 60), ('contact_attachment_max_size', 1024)):
            cls.env['ir.config_parameter'].set_param(f'aftersales_portal.{key}', value)

    def setUp(self):
        super().setUp()
        self.authenticate(None, None)

    def _post_contact(self, data=None, files=None, csrf=True):
        payload = {
            'name': "Carl Visitor", 'email': 'carl@visitor.example', 'subject': "Drawer stuck",
            'description': "The drawer does not open.", **(data or {}),
        }
        if csrf:
            payload['csrf_token'] = self._csrf()
        return self.url_open('/aftersales/contact', data=payload, files=files)

    def _contact_cases(self, subject="Drawer stuck"):
        return self.env['aftersales.case'].sudo().search([('subject', '=', subject)])

    def test_form_renders_for_visitors(self):
        response = self.url_open('/aftersales/contact')
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="csrf_token"', response.text)
        self.assertIn('href="/aftersales/faq"', response.text)

    def test_creates_one_case_for_a_new_contact(self):
        response = self._post_contact()
        self.assertEqual(response.status_code, 200)
        self.assertIn(THANKS, response.text)
        case = self._contact_cases()
        self.assertEqual(len(case), 1)
        self.assertEqual(case.partner_id.email, 'carl@visitor.example')
        self.assertEqual(case.partner_id.name, "Carl Visitor")
        self.assertFalse(case.partner_id.user_ids, "the sender becomes a plain contact, not a user")
        self.assertEqual(case.origin_id, self.env.ref('aftersales_case.origin_web_form'))
        self.assertIn("The drawer does not open.", case.description)
        self.assertEqual(self.env['aftersales.contact.request'].search([('case_id', '=', case.id)]).email,
                         'carl@visitor.example')

    def test_sender_is_acknowledged_by_the_scheduled_action(self):
        self._post_contact()
        case = self._contact_cases()
        self.assertTrue(case.acknowledgement_pending, "no e-mail rendered in the visitor's request")
        self.assertFalse(case.date_acknowledged)
        self.patch(self.env.cr, 'commit', lambda: None)
        self.env['aftersales.case']._cron_send_acknowledgements()
        self.assertFalse(case.acknowledgement_pending)
        self.assertEqual(case.acknowledged_email, 'carl@visitor.example')
        self.assertEqual(len(case.message_ids.filtered(lambda m: m.message_type == 'auto_comment')), 1)

    def test_existing_contact_and_order_linked_when_email_matches(self):
        self._post_contact({
            'email': 'anna@portal-customer.example', 'order_reference': self.order.name,
        })
        case = self._contact_cases()
        self.assertEqual(case.partner_id, self.customer_company)
        self.assertEqual(case.contact_id, self.customer_contact)
        self.assertEqual(case.sale_order_id, self.order)

    def test_order_of_another_customer_is_not_linked_and_answer_is_the_same(self):
        known = self._post_contact({
            'email': 'anna@portal-customer.example', 'order_reference': self.order.name,
            'subject': "Known order",
        })
        foreign = self._post_contact({'email': 'anna@portal-customer.example',
                                      'order_reference': self.other_order.name, 'subject': "Foreign order"})
        unknown = self._post_contact({'email': 'nobody@unknown.example', 'order_reference': 'S99999',
                                      'subject': "Unknown order"})
        self.assertEqual(foreign.status_code, known.status_code)
        self.assertEqual(unknown.status_code, known.status_code)
        self.assertEqual(foreign.url, known.url)
        self.assertEqual(unknown.url, known.url)
        # The same page, but for its CSRF token, which is the session's and the hour's.
        self.assertEqual(without_csrf(foreign.text), without_csrf(known.text))
        self.assertEqual(without_csrf(unknown.text), without_csrf(known.text))
        self.assertFalse(self._contact_cases("Foreign order").sale_order_id)
        self.assertFalse(self._contact_cases("Unknown order").sale_order_id)
        self.assertEqual(self._contact_cases("Known order").sale_order_id, self.order)

    def test_post_without_csrf_token_is_refused(self):
        with mute_logger('odoo.http'):
            response = self._post_contact(csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._contact_cases())

    def test_sixth_request_within_the_hour_creates_nothing(self):
        for index in range(5):
            self.assertIn(THANKS, self._post_contact({'subject': f"Request {index}"}).text)
        response = self._post_contact({'subject': "Request 6"})
        self.assertEqual(response.status_code, 429)
        self.assertIn("Please try again a little later", response.text)
        self.assertFalse(self._contact_cases("Request 6"))
        requests = self.env['aftersales.case'].sudo().search([('subject', '=like', 'Request %')])
        self.assertEqual(len(requests), 5)

    def test_requests_from_one_ip_are_limited_across_addresses(self):
        for index in range(5):
            self._post_contact({'email': f'visitor{index}@visitor.example', 'subject': f"Address {index}"})
        response = self._post_contact({'email': 'visitor6@visitor.example', 'subject': "Address 6"})
        self.assertEqual(response.status_code, 429)
        self.assertFalse(self._contact_cases("Address 6"))

    def test_honeypot_answers_thanks_and_creates_nothing(self):
        response = self._post_contact({'website_url': 'http://spam.example'})
        self.assertIn(THANKS, response.text)
        self.assertFalse(self._contact_cases())

    def test_photo_is_attached_to_the_case(self):
        self._post_contact(files={'attachment': ('drawer.png', PNG_1PX, 'image/png')})
        case = self._contact_cases()
        attachment = self.env['ir.attachment'].sudo().search([
            ('res_model', '=', 'aftersales.case'), ('res_id', '=', case.id),
        ])
        self.assertEqual(attachment.name, 'drawer.png')
        self.assertEqual(attachment.mimetype, 'image/png')

    def test_oversized_upload_is_refused(self):
        response = self._post_contact(files={'attachment': ('big.txt', b'a' * 1025, 'text/plain')})
        self.assertEqual(response.status_code, 200)
        self.assertIn("is larger than", response.text)
        self.assertFalse(self._contact_cases())

    def test_disallowed_types_are_refused_whatever_their_name(self):
        for name, data in (
            ('setup.exe', b'MZ\x90\x00\x03\x00\x00\x00' + b'\x00' * 64),
            ('photo.png', b'<html><script>alert(1)</script></html>'),
            ('logo.svg', b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ):
            with self.subTest(name=name):
                response = self._post_contact(files={'attachment': (name, data, 'image/png')})
                self.assertIn("is neither a photo", response.text)
                self.assertFalse(self._contact_cases())

    def test_script_in_description_is_sanitized(self):
        response = self._post_contact({
            'description': '<script>alert("x")</script><img src=x onerror=alert(1)>',
        })
        self.assertIn(THANKS, response.text)
        case = self._contact_cases()
        self.assertNotIn('<script', case.description)
        self.assertNotIn('<img', case.description)
        self.assertIn('&lt;script&gt;', case.description)

    def test_too_long_subject_and_invalid_email_are_refused(self):
        for data in ({'subject': "x" * 201}, {'email': 'not-an-address'}, {'description': "   "}):
            with self.subTest(data=data):
                response = self._post_contact(data)
                self.assertIn('id="aftersales_contact_error"', response.text)
        self.assertFalse(self.env['aftersales.case'].search([('subject', '=like', 'xxxx%')]))
        self.assertFalse(self._contact_cases())
