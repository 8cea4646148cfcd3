from odoo import fields, models, tools
from odoo.tools import SQL

RATE_FIELD = 'return_rate'


class AftersalesRmaProductReport(models.Model):
    """Delivered and returned quantities per product and month, and their ratio.

    Sold is what left for customers on confirmed orders; returned is what
    came back on the receipts of return authorisations. Both are counted by
    the month the goods moved, in the product's unit.
    """

    _name = 'aftersales.rma.product.report'
    _description = "Return Rate per Product"
    _auto = False
    _order = 'date desc, product_id'
    _depends = {
        'stock.move': [
            'product_id', 'company_id', 'date', 'state', 'quantity', 'product_uom',
            'location_id', 'location_dest_id', 'sale_line_id', 'aftersales_rma_line_id',
            'scrap_id',
        ],
        'stock.location': ['usage'],
        'sale.order.line': ['order_id'],
        'sale.order': ['state'],
        'product.product': ['product_tmpl_id'],
        'product.template': ['uom_id', 'categ_id'],
        'uom.uom': ['factor'],
    }

    date = fields.Date(string="Month", readonly=True)
    product_id = fields.Many2one('product.product', readonly=True)
    product_tmpl_id = fields.Many2one('product.template', string="Product Template", readonly=True)
    categ_id = fields.Many2one('product.category', string="Product Category", readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    uom_id = fields.Many2one('uom.uom', string="Unit", readonly=True)
    qty_sold = fields.Float(string="Sold", digits='Product Unit', readonly=True)
    qty_returned = fields.Float(string="Returned", digits='Product Unit', readonly=True)
    return_rate = fields.Float(
        string="Return Rate (%)", readonly=True, aggregator='avg', digits=(16, 2),
        help="Returned quantity over sold quantity; a total is the ratio of the summed "
             "quantities, never an average of the rows' rates.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL(
            "CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query(),
        ))

    def _query(self):
        return SQL(
            """
            WITH flows AS (%(sold)s UNION ALL %(returned)s)
            SELECT ROW_NUMBER() OVER (ORDER BY f.date, f.company_id, f.product_id) AS id,
                   f.date, f.product_id, p.product_tmpl_id, t.categ_id, f.company_id,
                   t.uom_id,
                   SUM(f.qty_sold) AS qty_sold,
                   SUM(f.qty_returned) AS qty_returned,
                   SUM(f.qty_returned) * 100.0 / NULLIF(SUM(f.qty_sold), 0) AS return_rate
              FROM flows f
              JOIN product_product p ON p.id = f.product_id
              JOIN product_template t ON t.id = p.product_tmpl_id
          GROUP BY f.date, f.product_id, p.product_tmpl_id, t.categ_id, f.company_id, t.uom_id
            """,
            sold=self._query_flow(SQL(
                # Deliveries of confirmed orders; replacements sent on returns are not sales.
                """
                JOIN sale_order_line sol ON sol.id = m.sale_line_id
                JOIN sale_order so ON so.id = sol.order_id AND so.state = 'sale'
               WHERE dest.usage = 'customer' AND src.usage != 'customer'
                 AND m.aftersales_rma_line_id IS NULL
                """
            ), 'qty_sold'),
            returned=self._query_flow(SQL(
                """
               WHERE m.aftersales_rma_line_id IS NOT NULL
                 AND src.usage = 'customer' AND dest.usage != 'customer'
                 AND m.scrap_id IS NULL
                """
            ), 'qty_returned'),
        )

    def _query_flow(self, condition, column):
        """Done moves matching ``condition``, in the product's unit, as ``column``.

        Months are cut in UTC: a move at midnight on the first of the month
        may land in the previous month for companies east of Greenwich.
        """
        quantity = SQL("m.quantity * move_uom.factor / product_uom.factor")
        zero = SQL("0.0")
        return SQL(
            """
            SELECT m.product_id, m.company_id,
                   date_trunc('month', m.date)::date AS date,
                   %(sold)s AS qty_sold, %(returned)s AS qty_returned
              FROM stock_move m
              JOIN stock_location src ON src.id = m.location_id
              JOIN stock_location dest ON dest.id = m.location_dest_id
              JOIN uom_uom move_uom ON move_uom.id = m.product_uom
              JOIN product_product mp ON mp.id = m.product_id
              JOIN product_template mt ON mt.id = mp.product_tmpl_id
              JOIN uom_uom product_uom ON product_uom.id = mt.uom_id
              %(condition)s
               AND m.state = 'done'
            """,
            sold=quantity if column == 'qty_sold' else zero,
            returned=quantity if column == 'qty_returned' else zero,
            condition=condition,
        )

    def _read_group_select(self, aggregate_spec, query):
        """Aggregate the rate as the ratio of the sums, so that totals stay true."""
        if aggregate_spec.split(':')[0] != RATE_FIELD:
            return super()._read_group_select(aggregate_spec, query)
        return SQL(
            "SUM(%(returned)s) * 100.0 / NULLIF(SUM(%(sold)s), 0)",
            returned=self._field_to_sql(self._table, 'qty_returned', query),
            sold=self._field_to_sql(self._table, 'qty_sold', query),
        )
