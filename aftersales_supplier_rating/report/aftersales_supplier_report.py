from odoo import fields, models, tools
from odoo.tools import SQL

KINDS = [
    ('complaint', "Complaint"),
    ('case', "Case"),
    ('return', "Return"),
    ('repair', "Repair"),
]
# Each kind's rows get ids of their own: the document's id times the number
# of kinds plus the kind's rank, so a row keeps its id from one read to the next.
KIND_COUNT = len(KINDS)


class AftersalesSupplierReport(models.Model):
    """What each supplier's products cost after the sale: one row per
    complaint, case, return line and repair order naming a supplier.

    Cancelled documents and archived complaints and cases are left out.
    """

    _name = 'aftersales.supplier.report'
    _description = "Supplier Rating"
    _auto = False
    _order = 'date desc, id desc'
    _depends = {
        'aftersales.complaint': [
            'name', 'supplier_id', 'company_id', 'commercial_partner_id', 'date_issue',
            'product_ids', 'reason_id', 'state', 'date_end', 'amount', 'active',
        ],
        'aftersales.case': [
            'name', 'supplier_id', 'company_id', 'commercial_partner_id', 'date_reported',
            'product_ids', 'is_closed', 'date_closed', 'cost', 'active',
        ],
        'aftersales.rma.line': [
            'rma_id', 'supplier_id', 'company_id', 'commercial_partner_id', 'date', 'product_id',
            'reason_id', 'state', 'price_subtotal', 'product_uom_qty',
        ],
        'repair.order': [
            'name', 'aftersales_supplier_id', 'company_id', 'partner_id', 'aftersales_date_in',
            'product_id', 'state', 'move_id', 'product_qty',
        ],
        'aftersales.repair.operation': ['repair_id', 'price_subtotal'],
        'aftersales.repair.cost': ['repair_id', 'price_subtotal'],
    }

    name = fields.Char(string="Document", readonly=True)
    kind = fields.Selection(KINDS, readonly=True)
    supplier_id = fields.Many2one('res.partner', readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    currency_id = fields.Many2one('res.currency', readonly=True)
    partner_id = fields.Many2one('res.partner', string="Customer", readonly=True)
    date = fields.Date(readonly=True)
    product_id = fields.Many2one('product.product', readonly=True)
    complaint_reason_id = fields.Many2one('aftersales.complaint.reason', readonly=True)
    return_reason_id = fields.Many2one('aftersales.rma.reason', readonly=True)
    is_open = fields.Boolean(string="Open", readonly=True)
    lead_time = fields.Float(
        string="Lead Time (Days)", readonly=True, aggregator='avg',
        help="Days from the opening of the document to its closing, for closed documents.",
    )
    cost = fields.Monetary(
        readonly=True,
        help="Complaint: its amount. Case: its cost. Return: the returned value (unit price "
             "times quantity, less the discount). Repair: its value before taxes (parts at "
             "their sales price, operations and extra costs).",
    )
    quantity = fields.Float(digits='Product Unit', readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL(
            "CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query(),
        ))

    def _query(self):
        return SQL(
            """
            SELECT row.*, company.currency_id
              FROM (%s UNION ALL %s UNION ALL %s UNION ALL %s) row
              JOIN res_company company ON company.id = row.company_id
            """,
            self._query_complaints(), self._query_cases(), self._query_returns(), self._query_repairs(),
        )

    def _first_product(self, model, alias):
        """The lowest product id of a document's products, standing for its first product."""
        field = self.env[model]._fields['product_ids']
        return SQL(
            "(SELECT MIN(rel.%s) FROM %s rel WHERE rel.%s = %s.id)",
            SQL.identifier(field.column2), SQL.identifier(field.relation),
            SQL.identifier(field.column1), SQL.identifier(alias),
        )

    def _query_complaints(self):
        return SQL(
            """
            SELECT c.id * %(count)s AS id, c.name, 'complaint' AS kind, c.supplier_id, c.company_id,
                   c.commercial_partner_id AS partner_id, c.date_issue AS date,
                   %(product)s AS product_id, c.reason_id AS complaint_reason_id,
                   NULL::integer AS return_reason_id,
                   c.state NOT IN ('posted', 'rejected') AS is_open,
                   CASE WHEN c.state IN ('posted', 'rejected')
                        THEN (c.date_end - c.date_issue)::float END AS lead_time,
                   COALESCE(c.amount, 0.0) AS cost, 1.0 AS quantity
              FROM aftersales_complaint c
             WHERE c.supplier_id IS NOT NULL AND c.active AND c.state != 'cancelled'
            """,
            count=KIND_COUNT, product=self._first_product('aftersales.complaint', 'c'),
        )

    def _query_cases(self):
        return SQL(
            """
            SELECT k.id * %(count)s + 1, k.name, 'case', k.supplier_id, k.company_id,
                   k.commercial_partner_id, k.date_reported::date, %(product)s,
                   NULL::integer, NULL::integer, NOT COALESCE(k.is_closed, FALSE),
                   CASE WHEN k.is_closed
                        THEN EXTRACT(EPOCH FROM k.date_closed - k.date_reported) / 86400.0 END,
                   COALESCE(k.cost, 0.0), 1.0
              FROM aftersales_case k
             WHERE k.supplier_id IS NOT NULL AND k.active
            """,
            count=KIND_COUNT, product=self._first_product('aftersales.case', 'k'),
        )

    def _query_returns(self):
        # A return is closed once done or rejected; it records no closing
        # date, so its lead time stays empty.
        return SQL(
            """
            SELECT l.id * %(count)s + 2, rma.name, 'return', l.supplier_id, l.company_id,
                   l.commercial_partner_id, l.date::date, l.product_id, NULL::integer,
                   l.reason_id, l.state NOT IN ('done', 'rejected'), NULL::float,
                   COALESCE(l.price_subtotal, 0.0), COALESCE(l.product_uom_qty, 0.0)
              FROM aftersales_rma_line l
              JOIN aftersales_rma rma ON rma.id = l.rma_id
             WHERE l.supplier_id IS NOT NULL AND l.state != 'cancel'
            """,
            count=KIND_COUNT,
        )

    def _query_repairs(self):
        # A repair closes when repaired: the move of the repaired product is
        # done then. Parts count at their sales price in the product's unit.
        return SQL(
            """
            SELECT r.id * %(count)s + 3, r.name, 'repair', r.aftersales_supplier_id, r.company_id,
                   customer.commercial_partner_id, r.aftersales_date_in::date, r.product_id,
                   NULL::integer, NULL::integer, r.state != 'done',
                   CASE WHEN r.state = 'done'
                        THEN EXTRACT(EPOCH FROM done.date - r.aftersales_date_in) / 86400.0 END,
                   COALESCE((SELECT SUM(o.price_subtotal) FROM aftersales_repair_operation o
                              WHERE o.repair_id = r.id), 0.0)
                   + COALESCE((SELECT SUM(x.price_subtotal) FROM aftersales_repair_cost x
                                WHERE x.repair_id = r.id), 0.0)
                   + COALESCE((SELECT SUM(part.product_uom_qty * t.list_price)
                                 FROM stock_move part
                                 JOIN product_product p ON p.id = part.product_id
                                 JOIN product_template t ON t.id = p.product_tmpl_id
                                WHERE part.repair_id = r.id AND part.repair_line_type = 'add'
                                  AND part.state != 'cancel'), 0.0),
                   COALESCE(r.product_qty, 0.0)
              FROM repair_order r
         LEFT JOIN res_partner customer ON customer.id = r.partner_id
         LEFT JOIN stock_move done ON done.id = r.move_id
             WHERE r.aftersales_supplier_id IS NOT NULL AND r.state != 'cancel'
            """,
            count=KIND_COUNT,
        )
