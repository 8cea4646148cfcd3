import logging
import threading
import uuid
from contextlib import contextmanager
from functools import partial

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, get_db_name, new_test_user, tagged


@tagged('post_install', '-at_install')
class TestRmaConcurrency(BaseCase):
    """CC1, CC2: two transactions act on the same goods at once.

    The data is committed (each thread has its own cursor and sees only what
    is committed) and deleted again when the class ends. Each thread reads
    its return before the start line, so that its snapshot predates the other
    thread's commit: the loser's first attempt always meets the winner's
    locked, updated row, fails to serialise, and is retried on a fresh
    snapshot by ``retrying``, as an RPC call would be.
    """

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
        cls.agents = [
            new_test_user(env, login=f'rma_cc_agent_{n}_{suffix}',
                          groups='aftersales_case.aftersales_group_user_all')
            for n in (1, 2)
        ]
        cls.data['users'] = [agent.id for agent in cls.agents]
        customer = env['res.partner'].create({'name': f"Concurrent Customer {suffix}"})
        cls.data['partner'] = customer.id
        cls.warehouse_user = new_test_user(
            env, login=f'rma_cc_warehouse_{suffix}', groups='stock.group_stock_user',
        )
        cls.data['users'].append(cls.warehouse_user.id)
        products = env['product.product'].create([{
            'name': f"Concurrent {name} {suffix}", 'type': 'consu', 'is_storable': True,
            'invoice_policy': 'delivery', 'list_price': 10.0,
        } for name in ("Lamp", "Chair", "Desk", "Shelf")])
        cls.data['products'] = products.ids
        cls.data['templates'] = products.product_tmpl_id.ids
        warehouse = env['stock.warehouse'].search([('company_id', '=', env.company.id)], limit=1)
        for product in products:
            env['stock.quant']._update_available_quantity(product, warehouse.lot_stock_id, 10)
        lamp, chair, desk, shelf = products
        order = env['sale.order'].create({
            'partner_id': customer.id, 'warehouse_id': warehouse.id,
            'order_line': [
                Command.create({'product_id': lamp.id, 'product_uom_qty': 2}),
                Command.create({'product_id': chair.id, 'product_uom_qty': 3}),
                Command.create({'product_id': shelf.id, 'product_uom_qty': 2}),
            ],
        })
        order.action_confirm()
        for move in order.picking_ids.move_ids:
            move.quantity = move.product_uom_qty
        order.picking_ids.move_ids.picked = True
        order.picking_ids.button_validate()
        order._create_invoices().action_post()
        lamp_line, chair_line, shelf_line = order.order_line
        Rma = env['aftersales.rma']
        cls._create_two_receipts(Rma.create(cls._rma_vals(customer, order, shelf_line, 2)))
        cls.rma_same = Rma.create(cls._rma_vals(customer, order, lamp_line, 1))
        cls.rma_received = Rma.create(cls._rma_vals(customer, order, lamp_line, 1))
        cls.rma_received.action_approve()
        receipt = cls.rma_received.picking_ids
        receipt.move_ids.quantity = 1
        receipt.move_ids.picked = True
        receipt.button_validate()
        # Two drafts wanting the last units of the chair line: the first was
        # rejected, the second made, then the first reset to draft. Whichever
        # is approved first takes the units.
        cls.rma_first = Rma.create(cls._rma_vals(customer, order, chair_line, 2))
        cls.rma_first.action_reject()
        cls.rma_second = Rma.create(cls._rma_vals(customer, order, chair_line, 2))
        cls.rma_first.action_draft()
        # The same on an invoice made without an order: nothing but the lock
        # on the invoice orders the two approvals (no delivery is shared).
        invoice = env['account.move'].create({
            'move_type': 'out_invoice', 'partner_id': customer.id,
            'invoice_line_ids': [Command.create({'product_id': desk.id, 'quantity': 3, 'price_unit': 10.0})],
        })
        invoice.action_post()
        cls.rma_invoice_first = Rma.create(cls._invoice_rma_vals(customer, invoice, 2))
        cls.rma_invoice_first.action_reject()
        cls.rma_invoice_second = Rma.create(cls._invoice_rma_vals(customer, invoice, 2))
        cls.rma_invoice_first.action_draft()

    @classmethod
    def _create_two_receipts(cls, rma):
        """The return's receipt and a second one the warehouse made for the
        same line, each for all the authorised units."""
        rma.action_approve()
        receipt = rma.picking_ids
        second = receipt.copy()
        second.move_ids.aftersales_rma_line_id = rma.line_ids
        for picking in receipt | second:
            picking.action_confirm()
            picking.move_ids.quantity = 2
            picking.move_ids.picked = True
        cls.rma_two_receipts = rma
        cls.receipts = receipt | second

    @staticmethod
    def _invoice_rma_vals(customer, invoice, qty):
        return {
            'partner_id': customer.id,
            'invoice_id': invoice.id,
            'line_ids': [Command.create({
                'product_id': invoice.invoice_line_ids.product_id.id, 'product_uom_qty': qty,
                'invoice_line_id': invoice.invoice_line_ids.id, 'resolution': 'refund',
            })],
        }

    @staticmethod
    def _rma_vals(customer, order, sale_line, qty):
        return {
            'partner_id': customer.id,
            'sale_order_id': order.id,
            'line_ids': [Command.create({
                'product_id': sale_line.product_id.id, 'product_uom_qty': qty,
                'sale_line_id': sale_line.id, 'resolution': 'refund',
            })],
        }

    @classmethod
    def _remove_data(cls):
        """Delete what the class committed; stock and sales refuse to delete
        done documents through the ORM, so this goes by SQL, children first."""
        if not cls.data.get('partner'):
            return
        with cls.registry.cursor() as cr:
            params = {
                'partner': cls.data['partner'],
                'products': tuple(cls.data['products']),
                'templates': tuple(cls.data['templates']),
            }
            cr.execute("""
                CREATE TEMP TABLE cc_pickings ON COMMIT DROP AS
                    SELECT DISTINCT picking_id AS id FROM stock_move
                     WHERE product_id IN %(products)s AND picking_id IS NOT NULL;
                CREATE TEMP TABLE cc_rmas ON COMMIT DROP AS
                    SELECT id FROM aftersales_rma WHERE partner_id = %(partner)s;
                CREATE TEMP TABLE cc_orders ON COMMIT DROP AS
                    SELECT id FROM sale_order WHERE partner_id = %(partner)s;
                CREATE TEMP TABLE cc_moves ON COMMIT DROP AS
                    SELECT id FROM account_move WHERE partner_id = %(partner)s;
                DELETE FROM mail_message
                 WHERE (model = 'aftersales.rma' AND res_id IN (SELECT id FROM cc_rmas))
                    OR (model = 'sale.order' AND res_id IN (SELECT id FROM cc_orders))
                    OR (model = 'stock.picking' AND res_id IN (SELECT id FROM cc_pickings));
                DELETE FROM mail_followers
                 WHERE (res_model = 'aftersales.rma' AND res_id IN (SELECT id FROM cc_rmas))
                    OR (res_model = 'sale.order' AND res_id IN (SELECT id FROM cc_orders))
                    OR (res_model = 'stock.picking' AND res_id IN (SELECT id FROM cc_pickings));
                DELETE FROM mail_activity
                 WHERE (res_model = 'aftersales.rma' AND res_id IN (SELECT id FROM cc_rmas));
                DELETE FROM stock_move_line WHERE product_id IN %(products)s;
                DELETE FROM stock_move WHERE product_id IN %(products)s;
                DELETE FROM stock_picking WHERE id IN (SELECT id FROM cc_pickings);
                DELETE FROM stock_quant WHERE product_id IN %(products)s;
                DELETE FROM aftersales_rma WHERE id IN (SELECT id FROM cc_rmas);
                DELETE FROM sale_order WHERE id IN (SELECT id FROM cc_orders);
                DELETE FROM account_partial_reconcile
                 WHERE debit_move_id IN (SELECT id FROM account_move_line
                                          WHERE move_id IN (SELECT id FROM cc_moves))
                    OR credit_move_id IN (SELECT id FROM account_move_line
                                           WHERE move_id IN (SELECT id FROM cc_moves));
                DELETE FROM mail_message
                 WHERE model = 'account.move' AND res_id IN (SELECT id FROM cc_moves);
                DELETE FROM mail_followers
                 WHERE res_model = 'account.move' AND res_id IN (SELECT id FROM cc_moves);
                DELETE FROM account_move_line WHERE move_id IN (SELECT id FROM cc_moves);
                DELETE FROM account_move WHERE id IN (SELECT id FROM cc_moves);
                DELETE FROM product_product WHERE id IN %(products)s;
                DELETE FROM product_template WHERE id IN %(templates)s;
            """, params)
            env = api.Environment(cr, SUPERUSER_ID, {})
            users = env['res.users'].browse(cls.data['users'])
            partners = users.partner_id | env['res.partner'].browse(cls.data['partner'])
            users.unlink()
            partners.unlink()

    def _approve_at_once(self, rma_ids, action='action_approve'):
        """Run ``action`` on each return in its own transaction, by one agent
        each, all starting at once. Returns the outcomes (True or the error)
        and the one query that failed to serialise."""
        return self._run_at_once('aftersales.rma', rma_ids, action, self.agents)

    def _run_at_once(self, model, ids, action, users):
        """Run ``action`` on each record of ``model`` in its own transaction,
        by the matching user, all starting at once."""
        barrier = threading.Barrier(len(ids))
        outcomes = {}

        def run(record_id, user_id):
            with self.registry.cursor() as cr:
                env = api.Environment(cr, user_id, {'mail_notify_force_send': False})
                record = env[model].browse(record_id)
                record.read(['display_name'])  # the snapshot starts here
                barrier.wait(timeout=10)
                try:
                    retrying(partial(getattr(record.with_env(env), action)), env)
                    outcomes[threading.current_thread().name] = True
                except Exception as error:  # the caller raises anything but a UserError
                    cr.rollback()
                    outcomes[threading.current_thread().name] = error

        threads = [
            threading.Thread(target=run, args=(record_id, user.id), name=f'user-{n}')
            for n, (record_id, user) in enumerate(zip(ids, users, strict=True))
        ]
        with self._capture_logs('odoo.service.model', 'odoo.sql_db') as logs:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        self.assertFalse(any(thread.is_alive() for thread in threads))
        for outcome in outcomes.values():
            if outcome is not True and not isinstance(outcome, UserError):
                raise outcome
        retries = [message for message in logs if 'SERIALIZATION_FAILURE' in message]
        self.assertEqual(len(retries), 1, "the loser's first attempt fails to serialise")
        failed = [message for message in logs if 'could not serialize' in message]
        self.assertEqual(len(failed), 1)
        return [outcomes[thread.name] for thread in threads], failed[0]

    @contextmanager
    def _capture_logs(self, *names):
        """The messages the ``names`` loggers log from any thread, kept from
        the console (the loser's failed query and its retry are expected)."""
        messages = []
        handler = logging.Handler(logging.INFO)
        handler.emit = lambda record: messages.append(record.getMessage())
        loggers = [logging.getLogger(name) for name in names]
        saved = [(logger.level, logger.propagate) for logger in loggers]
        for logger in loggers:
            logger.addHandler(handler)
            logger.setLevel(logging.INFO)
            logger.propagate = False
        try:
            yield messages
        finally:
            for logger, (level, propagate) in zip(loggers, saved, strict=True):
                logger.removeHandler(handler)
                logger.setLevel(level)
                logger.propagate = propagate

    def _read(self, rma):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            rma = rma.with_env(env)
            return rma.state, len(rma.picking_ids), sum(rma.picking_ids.move_ids.mapped('product_uom_qty'))

    def test_two_agents_approving_the_same_return_make_one_receipt(self):
        outcomes, failed_query = self._approve_at_once([self.rma_same.id, self.rma_same.id])
        self.assertIn('FROM "aftersales_rma"', failed_query, "serialised on the return's row")
        self.assertEqual(outcomes.count(True), 1)
        error = next(outcome for outcome in outcomes if outcome is not True)
        self.assertIn("cannot be approved", str(error))
        self.assertEqual(self._read(self.rma_same), ('approved', 1, 1))

    def test_two_returns_of_the_last_units_approved_at_once_one_is_refused(self):
        outcomes, failed_query = self._approve_at_once([self.rma_first.id, self.rma_second.id])
        self.assertIn('FROM "sale_order_line"', failed_query, "serialised on the order line's row")
        self.assertEqual(outcomes.count(True), 1)
        error = next(outcome for outcome in outcomes if outcome is not True)
        self.assertIn("at most 1", str(error))
        self.assertIn("can still be returned", str(error))
        states = sorted([self._read(self.rma_first), self._read(self.rma_second)])
        self.assertEqual(states, [('approved', 1, 2), ('draft', 0, 0)])

    def test_two_returns_of_the_last_invoiced_units_approved_at_once_one_is_refused(self):
        outcomes, failed_query = self._approve_at_once(
            [self.rma_invoice_first.id, self.rma_invoice_second.id],
        )
        self.assertIn('FROM "account_move"', failed_query, "serialised on the invoice's row")
        self.assertEqual(outcomes.count(True), 1)
        error = next(outcome for outcome in outcomes if outcome is not True)
        self.assertIn("at most 1", str(error))
        states = sorted([self._read(self.rma_invoice_first), self._read(self.rma_invoice_second)])
        self.assertEqual(states, [('approved', 1, 2), ('draft', 0, 0)])

    def test_two_agents_crediting_the_same_return_make_one_credit_note(self):
        outcomes, failed_query = self._approve_at_once(
            [self.rma_received.id, self.rma_received.id], action='action_refund',
        )
        self.assertIn('FROM "aftersales_rma"', failed_query)
        self.assertEqual(outcomes.count(True), 1)
        error = next(outcome for outcome in outcomes if outcome is not True)
        self.assertIn("Nothing to credit", str(error))
        with self.registry.cursor() as cr:
            rma = self.rma_received.with_env(api.Environment(cr, SUPERUSER_ID, {}))
            self.assertEqual(len(rma.credit_note_ids), 1)
            self.assertEqual(rma.credit_note_ids.invoice_line_ids.quantity, 1)

    def test_two_receipts_of_the_same_line_validated_at_once_receive_once(self):
        outcomes, failed_query = self._run_at_once(
            'stock.picking', self.receipts.ids, 'button_validate', [self.warehouse_user] * 2,
        )
        self.assertIn('FROM "aftersales_rma_line"', failed_query, "serialised on the return line")
        self.assertEqual(outcomes.count(True), 1)
        error = next(outcome for outcome in outcomes if outcome is not True)
        self.assertIn("authorises 2", str(error))
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.assertEqual(self.rma_two_receipts.with_env(env).line_ids.qty_received, 2)
            self.assertEqual(sorted(self.receipts.with_env(env).mapped('state')), ['assigned', 'done'])
