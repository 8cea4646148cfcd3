from markupsafe import Markup

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import email_normalize, formataddr, human_size, plaintext2html
from odoo.tools.mimetypes import guess_mimetype

from .portal import DESCRIPTION_MAX_LENGTH, SUBJECT_MAX_LENGTH

# What a visitor may attach: photos, PDF and plain-text documents, checked on
# their content rather than on the name or type the browser sends.
CONTACT_MIMETYPES = {
    'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain',
}
NAME_MAX_LENGTH = 128
ORDER_REFERENCE_MAX_LENGTH = 64
# The form around the file; the file's own limit is a system parameter.
FORM_MAX_BYTES = 256 * 1024
# A field no person sees nor fills: a robot filling every field is answered
# as if it had succeeded, and nothing is created.
HONEYPOT_FIELD = 'website_url'
CONTACT_FIELDS = ('name', 'email', 'order_reference', 'subject', 'description')


class AftersalesContactController(http.Controller):
    """The public contact form: anyone, logged in or not, opens a case."""

    def _get_contact_max_request_size(self):
        return request.env['aftersales.contact.request']._contact_limit('contact_attachment_max_size') \
            + FORM_MAX_BYTES

    @http.route('/aftersales/contact', type='http', auth='public', methods=['GET', 'POST'],
                website=True, sitemap=False,
                max_content_length=lambda self: self._get_contact_max_request_size())
    def aftersales_contact(self, **post):
        if request.httprequest.method != 'POST':
            return self._render_contact_form(self._get_contact_defaults())
        if post.get(HONEYPOT_FIELD):
            return request.redirect('/aftersales/contact/thanks')
        try:
            values = self._check_contact_form(post)
            upload = self._check_contact_upload(request.httprequest.files.get('attachment'))
        except UserError as error:
            return self._render_contact_form(post, error=error.args[0])
        Request = request.env['aftersales.contact.request'].sudo()
        ip_address = request.httprequest.remote_addr or ''
        # sudo: the limits count every visitor's requests, which no visitor may read.
        # Lowercased: an address differing only in case counts as the same sender.
        rate_key = values['email'].lower()
        if Request._is_over_limit(rate_key, ip_address):
            return self._render_contact_form(post, error=request.env._(
                "We already received several messages from you in the last hour. "
                "Please try again a little later, or reply to our last e-mail.",
            ), status=429)
        case_sudo = self._create_contact_case(values, upload)
        Request.create({'email': rate_key, 'ip_address': ip_address, 'case_id': case_sudo.id})
        # The same page whether the e-mail or the order was known or not: the
        # form tells nobody who our customers are.
        return request.redirect('/aftersales/contact/thanks')

    @http.route('/aftersales/contact/thanks', type='http', auth='public', methods=['GET'],
                website=True, sitemap=False)
    def aftersales_contact_thanks(self, **kwargs):
        return request.render('aftersales_portal.aftersales_contact_thanks', {})

    def _get_contact_defaults(self):
        """The form's initial values: a logged-in customer's name and e-mail."""
        user = request.env.user
        if user._is_public():
            return {}
        return {'name': user.partner_id.name, 'email': user.partner_id.email}

    def _render_contact_form(self, values, error=None, status=200):
        Request = request.env['aftersales.contact.request']
        return request.render('aftersales_portal.aftersales_contact_form', {
            'post': {key: values.get(key) for key in CONTACT_FIELDS},
            'error': error,
            'honeypot_field': HONEYPOT_FIELD,
            'attachment_max_size': human_size(Request._contact_limit('contact_attachment_max_size')),
            'subject_max_length': SUBJECT_MAX_LENGTH,
            'description_max_length': DESCRIPTION_MAX_LENGTH,
        }, status=status)

    def _check_contact_form(self, post):
        """The form's text fields, stripped and checked; UserError naming the first wrong one."""
        values = {key: (post.get(key) or '').strip() for key in CONTACT_FIELDS}
        if not values['name'] or len(values['name']) > NAME_MAX_LENGTH:
            raise UserError(request.env._(
                "Tell us your name, in at most %(max)s characters.", max=NAME_MAX_LENGTH,
            ))
        values['email'] = email_normalize(values['email'])
        if not values['email']:
            raise UserError(request.env._("Give us a valid e-mail address: we answer you there."))
        if not values['subject'] or len(values['subject']) > SUBJECT_MAX_LENGTH:
            raise UserError(request.env._(
                "Give your request a subject of at most %(max)s characters.", max=SUBJECT_MAX_LENGTH,
            ))
        if not values['description'] or len(values['description']) > DESCRIPTION_MAX_LENGTH:
            raise UserError(request.env._(
                "Describe your request in at most %(max)s characters.", max=DESCRIPTION_MAX_LENGTH,
            ))
        if len(values['order_reference']) > ORDER_REFERENCE_MAX_LENGTH:
            raise UserError(request.env._(
                "An order reference holds at most %(max)s characters.", max=ORDER_REFERENCE_MAX_LENGTH,
            ))
        return values

    def _check_contact_upload(self, upload):
        """``(name, data)`` of the uploaded file, or None; refuse a file too
        large or that is neither a photo, a PDF nor a plain-text document."""
        if not upload or not upload.filename:
            return None
        max_size = request.env['aftersales.contact.request']._contact_limit('contact_attachment_max_size')
        data = upload.read(max_size + 1)
        if len(data) > max_size:
            raise UserError(request.env._(
                "%(file)s is larger than %(size)s.", file=upload.filename, size=human_size(max_size),
            ))
        if guess_mimetype(data) not in CONTACT_MIMETYPES:
            raise UserError(request.env._(
                "%(file)s is neither a photo, a PDF nor a plain-text document.", file=upload.filename,
            ))
        return upload.filename, data

    def _create_contact_case(self, values, upload):
        """Open the case the checked form ``values`` ask for, in sudo, with
        the sender as author of the file, and acknowledge it as an e-mail's."""
        Case = request.env['aftersales.case'].sudo().with_company(request.env.company)
        # sudo: visitors create no partner nor case themselves; the values were checked above.
        author = self._find_contact_partner(Case.env, values['email']) \
            or Case.env['mail.thread']._partner_find_from_emails_single(
                [formataddr((values['name'], values['email']))],
            )
        with request.env.cr.savepoint():
            case_sudo = Case.create(self._prepare_contact_case_vals(author, values))
        if upload:
            case_sudo.message_post(
                body=request.env._("File sent with the contact form."),
                attachments=[upload], author_id=author.id,
                message_type='comment', subtype_xmlid='mail.mt_note',
            )
        # As for a case opened by e-mail, and within the same limits per address.
        case_sudo._queue_acknowledgement()
        return case_sudo

    def _prepare_contact_case_vals(self, author, values):
        """The values of the case a visitor's form opens.

        The customer and contact person are found as the mail gateway finds
        them from the sender (``_prepare_email_case_vals``). The order is
        linked only when its reference belongs to that customer: the
        reference alone is no proof of anything.
        """
        Case = request.env['aftersales.case'].sudo()
        description = plaintext2html(values['description'])
        if values['order_reference']:
            description += Markup('<p>%s</p>') % request.env._(
                "Order reference given: %(reference)s", reference=values['order_reference'],
            )
        vals = Case._prepare_email_case_vals({
            'subject': values['subject'], 'body': description, 'author_id': author.id,
        })
        origin = request.env.ref('aftersales_case.origin_web_form', raise_if_not_found=False)
        case_type = self._get_contact_case_type()
        vals.update({
            'origin_id': origin.id if origin else vals.get('origin_id'),
            'type_id': case_type.id,
            'team_id': case_type.team_id.id,
        })
        order = self._find_contact_order(values['order_reference'], vals.get('partner_id'))
        if order:
            vals['sale_order_id'] = order.id
        return vals

    def _get_contact_case_type(self):
        """The type of the cases the contact form opens: a question."""
        # sudo: a type and its team, read to route the case; visitors read no configuration.
        case_type = request.env.ref('aftersales_case.type_question', raise_if_not_found=False)
        return (case_type or request.env['aftersales.case.type']).sudo()

    def _find_contact_partner(self, env, email):
        """The known contact of ``email`` in the current company or shared,
        the oldest first; the name typed in the form never renames it."""
        normalized = email_normalize(email)
        if not normalized:
            return env['res.partner']
        return env['res.partner'].search([
            ('email_normalized', '=', normalized),
            ('company_id', 'in', [False, request.env.company.id]),
        ], order='id', limit=1)

    def _find_contact_order(self, reference, commercial_partner_id):
        """The confirmed order named ``reference`` of the customer, in the
        current company, or an empty recordset."""
        Order = request.env['sale.order'].sudo()
        if not reference or not commercial_partner_id:
            return Order
        # sudo: the order is searched among the customer's own only.
        return Order.search([
            ('name', '=', reference), ('partner_id', 'child_of', [commercial_partner_id]),
            ('company_id', '=', request.env.company.id), ('state', '=', 'sale'),
        ], limit=1)
