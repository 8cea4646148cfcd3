from odoo import Command, fields, http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.fields import Domain
from odoo.http import request
from odoo.tools import format_date, plaintext2html
from odoo.tools.mimetypes import guess_mimetype
from odoo.tools.translate import LazyTranslate

from .case_fields import portal_case_field_values

_lt = LazyTranslate(__name__)

# What a customer may attach from the portal: photos and PDF documents, each
# checked on its content rather than on the name or type the browser sends.
UPLOAD_MIMETYPES = {
    'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf',
}
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
UPLOAD_MAX_FILES = 10
# The whole request: the files and the form around them.
UPLOAD_MAX_REQUEST = UPLOAD_MAX_FILES * UPLOAD_MAX_BYTES + 1024 * 1024
SUBJECT_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 10000

# The form's fields naming a record, and the customer's own records each is looked up in.
CASE_CHOICE_FIELDS = (('sale_order_id', 'case_orders'), ('product_id', 'products'), ('lot_id', 'lots'))

# The search bar's choices a list page's links carry from page to page.
SEARCHBAR_URL_ARGS = ('sortby', 'filterby', 'groupby', 'search_in', 'search')

# Messages the pages show after a redirect: a key in the URL, never its text.
CASE_MESSAGES = {
    'created': _lt("Your case was sent: we will answer you shortly."),
    'closed': _lt("Thank you: the case is closed."),
    'reopened': _lt("The case is open again: tell us below what is still wrong."),
}


class AftersalesCustomerPortal(CustomerPortal):
    """The customer's after-sales cases under ``/my/cases``."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if 'aftersales_case_count' in counters:
            Case = request.env['aftersales.case']
            partner = request.env.user.partner_id
            values['aftersales_case_count'] = Case.search_count(
                self._prepare_aftersales_cases_domain(partner), limit=1,
            ) if Case.has_access('read') else 0
        return values

    def _prepare_aftersales_cases_domain(self, partner):
        return Domain('partner_id', 'child_of', [partner.commercial_partner_id.id])

    def _get_aftersales_case_searchbar_sortings(self):
        return {
            'date': {'label': _lt("Newest"), 'order': 'date_reported desc, id desc'},
            'reference': {'label': _lt("Reference"), 'order': 'name desc, id desc'},
            'status': {'label': _lt("Status"), 'order': 'stage_id, date_reported desc, id desc'},
        }

    def _get_aftersales_case_searchbar_filters(self):
        return {
            'all': {'label': _lt("All"), 'domain': Domain.TRUE},
            'open': {'label': _lt("Open"), 'domain': Domain('is_closed', '=', False)},
            'closed': {'label': _lt("Closed"), 'domain': Domain('is_closed', '=', True)},
        }

    def _get_aftersales_case_searchbar_inputs(self):
        return {
            'all': {'input': 'all', 'label': _lt("Search in Subject and Reference")},
            'subject': {'input': 'subject', 'label': _lt("Search in Subject")},
            'reference': {'input': 'reference', 'label': _lt("Search in Reference")},
        }

    def _get_aftersales_case_search_domain(self, search_in, search):
        fields_by_input = {'all': ('subject', 'name'), 'subject': ('subject',), 'reference': ('name',)}
        return Domain.OR(
            Domain(fname, 'ilike', search) for fname in fields_by_input.get(search_in, ('subject', 'name'))
        )

    def _get_aftersales_case_searchbar_values(self, *, sortby, filterby, groupby, search_in, search):
        """The search bar's options and the choices made, each checked against them."""
        sortings = self._get_aftersales_case_searchbar_sortings()
        filters = self._get_aftersales_case_searchbar_filters()
        inputs = self._get_aftersales_case_searchbar_inputs()
        return {
            'searchbar_sortings': sortings, 'sortby': sortby if sortby in sortings else 'date',
            'searchbar_filters': filters, 'filterby': filterby if filterby in filters else 'all',
            'searchbar_groupby': {'none': {'label': _lt("None")}, 'status': {'label': _lt("Status")}},
            'groupby': groupby if groupby in ('none', 'status') else 'none',
            'searchbar_inputs': inputs, 'search_in': search_in if search_in in inputs else 'all',
            'search': search,
        }

    def _prepare_aftersales_cases_values(self, *, page=1, sortby=None, filterby=None, groupby=None,
                                         search_in='all', search=None, **kwargs):
        Case = request.env['aftersales.case']
        searchbar = self._get_aftersales_case_searchbar_values(
            sortby=sortby, filterby=filterby, groupby=groupby, search_in=search_in, search=search,
        )
        domain = self._prepare_aftersales_cases_domain(request.env.user.partner_id)
        domain &= searchbar['searchbar_filters'][searchbar['filterby']]['domain']
        if search:
            domain &= self._get_aftersales_case_search_domain(searchbar['search_in'], search)
        order = searchbar['searchbar_sortings'][searchbar['sortby']]['order']
        grouped = searchbar['groupby'] == 'status'
        if grouped:
            order = f'stage_id, {order}'
        readable = Case.has_access('read')
        pager = portal_pager(
            url='/my/cases', page=page, step=self._items_per_page,
            total=Case.search_count(domain) if readable else 0,
            url_args={key: searchbar[key] for key in SEARCHBAR_URL_ARGS},
        )
        cases = Case.search(domain, order=order, limit=self._items_per_page, offset=pager['offset']) \
            if readable else Case
        # sudo: these cases were found under the user's own rules; their
        # stage and responsible are read for display only.
        cases = cases.sudo()
        values = self._prepare_portal_layout_values()
        values.update(searchbar)
        values.update({
            'cases': cases,
            'case_dates': self._portal_list_dates(cases, 'date_reported'),
            'grouped_cases': list(cases.grouped('stage_id').items()) if grouped else [(None, cases)],
            'page_name': 'aftersales_case',
            'pager': pager,
            'default_url': '/my/cases',
        })
        return values

    @http.route(['/my/cases', '/my/cases/page/<int:page>'], type='http', auth='user', website=True)
    def portal_my_aftersales_cases(self, **kwargs):
        values = self._prepare_aftersales_cases_values(**kwargs)
        request.session['my_aftersales_cases_history'] = values['cases'].ids[:100]
        return request.render('aftersales_portal.portal_my_aftersales_cases', values)

    @http.route(['/my/cases/<int:case_id>'], type='http', auth='public', website=True)
    def portal_my_aftersales_case(self, case_id, access_token=None, message=None, **kwargs):
        try:
            case_sudo = self._document_check_access('aftersales.case', case_id, access_token=access_token)
        except (AccessError, MissingError):
            return request.redirect('/my')
        values = {
            'case': case_sudo,
            'page_name': 'aftersales_case',
            'is_customer': self._is_document_customer(case_sudo),
            'portal_message': CASE_MESSAGES.get(message),
            'portal_error': kwargs.get('error_text'),
        }
        values = self._get_page_view_values(
            case_sudo, access_token, values, 'my_aftersales_cases_history', False, **kwargs,
        )
        return request.render('aftersales_portal.portal_my_aftersales_case', values)

    @staticmethod
    def _portal_list_dates(records, fname):
        """``{id: date}`` of ``records``' datetime ``fname`` in the user's time
        zone and language, formatted once for a list's rows: a ``t-field``
        per row costs a converter's lookups each time."""
        env = records.env
        return {
            record.id: format_date(env, fields.Datetime.context_timestamp(record, record[fname]))
            for record in records if record[fname]
        }

    def _is_document_customer(self, document_sudo):
        """Whether the logged-in user is the document's customer, not a
        visitor holding its link: only the customer acts on it."""
        user = request.env.user
        return not user._is_public() and \
            user.partner_id.commercial_partner_id == document_sudo.partner_id.commercial_partner_id

    def _get_customer_document(self, model_name, document_id):
        """The document in sudo when the user is its customer and reads it
        under their own rules (a link's token is no such right), else None."""
        try:
            document_sudo = self._document_check_access(model_name, document_id)
        except (AccessError, MissingError):
            return None
        return document_sudo if self._is_document_customer(document_sudo) else None

    # Closing and reopening

    @http.route(['/my/cases/<int:case_id>/close'], type='http', auth='user', methods=['POST'], website=True)
    def portal_aftersales_case_close(self, case_id, **kwargs):
        case_sudo = self._get_customer_document('aftersales.case', case_id)
        if case_sudo is None:
            return request.redirect('/my')
        if case_sudo.is_closed:
            return request.redirect(case_sudo.get_portal_url())
        return self._run_case_action(
            case_sudo, case_sudo._action_close_by_customer, 'closed',
            request.env._("The customer accepted the resolution and closed the case."),
        )

    @http.route(['/my/cases/<int:case_id>/reopen'], type='http', auth='user', methods=['POST'], website=True)
    def portal_aftersales_case_reopen(self, case_id, **kwargs):
        case_sudo = self._get_customer_document('aftersales.case', case_id)
        if case_sudo is None:
            return request.redirect('/my')
        if not case_sudo.is_closed:
            return request.redirect(case_sudo.get_portal_url())
        return self._run_case_action(
            case_sudo, case_sudo.action_reopen, 'reopened',
            request.env._("The customer reopened the case."),
        )

    def _run_case_action(self, case_sudo, action, message, note):
        try:
            with request.env.cr.savepoint():
                action()
        except (UserError, ValidationError) as error:
            return self.portal_my_aftersales_case(case_sudo.id, error_text=error.args[0])
        case_sudo.message_post(
            body=note, author_id=request.env.user.partner_id.id,
            message_type='comment', subtype_xmlid='mail.mt_note',
        )
        return request.redirect(case_sudo.get_portal_url(query_string=f'&message={message}'))

    # New case

    @http.route(['/my/cases/new'], type='http', auth='user', methods=['GET', 'POST'], website=True,
                max_content_length=UPLOAD_MAX_REQUEST)
    def portal_aftersales_case_new(self, **post):
        """The type first (unless there is one), then the form that type asks for."""
        choices = self._get_aftersales_case_choices(request.env.user.partner_id)
        error = None
        if request.httprequest.method == 'POST':
            try:
                case_sudo = self._create_portal_case(choices, post)
            except (UserError, ValidationError) as exc:
                error = exc.args[0]
            else:
                return request.redirect(case_sudo.get_portal_url(query_string='&message=created'))
        case_types = choices['case_types']
        case_type = self._pick(case_types, post.get('type_id')) if len(case_types) > 1 else case_types
        values = self._prepare_portal_layout_values()
        values.update(choices)
        values.update({
            'page_name': 'aftersales_case_new', 'error': error, 'post': post,
            'case_type': case_type,
            'portal_fields': case_type._get_portal_fields() if case_type else [],
            'level_choices': dict(request.env['aftersales.case']._fields['impact']._description_selection(
                request.env,
            )),
        })
        return request.render('aftersales_portal.portal_aftersales_case_new', values)

    def _get_aftersales_case_choices(self, partner):
        """What the customer may choose from, in sudo after being found as
        theirs: portal types, their confirmed orders, the products of those
        orders and the serial numbers delivered to them."""
        orders = request.env['sale.order'].search([
            ('partner_id', 'child_of', [partner.commercial_partner_id.id]), ('state', '=', 'sale'),
        ], order='date_order desc, id desc', limit=100) if request.env['sale.order'].has_access('read') \
            else request.env['sale.order']
        orders = orders.sudo()
        lines = orders.order_line.filtered(lambda line: not line.display_type and line.product_id)
        lots = request.env['stock.lot'].sudo()
        if orders:
            lots = lots.browse([lot.id for lot, in request.env['stock.move.line'].sudo()._read_group(
                [('move_id.sale_line_id.order_id', 'in', orders.ids), ('state', '=', 'done'),
                 ('lot_id', '!=', False), ('location_dest_id.usage', '=', 'customer')],
                ['lot_id'],
            )])
            # A serial delivered, then returned and back in stock, is no longer the customer's.
            lots -= lots.browse([lot.id for lot, in request.env['stock.quant'].sudo()._read_group(
                [('lot_id', 'in', lots.ids), ('location_id.usage', '=', 'internal'), ('quantity', '>', 0)],
                ['lot_id'],
            )])
        case_types = request.env['aftersales.case.type'].sudo().search([('portal_visible', '=', True)])
        return {
            'case_types': case_types, 'case_orders': orders, 'products': lines.product_id, 'lots': lots,
        }

    def _create_portal_case(self, choices, post):
        """Validate the form against ``choices``, then create the case in sudo."""
        vals = self._prepare_portal_case_vals(request.env.user.partner_id, choices, post)
        files = self._check_portal_uploads(request.httprequest.files.getlist('attachments'))
        with request.env.cr.savepoint():
            # sudo: every value comes from the checks above; customers have no create right.
            case_sudo = request.env['aftersales.case'].sudo().with_company(request.env.company).create(vals)
        self._post_portal_uploads(case_sudo, files)
        return case_sudo

    def _prepare_portal_case_vals(self, partner, choices, post):
        """The values of the case the form asks for; only these fields, and
        only ids found among the customer's own ``choices``."""
        case_type = self._pick(choices['case_types'], post.get('type_id'))
        subject = (post.get('subject') or '').strip()
        description = (post.get('description') or '').strip()
        if not case_type:
            raise UserError(request.env._("Choose what your case is about."))
        if not subject or len(subject) > SUBJECT_MAX_LENGTH:
            raise UserError(request.env._(
                "Give your case a subject of at most %(max)s characters.", max=SUBJECT_MAX_LENGTH,
            ))
        if len(description) > DESCRIPTION_MAX_LENGTH:
            raise UserError(request.env._(
                "Describe your case in at most %(max)s characters.", max=DESCRIPTION_MAX_LENGTH,
            ))
        picked = {
            name: self._pick(choices[key], post.get(name))
            for name, key in CASE_CHOICE_FIELDS
        }
        if any(post.get(name) and not record for name, record in picked.items()):
            raise UserError(request.env._("Choose the order, product and serial number from the lists."))
        products = picked['product_id'] or picked['lot_id'].product_id
        shown = case_type.field_ids.mapped('field_name')
        if shown and 'product_ids' not in shown:
            # The type hides products: the form does not set what its agents never see.
            products = products.browse()
        if not products and case_type._portal_requires_product():
            raise UserError(request.env._("Choose the product or the serial number your case is about."))
        commercial = partner.commercial_partner_id
        return portal_case_field_values(case_type, post) | {
            'partner_id': commercial.id,
            'contact_id': partner.id if partner != commercial else False,
            'type_id': case_type.id,
            'team_id': case_type.team_id.id,
            'subject': subject,
            'description': plaintext2html(description) if description else False,
            'sale_order_id': picked['sale_order_id'].id,
            'product_ids': [Command.set(products.ids)],
            'aftersales_lot_id': picked['lot_id'].id,
        }

    @staticmethod
    def _pick(records, value):
        """The record of ``records`` whose id ``value`` names, else an empty recordset."""
        try:
            record_id = int(value or 0)
        except (TypeError, ValueError):
            return records.browse()
        return records.filtered(lambda record: record.id == record_id)

    def _check_portal_uploads(self, uploads):
        """``[(name, data)]`` of the uploaded files; refuse too many,
        too large, or anything but photos and PDF documents."""
        uploads = [upload for upload in uploads if upload.filename]
        if len(uploads) > UPLOAD_MAX_FILES:
            raise UserError(request.env._("Attach at most %(count)s files.", count=UPLOAD_MAX_FILES))
        files = []
        for upload in uploads:
            data = upload.read(UPLOAD_MAX_BYTES + 1)
            if len(data) > UPLOAD_MAX_BYTES:
                raise UserError(request.env._(
                    "%(file)s is larger than 10 MB.", file=upload.filename,
                ))
            mimetype = guess_mimetype(data)
            if mimetype not in UPLOAD_MIMETYPES:
                raise UserError(request.env._(
                    "%(file)s is neither a photo nor a PDF document.", file=upload.filename,
                ))
            files.append((upload.filename, data))
        return files

    def _post_portal_uploads(self, document_sudo, files):
        """Attach ``files`` to the document in a message of its customer."""
        if not files:
            return
        document_sudo.message_post(
            body=request.env._("Files sent with the request."),
            attachments=files,
            author_id=request.env.user.partner_id.id,
            message_type='comment', subtype_xmlid='mail.mt_comment',
        )
