from datetime import date

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import AftersalesRepairCommon


@tagged('post_install', '-at_install')
class TestRepairIntake(AftersalesRepairCommon):
    """Products brought in by hand or from a case, with how they came in."""

    def _case(self, **values):
        return self.env['aftersales.case'].create({
            'subject': "The label printer no longer feeds",
            'partner_id': self.customer.id,
            'team_id': self.team.id,
            'product_ids': [Command.set(self.product_serial.ids)],
            **values,
        })

    def test_case_opens_a_repair_for_its_customer_and_product(self):
        case = self._case(type_id=self.env.ref('aftersales_case.type_work_order').id,
                          planned_start='2026-01-05 09:00:00')
        action = case.with_user(self.technician).action_create_aftersales_repair()
        repair = self.env['repair.order'].browse(action['res_id'])
        self.assertRecordValues(repair, [{
            'partner_id': self.customer.id, 'product_id': self.product_serial.id,
            'aftersales_case_id': case.id, 'state': 'draft',
        }])
        self.assertEqual(case.aftersales_repair_count, 1)
        self.assertEqual(case.action_view_aftersales_repairs()['res_id'], repair.id)

    def test_repair_by_hand_records_how_the_product_came_in(self):
        repair = self.env['repair.order'].with_user(self.technician).create({
            'partner_id': self.customer.id,
            'product_id': self.product_serial.id,
            'lot_id': self.serials[0].id,
            'aftersales_date_in': '2026-03-02 08:30:00',
            'aftersales_brought_by': "Jan, the customer's courier",
            'aftersales_manufacture_year': 2021,
        })
        self.assertEqual(repair.aftersales_warehouse_id, self.warehouse)
        self.assertEqual(self.serials[0].aftersales_manufacture_year, 2021,
                         "the year is kept on the serial for the next repair")
        again = self.env['repair.order'].create({
            'partner_id': self.customer.id, 'product_id': self.product_serial.id,
            'lot_id': self.serials[0].id,
        })
        self.assertEqual(again.aftersales_manufacture_year, 2021)

    def test_year_of_manufacture_is_a_plausible_year(self):
        for year in (1899, date.today().year + 1, -5):
            with self.subTest(year=year), self.assertRaisesText(ValidationError, "not a year of manufacture"):
                self.env['repair.order'].create({
                    'partner_id': self.customer.id, 'product_id': self.product_delivery.id,
                    'aftersales_manufacture_year': year,
                })

    def test_a_case_of_another_customer_is_refused(self):
        case = self._case()
        other = self.env['res.partner'].create({'name': "Someone Else"})
        with self.assertRaisesText(ValidationError, "another customer"):
            self.env['repair.order'].create({
                'partner_id': other.id, 'product_id': self.product_delivery.id,
                'aftersales_case_id': case.id,
            })

    def test_a_case_with_a_repair_is_kept(self):
        case = self._case()
        case.with_user(self.technician).action_create_aftersales_repair()
        with mute_logger('odoo.sql_db'), self.assertRaises(UserError):
            case.unlink()
        self.assertTrue(case.exists())
