from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL, sql

# PostgreSQL's 'english' configuration stems words ("jams", "jammed" and
# "jamming" all become 'jam') and drops stop words ("the", "after"), so an
# agent finds "The printer jams after..." by typing "jam printer". 'simple'
# would only match the exact inflection typed. A knowledge base written in
# another language overrides `_search_text_config` (the index follows on the
# next module update).
SEARCH_TEXT_CONFIG = 'english'


class AftersalesSolution(models.Model):
    _name = 'aftersales.solution'
    _description = "Knowledge Base Solution"
    _inherit = ['mail.thread']
    _order = 'use_count desc, name, id'
    _check_company_auto = True

    name = fields.Char(string="Title", required=True, tracking=True)
    problem = fields.Text(
        tracking=True,
        help="The symptom as customers report it, in their words: it is searched as well.",
    )
    solution = fields.Html(
        string="Answer", sanitize=True,
        help="What to tell the customer: it becomes the body of the reply.",
    )
    product_ids = fields.Many2many(
        'product.product', string="Products", check_company=True, tracking=True,
    )
    categ_ids = fields.Many2many(
        'product.category', string="Product Categories", tracking=True,
        help="Suggest the answer for the products of these categories and their subcategories.",
    )
    tag_ids = fields.Many2many('aftersales.case.tag', string="Tags")
    is_published = fields.Boolean(
        string="Published to Customers", tracking=True,
        help="Customers see published answers in their portal.",
    )
    use_count = fields.Integer(
        string="Uses", default=0, readonly=True, copy=False, aggregator='sum',
        help="How many times an agent answered a case with it.",
    )
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        'res.company', index=True, tracking=True, default=lambda self: self.env.company,
        help="Leave empty to share the answer with every company.",
    )
    search_text = fields.Char(
        string="Text", compute='_compute_search_text', search='_search_search_text',
        help="Words of the title, the problem or the answer, in any order.",
    )

    # Compute and search methods

    def _compute_search_text(self):
        self.search_text = False

    def _search_search_text(self, operator, value):
        if operator not in ('ilike', 'like', '='):
            return NotImplemented
        if not isinstance(value, str) or not value.strip():
            return Domain.TRUE
        return Domain('id', 'in', SQL(
            "(SELECT id FROM %s WHERE %s @@ %s)",
            SQL.identifier(self._table),
            self._search_text_tsvector(),
            self._search_text_tsquery(value),
        ))

    # Low-level methods

    def init(self):
        """Create the full-text index, or rebuild it when the configuration changed."""
        super().init()
        cr = self.env.cr
        index_name = sql.make_index_name(self._table, 'search_text')
        comment = f"full text search ({self._search_text_config()})"
        definition, db_comment = sql.index_definition(cr, index_name)
        if definition and db_comment == comment:
            return
        sql.drop_index(cr, index_name, self._table)
        sql.add_index(
            cr, index_name, self._table, SQL("USING gin (%s)", self._search_text_tsvector()),
            unique=False, comment=comment,
        )

    # CRUD methods

    def write(self, vals):
        old_answers = {s.id: s.solution for s in self} if 'solution' in vals else {}
        result = super().write(vals)
        # Mail tracking skips Html fields: log the previous answer instead, so
        # the chatter keeps every version.
        changed = self.filtered(lambda s: s.id in old_answers and s.solution != old_answers[s.id])
        if changed:
            changed._message_log_batch(bodies={
                solution.id: Markup("<p>%s</p><blockquote>%s</blockquote>") % (
                    self.env._("The answer was updated. It read:"),
                    old_answers[solution.id] or "",
                )
                for solution in changed
            })
        return result

    # Actions

    def action_use_on_case(self):
        """Answer the case named in the context with this solution.

        Opens the mail composer on the case with the answer as body and
        counts the use.
        """
        self.ensure_one()
        case_id = self.env.context.get('aftersales_case_id')
        case = self.env['aftersales.case'].browse(case_id if isinstance(case_id, int) else ())
        if not case.exists():
            raise UserError(self.env._("Open the knowledge base from a case to use an answer."))
        case.check_access('read')
        self.check_access('read')
        self._increment_use_count()
        return case._action_reply_with_solution(self)

    # Business methods

    @api.model
    def _search_text_config(self):
        """The PostgreSQL text search configuration of the knowledge base."""
        return SEARCH_TEXT_CONFIG

    @api.model
    def _search_text_tsvector(self, alias=None):
        """What a solution is searched as, weighted title A, problem B, answer C.

        Tags are cut out of the answer before parsing: PostgreSQL's parser skips
        well-formed tags, not those with unquoted attributes. The index is built
        on this very expression, and queries must repeat it to use the index.
        """
        config = SQL("%s::regconfig", self._search_text_config())

        def column(name):
            return SQL.identifier(alias, name) if alias else SQL.identifier(name)

        return SQL(
            "(setweight(to_tsvector(%(config)s, coalesce(%(name)s, '')), 'A')"
            " || setweight(to_tsvector(%(config)s, coalesce(%(problem)s, '')), 'B')"
            " || setweight(to_tsvector(%(config)s,"
            " regexp_replace(coalesce(%(solution)s, ''), '<[^>]*>', ' ', 'g')), 'C'))",
            config=config, name=column('name'), problem=column('problem'),
            solution=column('solution'),
        )

    @api.model
    def _search_text_tsquery(self, text):
        """``text`` in web search syntax: words in any order, "quoted phrases",
        ``or``, ``-excluded``; never a syntax error."""
        return SQL("websearch_to_tsquery(%s::regconfig, %s)", self._search_text_config(), text)

    @api.model
    def _search_ranked(self, text, domain=None, limit=None):
        """Solutions matching ``text`` that the user may read, best match first.

        The rank (``ts_rank``) weighs a word in the title over one in the
        problem, and one in the problem over one in the answer.
        """
        query = self._search(Domain(domain or Domain.TRUE) & Domain('search_text', 'ilike', text))
        if query.is_empty():
            return self.browse()
        query.order = SQL(
            "ts_rank(%s, %s) DESC, %s DESC",
            self._search_text_tsvector(query.table), self._search_text_tsquery(text),
            SQL.identifier(query.table, 'id'),
        )
        query.limit = limit
        return self.browse([id_ for id_, in self.env.execute_query(query.select())])

    def _increment_use_count(self):
        # An atomic increment in SQL: using an answer is no edit of it, so it
        # neither changes its last editor nor needs the right to write it.
        self.env.execute_query(SQL(
            "UPDATE %s SET use_count = COALESCE(use_count, 0) + 1 WHERE id IN %s",
            SQL.identifier(self._table), tuple(self.ids),
        ))
        self.invalidate_recordset(['use_count'])
