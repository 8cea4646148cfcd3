from odoo import http
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.fields import Domain
from odoo.http import request
from odoo.tools.translate import LazyTranslate

from .portal import DESCRIPTION_MAX_LENGTH, SEARCHBAR_URL_ARGS, UPLOAD_MAX_REQUEST, AftersalesCustomerPortal

_lt = LazyTranslate(__name__)

OPEN_CLAIM_STATES = ('draft', 'accepted')
SERIAL_MAX_LENGTH = 100

WARRANTY_MESSAGES = {
    'registered': _lt("Your product is registered: its warranty is shown below."),
}
CLAIM_MESSAGES = {
    'created': _lt("Your claim was sent: the warranty check below tells whether the warranty covers it."),
}


class AftersalesWarrantyPortal(AftersalesCustomerPortal):
    """The customer's installed base under ``/my/warranties`` and their
    warranty claims under ``/my/warranty_claims``."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        partner = request.env.user.partner_id
        for counter, model_name in (('aftersales_warranty_count', 'aftersales.warranty'),
                                    ('aftersales_warranty_claim_count', 'aftersales.warranty.claim')):
            if counter in counters:
                Model = request.env[model_name]
                values[counter] = Model.search_count(
                    self._prepare_aftersales_warranty_domain(partner), limit=1,
                ) if Model.has_access('read') else 0
        return values

    def _prepare_aftersales_warranty_domain(self, partner):
        """Registrations and claims alike belong to the customer's company."""
        return Domain('partner_id', 'child_of', [partner.commercial_partner_id.id])

    def _get_aftersales_warranty_searchbars(self):
        """Per list page: its sortings, filters and search inputs."""
        return {
            'aftersales.warranty': {
                'sortings': {
                    'date': {'label': _lt("Newest"), 'order': 'registration_date desc, id desc'},
                    'reference': {'label': _lt("Reference"), 'order': 'name desc, id desc'},
                    'end': {'label': _lt("Warranty End"), 'order': 'warranty_end, id desc'},
                    'status': {'label': _lt("Status"), 'order': 'state, registration_date desc, id desc'},
                },
                'filters': {
                    'all': {'label': _lt("All"), 'domain': Domain.TRUE},
                    'active': {'label': _lt("In Warranty"), 'domain': Domain('state', '=', 'active')},
                    'ended': {'label': _lt("Out of Warranty"),
                              'domain': Domain('state', '!=', 'active')},
                },
                'inputs': {
                    'all': {'input': 'all', 'label': _lt("Search in All"),
                            'fields': ('name', 'product_id', 'lot_id')},
                    'serial': {'input': 'serial', 'label': _lt("Search in Serial Number"),
                               'fields': ('lot_id',)},
                    'product': {'input': 'product', 'label': _lt("Search in Product"),
                                'fields': ('product_id',)},
                },
            },
            'aftersales.warranty.claim': {
                'sortings': {
                    'date': {'label': _lt("Newest"), 'order': 'date desc, id desc'},
                    'reference': {'label': _lt("Reference"), 'order': 'name desc, id desc'},
                    'status': {'label': _lt("Status"), 'order': 'state, date desc, id desc'},
                },
                'filters': {
                    'all': {'label': _lt("All"), 'domain': Domain.TRUE},
                    'open': {'label': _lt("Open"), 'domain': Domain('state', 'in', OPEN_CLAIM_STATES)},
                    'closed': {'label': _lt("Closed"),
                               'domain': Domain('state', 'not in', OPEN_CLAIM_STATES)},
                },
                'inputs': {
                    'all': {'input': 'all', 'label': _lt("Search in All"),
                            'fields': ('name', 'product_id', 'lot_id')},
                    'serial': {'input': 'serial', 'label': _lt("Search in Serial Number"),
                               'fields': ('lot_id',)},
                    'reference': {'input': 'reference', 'label': _lt("Search in Reference"),
                                  'fields': ('name',)},
                },
            },
        }

    def _prepare_aftersales_warranty_list_values(self, model_name, url, *, page=1, sortby=None,
                                                 filterby=None, groupby=None, search_in='all', search=None,
                                                 **_kwargs):
        """The values of a list page of ``model_name``: the customer's
        records found under their own rules, searched, filtered, sorted,
        grouped by status and paged."""
        Model = request.env[model_name]
        bar = self._get_aftersales_warranty_searchbars()[model_name]
        searchbar = {
            'searchbar_sortings': bar['sortings'],
            'sortby': sortby if sortby in bar['sortings'] else 'date',
            'searchbar_filters': bar['filters'],
            'filterby': filterby if filterby in bar['filters'] else 'all',
            'searchbar_groupby': {'none': {'label': _lt("None")}, 'status': {'label': _lt("Status")}},
            'groupby': groupby if groupby in ('none', 'status') else 'none',
            'searchbar_inputs': bar['inputs'],
            'search_in': search_in if search_in in bar['inputs'] else 'all',
            'search': search,
        }
        domain = self._prepare_aftersales_warranty_domain(request.env.user.partner_id)
        domain &= bar['filters'][searchbar['filterby']]['domain']
        if search:
            domain &= Domain.OR(
                self._get_aftersales_warranty_search_domain(Model, fname, search)
                for fname in bar['inputs'][searchbar['search_in']]['fields']
            )
        order = bar['sortings'][searchbar['sortby']]['order']
        grouped = searchbar['groupby'] == 'status'
        if grouped:
            order = f'state, {order}'
        readable = Model.has_access('read')
        pager = portal_pager(
            url=url, page=page, step=self._items_per_page,
            total=Model.search_count(domain) if readable else 0,
            url_args={key: searchbar[key] for key in SEARCHBAR_URL_ARGS},
        )
        records = Model.search(domain, order=order, limit=self._items_per_page, offset=pager['offset']) \
            if readable else Model
        values = self._prepare_portal_layout_values()
        values.update(searchbar)
        values.update({
            # sudo: found under the user's rules; products and serials are read for display.
            'records': records.sudo(),
            'grouped_records': list(records.sudo().grouped('state').items()) if grouped
            else [(None, records.sudo())],
            'pager': pager,
            'default_url': url,
        })
        return values

    def _get_aftersales_warranty_search_domain(self, Model, fname, search):
        field = Model._fields[fname]
        if field.type != 'many2one':
            return Domain(fname, 'ilike', search)
        # sudo: customers read no serial numbers nor products as such; the
        # names matched only keep, among their own documents, those naming them.
        return Domain(fname, 'in', request.env[field.comodel_name].sudo()._search(
            Domain('display_name', 'ilike', search),
        ))

    # Registrations

    @http.route(['/my/warranties', '/my/warranties/page/<int:page>'], type='http', auth='user', website=True)
    def portal_my_aftersales_warranties(self, **kwargs):
        values = self._prepare_aftersales_warranty_list_values(
            'aftersales.warranty', '/my/warranties', **kwargs,
        )
        values['page_name'] = 'aftersales_warranty'
        request.session['my_aftersales_warranties_history'] = values['records'].ids[:100]
        return request.render('aftersales_portal.portal_my_aftersales_warranties', values)

    @http.route(['/my/warranties/<int:registration_id>'], type='http', auth='public', website=True)
    def portal_my_aftersales_warranty(self, registration_id, access_token=None, message=None, **kwargs):
        try:
            registration_sudo = self._document_check_access(
                'aftersales.warranty', registration_id, access_token=access_token,
            )
        except (AccessError, MissingError):
            return request.redirect('/my')
        is_customer = self._is_document_customer(registration_sudo)
        Claim = request.env['aftersales.warranty.claim']
        # A link's token opens the registration only, not the claims made on it.
        claims = Claim.search([('registration_id', '=', registration_sudo.id)]) \
            if is_customer and Claim.has_access('read') else Claim
        values = {
            'registration': registration_sudo,
            'registration_claims': claims.sudo(),  # sudo: found under the user's rules
            'page_name': 'aftersales_warranty',
            'is_customer': is_customer,
            'portal_message': WARRANTY_MESSAGES.get(message),
        }
        values = self._get_page_view_values(
            registration_sudo, access_token, values, 'my_aftersales_warranties_history', False, **kwargs,
        )
        if not access_token and is_customer:
            # Customers write nothing on their registrations: the chatter posts
            # with the registration's own token, as a shared link would.
            values['token'] = registration_sudo._portal_ensure_token()
        return request.render('aftersales_portal.portal_my_aftersales_warranty', values)

    # Claims

    @http.route(['/my/warranty_claims', '/my/warranty_claims/page/<int:page>'], type='http', auth='user',
                website=True)
    def portal_my_aftersales_warranty_claims(self, **kwargs):
        values = self._prepare_aftersales_warranty_list_values(
            'aftersales.warranty.claim', '/my/warranty_claims', **kwargs,
        )
        values['page_name'] = 'aftersales_warranty_claim'
        request.session['my_aftersales_warranty_claims_history'] = values['records'].ids[:100]
        return request.render('aftersales_portal.portal_my_aftersales_warranty_claims', values)

    @http.route(['/my/warranty_claims/<int:claim_id>'], type='http', auth='public', website=True)
    def portal_my_aftersales_warranty_claim(self, claim_id, access_token=None, message=None, **kwargs):
        try:
            claim_sudo = self._document_check_access(
                'aftersales.warranty.claim', claim_id, access_token=access_token,
            )
        except (AccessError, MissingError):
            return request.redirect('/my')
        is_customer = self._is_document_customer(claim_sudo)
        values = {
            'claim': claim_sudo,
            'page_name': 'aftersales_warranty_claim',
            'is_customer': is_customer,
            'portal_message': CLAIM_MESSAGES.get(message),
            # The registration is linked to only when the reader may open it.
            'claim_registration_readable': is_customer and claim_sudo.registration_id.commercial_partner_id
            == claim_sudo.commercial_partner_id,
        }
        values = self._get_page_view_values(
            claim_sudo, access_token, values, 'my_aftersales_warranty_claims_history', False, **kwargs,
        )
        if not access_token and is_customer:
            values['token'] = claim_sudo._portal_ensure_token()
        return request.render('aftersales_portal.portal_my_aftersales_warranty_claim', values)

    # Registering a product

    @http.route(['/my/warranties/new'], type='http', auth='user', methods=['GET', 'POST'], website=True,
                max_content_length=UPLOAD_MAX_REQUEST)
    def portal_aftersales_warranty_new(self, **post):
        error = None
        if request.httprequest.method == 'POST':
            try:
                registration_sudo = self._create_portal_registration(request.env.user.partner_id, post)
            except (UserError, ValidationError) as exc:
                error = exc.args[0]
            else:
                return request.redirect(registration_sudo.get_portal_url(query_string='&message=registered'))
        values = self._prepare_portal_layout_values()
        values.update({'page_name': 'aftersales_warranty_new', 'error': error, 'post': post})
        return request.render('aftersales_portal.portal_aftersales_warranty_new', values)

    def _create_portal_registration(self, partner, post):
        """Register the unit of the serial number typed, if it was delivered
        to the customer's company and is theirs still; a proof of purchase
        goes with it. A serial that is not theirs is answered like an unknown one."""
        serial = (post.get('serial') or '').strip()
        if not serial or len(serial) > SERIAL_MAX_LENGTH:
            raise UserError(request.env._("Type the serial number shown on your product."))
        files = self._check_portal_uploads(request.httprequest.files.getlist('proof'))
        if not files:
            raise UserError(request.env._("Attach your proof of purchase: a photo or a PDF document."))
        move_line = self._get_delivered_move_line(partner, serial)
        if not move_line:
            raise UserError(request.env._(
                "We find no product with serial number %(serial)s delivered to you.", serial=serial,
            ))
        # sudo: the serial was found delivered to the customer above; they read no registrations
        # of others, so a serial held by one is told apart without naming its holder.
        Warranty = request.env['aftersales.warranty'].sudo().with_company(move_line.company_id)
        if Warranty.search_count([('lot_id', '=', move_line.lot_id.id), ('state', '!=', 'void')], limit=1):
            raise UserError(request.env._("Serial number %(serial)s is already registered.", serial=serial))
        if not request.env['aftersales.warranty.term'].sudo()._get_for_products(move_line.product_id):
            raise UserError(request.env._(
                "%(product)s carries no warranty to register.", product=move_line.product_id.display_name,
            ))
        vals = Warranty._prepare_move_registration_vals(
            move_line.move_id, move_line.lot_id, 1.0 if move_line.product_id.tracking == 'serial'
            else move_line.quantity,
        )
        with request.env.cr.savepoint():
            registration_sudo = Warranty.create(vals)
        self._post_portal_uploads(registration_sudo, files)
        return registration_sudo

    def _get_delivered_move_line(self, partner, serial):
        """The delivery to the customer's company of the unit ``serial``, in
        sudo, when that delivery is the unit's last move (not returned since)."""
        MoveLine = request.env['stock.move.line'].sudo()
        lines = MoveLine.search([
            ('lot_id.name', '=', serial), ('state', '=', 'done'),
        ], order='date desc, id desc', limit=50)
        last_by_lot = {}
        for line in lines:
            last_by_lot.setdefault(line.lot_id, line)
        commercial = partner.commercial_partner_id
        for line in last_by_lot.values():
            customer = line.move_id.sale_line_id.order_id.partner_id or line.picking_id.partner_id
            if line.location_dest_id.usage == 'customer' and customer.commercial_partner_id == commercial:
                return line
        return MoveLine

    # Submitting a claim

    @http.route(['/my/warranty_claims/new'], type='http', auth='user', methods=['GET', 'POST'], website=True)
    def portal_aftersales_warranty_claim_new(self, **post):
        registrations = self._get_claimable_registrations(request.env.user.partner_id)
        error = None
        if request.httprequest.method == 'POST':
            try:
                claim_sudo = self._create_portal_warranty_claim(
                    request.env.user.partner_id, registrations, post,
                )
            except (UserError, ValidationError) as exc:
                error = exc.args[0]
            else:
                return request.redirect(claim_sudo.get_portal_url(query_string='&message=created'))
        values = self._prepare_portal_layout_values()
        values.update({
            'page_name': 'aftersales_warranty_claim_new',
            'claimable_registrations': registrations,
            'remedies': self._get_claim_remedies(),
            'error': error,
            'post': post,
        })
        return request.render('aftersales_portal.portal_aftersales_warranty_claim_new', values)

    def _get_claimable_registrations(self, partner):
        """The customer's registrations not void, in sudo after being found under their rules."""
        Warranty = request.env['aftersales.warranty']
        registrations = Warranty.search(
            self._prepare_aftersales_warranty_domain(partner) & Domain('state', '!=', 'void'), limit=200,
        ) if Warranty.has_access('read') else Warranty
        return registrations.sudo()

    def _get_claim_remedies(self):
        return request.env['aftersales.warranty.claim']._fields['remedy']._description_selection(request.env)

    def _create_portal_warranty_claim(self, partner, registrations, post):
        """Create the claim the form asks for on one of the customer's own
        ``registrations``, in sudo; the warranty checks run on creation."""
        registration = self._pick(registrations, post.get('registration_id'))
        if not registration:
            raise UserError(request.env._("Choose the product from the list of your registered products."))
        remedy = post.get('remedy')
        if remedy not in dict(self._get_claim_remedies()):
            raise UserError(request.env._(
                "Choose what you ask for: a repair, parts, a replacement or a refund.",
            ))
        problem = (post.get('problem') or '').strip()
        if not problem or len(problem) > DESCRIPTION_MAX_LENGTH:
            raise UserError(request.env._(
                "Describe the problem in at most %(max)s characters.", max=DESCRIPTION_MAX_LENGTH,
            ))
        vals = {
            'partner_id': partner.commercial_partner_id.id,
            'lot_id': registration.lot_id.id,
            'registration_id': registration.id,
            'product_id': registration.product_id.id,
            'quantity': min(1.0, registration.quantity),
            'problem': problem,
            'remedy': remedy,
        }
        with request.env.cr.savepoint():
            # sudo: every value comes from the checks above; customers have no create right.
            return request.env['aftersales.warranty.claim'].sudo().with_company(
                registration.company_id,
            ).create(vals)
