from odoo import Command
from odoo.addons.aftersales_repair.tests.common import AftersalesRepairCommon
from odoo.tests import new_test_user


class AftersalesWarrantyCommon(AftersalesRepairCommon):
    """The serial-tracked printer under two-year terms, and the warranty desk."""

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.quick_ref(
            'aftersales_warranty.aftersales_warranty_group_manager'
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.aftersales_warranty_registration_trigger = 'none'
        cls.extension = cls.env['product.product'].create({
            'name': "Printer Care +1 Year", 'type': 'service', 'lst_price': 49.0,
            'invoice_policy': 'order', 'taxes_id': [Command.set(cls.tax.ids)],
        })
        cls.term = cls.env['aftersales.warranty.term'].create({
            'name': "Printers: two years",
            'product_tmpl_id': cls.product_serial.product_tmpl_id.id,
            'duration': 2, 'duration_unit': 'year', 'start_trigger': 'delivery',
            'cover_parts': True, 'cover_labour': True, 'cover_replacement': True, 'cover_refund': False,
            'extension_product_id': cls.extension.id, 'extension_duration': 1,
        })
        cls.warranty_user = new_test_user(
            cls.env, login='warranty_user', company_id=cls.company.id,
            groups='aftersales_warranty.aftersales_warranty_group_user,stock.group_production_lot',
        )
        cls.warranty_manager = new_test_user(
            cls.env, login='warranty_manager', company_id=cls.company.id,
            groups='aftersales_warranty.aftersales_warranty_group_manager,stock.group_production_lot',
        )

    def _register(self, lot=None, partner=None, **values):
        """A registration made by hand of one printer."""
        return self.env['aftersales.warranty'].create({
            'partner_id': (partner or self.customer).id,
            'product_id': self.product_serial.id,
            'lot_id': lot.id if lot else False,
            **values,
        })
