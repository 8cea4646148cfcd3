from odoo import api, models
from odoo.fields import Domain
from odoo.tools import SQL

# What the public FAQ list shows of an answer; the page of one answer adds the answer itself.
FAQ_LIST_FIELDS = ['name', 'problem']


class AftersalesSolution(models.Model):
    _inherit = 'aftersales.solution'

    @api.model
    def _get_faq_domain(self, company):
        """The answers anyone may read: published, active, of ``company`` or shared."""
        return Domain('is_published', '=', True) & Domain('active', '=', True) \
            & Domain('company_id', 'in', [False, company.id])

    @api.model
    def _search_faq(self, domain, text=None, offset=0, limit=None):
        """A page of the answers of ``domain``, the FAQ's list fields fetched.

        With ``text``, only those matching it (``search_text``), best match
        first, as ``_search_ranked`` orders them; else the most used first.
        """
        if not text:
            return self.search_fetch(domain, FAQ_LIST_FIELDS, offset=offset, limit=limit)
        domain = Domain(domain) & Domain('search_text', 'ilike', text)
        query = self._search(domain, offset=offset, limit=limit)
        if query.is_empty():
            return self.browse()
        query.order = SQL(
            "ts_rank(%s, %s) DESC, %s DESC",
            self._search_text_tsvector(query.table), self._search_text_tsquery(text),
            SQL.identifier(query.table, 'id'),
        )
        solutions = self.browse([id_ for id_, in self.env.execute_query(query.select())])
        solutions.fetch(FAQ_LIST_FIELDS)
        return solutions
