import binascii

from odoo import http
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.fields import Domain
from odoo.http import request
from odoo.tools.translate import LazyTranslate

from .portal import SEARCHBAR_URL_ARGS, AftersalesCustomerPortal

_lt = LazyTranslate(__name__)

OPEN_STATES = ('draft', 'confirmed', 'under_repair')
QUOTE_REPORT = 'aftersales_repair.action_report_repair_quote'

REPAIR_MESSAGES = {
    'signed': _lt("Thank you: your quote is signed and the repair goes ahead."),
}


class AftersalesRepairPortal(AftersalesCustomerPortal):
    """The customer's repairs under ``/my/repairs``: progress by operation,
    the quote to sign, the history of the serial."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if 'aftersales_repair_count' in counters:
            Repair = request.env['repair.order']
            values['aftersales_repair_count'] = Repair.search_count(
                self._prepare_aftersales_repairs_domain(request.env.user.partner_id), limit=1,
            ) if Repair.has_access('read') else 0
        return values

    def _prepare_aftersales_repairs_domain(self, partner):
        return Domain('partner_id', 'child_of', [partner.commercial_partner_id.id])

    def _get_aftersales_repair_searchbar_values(self, *, sortby, filterby, groupby, search_in, search):
        """The search bar's options and the choices made, each checked against them."""
        sortings = {
            'date': {'label': _lt("Newest"), 'order': 'create_date desc, id desc'},
            'reference': {'label': _lt("Reference"), 'order': 'name desc, id desc'},
            'status': {'label': _lt("Status"), 'order': 'state, create_date desc, id desc'},
        }
        filters = {
            'all': {'label': _lt("All"), 'domain': Domain.TRUE},
            'open': {'label': _lt("In Progress"), 'domain': Domain('state', 'in', OPEN_STATES)},
            'done': {'label': _lt("Repaired"), 'domain': Domain('state', '=', 'done')},
            'to_sign': {'label': _lt("Quote to Sign"), 'domain': Domain('aftersales_quote_state', '=', 'sent')
                        & Domain('state', 'not in', ('done', 'cancel'))},
        }
        inputs = {
            'all': {'input': 'all', 'label': _lt("Search in Reference, Product and Serial")},
            'reference': {'input': 'reference', 'label': _lt("Search in Reference")},
            'serial': {'input': 'serial', 'label': _lt("Search in Serial Number")},
        }
        return {
            'searchbar_sortings': sortings, 'sortby': sortby if sortby in sortings else 'date',
            'searchbar_filters': filters, 'filterby': filterby if filterby in filters else 'all',
            'searchbar_groupby': {'none': {'label': _lt("None")}, 'status': {'label': _lt("Status")}},
            'groupby': groupby if groupby in ('none', 'status') else 'none',
            'searchbar_inputs': inputs, 'search_in': search_in if search_in in inputs else 'all',
            'search': search,
        }

    def _get_aftersales_repair_search_domain(self, search_in, search):
        # sudo: customers may not read serial numbers as such; the subquery
        # only narrows repairs found under their own rules.
        serials = Domain('lot_id', 'in', request.env['stock.lot'].sudo()._search(
            [('name', 'ilike', search)],
        ))
        domains = {
            'name': Domain('name', 'ilike', search),
            'product': Domain('product_id.name', 'ilike', search),
            'serial': serials,
        }
        names = {'reference': ('name',), 'serial': ('serial',)}.get(search_in, tuple(domains))
        return Domain.OR(domains[name] for name in names)

    @http.route(['/my/repairs', '/my/repairs/page/<int:page>'], type='http', auth='user', website=True)
    def portal_my_aftersales_repairs(self, **kwargs):
        values = self._prepare_aftersales_repairs_values(**kwargs)
        request.session['my_aftersales_repairs_history'] = values['repairs'].ids[:100]
        return request.render('aftersales_portal.portal_my_aftersales_repairs', values)

    def _prepare_aftersales_repairs_values(self, *, page=1, sortby=None, filterby=None, groupby=None,
                                           search_in='all', search=None, **kwargs):
        Repair = request.env['repair.order']
        searchbar = self._get_aftersales_repair_searchbar_values(
            sortby=sortby, filterby=filterby, groupby=groupby, search_in=search_in, search=search,
        )
        domain = self._prepare_aftersales_repairs_domain(request.env.user.partner_id)
        domain &= searchbar['searchbar_filters'][searchbar['filterby']]['domain']
        if search:
            domain &= self._get_aftersales_repair_search_domain(searchbar['search_in'], search)
        order = searchbar['searchbar_sortings'][searchbar['sortby']]['order']
        grouped = searchbar['groupby'] == 'status'
        if grouped:
            order = f'state, {order}'
        readable = Repair.has_access('read')
        pager = portal_pager(
            url='/my/repairs', page=page, step=self._items_per_page,
            total=Repair.search_count(domain) if readable else 0,
            url_args={key: searchbar[key] for key in SEARCHBAR_URL_ARGS},
        )
        repairs = Repair.search(
            domain, order=order, limit=self._items_per_page, offset=pager['offset'],
        ) if readable else Repair
        repairs = repairs.sudo()  # sudo: found under the user's rules, read for display
        values = self._prepare_portal_layout_values()
        values.update(searchbar)
        values.update({
            'repairs': repairs,
            'grouped_repairs': list(repairs.grouped('state').items()) if grouped else [(None, repairs)],
            'page_name': 'aftersales_repair',
            'pager': pager,
            'default_url': '/my/repairs',
        })
        return values

    @http.route(['/my/repairs/<int:repair_id>'], type='http', auth='public', website=True)
    def portal_my_aftersales_repair(self, repair_id, access_token=None, message=None, report_type=None,
                                    download=False, **kwargs):
        try:
            repair_sudo = self._document_check_access('repair.order', repair_id, access_token=access_token)
        except (AccessError, MissingError):
            return request.redirect('/my')
        if report_type in ('html', 'pdf', 'text'):
            return self._show_report(
                model=repair_sudo, report_type=report_type, report_ref=QUOTE_REPORT, download=download,
            )
        values = {
            'repair': repair_sudo,
            'page_name': 'aftersales_repair',
            'portal_message': REPAIR_MESSAGES.get(message),
            'history': repair_sudo._aftersales_portal_history(),
            'report_type': 'html',
        }
        values = self._get_page_view_values(
            repair_sudo, access_token, values, 'my_aftersales_repairs_history', False, **kwargs,
        )
        if not access_token and self._is_document_customer(repair_sudo):
            # The chatter posts with the repair's own token, as a shared link would.
            values['token'] = repair_sudo._portal_ensure_token()
        return request.render('aftersales_portal.portal_my_aftersales_repair', values)

    @http.route(['/my/repairs/<int:repair_id>/accept'], type='jsonrpc', auth='public', website=True)
    def portal_aftersales_repair_accept(self, repair_id, access_token=None, name=None, signature=None):
        """Sign the quote, as a sale order is signed: the customer or whoever
        holds the link the quote was sent with."""
        access_token = access_token or request.httprequest.args.get('access_token')
        try:
            repair_sudo = self._document_check_access('repair.order', repair_id, access_token=access_token)
        except (AccessError, MissingError):
            return {'error': request.env._("Invalid repair.")}
        try:
            with request.env.cr.savepoint():
                repair_sudo._aftersales_accept_quote_by_customer(name, signature)
                # The signature is read back by the PDF below.
                request.env.cr.flush()
        except (TypeError, binascii.Error):
            return {'error': request.env._("Invalid signature data.")}
        except (UserError, ValidationError) as error:
            return {'error': error.args[0]}
        pdf = request.env['ir.actions.report'].sudo()._render_qweb_pdf(QUOTE_REPORT, repair_sudo.ids)[0]
        user = request.env.user
        repair_sudo.message_post(
            attachments=[(f'{repair_sudo._get_report_base_filename()}.pdf', pdf)],
            author_id=repair_sudo.partner_id.id if user._is_public() else user.partner_id.id,
            body=request.env._("Quote signed by %(name)s", name=repair_sudo.aftersales_signed_by),
            message_type='comment', subtype_xmlid='mail.mt_comment',
        )
        return {
            'force_refresh': True,
            'redirect_url': repair_sudo.get_portal_url(query_string='&message=signed'),
        }
