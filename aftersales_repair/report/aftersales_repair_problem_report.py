from odoo import fields, models, tools
from odoo.tools import SQL


class AftersalesRepairProblemReport(models.Model):
    """Which products came back for repair, by lot, year of manufacture and
    vendor, over time: one row per repair order. The solution given is read
    on the repair itself, which every row links to."""

    _name = 'aftersales.repair.problem.report'
    _description = "Repair Problems Analysis"
    _auto = False
    _order = 'date desc, id desc'
    _depends = {
        'repair.order': [
            'aftersales_date_in', 'product_id', 'lot_id', 'aftersales_manufacture_year',
            'partner_id', 'company_id', 'state', 'under_warranty',
        ],
        'stock.lot': ['aftersales_manufacture_year'],
        'product.product': ['product_tmpl_id'],
        'product.template': ['categ_id'],
        'product.supplierinfo': [
            'partner_id', 'product_tmpl_id', 'product_id', 'company_id', 'sequence', 'min_qty', 'price',
        ],
    }

    date = fields.Datetime(string="Entered Service", readonly=True)
    repair_id = fields.Many2one('repair.order', readonly=True)
    product_id = fields.Many2one('product.product', readonly=True)
    product_tmpl_id = fields.Many2one('product.template', string="Product Template", readonly=True)
    categ_id = fields.Many2one('product.category', string="Product Category", readonly=True)
    lot_id = fields.Many2one('stock.lot', string="Lot/Serial Number", readonly=True)
    manufacture_year = fields.Integer(string="Year of Manufacture", readonly=True, aggregator=None)
    vendor_id = fields.Many2one('res.partner', readonly=True)
    partner_id = fields.Many2one('res.partner', string="Customer", readonly=True)
    company_id = fields.Many2one('res.company', readonly=True)
    state = fields.Selection(selection='_selection_state', string="Status", readonly=True)
    under_warranty = fields.Boolean(readonly=True)
    repair_count = fields.Integer(string="Repairs", readonly=True)

    def _selection_state(self):
        return self.env['repair.order']._fields['state']._description_selection(self.env)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL(
            "CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query(),
        ))

    def _query(self):
        # The vendor is the product's main one, as purchase picks it: the first
        # by sequence among the vendors of the repair's company or of all.
        return SQL(
            """
            SELECT r.id AS id, r.id AS repair_id, r.aftersales_date_in AS date,
                   r.product_id, p.product_tmpl_id, t.categ_id, r.lot_id,
                   COALESCE(NULLIF(r.aftersales_manufacture_year, 0),
                            NULLIF(l.aftersales_manufacture_year, 0)) AS manufacture_year,
                   vendor.partner_id AS vendor_id, r.partner_id, r.company_id, r.state,
                   COALESCE(r.under_warranty, FALSE) AS under_warranty, 1 AS repair_count
              FROM repair_order r
              JOIN product_product p ON p.id = r.product_id
              JOIN product_template t ON t.id = p.product_tmpl_id
         LEFT JOIN stock_lot l ON l.id = r.lot_id
         LEFT JOIN LATERAL (
                    SELECT s.partner_id
                      FROM product_supplierinfo s
                     WHERE s.product_tmpl_id = t.id
                       AND (s.product_id IS NULL OR s.product_id = r.product_id)
                       AND (s.company_id IS NULL OR s.company_id = r.company_id)
                  ORDER BY s.sequence, s.min_qty DESC, s.price, s.id
                     LIMIT 1
                   ) vendor ON TRUE
            """
        )

    def action_open_repair(self):
        """The repair behind the row, where the solution given is read."""
        self.ensure_one()
        return self.repair_id._get_records_action(name=self.env._("Repair"))
