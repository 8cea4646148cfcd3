import uuid

from odoo import SUPERUSER_ID, Command, api
from odoo.addons.aftersales_rma.tests import test_rma_concurrency
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, new_test_user, tagged


@tagged('post_install', '-at_install')
class TestRepairConcurrency(BaseCase):
    """CC1: two technicians open the repairs of the same return at once.

    As for returns, the data is committed and deleted again when the class
    ends; each thread's snapshot predates the other's commit, and the loser
    is retried on a fresh snapshot as an RPC call would be.
    """

    # The returns' own helpers (not their tests, which run in their module).
    _run_at_once = test_rma_concurrency.TestRmaConcurrency._run_at_once
    _capture_logs = test_rma_concurrency.TestRmaConcurrency._capture_logs

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.data = {}
        cls.addClassCleanup(cls._remove_data)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {'mail_notify_force_send': False})
            cls._create_data(env)

    @classmethod
    def _create_data(cls, env):
        suffix = uuid.uuid4().hex[:8]
        cls.technicians = [
            new_test_user(env, login=f'repair_cc_technician_{n}_{suffix}',
                          groups='aftersales_repair.aftersales_repair_group_technician')
            for n in (1, 2)
        ]
        cls.data['users'] = [technician.id for technician in cls.technicians]
        customer = env['res.partner'].create({'name': f"Concurrent Repair Customer {suffix}"})
        cls.data['partner'] = customer.id
        product = env['product.product'].create({
            'name': f"Concurrent Heater {suffix}", 'type': 'consu', 'is_storable': True,
            'invoice_policy': 'delivery', 'list_price': 10.0,
        })
        cls.data['products'] = product.ids
        cls.data['templates'] = product.product_tmpl_id.ids
        warehouse = env['stock.warehouse'].search([('company_id', '=', env.company.id)], limit=1)
        env['stock.quant']._update_available_quantity(product, warehouse.lot_stock_id, 5)
        order = env['sale.order'].create({
            'partner_id': customer.id, 'warehouse_id': warehouse.id,
            'order_line': [Command.create({'product_id': product.id, 'product_uom_qty': 2})],
        })
        order.action_confirm()
        order.picking_ids.move_ids.quantity = 2
        order.picking_ids.move_ids.picked = True
        order.picking_ids.button_validate()
        cls.rma = env['aftersales.rma'].create({
            'partner_id': customer.id, 'sale_order_id': order.id,
            'line_ids': [Command.create({
                'product_id': product.id, 'product_uom_qty': 2,
                'sale_line_id': order.order_line.id, 'resolution': 'repair',
            })],
        })
        cls.rma.action_approve()
        receipt = cls.rma.picking_ids
        receipt.move_ids.quantity = 2
        receipt.move_ids.picked = True
        receipt.button_validate()

    @classmethod
    def _remove_data(cls):
        """Delete what the class committed, by SQL: stock and sales refuse to
        delete done documents through the ORM."""
        if not cls.data.get('partner'):
            return
        with cls.registry.cursor() as cr:
            cr.execute("""
                CREATE TEMP TABLE cc_pickings ON COMMIT DROP AS
                    SELECT DISTINCT picking_id AS id FROM stock_move
                     WHERE product_id IN %(products)s AND picking_id IS NOT NULL;
                DELETE FROM mail_message
                 WHERE (model = 'aftersales.rma' AND res_id IN (
                           SELECT id FROM aftersales_rma WHERE partner_id = %(partner)s))
                    OR (model = 'repair.order' AND res_id IN (
                           SELECT id FROM repair_order WHERE partner_id = %(partner)s))
                    OR (model = 'sale.order' AND res_id IN (
                           SELECT id FROM sale_order WHERE partner_id = %(partner)s))
                    OR (model = 'stock.picking' AND res_id IN (SELECT id FROM cc_pickings));
                DELETE FROM mail_followers
                 WHERE (res_model = 'aftersales.rma' AND res_id IN (
                           SELECT id FROM aftersales_rma WHERE partner_id = %(partner)s))
                    OR (res_model = 'repair.order' AND res_id IN (
                           SELECT id FROM repair_order WHERE partner_id = %(partner)s))
                    OR (res_model = 'sale.order' AND res_id IN (
                           SELECT id FROM sale_order WHERE partner_id = %(partner)s))
                    OR (res_model = 'stock.picking' AND res_id IN (SELECT id FROM cc_pickings));
                DELETE FROM mail_activity WHERE res_model = 'aftersales.rma' AND res_id IN (
                    SELECT id FROM aftersales_rma WHERE partner_id = %(partner)s);
                DELETE FROM repair_order WHERE partner_id = %(partner)s;
                DELETE FROM stock_move_line WHERE product_id IN %(products)s;
                DELETE FROM stock_move WHERE product_id IN %(products)s;
                DELETE FROM stock_picking WHERE id IN (SELECT id FROM cc_pickings);
                DELETE FROM stock_quant WHERE product_id IN %(products)s;
                DELETE FROM aftersales_rma WHERE partner_id = %(partner)s;
                DELETE FROM sale_order WHERE partner_id = %(partner)s;
                DELETE FROM product_product WHERE id IN %(products)s;
                DELETE FROM product_template WHERE id IN %(templates)s;
            """, {
                'partner': cls.data['partner'],
                'products': tuple(cls.data['products']),
                'templates': tuple(cls.data['templates']),
            })
            env = api.Environment(cr, SUPERUSER_ID, {})
            users = env['res.users'].browse(cls.data['users'])
            partners = users.partner_id | env['res.partner'].browse(cls.data['partner'])
            users.unlink()
            partners.unlink()

    def test_two_technicians_opening_the_repairs_of_a_return_open_them_once(self):
        outcomes, failed_query = self._run_at_once(
            'aftersales.rma', [self.rma.id, self.rma.id], 'action_create_repair', self.technicians,
        )
        self.assertIn('FROM "aftersales_rma"', failed_query, "serialised on the return's row")
        self.assertEqual(outcomes.count(True), 1)
        error = next(outcome for outcome in outcomes if outcome is not True)
        self.assertIn("Nothing waits", str(error))
        with self.registry.cursor() as cr:
            rma = self.rma.with_env(api.Environment(cr, SUPERUSER_ID, {}))
            self.assertEqual(len(rma.repair_ids), 1)
            self.assertEqual(rma.line_ids.qty_in_repair, 2.0)
