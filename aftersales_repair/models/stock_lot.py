import datetime

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class StockLot(models.Model):
    _inherit = 'stock.lot'

    aftersales_manufacture_year = fields.Integer(
        string="Year of Manufacture",
        help="When the unit or lot was made: problems are looked at by lot and year.",
    )

    @api.constrains('aftersales_manufacture_year')
    def _check_aftersales_manufacture_year(self):
        for lot in self:
            check_manufacture_year(lot, lot.aftersales_manufacture_year)


def check_manufacture_year(record, year):
    """A year of manufacture is a plausible year, not in the future."""
    if year and not 1900 <= year <= datetime.date.today().year:
        raise ValidationError(record.env._(
            "%(year)s is not a year of manufacture: give a year between 1900 and this year.",
            year=year,
        ))
