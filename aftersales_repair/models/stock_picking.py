from odoo import fields, models


class StockPicking(models.Model):
    """Transfers that take a unit in repair to its supplier and back."""

    _inherit = 'stock.picking'

    aftersales_repair_id = fields.Many2one(
        'repair.order', string="Repair Order", index='btree_not_null', copy=False, readonly=True,
        check_company=True, ondelete='restrict',
        help="The repair whose unit this transfer takes to the supplier or brings back.",
    )
