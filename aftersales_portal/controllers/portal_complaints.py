from odoo import Command, http
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.fields import Domain
from odoo.http import request
from odoo.tools import plaintext2html
from odoo.tools.translate import LazyTranslate

from .portal import DESCRIPTION_MAX_LENGTH, SEARCHBAR_URL_ARGS, SUBJECT_MAX_LENGTH, AftersalesCustomerPortal

_lt = LazyTranslate(__name__)

OPEN_STATES = ('draft', 'registered', 'planned')
# A complaint may cite at most one document: its form field, and the
# customer's own documents each is looked up in.
COMPLAINT_DOCUMENT_FIELDS = (('invoice_id', 'complaint_invoices'), ('sale_order_id', 'complaint_orders'))

COMPLAINT_MESSAGES = {
    'created': _lt("Your complaint was sent: we will register it and tell you how we handle it."),
    'accepted': _lt("Thank you: we noted that you accept the outcome."),
}


class AftersalesComplaintPortal(AftersalesCustomerPortal):
    """The customer's complaints under ``/my/complaints``, and new ones."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if 'aftersales_complaint_count' in counters:
            Complaint = request.env['aftersales.complaint']
            values['aftersales_complaint_count'] = Complaint.search_count(
                self._prepare_aftersales_complaints_domain(request.env.user.partner_id), limit=1,
            ) if Complaint.has_access('read') else 0
        return values

    def _prepare_aftersales_complaints_domain(self, partner):
        return Domain('partner_id', 'child_of', [partner.commercial_partner_id.id])

    def _get_aftersales_complaint_searchbar_values(self, *, sortby, filterby, groupby, search_in, search):
        """The search bar's options and the choices made, each checked against them."""
        sortings = {
            'date': {'label': _lt("Newest"), 'order': 'date_issue desc, id desc'},
            'reference': {'label': _lt("Reference"), 'order': 'name desc, id desc'},
            'status': {'label': _lt("Status"), 'order': 'state, date_issue desc, id desc'},
        }
        filters = {
            'all': {'label': _lt("All"), 'domain': Domain.TRUE},
            'open': {'label': _lt("Open"), 'domain': Domain('state', 'in', OPEN_STATES)},
            'closed': {'label': _lt("Closed"), 'domain': Domain('state', 'not in', OPEN_STATES)},
        }
        inputs = {
            'all': {'input': 'all', 'label': _lt("Search in Subject and Reference")},
            'title': {'input': 'title', 'label': _lt("Search in Subject")},
            'reference': {'input': 'reference', 'label': _lt("Search in Reference")},
        }
        return {
            'searchbar_sortings': sortings, 'sortby': sortby if sortby in sortings else 'date',
            'searchbar_filters': filters, 'filterby': filterby if filterby in filters else 'all',
            'searchbar_groupby': {'none': {'label': _lt("None")}, 'status': {'label': _lt("Status")}},
            'groupby': groupby if groupby in ('none', 'status') else 'none',
            'searchbar_inputs': inputs, 'search_in': search_in if search_in in inputs else 'all',
            'search': search,
        }

    def _get_aftersales_complaint_search_domain(self, search_in, search):
        fnames = {'title': ('title',), 'reference': ('name',)}.get(search_in, ('title', 'name'))
        return Domain.OR(Domain(fname, 'ilike', search) for fname in fnames)

    @http.route(['/my/complaints', '/my/complaints/page/<int:page>'], type='http', auth='user', website=True)
    def portal_my_aftersales_complaints(self, **kwargs):
        values = self._prepare_aftersales_complaints_values(**kwargs)
        request.session['my_aftersales_complaints_history'] = values['complaints'].ids[:100]
        return request.render('aftersales_portal.portal_my_aftersales_complaints', values)

    def _prepare_aftersales_complaints_values(self, *, page=1, sortby=None, filterby=None, groupby=None,
                                              search_in='all', search=None, **kwargs):
        Complaint = request.env['aftersales.complaint']
        searchbar = self._get_aftersales_complaint_searchbar_values(
            sortby=sortby, filterby=filterby, groupby=groupby, search_in=search_in, search=search,
        )
        domain = self._prepare_aftersales_complaints_domain(request.env.user.partner_id)
        domain &= searchbar['searchbar_filters'][searchbar['filterby']]['domain']
        if search:
            domain &= self._get_aftersales_complaint_search_domain(searchbar['search_in'], search)
        order = searchbar['searchbar_sortings'][searchbar['sortby']]['order']
        grouped = searchbar['groupby'] == 'status'
        if grouped:
            order = f'state, {order}'
        readable = Complaint.has_access('read')
        pager = portal_pager(
            url='/my/complaints', page=page, step=self._items_per_page,
            total=Complaint.search_count(domain) if readable else 0,
            url_args={key: searchbar[key] for key in SEARCHBAR_URL_ARGS},
        )
        complaints = Complaint.search(
            domain, order=order, limit=self._items_per_page, offset=pager['offset'],
        ) if readable else Complaint
        complaints = complaints.sudo()  # sudo: found under the user's rules, read for display
        values = self._prepare_portal_layout_values()
        values.update(searchbar)
        values.update({
            'complaints': complaints,
            'grouped_complaints': list(complaints.grouped('state').items()) if grouped
            else [(None, complaints)],
            'page_name': 'aftersales_complaint',
            'pager': pager,
            'default_url': '/my/complaints',
        })
        return values

    @http.route(['/my/complaints/<int:complaint_id>'], type='http', auth='public', website=True)
    def portal_my_aftersales_complaint(self, complaint_id, access_token=None, message=None, **kwargs):
        try:
            complaint_sudo = self._document_check_access(
                'aftersales.complaint', complaint_id, access_token=access_token,
            )
        except (AccessError, MissingError):
            return request.redirect('/my')
        is_customer = self._is_document_customer(complaint_sudo)
        values = {
            'complaint': complaint_sudo,
            'page_name': 'aftersales_complaint',
            'is_customer': is_customer,
            'portal_message': COMPLAINT_MESSAGES.get(message),
            'portal_error': kwargs.get('error_text'),
        }
        values = self._get_page_view_values(
            complaint_sudo, access_token, values, 'my_aftersales_complaints_history', False, **kwargs,
        )
        if not access_token and is_customer:
            # Customers read their complaints but write nothing on them: the
            # chatter posts with the complaint's own token, as a shared link would.
            values['token'] = complaint_sudo._portal_ensure_token()
        return request.render('aftersales_portal.portal_my_aftersales_complaint', values)

    # Accepting the outcome

    @http.route(['/my/complaints/<int:complaint_id>/accept'], type='http', auth='user', methods=['POST'],
                website=True)
    def portal_aftersales_complaint_accept(self, complaint_id, **kwargs):
        complaint_sudo = self._get_customer_document('aftersales.complaint', complaint_id)
        if complaint_sudo is None:
            return request.redirect('/my')
        try:
            with request.env.cr.savepoint():
                complaint_sudo._action_accept_outcome_by_customer()
        except (UserError, ValidationError) as error:
            return self.portal_my_aftersales_complaint(complaint_sudo.id, error_text=error.args[0])
        complaint_sudo.message_post(
            body=request.env._("The customer accepts the outcome of the complaint."),
            author_id=request.env.user.partner_id.id,
            message_type='comment', subtype_xmlid='mail.mt_comment',
        )
        if complaint_sudo.user_id:
            complaint_sudo.activity_schedule(
                'mail.mail_activity_data_todo', user_id=complaint_sudo.user_id.id,
                summary=request.env._("Post the complaint: the customer accepts its outcome"),
            )
        return request.redirect(complaint_sudo.get_portal_url(query_string='&message=accepted'))

    # New complaint

    @http.route(['/my/complaints/new'], type='http', auth='user', methods=['GET', 'POST'], website=True)
    def portal_aftersales_complaint_new(self, **post):
        choices = self._get_aftersales_complaint_choices(request.env.user.partner_id)
        error = None
        if request.httprequest.method == 'POST':
            try:
                complaint_sudo = self._create_portal_complaint(choices, post)
            except (UserError, ValidationError) as exc:
                error = exc.args[0]
            else:
                return request.redirect(complaint_sudo.get_portal_url(query_string='&message=created'))
        values = self._prepare_portal_layout_values()
        values.update(choices)
        values.update({'page_name': 'aftersales_complaint_new', 'error': error, 'post': post})
        return request.render('aftersales_portal.portal_aftersales_complaint_new', values)

    def _get_aftersales_complaint_choices(self, partner):
        """The documents a complaint may cite, in sudo after being found under
        the user's own rules: their company's posted invoices and confirmed orders."""
        commercial = Domain('partner_id', 'child_of', [partner.commercial_partner_id.id])
        Move, Order = request.env['account.move'], request.env['sale.order']
        invoices = Move.search(
            commercial & Domain('move_type', '=', 'out_invoice') & Domain('state', '=', 'posted'),
            order='invoice_date desc, id desc', limit=100,
        ) if Move.has_access('read') else Move
        orders = Order.search(
            commercial & Domain('state', '=', 'sale'), order='date_order desc, id desc', limit=100,
        ) if Order.has_access('read') else Order
        return {'complaint_invoices': invoices.sudo(), 'complaint_orders': orders.sudo()}

    def _create_portal_complaint(self, choices, post):
        """Validate the form against ``choices``, then create the draft complaint in sudo."""
        vals = self._prepare_portal_complaint_vals(request.env.user.partner_id, choices, post)
        # sudo: the cited document was found among the customer's own.
        document = request.env['account.move'].sudo().browse(vals['invoice_id']) \
            or request.env['sale.order'].sudo().browse(vals['sale_order_id'])
        company = document.company_id or request.env.company
        with request.env.cr.savepoint():
            # sudo: every value comes from the checks above; customers have no create right.
            return request.env['aftersales.complaint'].sudo().with_company(company).create(vals)

    def _prepare_portal_complaint_vals(self, partner, choices, post):
        """The values of the complaint the form asks for; only these fields,
        and only a document found among the customer's own ``choices``."""
        title = (post.get('title') or '').strip()
        description = (post.get('description') or '').strip()
        if not title or len(title) > SUBJECT_MAX_LENGTH:
            raise UserError(request.env._(
                "Give your complaint a subject of at most %(max)s characters.", max=SUBJECT_MAX_LENGTH,
            ))
        if not description or len(description) > DESCRIPTION_MAX_LENGTH:
            raise UserError(request.env._(
                "Describe your complaint in at most %(max)s characters.", max=DESCRIPTION_MAX_LENGTH,
            ))
        picked = {name: self._pick(choices[key], post.get(name)) for name, key in COMPLAINT_DOCUMENT_FIELDS}
        # An id that is not among the customer's own is answered like an
        # unknown one, whether it exists or not.
        if any(post.get(name) and not record for name, record in picked.items()):
            raise UserError(request.env._("Choose the invoice or the order from the lists."))
        if all(picked.values()):
            raise UserError(request.env._("Cite either an invoice or an order, not both."))
        commercial = partner.commercial_partner_id
        return {
            'partner_id': commercial.id,
            'contact_ids': [Command.set(partner.ids if partner != commercial else [])],
            'title': title,
            'description': plaintext2html(description),
            'invoice_id': picked['invoice_id'].id,
            'sale_order_id': picked['sale_order_id'].id,
            # A draft for the complaint desk: nobody in charge until registered.
            'user_id': False,
        }
