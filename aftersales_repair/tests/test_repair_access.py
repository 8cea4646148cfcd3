from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import AftersalesRepairCommon

MUTED = ('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')


@tagged('post_install', '-at_install')
class TestRepairAccess(AftersalesRepairCommon):
    """Who may see and do what on repairs (BA1, BA5, BA6, BA8)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env, login='repair_salesman', company_id=cls.company.id,
            groups='sales_team.group_sale_salesman',
        )
        cls.product_shared = cls.env['product.product'].create({
            'name': "Shared Tool", 'type': 'consu', 'company_id': False,
        })
        cls.product_service = cls.env['product.product'].create({
            'name': "Bench Test", 'type': 'service', 'list_price': 30.0,
        })
        cls.repair = cls.env['repair.order'].create({
            'partner_id': cls.customer.id, 'product_id': cls.product_delivery.id,
        })

    def test_salesman_without_repair_rights_reads_no_repair(self):
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            self.repair.with_user(self.salesman).read(['name'])
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            self.repair.with_user(self.salesman).action_aftersales_unrepairable()
        self.assertEqual(self.repair.state, 'draft')

    def test_salesman_without_repair_rights_reads_no_operation_nor_status(self):
        operation = self.env['aftersales.repair.operation'].create({
            'repair_id': self.repair.id, 'product_id': self.product_service.id,
        })
        for records in (operation, self.env.ref('aftersales_repair.status_start')):
            with self.subTest(model=records._name), mute_logger(*MUTED), self.assertRaises(AccessError):
                records.with_user(self.salesman).read(['display_name'])

    def test_warehouse_reads_operations_but_only_technicians_carry_them_out(self):
        operation = self.env['aftersales.repair.operation'].create({
            'repair_id': self.repair.id, 'product_id': self.product_service.id,
        })
        self.assertEqual(operation.with_user(self.warehouse_user).read(['name'])[0]['name'], "Bench Test")
        started = self.env.ref('aftersales_repair.status_start')
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            operation.with_user(self.warehouse_user).status_id = started
        operation.with_user(self.technician).status_id = started
        self.assertEqual(operation.status_log_ids.user_id, self.technician)

    def test_plain_internal_user_gets_no_repair_menu_nor_repairs(self):
        menu = self.env.ref('aftersales_repair.aftersales_repair_menu_main')
        self.assertFalse(menu.with_user(self.internal_user)._filter_visible_menus())
        self.assertTrue(menu.with_user(self.technician)._filter_visible_menus())
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            self.env['repair.order'].with_user(self.internal_user).search([])

    def test_agent_sees_the_repair_count_of_a_return_only_with_repair_rights(self):
        self.assertNotIn('repair_count', self.env['aftersales.rma'].with_user(self.agent).fields_get())
        self.assertIn('repair_count', self.env['aftersales.rma'].with_user(self.technician).fields_get())

    def test_another_company_repairs_stay_hidden(self):
        other_company = self.env['res.company'].create({'name': "Other Repairs Ltd"})
        warehouse = self.env['stock.warehouse'].search([('company_id', '=', other_company.id)])
        foreign = self.env['repair.order'].with_company(other_company).create({
            'partner_id': self.customer.id, 'product_id': self.product_shared.id,
            'picking_type_id': warehouse.repair_type_id.id, 'company_id': other_company.id,
        })
        technician = self.technician.with_context(allowed_company_ids=self.company.ids)
        self.assertNotIn(foreign, self.env['repair.order'].with_user(technician).search([]))
        with mute_logger(*MUTED), self.assertRaises(AccessError):
            foreign.with_user(self.technician).read(['name'])

    def test_a_repair_cannot_take_a_case_of_another_company(self):
        other_company = self.env['res.company'].create({'name': "Other Repairs Ltd"})
        case = self.env['aftersales.case'].with_company(other_company).create({
            'subject': "Foreign case", 'partner_id': self.customer.id, 'company_id': other_company.id,
        })
        with self.assertRaisesText(UserError, "aftersales_case_id"):
            self.env['repair.order'].create({
                'partner_id': self.customer.id, 'product_id': self.product_shared.id,
                'aftersales_case_id': case.id,
            })
