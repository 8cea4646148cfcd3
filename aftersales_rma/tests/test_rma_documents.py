from unittest.mock import patch

from odoo import Command
from odoo.addons.mail.models.mail_mail import MailMail
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import AftersalesRmaCommon

REPORT = 'aftersales_rma.action_report_rma'
ACCESS_LOGGERS = ('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')


class RmaDocumentsCommon(AftersalesRmaCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write({'email': 'customer@example.com', 'lang': 'en_US'})
        cls.reason_defective = cls.env.ref('aftersales_rma.reason_defective')
        cls.internal_user = new_test_user(
            cls.env, login='rma_internal', company_id=cls.company.id, groups='base.group_user',
        )

    def _render_html(self, rma, user=None):
        reports = self.env['ir.actions.report'].with_user(user or self.env.user)
        html, _report_type = reports._render_qweb_html(REPORT, rma.ids)
        return html.decode()

    def _rma_by_hand(self, product, qty=1, **values):
        """A draft return of goods that came with no order, as support types it in."""
        return self.env['aftersales.rma'].create({
            'partner_id': self.customer.id,
            'line_ids': [Command.create({
                'product_id': product.id, 'product_uom_qty': qty,
                'reason_id': self.reason_defective.id,
            })],
            **values,
        })


@tagged('post_install', '-at_install')
class TestRmaReport(RmaDocumentsCommon):

    def test_report_shows_reference_barcode_lines_and_where_to_send(self):
        order = self._deliver_order([(self.product_delivery, 5), (self.product_serial, 2)])
        rma = self._create_rma(order, [
            (self.product_delivery, 2, 'refund', None),
            (self.product_serial, 1, 'replace', self.serials[1]),
        ])
        rma.line_ids.reason_id = self.reason_defective
        self.warehouse.partner_id.name = "Returns Centre West"
        html = self._render_html(rma)
        self.assertIn(rma.name, html)
        self.assertIn(f'alt="Barcode {rma.name}"', html, "the reference is printed as a barcode")
        self.assertIn('src="data:image/png;base64,', html, "the barcode is inline, no HTTP fetch")
        for text in ("Desk Lamp", "Label Printer", "LP-002", "Defective", "Returns Centre West",
                     self.customer.name, order.name):
            self.assertIn(text, html)
        self.assertNotIn("LP-001", html, "the lamp line has no serial: nothing is printed for it")
        self.assertIn("not approved yet", html, "a draft warns not to send the goods")

    def test_report_escapes_html_in_product_names(self):
        product = self._create_rma_product(name='<script>alert("rma")</script> Lamp')
        rma = self._rma_by_hand(product)
        html = self._render_html(rma)
        self.assertNotIn('<script>alert(', html)
        self.assertIn('&lt;script&gt;alert(', html)

    def test_report_is_in_the_customer_language(self):
        self.env['res.lang']._activate_lang('fr_FR')
        self.reason_defective.with_context(lang='fr_FR').name = "Défectueux"
        self.customer.lang = 'fr_FR'
        rma = self._rma_by_hand(self.product_delivery)
        html = self._render_html(rma)
        self.assertIn("Défectueux", html)
        self.assertNotIn(">Defective<", html)

    def test_report_is_printed_from_the_return_form(self):
        report = self.env.ref(REPORT)
        self.assertEqual(report.binding_model_id.model, 'aftersales.rma')
        self.assertEqual(report.binding_type, 'report')

    def test_report_renders_a_real_pdf(self):
        rma = self._rma_by_hand(self.product_delivery)
        with self.allow_pdf_render():
            pdf, report_type = self.env['ir.actions.report'].with_context(
                force_report_rendering=True,
            )._render_qweb_pdf(REPORT, rma.ids)
        self.assertEqual(report_type, 'pdf')
        self.assertTrue(pdf.startswith(b'%PDF'))

    def test_report_of_another_team_return_is_refused_to_an_agent(self):
        team = self.env['aftersales.team'].create({'name': "Other Returns Team"})
        rma = self._rma_by_hand(self.product_delivery, team_id=team.id)
        with mute_logger(*ACCESS_LOGGERS), self.assertRaises(AccessError):
            self._render_html(rma, user=self.agent)
        with mute_logger(*ACCESS_LOGGERS), self.assertRaises(AccessError):
            self._render_html(rma, user=self.internal_user)


@tagged('post_install', '-at_install')
class TestRmaApprovalMail(RmaDocumentsCommon):

    def _send_notices(self, **kwargs):
        """Run the scheduled action; its commits are counted, not made."""
        commits = []
        self.patch(self.env.cr, 'commit', lambda: commits.append(True))
        self.env['aftersales.rma']._cron_send_approval_notices(**kwargs)
        return len(commits)

    def _approve(self, rma):
        messages_before = rma.message_ids
        rma.action_approve()
        self._send_notices()
        return (rma.message_ids - messages_before).filtered('partner_ids')

    def test_approval_leaves_the_authorisation_to_the_scheduled_action(self):
        """The PDF and the mail are not rendered in the user's click: the
        approval wakes the scheduled action, which posts them once."""
        cron = self.env.ref('aftersales_rma.ir_cron_aftersales_rma_approval_notice')
        triggers_before = self.env['ir.cron.trigger'].search([('cron_id', '=', cron.id)])
        rma = self._rma_by_hand(self.product_delivery)
        messages_before = rma.message_ids
        rma.with_user(self.agent).action_approve()
        self.assertFalse((rma.message_ids - messages_before).attachment_ids, "no PDF in the click")
        self.assertTrue(rma.approval_notice_pending)
        self.assertEqual(rma.approval_user_id, self.agent)
        self.assertTrue(self.env['ir.cron.trigger'].search([('cron_id', '=', cron.id)]) - triggers_before)

        self._send_notices()
        self._send_notices()  # a second run sends nothing more
        notices = (rma.message_ids - messages_before).filtered('attachment_ids')
        self.assertEqual(len(notices), 1)
        self.assertEqual(notices.author_id, self.agent.partner_id, "sent in the approver's name")
        self.assertFalse(rma.approval_notice_pending)

    def test_approval_notices_go_out_in_batches(self):
        rmas = self.env['aftersales.rma']
        for _i in range(3):
            rmas |= self._rma_by_hand(self.product_delivery)
        rmas.action_approve()
        commits = self._send_notices(batch_size=2)
        self.assertFalse(rmas.filtered('approval_notice_pending'))
        self.assertEqual(commits, 2, "each batch commits its notices")
        for rma in rmas:
            self.assertEqual(len(rma.message_ids.filtered('attachment_ids')), 1, rma.name)

    @mute_logger('odoo.addons.aftersales_rma.models.aftersales_rma_approval_notice')
    def test_a_return_whose_authorisation_fails_does_not_stop_the_others(self):
        template = self.env.ref('aftersales_rma.mail_template_rma_approved')
        poison, other = self._rma_by_hand(self.product_delivery), self._rma_by_hand(self.product_delivery)
        template.subject = f"{{{{ 1 / 0 if object.id == {poison.id} else object.name }}}}"
        (poison | other).action_approve()
        self._send_notices()
        self.assertFalse((poison | other).filtered('approval_notice_pending'), "neither is tried again")
        self.assertFalse(poison.message_ids.filtered('attachment_ids'))
        self.assertEqual(len(other.message_ids.filtered('attachment_ids')), 1)

    def test_approval_queues_the_authorisation_to_the_customer(self):
        order = self._deliver_order([(self.product_delivery, 3)])
        rma = self._create_rma(order, [(self.product_delivery, 1, 'refund', None)])
        message = self._approve(rma)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.partner_ids, self.customer)
        self.assertIn(rma.name, message.subject)
        self.assertIn(rma.name, str(message.body))
        self.assertEqual(len(message.attachment_ids), 1)
        self.assertTrue(message.attachment_ids.name.startswith("Return Authorisation"))
        mail = self.env['mail.mail'].sudo().search([('mail_message_id', '=', message.id)])
        self.assertEqual(len(mail), 1, "the e-mail waits in the queue")
        self.assertEqual(mail.state, 'outgoing', "nothing is sent inside the approval")
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertEqual(mail.attachment_ids, message.attachment_ids)

    def test_agent_without_sales_or_stock_rights_approves_and_mails(self):
        """The PDF is rendered as the approving agent: it must not need the
        order's, invoice's or serial's own access rights."""
        order = self._deliver_order([(self.product_serial, 2)])
        invoice = self._invoice(order)
        rma = self._create_rma(order, [(self.product_serial, 1, 'refund', self.serials[0])],
                               invoice_id=invoice.id)
        self.env.invalidate_all()  # what the test cached as superuser is not the agent's
        message = self._approve(rma.with_user(self.agent))
        self.assertEqual(len(message.attachment_ids), 1)
        self.env.invalidate_all()
        html = self._render_html(rma, user=self.agent)
        for text in (order.name, invoice.name, "LP-001"):
            self.assertIn(text, html)

    def test_approval_sends_nothing_before_the_transaction_commits(self):
        """A retried or rolled-back approval must not have e-mailed already (CC3):
        the mail waits for the queue's cron, it is neither sent now nor right
        after the commit by the user's request."""
        rma = self._rma_by_hand(self.product_delivery)
        with patch.object(MailMail, 'send', autospec=True) as send, \
                patch.object(MailMail, 'send_after_commit', autospec=True) as send_after_commit:
            rma.action_approve()
            self._send_notices()
        self.assertTrue(self.env['mail.mail'].sudo().search([
            ('model', '=', 'aftersales.rma'), ('res_id', '=', rma.id),
        ]))
        self.assertFalse(
            send.called or send_after_commit.called,
            "the authorisation must be posted with force_send=False so that the mail goes to the queue",
        )

    def test_approval_mail_is_in_the_customer_language(self):
        self.env['res.lang']._activate_lang('fr_FR')
        template = self.env.ref('aftersales_rma.mail_template_rma_approved')
        template.with_context(lang='fr_FR').subject = "Autorisation de retour {{ object.name }}"
        self.customer.lang = 'fr_FR'
        rma = self._rma_by_hand(self.product_delivery)
        message = self._approve(rma)
        self.assertEqual(message.subject, f"Autorisation de retour {rma.name}")


@tagged('post_install', '-at_install')
class TestVendorReceiptProblem(RmaDocumentsCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor = cls.env['res.partner'].create({
            'name': "Lamp Supplies Ltd", 'is_company': True, 'supplier_rank': 1,
        })
        cls.receiver = new_test_user(
            cls.env, login='rma_receiver', company_id=cls.company.id,
            groups='aftersales_case.aftersales_group_user,stock.group_stock_user',
        )

    def _vendor_receipt(self, products=None):
        supplier_location = self.env.ref('stock.stock_location_suppliers')
        receipt = self.env['stock.picking'].create({
            'picking_type_id': self.warehouse.in_type_id.id,
            'partner_id': self.vendor.id,
            'location_id': supplier_location.id,
            'location_dest_id': self.stock_location.id,
            'move_ids': [Command.create({
                'product_id': product.id,
                'product_uom_qty': 5,
                'location_id': supplier_location.id,
                'location_dest_id': self.stock_location.id,
            }) for product in products or (self.product_delivery, self.product_order)],
        })
        receipt.action_confirm()
        self.assertEqual(receipt.state, 'assigned')
        return receipt

    def test_report_a_problem_opens_a_goods_receipt_case_on_the_receipt(self):
        receipt = self._vendor_receipt()
        action = receipt.with_user(self.receiver).action_aftersales_report_problem()
        case = self.env['aftersales.case'].browse(action['res_id'])
        self.assertEqual(action['res_model'], 'aftersales.case')
        self.assertRecordValues(case, [{
            'type_id': self.env.ref('aftersales_case.type_goods_receipt').id,
            'partner_id': self.vendor.id,
            'supplier_id': self.vendor.id,
            'aftersales_receipt_id': receipt.id,
            'company_id': self.company.id,
        }])
        self.assertEqual(case.product_ids, self.product_delivery | self.product_order)
        self.assertIn(receipt.name, case.subject)
        receipt = receipt.with_user(self.receiver)
        self.assertEqual(receipt.aftersales_case_count, 1)
        cases_action = receipt.action_view_aftersales_cases()
        self.assertEqual(cases_action['res_id'], case.id)

    def test_report_a_problem_on_a_done_receipt(self):
        receipt = self._vendor_receipt([self.product_delivery])
        receipt.move_ids.quantity = 5
        receipt.move_ids.picked = True
        receipt.button_validate()
        self.assertEqual(receipt.state, 'done')
        action = receipt.with_user(self.receiver).action_aftersales_report_problem()
        self.assertTrue(action['res_id'])

    def test_report_a_problem_is_refused_on_customer_returns(self):
        order = self._deliver_order([(self.product_delivery, 3)])
        rma = self._create_rma(order, [(self.product_delivery, 1, 'refund', None)])
        rma.action_approve()
        rma_receipt = rma.picking_ids
        self.assertEqual(rma_receipt.picking_type_code, 'incoming')
        with self.assertRaisesText(UserError, "vendor receipts only"):
            rma_receipt.with_user(self.receiver).action_aftersales_report_problem()

    def test_report_a_problem_is_refused_on_a_draft_receipt(self):
        receipt = self._vendor_receipt()
        receipt.action_cancel()
        with self.assertRaisesText(UserError, "vendor receipts only"):
            receipt.with_user(self.receiver).action_aftersales_report_problem()

    def test_only_after_sales_users_see_and_use_the_button(self):
        receipt = self._vendor_receipt()
        Picking = self.env['stock.picking']
        warehouse_views = Picking.with_user(self.warehouse_user).get_views([(False, 'form')])
        receiver_views = Picking.with_user(self.receiver).get_views([(False, 'form')])
        self.assertNotIn('action_aftersales_report_problem', warehouse_views['views']['form']['arch'])
        self.assertIn('action_aftersales_report_problem', receiver_views['views']['form']['arch'])
        # The warehouse still opens its receipts: the case fields are after-sales only.
        form_fields = warehouse_views['models']['stock.picking']['fields']
        self.assertNotIn('aftersales_case_count', form_fields)
        receipt.with_user(self.warehouse_user).web_read({name: {} for name in form_fields})
        with mute_logger(*ACCESS_LOGGERS), self.assertRaises(AccessError):
            receipt.with_user(self.warehouse_user).action_aftersales_report_problem()


@tagged('post_install', '-at_install')
class TestReturnRateReport(RmaDocumentsCommon):

    def _report_rows(self, products, user=None):
        report = self.env['aftersales.rma.product.report'].with_user(user or self.env.user)
        self.env.flush_all()
        return report.search([('product_id', 'in', products.ids)])

    def _return_and_receive(self, order, product, qty, resolution='refund'):
        rma = self._create_rma(order, [(product, qty, resolution, None)])
        rma.action_approve()
        self._receive(rma)
        return rma

    def test_deliver_ten_return_two_is_twenty_percent(self):
        order = self._deliver_order([(self.product_delivery, 10)])
        self._return_and_receive(order, self.product_delivery, 2)
        row = self._report_rows(self.product_delivery)
        self.assertRecordValues(row, [{
            'product_id': self.product_delivery.id, 'qty_sold': 10.0, 'qty_returned': 2.0,
            'return_rate': 20.0, 'company_id': self.company.id,
        }])
        self.assertEqual(row.date, row.date.replace(day=1), "one row per month")

    def test_totals_are_the_ratio_of_the_sums(self):
        order = self._deliver_order([(self.product_delivery, 10), (self.product_order, 30)])
        self._return_and_receive(order, self.product_delivery, 2)
        products = self.product_delivery | self.product_order
        rows = self._report_rows(products)
        self.assertEqual(sorted(rows.mapped('return_rate')), [0.0, 20.0])
        Report = self.env['aftersales.rma.product.report']
        [(sold, returned, rate)] = Report._read_group(
            [('product_id', 'in', products.ids)], [],
            ['qty_sold:sum', 'qty_returned:sum', 'return_rate:avg'],
        )
        self.assertEqual((sold, returned), (40.0, 2.0))
        self.assertAlmostEqual(rate, 5.0, msg="2 of 40, not the mean of 20 % and 0 %")
        # The pivot's grouping sets go through the same aggregate.
        by_product, total = Report.formatted_read_grouping_sets(
            [('product_id', 'in', products.ids)], [['product_id'], []], ['return_rate:avg'],
        )
        self.assertAlmostEqual(total[0]['return_rate:avg'], 5.0)
        self.assertEqual(sorted(group['return_rate:avg'] for group in by_product), [0.0, 20.0])

    def test_replacements_sent_are_not_sales(self):
        order = self._deliver_order([(self.product_delivery, 10)])
        rma = self._return_and_receive(order, self.product_delivery, 1, resolution='replace')
        rma.action_replace()
        delivery = rma.picking_ids.filtered(lambda p: p.picking_type_code == 'outgoing')
        delivery.move_ids.quantity = 1
        delivery.move_ids.picked = True
        delivery.button_validate()
        self.assertEqual(delivery.state, 'done')
        row = self._report_rows(self.product_delivery)
        self.assertEqual((row.qty_sold, row.qty_returned), (10.0, 1.0))

    def test_units_are_converted_to_the_product_unit(self):
        dozen = self.env.ref('uom.product_uom_dozen')
        self._deliver_order([(self.product_delivery, 24)])
        rma = self._rma_by_hand(self.product_delivery)
        rma.line_ids.product_uom_id = dozen
        rma.action_approve()
        self._receive(rma)
        self.assertEqual(rma.picking_ids.move_ids.product_uom, dozen)
        row = self._report_rows(self.product_delivery)
        self.assertEqual((row.qty_sold, row.qty_returned, row.return_rate), (24.0, 12.0, 50.0))

    def test_return_rate_is_refused_to_internal_users(self):
        self._deliver_order([(self.product_delivery, 1)])
        self.assertTrue(self._report_rows(self.product_delivery, user=self.agent))
        with mute_logger(*ACCESS_LOGGERS), self.assertRaises(AccessError):
            self._report_rows(self.product_delivery, user=self.internal_user)
