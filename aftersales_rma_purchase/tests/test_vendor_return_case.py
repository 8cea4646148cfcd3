from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import AftersalesRmaPurchaseCommon

ACCESS_LOGGERS = ('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')


@tagged('post_install', '-at_install')
class TestVendorReturnCase(AftersalesRmaPurchaseCommon):
    """A delivery rejected at goods receipt goes back to the vendor from its
    case, on stock's own return of the receipt, and is credited as a return's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.receiver = new_test_user(
            cls.env, login='rma_purchase_receiver', company_id=cls.company.id,
            groups='aftersales_case.aftersales_group_user,stock.group_stock_user',
        )
        # Reads the case, and credits: purchasing cannot read cases on its own.
        cls.purchase_agent = new_test_user(
            cls.env, login='rma_case_purchase_agent', company_id=cls.company.id,
            groups='aftersales_case.aftersales_group_user,purchase.group_purchase_user',
        )
        cls.team.member_ids |= cls.receiver | cls.purchase_agent

    def _rejected(self, bill=True):
        """A purchase of lamps and shades, received, and a case on its receipt
        about the lamps: ``(purchase order, receipt, case)``."""
        purchase = self._purchase([(self.lamp, 5), (self.shade, 5)], bill=bill)
        receipt = purchase.picking_ids
        action = receipt.with_user(self.receiver).action_aftersales_report_problem()
        case = self.env['aftersales.case'].browse(action['res_id'])
        case.write({'team_id': self.team.id, 'product_ids': [(6, 0, self.lamp.ids)]})
        return purchase, receipt, case

    def _open_return(self, case, user=None):
        action = case.with_user(user or self.receiver).action_aftersales_return_to_vendor()
        self.assertEqual(action['res_model'], 'stock.return.picking')
        return self.env['stock.return.picking'].with_user(user or self.receiver).browse(action['res_id'])

    def test_the_case_opens_stocks_return_wizard_with_the_rejected_goods(self):
        _purchase, receipt, case = self._rejected()
        wizard = self._open_return(case)
        self.assertEqual(wizard.picking_id, receipt)
        self.assertEqual(wizard.aftersales_vendor_case_id, case)
        self.assertEqual(
            {(line.product_id, line.quantity) for line in wizard.product_return_moves},
            {(self.lamp, 5), (self.shade, 0)}, "the case's products are proposed in full",
        )

    def test_rejected_goods_go_back_and_are_credited_on_the_case(self):
        purchase, receipt, case = self._rejected()
        wizard = self._open_return(case)
        with Form(wizard) as form, form.product_return_moves.edit(0) as line:
            line.quantity = 3
        action = wizard.action_create_returns()
        vendor_return = self.env['stock.picking'].browse(action['res_id'])
        self.assertRecordValues(vendor_return, [{
            'return_id': receipt.id, 'partner_id': self.vendor.id, 'picking_type_code': 'outgoing',
        }])
        self.assertEqual(vendor_return.sudo().aftersales_vendor_case_id, case)
        self.assertIn(case.name, vendor_return.origin)
        self.assertTrue(vendor_return.move_ids.to_refund)
        self.assertEqual(case.aftersales_vendor_picking_count, 1)
        self.assertEqual(case.action_view_aftersales_vendor_pickings()['res_id'], vendor_return.id)
        back = vendor_return.with_user(self.receiver).action_view_aftersales_vendor_case()
        self.assertEqual(back['res_id'], case.id)

        self._validate(vendor_return)
        lamp_line = self._order_line(purchase, self.lamp)
        self.assertEqual((lamp_line.qty_received, lamp_line.qty_to_invoice), (2, -3))
        case.with_user(self.purchase_agent).action_aftersales_vendor_credit()
        credit_note = self.env['account.move'].search([('aftersales_vendor_case_id', '=', case.id)])
        self.assertRecordValues(credit_note, [{'move_type': 'in_refund', 'state': 'draft'}])
        self.assertRecordValues(credit_note.invoice_line_ids, [{
            'product_id': self.lamp.id, 'quantity': 3, 'purchase_line_id': lamp_line.id,
        }])
        self.assertEqual(case.aftersales_vendor_credit_count, 1)
        with self.assertRaisesText(UserError, f"Nothing to credit on {case.name}"):
            case.with_user(self.purchase_agent).action_aftersales_vendor_credit()

    def test_a_receipt_not_done_is_not_returned(self):
        purchase = self.env['purchase.order'].create({
            'partner_id': self.vendor.id,
            'order_line': [(0, 0, {'product_id': self.lamp.id, 'product_qty': 5})],
        })
        purchase.button_confirm()
        action = purchase.picking_ids.with_user(self.receiver).action_aftersales_report_problem()
        case = self.env['aftersales.case'].browse(action['res_id'])
        with self.assertRaisesText(UserError, "no done vendor receipt"):
            case.with_user(self.receiver).action_aftersales_return_to_vendor()

    def test_a_case_links_only_the_returns_of_its_own_receipt(self):
        _purchase, _receipt, case = self._rejected()
        other_receipt = self._purchase([(self.lamp, 2)]).picking_ids
        wizard = Form(self.env(user=self.receiver)['stock.return.picking'].with_context(
            active_id=other_receipt.id, active_model='stock.picking',
        )).save()
        wizard.write({'aftersales_vendor_case_id': case.id})
        wizard.product_return_moves.quantity = 1
        with self.assertRaisesText(UserError, "is about receipt"):
            wizard.action_create_returns()

    def test_an_agent_of_another_team_cannot_return_the_cases_goods(self):
        _purchase, _receipt, case = self._rejected()
        outsider = new_test_user(
            self.env, login='rma_purchase_outsider', company_id=self.company.id,
            groups='aftersales_case.aftersales_group_user,stock.group_stock_user',
        )
        self.team_other.member_ids |= outsider
        with mute_logger(*ACCESS_LOGGERS), self.assertRaises(AccessError):
            case.with_user(outsider).action_aftersales_return_to_vendor()
        wizard = self._open_return(case)
        with mute_logger(*ACCESS_LOGGERS), self.assertRaises(AccessError):
            wizard.with_user(outsider).action_create_returns()

    def test_an_agent_without_stock_rights_is_told_the_warehouse_returns_goods(self):
        _purchase, _receipt, case = self._rejected()
        with self.assertRaisesText(AccessError, "Only the warehouse"):
            case.with_user(self.agent).action_aftersales_return_to_vendor()

    def test_an_agent_without_purchase_or_accounting_rights_cannot_credit(self):
        _purchase, _receipt, case = self._rejected()
        wizard = self._open_return(case)
        self._validate(self.env['stock.picking'].browse(wizard.action_create_returns()['res_id']))
        with mute_logger(*ACCESS_LOGGERS), self.assertRaises(AccessError):
            case.with_user(self.receiver).action_aftersales_vendor_credit()

    def test_a_returns_vendor_returns_show_on_its_case(self):
        self._purchase([(self.lamp, 5)])
        case = self.env['aftersales.case'].create({
            'subject': "Lamps flicker", 'partner_id': self.customer.id, 'team_id': self.team.id,
        })
        rma = self._returned([(self.lamp, 1, 'refund', None)])
        rma.case_id = case
        vendor_return = self._return_to_vendor(rma)
        self._validate(vendor_return)
        rma.with_user(self.purchase_user).action_vendor_credit()
        self.assertEqual(case.aftersales_vendor_picking_count, 1)
        self.assertEqual(case.aftersales_vendor_credit_count, 1)
        self.assertEqual(case.action_view_aftersales_vendor_credit_notes()['res_id'],
                         rma.vendor_credit_note_ids.id)
