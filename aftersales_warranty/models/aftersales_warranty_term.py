from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

DURATION_UNITS = [('day', "Days"), ('month', "Months"), ('year', "Years")]
START_TRIGGERS = [
    ('invoice', "Invoice Date"),
    ('delivery', "Delivery Date"),
    ('installation', "Installation Date"),
    ('registration', "Registration Date"),
]


class AftersalesWarrantyTerm(models.Model):
    _name = 'aftersales.warranty.term'
    _description = "Warranty Terms"
    _order = 'sequence, id'
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one('res.company', index=True, default=lambda self: self.env.company)
    product_tmpl_id = fields.Many2one(
        'product.template', string="Product", index='btree_not_null', check_company=True,
        help="The terms of this product. Leave empty to cover a whole category.",
    )
    product_categ_id = fields.Many2one(
        'product.category', string="Product Category", index='btree_not_null',
        help="The terms of the products of this category (and its subcategories) "
             "that have no terms of their own.",
    )
    duration = fields.Integer(required=True, default=2)
    duration_unit = fields.Selection(DURATION_UNITS, string="Unit", required=True, default='year')
    start_trigger = fields.Selection(
        START_TRIGGERS, string="Starts On", required=True, default='delivery',
        help="The date the warranty starts from. When the unit has no such date yet "
             "(not installed, not invoiced), the delivery date is taken, then the "
             "invoice date, then the registration date.",
    )
    cover_parts = fields.Boolean(string="Parts", default=True)
    cover_labour = fields.Boolean(string="Labour", default=True)
    cover_replacement = fields.Boolean(string="Replacement", default=True)
    cover_refund = fields.Boolean(string="Refund")
    exclusions = fields.Html(help="What the warranty does not cover, as told to the customer.")
    extension_product_id = fields.Many2one(
        'product.product', string="Extended Warranty Product", check_company=True,
        help="Sold on the same order (or invoice) as the unit, it lengthens its warranty.",
    )
    extension_duration = fields.Integer(
        string="Extended By", help="Added to the duration, in the same unit, when the "
                                   "extended warranty is sold with the unit.",
    )

    _duration_positive = models.Constraint(
        'CHECK (duration > 0)', "The duration of warranty terms must be above zero.",
    )
    _extension_positive = models.Constraint(
        'CHECK (extension_duration >= 0)', "An extension cannot be negative.",
    )
    _product_or_category = models.Constraint(
        'CHECK (product_tmpl_id IS NOT NULL OR product_categ_id IS NOT NULL)',
        "Warranty terms apply to a product or to a product category.",
    )

    @api.model
    def _get_for_products(self, products):
        """The terms of each of ``products``: ``{product: terms}``.

        A product's own terms win over its category's, and a category's over
        its parents'; products without any are left out. One search for the
        whole batch, whatever its size."""
        candidates = self.search([
            '|', ('product_tmpl_id', 'in', products.product_tmpl_id.ids),
            ('product_categ_id', 'parent_of', products.categ_id.ids),
        ])
        by_template, by_category = {}, {}
        for term in candidates:
            if term.product_tmpl_id:
                by_template.setdefault(term.product_tmpl_id, term)
            else:
                by_category.setdefault(term.product_categ_id, term)
        result = {}
        for product in products:
            term = by_template.get(product.product_tmpl_id)
            category = product.categ_id
            while not term and category:
                term = by_category.get(category)
                category = category.parent_id
            if term:
                result[product] = term
        return result

    def _get_end_date(self, start, extended=False):
        """The last day covered (inclusive) of a warranty starting on ``start``."""
        self.ensure_one()
        length = self.duration + (self.extension_duration if extended else 0)
        return start + relativedelta(**{f'{self.duration_unit}s': length}) - relativedelta(days=1)

    def _get_coverage(self):
        """The kinds of remedy the terms cover, as the claims name them."""
        self.ensure_one()
        return {
            kind for kind, covered in (
                ('parts', self.cover_parts), ('labour', self.cover_labour),
                ('replacement', self.cover_replacement), ('refund', self.cover_refund),
            ) if covered
        }
