from odoo import api, models


class AftersalesWarranty(models.Model):
    """Registrations imported with Odoo's import, one row per unit."""

    _inherit = 'aftersales.warranty'

    @api.model
    def get_import_templates(self):
        return [{
            'label': self.env._("Import Template for Warranty Registrations"),
            'template': '/aftersales_warranty/static/csv/aftersales_warranty_import_template.csv',
        }]

    @api.model
    def load(self, fields, data):
        """Import the rows, reporting those whose serial is already registered
        instead of failing the whole file: core rolls everything back on the
        first error, and one unit known already is no reason to lose the
        others. Each such row gets a warning naming the row and the reason."""
        skipped = []
        importer = self.with_context(aftersales_warranty_skipped=skipped)
        result = super(AftersalesWarranty, importer).load(fields, data)
        # A batch that failed for another reason is retried row by row, and
        # its rows skipped twice: report each once.
        reported = {(str(message.get('rows')), message['message']): message for message in skipped}
        result['messages'] = list(result['messages']) + list(reported.values())
        return result

    def _load_records(self, data_list, update=False):
        skipped = self.env.context.get('aftersales_warranty_skipped')
        if skipped is None or update:
            return super()._load_records(data_list, update=update)
        kept = []
        for data in data_list:
            message = self._get_import_duplicate_message(data['values'], kept)
            if message:
                skipped.append(dict(data['info'], type='warning', message=message))
            else:
                kept.append(data)
        return super()._load_records(kept, update=update)

    def _get_import_duplicate_message(self, values, kept):
        """Why the row of ``values`` cannot be imported, if its serial is
        registered already (or earlier in the file)."""
        if not values.get('lot_id') or values.get('state') == 'void':
            return None
        lot = self.env['stock.lot'].browse(values['lot_id'])
        product = self.env['product.product'].browse(values.get('product_id')) or lot.product_id
        if any(data['values'].get('lot_id') == lot.id for data in kept):
            registration = self.new({'product_id': product.id, 'lot_id': lot.id})
            return registration._get_duplicate_message(self.browse())
        other = self.search([
            ('product_id', '=', product.id), ('lot_id', '=', lot.id), ('state', '!=', 'void'),
        ], limit=1)
        if other:
            return self.new({'product_id': product.id, 'lot_id': lot.id})._get_duplicate_message(other)
        return None
