import math

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.addons.aftersales_rma.models.aftersales_rma import OPEN_STATES
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.fields import Domain
from odoo.http import request
from odoo.tools import plaintext2html
from odoo.tools.misc import formatLang
from odoo.tools.translate import LazyTranslate

from .portal import DESCRIPTION_MAX_LENGTH, UPLOAD_MAX_REQUEST, AftersalesCustomerPortal

_lt = LazyTranslate(__name__)

RETURN_MESSAGES = {
    'requested': _lt("Your return request was sent: we will check it and send you the instructions."),
}


class AftersalesReturnPortal(AftersalesCustomerPortal):
    """The customer's returns under ``/my/returns``, and their requests."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if 'aftersales_rma_count' in counters:
            Rma = request.env['aftersales.rma']
            values['aftersales_rma_count'] = Rma.search_count(
                self._prepare_aftersales_rmas_domain(request.env.user.partner_id), limit=1,
            ) if Rma.has_access('read') else 0
        return values

    def _prepare_aftersales_rmas_domain(self, partner):
        return Domain('partner_id', 'child_of', [partner.commercial_partner_id.id])

    def _get_aftersales_rma_searchbar_sortings(self):
        return {
            'date': {'label': _lt("Newest"), 'order': 'date desc, id desc'},
            'reference': {'label': _lt("Reference"), 'order': 'name desc, id desc'},
            'status': {'label': _lt("Status"), 'order': 'state, date desc, id desc'},
        }

    def _get_aftersales_rma_searchbar_filters(self):
        return {
            'all': {'label': _lt("All"), 'domain': Domain.TRUE},
            'open': {'label': _lt("Open"), 'domain': Domain('state', 'in', OPEN_STATES)},
            'closed': {'label': _lt("Closed"), 'domain': Domain('state', 'not in', OPEN_STATES)},
        }

    @http.route(['/my/returns', '/my/returns/page/<int:page>'], type='http', auth='user', website=True)
    def portal_my_aftersales_rmas(self, page=1, sortby=None, filterby=None, **kwargs):
        Rma = request.env['aftersales.rma']
        sortings = self._get_aftersales_rma_searchbar_sortings()
        filters = self._get_aftersales_rma_searchbar_filters()
        sortby = sortby if sortby in sortings else 'date'
        filterby = filterby if filterby in filters else 'all'
        domain = self._prepare_aftersales_rmas_domain(request.env.user.partner_id)
        domain &= filters[filterby]['domain']
        readable = Rma.has_access('read')
        pager = portal_pager(
            url='/my/returns', page=page, step=self._items_per_page,
            total=Rma.search_count(domain) if readable else 0,
            url_args={'sortby': sortby, 'filterby': filterby},
        )
        rmas = Rma.search(domain, order=sortings[sortby]['order'], limit=self._items_per_page,
                          offset=pager['offset']) if readable else Rma
        request.session['my_aftersales_rmas_history'] = rmas.ids[:100]
        values = self._prepare_portal_layout_values()
        rmas = rmas.sudo()  # sudo: found under the user's rules, read for display
        values.update({
            'rmas': rmas,
            'rma_dates': self._portal_list_dates(rmas, 'date'),
            'rma_state_labels': dict(Rma._fields['state']._description_selection(request.env)),
            'page_name': 'aftersales_rma',
            'pager': pager,
            'default_url': '/my/returns',
            'searchbar_sortings': sortings, 'sortby': sortby,
            'searchbar_filters': filters, 'filterby': filterby,
        })
        return request.render('aftersales_portal.portal_my_aftersales_rmas', values)

    @http.route(['/my/returns/<int:rma_id>'], type='http', auth='public', website=True)
    def portal_my_aftersales_rma(self, rma_id, access_token=None, report_type=None, download=False,
                                 message=None, **kwargs):
        try:
            rma_sudo = self._document_check_access('aftersales.rma', rma_id, access_token=access_token)
        except (AccessError, MissingError):
            return request.redirect('/my')
        if report_type in ('html', 'pdf', 'text'):
            return self._show_report(
                model=rma_sudo, report_type=report_type,
                report_ref='aftersales_rma.action_report_rma', download=download,
            )
        values = {
            'rma': rma_sudo,
            'page_name': 'aftersales_rma',
            'portal_message': RETURN_MESSAGES.get(message),
        }
        values = self._get_page_view_values(
            rma_sudo, access_token, values, 'my_aftersales_rmas_history', False, **kwargs,
        )
        if not access_token and self._is_document_customer(rma_sudo):
            # Customers read their returns but write nothing on them: the
            # chatter posts with the return's own token, as a shared link would.
            values['token'] = rma_sudo._portal_ensure_token()
        return request.render('aftersales_portal.portal_my_aftersales_rma', values)

    # Requesting a return

    @http.route(['/my/returns/new'], type='http', auth='user', methods=['GET', 'POST'], website=True,
                max_content_length=UPLOAD_MAX_REQUEST)
    def portal_aftersales_rma_new(self, order_id=None, **post):
        if not order_id:
            return self._render_return_order_choice()
        order_sudo = self._get_returnable_order(order_id)
        wizard = self._new_return_wizard(order_sudo)
        error = None
        if request.httprequest.method == 'POST':
            try:
                rma_sudo = self._create_portal_return(wizard, post)
            except (UserError, ValidationError) as exc:
                error = exc.args[0]
            else:
                return request.redirect(rma_sudo.get_portal_url(query_string='&message=requested'))
        values = self._prepare_portal_layout_values()
        values.update({
            'page_name': 'aftersales_rma_new',
            'return_order': order_sudo,
            'wizard_lines': wizard.line_ids,
            'reasons': request.env['aftersales.rma.reason'].sudo().search([]),
            'resolutions': request.env['aftersales.rma.line']._fields['resolution']._description_selection(
                request.env),
            'error': error,
            'post': post,
        })
        return request.render('aftersales_portal.portal_aftersales_rma_new', values)

    def _render_return_order_choice(self):
        """The customer's confirmed orders with delivered goods, to start a request from."""
        orders = request.env['sale.order'].search([
            ('partner_id', 'child_of', [request.env.user.partner_id.commercial_partner_id.id]),
            ('state', '=', 'sale'),
        ], order='date_order desc, id desc', limit=100) if request.env['sale.order'].has_access('read') \
            else request.env['sale.order']
        values = self._prepare_portal_layout_values()
        values.update({
            'page_name': 'aftersales_rma_new',
            'returnable_orders': orders.sudo().filtered('aftersales_can_return'),
        })
        return request.render('aftersales_portal.portal_aftersales_rma_order_choice', values)

    def _get_returnable_order(self, order_id):
        """The customer's own confirmed order in sudo; anything else is not found,
        whether it exists or not. A link's token gives no right to request."""
        try:
            order_sudo = self._document_check_access('sale.order', int(order_id))
        except (AccessError, MissingError, ValueError, OverflowError):
            raise NotFound() from None
        if not self._is_document_customer(order_sudo) or order_sudo.state != 'sale':
            raise NotFound()
        return order_sudo

    def _new_return_wizard(self, order_sudo):
        """The returns' own wizard on the order, proposing what is returnable.

        In sudo after the order was checked as the customer's; the wizard
        checks again that the user reads the order before proposing lines.
        """
        partner = request.env.user.partner_id
        return request.env['aftersales.rma.create'].sudo().with_company(order_sudo.company_id).create({
            'sale_order_id': order_sudo.id,
            'company_id': order_sudo.company_id.id,
            'partner_id': partner.id,
        })

    @staticmethod
    def _line_key(line):
        return f'{line.sale_line_id.id}-{line.lot_id.id or 0}'

    def _create_portal_return(self, wizard, post):
        """Fill the wizard with what the form allows, and let it make the draft return."""
        reason = self._pick(request.env['aftersales.rma.reason'].sudo().search([]), post.get('reason_id'))
        resolutions = dict(request.env['aftersales.rma.line']._fields['resolution']._description_selection(
            request.env))
        resolution = post.get('resolution')
        if resolution not in resolutions:
            raise UserError(request.env._("Choose what you wish: a refund, a replacement or a repair."))
        description = (post.get('description') or '').strip()
        if len(description) > DESCRIPTION_MAX_LENGTH:
            raise UserError(request.env._(
                "Explain your return in at most %(max)s characters.", max=DESCRIPTION_MAX_LENGTH,
            ))
        files = self._check_portal_uploads(request.httprequest.files.getlist('photos'))
        wizard.write({
            'requested_resolution': resolution,
            'description': plaintext2html(description) if description else False,
        })
        for line in wizard.line_ids:
            line.write({
                'product_uom_qty': self._parse_quantity(post.get(f'qty_{self._line_key(line)}'), line),
                'reason_id': reason.id,
                'resolution': resolution,
            })
        with request.env.cr.savepoint():
            action = wizard.action_create_rma()
        rma_sudo = request.env['aftersales.rma'].sudo().browse(action['res_id'])
        self._post_portal_uploads(rma_sudo, files)
        return rma_sudo

    def _parse_quantity(self, value, line):
        """A quantity typed in the customer's language, between 0 and what the line can return."""
        text = (value or '').strip()
        if not text:
            return 0.0
        lang = request.env['res.lang']._get_data(code=request.env.lang or 'en_US')
        if lang.decimal_point and lang.decimal_point != '.':
            text = text.replace(lang.decimal_point, '.')
        try:
            qty = float(text)
        except ValueError:
            qty = -1.0
        if not math.isfinite(qty) or qty < 0 or line.product_uom_id.compare(qty, line.qty_returnable) > 0:
            raise UserError(request.env._(
                "%(product)s: enter a quantity between 0 and %(max)s.",
                product=line.product_id.display_name,
                max=formatLang(request.env, line.qty_returnable, dp='Product Unit'),
            ))
        return qty
