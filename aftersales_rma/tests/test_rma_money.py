from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import AftersalesRmaAccessCommon


@tagged('post_install', '-at_install')
class TestRmaCreditCap(AftersalesRmaAccessCommon):
    """MO1, MO2: a return never credits more than was invoiced less credited,
    at the invoice's prices."""

    def test_invoice_only_return_cannot_ask_more_than_invoiced(self):
        invoice = self._post_invoice([(self.product_order, 2, 150.0, 0.0)])
        with self.assertRaisesText(ValidationError, "at most 2"):
            self._create_invoice_rma(invoice, [(self.product_order, 3, 'refund', None)])

    def test_invoice_only_return_is_credited_at_invoice_line_terms(self):
        tax_21 = self.env['account.tax'].create({'name': "VAT 21%", 'amount': 21.0})
        invoice = self._post_invoice([(self.product_order, 4, 120.0, 10.0)])
        invoice_line = invoice.invoice_line_ids
        invoice.button_draft()
        invoice_line.tax_ids = tax_21
        invoice.action_post()
        rma = self._create_invoice_rma(invoice, [(self.product_order, 2, 'refund', None)])
        self.assertRecordValues(rma.line_ids, [{'price_unit': 120.0, 'discount': 10.0}])
        rma.action_approve()
        self._receive(rma)
        rma.action_refund()
        credit_note = rma.credit_note_ids
        self.assertEqual(credit_note.reversed_entry_id, invoice)
        self.assertEqual(credit_note.currency_id, invoice.currency_id)
        self.assertRecordValues(credit_note.invoice_line_ids, [{
            'product_id': self.product_order.id, 'quantity': 2, 'price_unit': 120.0,
            'discount': 10.0, 'tax_ids': tax_21.ids, 'aftersales_rma_line_id': rma.line_ids.id,
        }])
        self.assertAlmostEqual(credit_note.amount_untaxed, 216.0)
        self.assertAlmostEqual(credit_note.amount_total, 261.36)

    def test_second_return_of_invoice_line_credits_only_the_rest(self):
        invoice = self._post_invoice([(self.product_order, 3, 150.0, 0.0)])
        first = self._create_invoice_rma(invoice, [(self.product_order, 2, 'refund', None)])
        first.action_approve()
        self._receive(first)
        first.action_refund()
        first.credit_note_ids.action_post()
        second = self._create_invoice_rma(invoice, [(self.product_order, 1, 'refund', None)])
        second.action_approve()
        self._receive(second)
        second.action_refund()
        self.assertEqual(second.credit_note_ids.invoice_line_ids.quantity, 1)
        second.credit_note_ids.action_post()
        credited = sum((first | second).credit_note_ids.mapped('amount_untaxed'))
        self.assertAlmostEqual(credited, invoice.amount_untaxed)
        with self.assertRaisesText(ValidationError, "at most 0"):
            self._create_invoice_rma(invoice, [(self.product_order, 1, 'refund', None)])

    def test_refund_is_capped_by_credit_notes_made_outside_returns(self):
        invoice = self._post_invoice([(self.product_order, 3, 150.0, 0.0)])
        rma = self._create_invoice_rma(invoice, [(self.product_order, 2, 'refund', None)])
        rma.action_approve()
        self._receive(rma)
        goodwill = self._reverse(invoice, post=False)
        goodwill.invoice_line_ids.quantity = 2
        goodwill.action_post()
        with self.assertRaisesText(UserError, "only 1"):
            rma.action_refund()
        self.assertFalse(rma.credit_note_ids)
        self.assertEqual(rma.state, 'received')

    def test_order_return_after_goodwill_credit_gives_no_second_credit(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        invoice = self._invoice(order)
        goodwill = self._reverse(invoice, post=False)
        goodwill.invoice_line_ids.quantity = 4
        goodwill.action_post()
        rma = self._received_rma(order, [(self.product_delivery, 2, 'refund', None)])
        rma.action_refund()
        self.assertFalse(rma.credit_note_ids, "4 of 5 were credited already, 3 are kept")
        self.assertEqual(rma.line_ids.qty_uninvoiced, 2)
        self.assertEqual(order.order_line.qty_to_invoice, 2)

    def test_order_policy_line_never_invoiced_is_refused_with_reason(self):
        order = self._deliver_order([(self.product_order, 3)])
        rma = self._received_rma(order, [(self.product_order, 1, 'refund', None)])
        with self.assertRaisesText(UserError, "was never invoiced: there is nothing to credit"):
            rma.action_refund()
        self.assertFalse(rma.credit_note_ids)
        self.assertEqual(rma.state, 'received')
        self.assertTrue(rma.is_pending_credit)


@tagged('post_install', '-at_install')
class TestRmaRefundDocuments(AftersalesRmaAccessCommon):
    """MO5, MO6: refunds only of received goods, against a creditable invoice."""

    def setUp(self):
        super().setUp()
        self.invoice = self._post_invoice([(self.product_order, 3, 150.0, 0.0)])

    def _received_invoice_rma(self, qty=1):
        rma = self._create_invoice_rma(self.invoice, [(self.product_order, qty, 'refund', None)])
        rma.action_approve()
        self._receive(rma)
        return rma

    def test_refund_before_receipt_is_refused(self):
        rma = self._create_invoice_rma(self.invoice, [(self.product_order, 1, 'refund', None)])
        rma.action_approve()
        with self.assertRaisesText(UserError, "cannot be credited"):
            rma.action_refund()
        self.assertEqual(rma.state, 'approved')
        self.assertFalse(rma.credit_note_ids)

    def test_refund_after_cancel_is_refused(self):
        rma = self._create_invoice_rma(self.invoice, [(self.product_order, 1, 'refund', None)])
        rma.action_approve()
        rma.action_cancel()
        with self.assertRaisesText(UserError, "cannot be credited"):
            rma.action_refund()
        self.assertEqual(rma.state, 'cancel')

    def test_refund_against_cancelled_invoice_is_refused(self):
        rma = self._received_invoice_rma()
        self.invoice.button_draft()
        self.invoice.button_cancel()
        with self.assertRaisesText(UserError, "is not a posted customer invoice"):
            rma.action_refund()
        self.assertFalse(rma.credit_note_ids)

    def test_refund_against_fully_credited_invoice_is_refused(self):
        rma = self._received_invoice_rma()
        self._reverse(self.invoice)
        with self.assertRaisesText(UserError, self.invoice.name):
            rma.action_refund()
        self.assertFalse(rma.credit_note_ids)
        self.assertTrue(rma.is_pending_credit)

    def test_refund_against_reversed_invoice_is_refused(self):
        rma = self._received_invoice_rma()
        reversal = self.env['account.move.reversal'].with_context(
            active_model='account.move', active_ids=self.invoice.ids,
        ).create({'journal_id': self.invoice.journal_id.id})
        reversal.modify_moves()
        self.assertEqual(self.invoice.payment_state, 'reversed')
        with self.assertRaisesText(UserError, "is not a posted customer invoice"):
            rma.action_refund()

    def test_return_line_of_another_customers_invoice_is_refused(self):
        other_invoice = self._post_invoice([(self.product_order, 3, 150.0, 0.0)], partner=self.partner_b)
        with self.assertRaisesText(ValidationError, "is not a posted invoice"):
            self.env['aftersales.rma'].create({
                'partner_id': self.customer.id,
                'line_ids': [Command.create({
                    'product_id': self.product_order.id, 'product_uom_qty': 1,
                    'invoice_line_id': other_invoice.invoice_line_ids.id,
                })],
            })

    def test_return_header_of_another_customers_invoice_is_refused(self):
        other_invoice = self._post_invoice([(self.product_order, 3, 150.0, 0.0)], partner=self.partner_b)
        with self.assertRaisesText(ValidationError, "belongs to another customer"):
            self.env['aftersales.rma'].create({
                'partner_id': self.customer.id, 'invoice_id': other_invoice.id,
            })


@tagged('post_install', '-at_install')
class TestRmaCreditNoteUndone(AftersalesRmaAccessCommon):
    """MO7: an undone credit note puts the return back to be credited."""

    def setUp(self):
        super().setUp()
        order = self._deliver_order([(self.product_delivery, 5)])
        self._invoice(order)
        self.rma = self._received_rma(order, [(self.product_delivery, 2, 'refund', None)])
        self.rma.action_refund()
        self.credit_note = self.rma.credit_note_ids

    def test_deleting_draft_credit_note_puts_return_back_to_credit(self):
        self.assertFalse(self.rma.is_pending_credit)
        self.credit_note.unlink()
        line = self.rma.line_ids
        self.assertEqual((line.qty_credit_draft, line.qty_to_credit), (0, 2))
        self.assertTrue(self.rma.is_pending_credit)
        self.assertEqual(self.rma.state, 'received')

    def test_credit_note_deleted_can_be_made_again(self):
        self.credit_note.unlink()
        self.rma.action_refund()
        self.assertEqual(self.rma.credit_note_ids.invoice_line_ids.quantity, 2)
        self.assertFalse(self.rma.is_pending_credit)

    def test_cancelling_posted_credit_note_puts_return_back_to_credit(self):
        self.credit_note.action_post()
        self.assertEqual(self.rma.state, 'done')
        self.credit_note.button_draft()
        self.credit_note.button_cancel()
        line = self.rma.line_ids
        self.assertEqual((line.qty_credited, line.qty_to_credit), (0, 2))
        self.assertTrue(self.rma.is_pending_credit)
        self.assertEqual(self.rma.state, 'received')

    def test_only_posted_credit_notes_count_as_credited(self):
        self.assertEqual(self.rma.line_ids.qty_credited, 0)
        self.assertEqual(self.rma.state, 'received')
        self.credit_note.action_post()
        self.assertEqual(self.rma.line_ids.qty_credited, 2)


@tagged('post_install', '-at_install')
class TestRmaForeignCurrency(AftersalesRmaAccessCommon):
    """MO4: a USD invoice of an EUR company is credited in USD."""

    @classmethod
    def setup_independent_company(cls, **kwargs):
        return super().setup_independent_company(
            currency_id=cls._enable_currency('EUR').id, **kwargs,
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.usd = cls.setup_other_currency('USD', rates=[('1900-01-01', 1.0), ('2017-01-01', 1.1)])

    def test_credit_note_is_in_invoice_currency(self):
        self.assertEqual(self.company.currency_id.name, 'EUR')
        invoice = self._post_invoice([(self.product_order, 3, 33.33, 0.0)], currency_id=self.usd.id)
        rma = self._create_invoice_rma(invoice, [(self.product_order, 1, 'refund', None)])
        self.assertEqual(rma.currency_id, self.usd)
        self.assertAlmostEqual(rma.amount_total, 33.33)
        rma.action_approve()
        self._receive(rma)
        rma.action_refund()
        credit_note = rma.credit_note_ids
        self.assertEqual(credit_note.currency_id, self.usd)
        self.assertRecordValues(credit_note, [{
            'amount_untaxed': 33.33, 'amount_tax': 5.0, 'amount_total': 38.33,
        }])
        # 38.33 USD at 1.1 USD per EUR, each line rounded in EUR: 30.30 + 4.55.
        self.assertAlmostEqual(credit_note.amount_total_signed, -34.85)
        self.assertAlmostEqual(credit_note.amount_total_in_currency_signed, -38.33)


@tagged('post_install', '-at_install')
class TestRmaLockedPeriod(AftersalesRmaAccessCommon):
    """MO7: crediting into a locked period follows core's reversal rules."""

    def test_credit_note_in_locked_period_is_refused_by_core_until_redated(self):
        order = self._deliver_order([(self.product_delivery, 5)])
        self._invoice(order)
        rma = self._received_rma(order, [(self.product_delivery, 1, 'refund', None)])
        today = fields.Date.context_today(rma)
        self.company.sale_lock_date = today
        rma.action_refund()
        credit_note = rma.credit_note_ids
        self.assertEqual(credit_note.state, 'draft', "the draft is made whatever the lock")
        with self.assertRaisesText(UserError, "Sales Lock Date"):
            credit_note.action_post()
        self.assertEqual(rma.state, 'received')
        credit_note.write({'invoice_date': today + timedelta(days=1), 'date': today + timedelta(days=1)})
        credit_note.action_post()
        self.assertEqual(rma.state, 'done')
