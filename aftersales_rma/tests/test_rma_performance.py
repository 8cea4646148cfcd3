from itertools import islice

from odoo import Command
from odoo.tests import tagged

from .common import AftersalesRmaCommon

# Queries a 50-line return may cost above the 5-line figure (cache noise):
# one query per line would add 45, so anything above this is a loop.
SLACK = 5


@tagged('post_install', '-at_install')
class TestRmaPerformance(AftersalesRmaCommon):
    """A return of 50 lines costs what 5 lines cost, plus a constant, in our code.

    Creating the return is all ours: its 50-line count is held to the 5-line
    count. The other steps run through stock and accounting, whose own cost
    grows with every move and invoice line (a return picking copies each
    delivery move, validation reserves each quant). Their figure is held to
    what core's own document of the same lines costs (``stock.return.picking``,
    validating that return, the order's invoicing of the returned quantities,
    posting that credit note) plus our 5-line overhead: what we add on top of
    core must not grow with the lines.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.perf_products = cls.env['product.product'].create([{
            'name': f"Bench Item {n:02d}",
            'type': 'consu',
            'is_storable': True,
            'invoice_policy': 'delivery',
            'lst_price': 10.0 + n,
            'taxes_id': [Command.set(cls.tax.ids)],
            'company_id': cls.company.id,
        } for n in range(50)])
        for product in cls.perf_products:
            cls.env['stock.quant']._update_available_quantity(product, cls.stock_location, 100)

    def _order_of(self, count):
        """A delivered and invoiced order of ``count`` lines of two units."""
        order = self._deliver_order([(product, 2) for product in self.perf_products[:count]])
        self._invoice(order)
        return order

    # The chains, step by step: each yields (step, callable), and the caller runs
    # the callable before asking for the next step, so that a step can use what
    # the previous one made. Each step works on records browsed afresh, as a
    # button of the web client does: a recordset kept from an earlier step
    # prefetches differently than a real request.

    def _click(self, records, method):
        def click():
            return getattr(records.browse(records.ids), method)()
        return click

    def _rma_steps(self, order):
        state = {}
        yield 'create', lambda: state.update(rma=self._create_rma(order, [
            (line.product_id, line.product_uom_qty, 'refund', None) for line in order.order_line
        ]))
        rma = state['rma']
        yield 'approve', self._click(rma, 'action_approve')
        yield 'receive', lambda: self._receive(rma.browse(rma.id))
        yield 'refund', self._click(rma, 'action_refund')
        yield 'post', self._click(rma.credit_note_ids, 'action_post')
        self.assertEqual(rma.state, 'done')

    def _core_steps(self, order):
        """Core's own documents for the same lines, without any return."""
        state = {}
        delivery = order.picking_ids
        yield 'approve', lambda: state.update(receipt=self._core_return(delivery.browse(delivery.id)))
        yield 'receive', lambda: self._core_receive(state['receipt'].browse(state['receipt'].id))
        yield 'refund', lambda: state.update(
            credit_note=order.browse(order.id)._create_invoices(final=True),
        )
        yield 'post', self._click(state['credit_note'], 'action_post')
        self.assertEqual(state['credit_note'].move_type, 'out_refund')

    def _core_return(self, delivery):
        wizard = self.env['stock.return.picking'].with_context(
            active_id=delivery.id, active_model='stock.picking',
        ).create({
            'picking_id': delivery.id,
            'product_return_moves': [Command.clear()] + [Command.create({
                'product_id': move.product_id.id, 'move_id': move.id,
                'quantity': move.quantity, 'to_refund': True,
            }) for move in delivery.move_ids],
        })
        return wizard._create_return()

    def _core_receive(self, receipt):
        # The same writes as _receive, on a return no RMA knows about.
        for move in receipt.move_ids:
            if not move.quantity:
                move.quantity = move.product_uom_qty
        receipt.move_ids.picked = True
        receipt.with_user(self.warehouse_user).button_validate()

    # Measuring

    def _settle(self):
        """Same starting point for every measure: nothing pending, nothing cached."""
        self.env.flush_all()
        self.env.cr.flush()
        self.env.invalidate_all()

    def _step_counts(self, steps):
        counts = {}
        for step, run in steps:
            self._settle()
            start = self.cr.sql_log_count
            run()
            self.env.flush_all()
            self.env.cr.flush()  # tracking values are written at pre-commit
            counts[step] = self.cr.sql_log_count - start
        return counts

    def _run_with_budgets(self, steps, budgets):
        """Run the steps, those of ``budgets`` under ``assertQueryCount``."""
        for step, run in steps:
            if step not in budgets:
                run()
                continue
            self._settle()
            with self.assertQueryCount(budgets[step]):
                run()

    def _assert_overhead_flat(self, measured_steps):
        """Hold the 50-line return to core's 50-line cost plus our 5-line overhead."""
        self._step_counts(self._rma_steps(self._order_of(1)))  # warm the ormcaches
        self._step_counts(self._core_steps(self._order_of(1)))
        ours_5 = self._step_counts(self._rma_steps(self._order_of(5)))
        core_5 = self._step_counts(self._core_steps(self._order_of(5)))
        core_50 = self._step_counts(self._core_steps(self._order_of(50)))
        budgets = {
            step: core_50[step] + (ours_5[step] - core_5[step]) + SLACK for step in measured_steps
        }
        self._run_with_budgets(self._rma_steps(self._order_of(50)), budgets)

    # Tests

    def test_creating_a_50_line_return_costs_the_queries_of_5_lines(self):
        # Creating is our code only: lines in one INSERT, checks by grouped reads.
        def create_only(count):
            return islice(self._rma_steps(self._order_of(count)), 1)

        self._step_counts(create_only(1))  # warm the ormcaches
        ours_5 = self._step_counts(create_only(5))
        self._run_with_budgets(create_only(50), {'create': ours_5['create'] + SLACK})

    def test_approval_receipt_and_posting_add_no_query_per_line_to_core(self):
        self._assert_overhead_flat(('approve', 'receive', 'post'))

    def test_crediting_adds_no_query_per_line_to_the_order_invoicing(self):
        self._assert_overhead_flat(('refund',))
