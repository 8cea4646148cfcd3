from odoo import fields, models


class AftersalesWarrantyHolder(models.AbstractModel):
    """A document about a serial number that shows the unit's warranty."""

    _name = 'aftersales.warranty.holder'
    _description = "Document Showing a Warranty"

    aftersales_warranty_id = fields.Many2one(
        'aftersales.warranty', string="Warranty Registration", compute='_compute_aftersales_warranty',
        groups='aftersales_warranty.aftersales_warranty_group_user',
    )
    aftersales_warranty_end = fields.Date(
        string="In Warranty Until", compute='_compute_aftersales_warranty',
        help="The last day the unit's registered warranty covers.",
    )

    def _get_aftersales_warranty_lot(self):
        """The serial number the document is about."""
        self.ensure_one()
        return self.lot_id

    def _compute_aftersales_warranty(self):
        # sudo: only the date is shown to those without warranty rights (the
        # registration field itself is theirs only); one search per batch.
        registrations = self.env['aftersales.warranty'].sudo()._get_by_lots(
            self.env['stock.lot'].union(*(record._get_aftersales_warranty_lot() for record in self)),
        )
        for record in self:
            registration = registrations.get(record._get_aftersales_warranty_lot())
            record.aftersales_warranty_end = registration and registration.warranty_end
            record.aftersales_warranty_id = registration and registration.with_env(self.env)
