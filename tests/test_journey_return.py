"""Journey of a return in the web client, in headless Chromium: an e-mail
opens a case, the agent makes and approves the return from the case's
order, the warehouse receives the goods and the accountant credits them."""

from odoo import Command
from odoo.addons.aftersales_case.tests.mail_templates import BODY, MAIL_TEMPLATE
from odoo.addons.aftersales_rma.tests.common import AftersalesRmaAccessCommon
from odoo.tests import HttpCase, tagged


@tagged('post_install', '-at_install')
class TestJourneyReturn(AftersalesRmaAccessCommon, HttpCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = 'buyer@lamp-customer.example'
        # The desk's agent also sells: they name the order a case is about.
        cls.agent.group_ids |= cls.env.ref('sales_team.group_sale_salesman_all_leads')
        cls.order = cls.env['sale.order'].create({
            'name': "Journey Order 1", 'partner_id': cls.customer.id, 'warehouse_id': cls.warehouse.id,
            'order_line': [Command.create({'product_id': cls.product_delivery.id, 'product_uom_qty': 2})],
        })
        cls.order.action_confirm()
        cls.order.picking_ids.move_ids.quantity = 2
        cls.order.picking_ids.move_ids.picked = True
        cls.order.picking_ids.button_validate()
        cls.order._create_invoices().action_post()

    def _receive_email(self):
        email = MAIL_TEMPLATE.format(
            to='returns@lamp-shop.example', cc='', email_from=self.customer.email,
            subject="Lamp arrived broken", date='Sun, 06 Dec 2026 10:00:00 +0000',
            msg_id='<journey-return-1@lamp-customer.example>', references='',
            return_path=self.customer.email, extra='', body=BODY, attachments='',
        )
        # As the Returns Desk's alias would route it.
        self.env['mail.thread'].sudo().message_process(
            'aftersales.case', email, custom_values={'team_id': self.team.id},
        )
        return self.env['aftersales.case'].search([('subject', '=', "Lamp arrived broken")])

    def test_email_case_return_receipt_credit_note(self):
        case = self._receive_email()
        self.assertRecordValues(case, [{'partner_id': self.customer.id, 'team_id': self.team.id}])

        self.start_tour(f'/odoo/action-aftersales_case.aftersales_case_action/{case.id}',
                        'aftersales_journey_return_agent', login=self.agent.login)
        rma = case.aftersales_rma_ids
        self.assertRecordValues(rma, [{'state': 'approved', 'sale_order_id': self.order.id}])
        self.assertEqual(rma.line_ids.product_uom_qty, 1)

        self.start_tour(f'/odoo/action-aftersales_rma.aftersales_rma_action/{rma.id}',
                        'aftersales_journey_return_warehouse', login=self.warehouse_user.login)
        self.assertEqual(rma.picking_ids.state, 'done')
        self.assertEqual(rma.state, 'received')

        self.start_tour('/odoo/action-aftersales_rma.aftersales_rma_action_to_credit',
                        'aftersales_journey_return_accountant', login=self.accountant.login)
        credit_note = rma.credit_note_ids
        self.assertRecordValues(credit_note, [{'move_type': 'out_refund', 'partner_id': self.customer.id}])
        self.assertEqual(credit_note.invoice_line_ids.quantity, 1)
        # Every document reaches the others.
        self.assertEqual(case.aftersales_rma_ids, rma)
        self.assertEqual(rma.case_id, case)
