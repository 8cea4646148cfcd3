from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

# How many answers the case form suggests.
SUGGESTION_LIMIT = 5


class AftersalesCase(models.Model):
    _inherit = 'aftersales.case'

    suggested_solution_ids = fields.Many2many(
        'aftersales.solution', string="Suggested Answers",
        # In sudo so that a user without access to the knowledge base can be
        # given an empty list; the query still applies the user's rules.
        compute='_compute_suggested_solution_ids', compute_sudo=True,
        help="Knowledge base answers for the case's products and their categories, "
             "most used first.",
    )

    # Compute methods

    @api.depends('product_ids', 'product_categ_id', 'company_id')
    @api.depends_context('uid', 'allowed_company_ids')
    def _compute_suggested_solution_ids(self):
        Solution = self.env['aftersales.solution']
        if not Solution.sudo(False).has_access('read'):
            self.suggested_solution_ids = False
            return
        suggestions = self._get_suggested_solution_ids(SUGGESTION_LIMIT)
        for index, case in enumerate(self):
            case.suggested_solution_ids = Solution.browse(suggestions[index])

    def _get_suggested_solution_ids(self, limit):
        """``{index of the case in self: [solution ids]}``, in one query.

        Each case gets the ``limit`` most used active solutions that fit it
        (see ``_get_solution_keys``), that the user may read and that belong
        to the case's company or to none.
        """
        product_keys, categ_keys = self._get_solution_keys()
        if not product_keys and not categ_keys:
            return defaultdict(list)
        Solution = self.env['aftersales.solution']
        Solution.flush_model()
        readable = Solution.sudo(False).with_context(active_test=True)._search([])
        rows = self.env.execute_query(SQL(
            """
            WITH fitting AS (
                SELECT keys.case_index, rel.%(product_solution)s AS solution_id
                  FROM unnest(%(product_cases)s::int[], %(product_ids)s::int[])
                       AS keys(case_index, key_id)
                  JOIN %(product_rel)s rel ON rel.%(product_key)s = keys.key_id
                 UNION
                SELECT keys.case_index, rel.%(categ_solution)s
                  FROM unnest(%(categ_cases)s::int[], %(categ_ids)s::int[])
                       AS keys(case_index, key_id)
                  JOIN %(categ_rel)s rel ON rel.%(categ_key)s = keys.key_id
            ), ranked AS (
                SELECT fitting.case_index, solution.id,
                       row_number() OVER (
                           PARTITION BY fitting.case_index
                           ORDER BY solution.use_count DESC, solution.name, solution.id
                       ) AS position
                  FROM fitting
                  JOIN %(solution_table)s solution ON solution.id = fitting.solution_id
                 WHERE solution.id IN %(readable)s
                   AND (solution.company_id IS NULL
                        OR solution.company_id = (%(companies)s::int[])[fitting.case_index + 1])
            )
            SELECT case_index, id FROM ranked WHERE position <= %(limit)s
             ORDER BY case_index, position
            """,
            **self._solution_relation_sql('product_ids', 'product'),
            **self._solution_relation_sql('categ_ids', 'categ'),
            product_cases=[index for index, _key in product_keys],
            product_ids=[key for _index, key in product_keys],
            categ_cases=[index for index, _key in categ_keys],
            categ_ids=[key for _index, key in categ_keys],
            companies=[case.company_id._origin.id or None for case in self],
            solution_table=SQL.identifier(Solution._table),
            readable=readable.subselect(),
            limit=limit,
        ))
        result = defaultdict(list)
        for index, solution_id in rows:
            result[index].append(solution_id)
        return result

    def _get_solution_keys(self):
        """What solutions fit the cases by: ``([(case index, product id)],
        [(case index, category id)])``.

        A solution fits a case when it names one of the case's products, or
        the category of the case or of one of its products, or a parent of
        those categories. Cases are keyed by position: new records have no id.
        """
        # Read the categories of all cases at once: per case, a recordset of
        # its own would prefetch only its own categories.
        categories = (self.product_categ_id | self.product_ids.categ_id)._origin
        ancestors = {
            category.id: [int(id_) for id_ in category.parent_path.split('/') if id_]
            for category in categories
        }
        product_keys, categ_keys = [], []
        for index, case in enumerate(self):
            products = case.product_ids._origin
            product_keys += [(index, product_id) for product_id in products.ids]
            case_categories = (case.product_categ_id | products.categ_id)._origin
            categ_ids = {id_ for categ_id in case_categories.ids for id_ in ancestors[categ_id]}
            categ_keys += [(index, categ_id) for categ_id in categ_ids]
        return product_keys, categ_keys

    def _solution_relation_sql(self, field_name, prefix):
        """The table and columns of a many2many field of solutions, as SQL."""
        field = self.env['aftersales.solution']._fields[field_name]
        return {
            f'{prefix}_rel': SQL.identifier(field.relation),
            f'{prefix}_solution': SQL.identifier(field.column1),
            f'{prefix}_key': SQL.identifier(field.column2),
        }

    # Actions

    def action_open_knowledge_base(self):
        """Search the knowledge base to answer this case."""
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id(
            'aftersales_case.aftersales_solution_action_case',
        )
        # The views show "Use this answer" only when they know the case.
        action['context'] = {'aftersales_case_id': self.id}
        action['display_name'] = self.env._("Answer %(case)s", case=self.display_name)
        return action

    # Business methods

    def _action_reply_with_solution(self, solution):
        """The mail composer replying to the customer with ``solution``'s answer."""
        self.ensure_one()
        return {
            'name': self.env._("Reply with %(solution)s", solution=solution.name),
            'type': 'ir.actions.act_window',
            'res_model': 'mail.compose.message',
            'view_mode': 'form',
            'views': [(False, 'form')],
            'target': 'new',
            'context': self._prepare_solution_composer_context(solution),
        }

    def _prepare_solution_composer_context(self, solution):
        recipient = self.contact_id or self.partner_id
        return {
            'default_model': self._name,
            'default_res_ids': self.ids,
            'default_composition_mode': 'comment',
            'default_subtype_xmlid': 'mail.mt_comment',
            'default_body': solution.solution,
            'default_partner_ids': recipient.ids,
        }
