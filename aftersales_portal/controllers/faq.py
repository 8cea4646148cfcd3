from odoo import http
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.fields import Domain
from odoo.http import request

from ..models.aftersales_solution import FAQ_LIST_FIELDS

FAQ_PAGE_SIZE = 20
# A search is a few words: longer text is cut rather than sent to PostgreSQL.
SEARCH_MAX_LENGTH = 200


class AftersalesFaqController(http.Controller):
    """The published answers of the knowledge base, for anyone."""

    def _get_faq_solutions(self):
        # sudo: visitors have no access to the knowledge base; every read
        # below goes through the domain of the published answers.
        return request.env['aftersales.solution'].sudo()

    def _prepare_faq_domain(self):
        return self._get_faq_solutions()._get_faq_domain(request.env.company)

    @http.route(['/aftersales/faq', '/aftersales/faq/page/<int:page>'], type='http', auth='public',
                methods=['GET'], website=True)
    def aftersales_faq(self, page=1, search=None, **kwargs):
        Solution = self._get_faq_solutions()
        search = (search or '').strip()[:SEARCH_MAX_LENGTH]
        domain = self._prepare_faq_domain()
        if search:
            domain &= Domain('search_text', 'ilike', search)
        pager = portal_pager(
            url='/aftersales/faq', page=page, step=FAQ_PAGE_SIZE,
            total=Solution.search_count(domain), url_args={'search': search} if search else None,
        )
        solutions = Solution._search_faq(
            self._prepare_faq_domain(), text=search, offset=pager['offset'], limit=FAQ_PAGE_SIZE,
        )
        return request.render('aftersales_portal.aftersales_faq_list', {
            'solutions': solutions, 'pager': pager, 'search': search,
        })

    @http.route(['/aftersales/faq/<int:solution_id>'], type='http', auth='public', methods=['GET'],
                website=True)
    def aftersales_faq_answer(self, solution_id, **kwargs):
        solution = self._get_faq_solutions().search_fetch(
            self._prepare_faq_domain() & Domain('id', '=', solution_id),
            [*FAQ_LIST_FIELDS, 'solution'], limit=1,
        )
        if not solution:
            raise request.not_found()
        return request.render('aftersales_portal.aftersales_faq_answer', {'solution': solution})
