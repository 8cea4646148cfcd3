from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import AftersalesRmaAccessCommon

ACCESS_LOGGERS = ('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')


@tagged('post_install', '-at_install')
class TestRmaBackendAccess(AftersalesRmaAccessCommon):
    """BA1-BA5, BA7, BA8: who reads and moves a return along."""

    def setUp(self):
        super().setUp()
        self.order = self._deliver_order([(self.product_delivery, 5)])
        self.invoice = self._invoice(self.order)

    def _team_rma(self, team=None, user=None, qty=2, resolution='refund'):
        return self._create_rma(
            self.order, [(self.product_delivery, qty, resolution, None)],
            team_id=(team or self.team).id, user_id=(user or self.agent).id,
        )

    def _received_team_rma(self, resolution='refund'):
        rma = self._team_rma(resolution=resolution)
        rma.with_user(self.agent).action_approve()
        self._receive(rma)
        return rma

    # BA1: teams

    @mute_logger(*ACCESS_LOGGERS)
    def test_agent_cannot_read_another_teams_return(self):
        rma = self._team_rma(team=self.team_other, user=self.agent_other)
        with self.assertRaises(AccessError):
            rma.with_user(self.agent).check_access('read')
        self.assertFalse(self.env['aftersales.rma'].with_user(self.agent).search([('id', '=', rma.id)]))
        self.assertFalse(self.env['aftersales.rma.line'].with_user(self.agent).search(
            [('rma_id', '=', rma.id)]
        ))

    @mute_logger(*ACCESS_LOGGERS)
    def test_agent_cannot_approve_another_teams_return(self):
        rma = self._team_rma(team=self.team_other, user=self.agent_other)
        with self.assertRaises(AccessError):
            rma.with_user(self.agent).action_approve()
        self.assertEqual(rma.state, 'draft')
        self.assertFalse(rma.picking_ids)

    def test_team_member_approves_with_only_after_sales_rights(self):
        rma = self._team_rma()
        rma.with_user(self.agent).action_approve()
        self.assertEqual(rma.state, 'approved')
        self.assertEqual(len(rma.picking_ids), 1)
        self.assertEqual(rma.picking_ids.move_ids.product_uom_qty, 2)

    def test_all_documents_agent_reads_and_approves_any_team(self):
        rma = self._team_rma(team=self.team_other, user=self.agent_other)
        rma_as_all = rma.with_user(self.agent_all)
        self.assertEqual(rma_as_all.name, rma.name)
        rma_as_all.action_approve()
        self.assertEqual(rma.state, 'approved')

    def test_team_member_sends_replacement_with_only_after_sales_rights(self):
        rma = self._received_team_rma(resolution='replace')
        rma.with_user(self.agent).action_replace()
        delivery = rma.picking_ids.filtered(lambda p: p.picking_type_code == 'outgoing')
        self.assertEqual(delivery.move_ids.product_uom_qty, 2)
        self.assertEqual(delivery.state, 'assigned')

    def test_team_member_scraps_with_only_after_sales_rights(self):
        rma = self._received_team_rma(resolution='scrap')
        rma.with_user(self.agent).action_scrap()
        self.assertEqual(rma.line_ids.qty_scrapped, 2)
        self.assertEqual(rma.state, 'done')

    @mute_logger(*ACCESS_LOGGERS)
    def test_agent_cannot_credit_another_teams_return(self):
        rma = self._team_rma(team=self.team_other, user=self.agent_other)
        rma.action_approve()
        self._receive(rma)
        with self.assertRaises(AccessError):
            rma.with_user(self.agent).action_refund()
        self.assertFalse(rma.credit_note_ids)

    # BA2: agents prepare credit notes, accounting posts them

    def test_agent_prepares_draft_credit_note(self):
        rma = self._received_team_rma()
        rma.with_user(self.agent).action_refund()
        self.assertEqual(rma.credit_note_ids.state, 'draft')
        self.assertEqual(rma.line_ids.qty_credit_draft, 2)

    @mute_logger(*ACCESS_LOGGERS)
    def test_agent_cannot_post_credit_note(self):
        rma = self._received_team_rma()
        rma.with_user(self.agent).action_refund()
        with self.assertRaises(AccessError):
            rma.credit_note_ids.with_user(self.agent).action_post()
        self.assertEqual(rma.credit_note_ids.state, 'draft')

    # BA3: accountants

    def test_accountant_posts_credit_note_and_return_is_done(self):
        rma = self._received_team_rma()
        rma.with_user(self.agent).action_refund()
        rma.credit_note_ids.with_user(self.accountant).action_post()
        self.assertEqual(rma.credit_note_ids.state, 'posted')
        self.assertEqual(rma.state, 'done')

    def test_accountant_reads_return_from_credit_note(self):
        rma = self._received_team_rma()
        rma.with_user(self.agent).action_refund()
        credit_note = rma.credit_note_ids.with_user(self.accountant)
        self.assertEqual(credit_note.aftersales_rma_ids, rma)
        self.assertEqual(credit_note.aftersales_rma_ids.name, rma.name)
        self.assertEqual(rma.with_user(self.accountant).line_ids.qty_credit_draft, 2)

    def test_accountant_credits_received_return(self):
        rma = self._received_team_rma()
        rma.with_user(self.accountant).action_refund()
        self.assertEqual(rma.credit_note_ids.move_type, 'out_refund')
        self.assertEqual(rma.credit_note_ids.state, 'draft')

    @mute_logger(*ACCESS_LOGGERS)
    def test_accountant_cannot_approve(self):
        rma = self._team_rma()
        with self.assertRaises(AccessError):
            rma.with_user(self.accountant).action_approve()
        self.assertEqual(rma.state, 'draft')

    # BA4: the warehouse

    def test_warehouse_receipt_moves_return_to_received(self):
        rma = self._team_rma()
        rma.with_user(self.agent).action_approve()
        self._receive(rma, user=self.warehouse_user)
        self.assertEqual(rma.picking_ids.state, 'done')
        self.assertEqual(rma.line_ids.qty_received, 2)
        self.assertEqual(rma.state, 'received')
        self.assertTrue(rma.is_pending_credit)

    @mute_logger(*ACCESS_LOGGERS)
    def test_warehouse_user_cannot_approve(self):
        rma = self._team_rma()
        with self.assertRaises(AccessError):
            rma.with_user(self.warehouse_user).action_approve()
        self.assertEqual(rma.state, 'draft')

    @mute_logger(*ACCESS_LOGGERS)
    def test_warehouse_user_cannot_refund(self):
        rma = self._received_team_rma()
        with self.assertRaises(AccessError):
            rma.with_user(self.warehouse_user).action_refund()
        self.assertFalse(rma.credit_note_ids)

    @mute_logger(*ACCESS_LOGGERS)
    def test_warehouse_user_cannot_send_replacement(self):
        rma = self._received_team_rma(resolution='replace')
        with self.assertRaises(AccessError):
            rma.with_user(self.warehouse_user).action_replace()
        self.assertFalse(rma.picking_ids.filtered(lambda p: p.picking_type_code == 'outgoing'))

    @mute_logger(*ACCESS_LOGGERS)
    def test_warehouse_user_cannot_read_case_description(self):
        case = self.env['aftersales.case'].create({
            'subject': "Broken lamps", 'partner_id': self.customer.id,
            'description': "<p>Private notes of the desk</p>",
        })
        rma = self._team_rma()
        rma.case_id = case
        rma_as_warehouse = rma.with_user(self.warehouse_user)
        self.assertEqual(rma_as_warehouse.name, rma.name)
        with self.assertRaises(AccessError):
            rma_as_warehouse.case_id.mapped('description')

    # BA5: plain internal users

    @mute_logger(*ACCESS_LOGGERS)
    def test_internal_user_reads_no_return(self):
        rma = self._team_rma(team=self.env['aftersales.team'], user=self.internal_user)
        with self.assertRaises(AccessError):
            rma.with_user(self.internal_user).check_access('read')
        with self.assertRaises(AccessError):
            self.env['aftersales.rma'].with_user(self.internal_user).search([])

    # BA7: followers

    @mute_logger(*ACCESS_LOGGERS)
    def test_following_a_return_grants_nothing(self):
        rma = self._team_rma(team=self.team_other, user=self.agent_other)
        rma.message_subscribe(partner_ids=self.agent.partner_id.ids)
        self.assertIn(self.agent.partner_id, rma.message_partner_ids)
        with self.assertRaises(AccessError):
            rma.with_user(self.agent).check_access('read')

    # BA8: actions in a wrong state

    def test_approve_twice_is_refused(self):
        rma = self._team_rma()
        rma.action_approve()
        with self.assertRaisesText(UserError, "cannot be approved"):
            rma.action_approve()
        self.assertEqual(rma.state, 'approved')
        self.assertEqual(len(rma.picking_ids), 1)

    def test_refund_of_draft_is_refused(self):
        rma = self._team_rma()
        with self.assertRaisesText(UserError, "cannot be credited"):
            rma.action_refund()
        self.assertEqual(rma.state, 'draft')

    def test_cancel_of_done_return_is_refused(self):
        rma = self._received_team_rma()
        rma.action_refund()
        rma.credit_note_ids.action_post()
        self.assertEqual(rma.state, 'done')
        with self.assertRaisesText(UserError, "cannot be cancelled"):
            rma.action_cancel()
        self.assertEqual(rma.state, 'done')

    def test_approve_of_rejected_return_is_refused(self):
        rma = self._team_rma()
        rma.action_reject()
        with self.assertRaisesText(UserError, "cannot be approved"):
            rma.action_approve()
        self.assertEqual(rma.state, 'rejected')


@tagged('post_install', '-at_install')
class TestRmaMultiCompany(AftersalesRmaAccessCommon):
    """BA6: a return never mixes companies, and B's returns stay in B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Company B")['company']
        cls.warehouse_b = cls.env['stock.warehouse'].search([('company_id', '=', cls.company_b.id)], limit=1)
        cls.agent_a = new_test_user(
            cls.env, login='rma_agent_a', company_id=cls.company.id,
            groups='aftersales_case.aftersales_group_user_all',
        )
        cls.agent_ab = new_test_user(
            cls.env, login='rma_agent_ab', company_id=cls.company.id,
            company_ids=[Command.set((cls.company | cls.company_b).ids)],
            groups='aftersales_case.aftersales_group_user_all',
        )

    def setUp(self):
        super().setUp()
        self.order = self._deliver_order([(self.product_delivery, 5), (self.product_serial, 1)])

    def _rma_b(self):
        product = self.env['product.product'].create({'name': "B Widget", 'type': 'consu'})
        return self.env['aftersales.rma'].with_company(self.company_b).create({
            'partner_id': self.customer.id,
            'company_id': self.company_b.id,
            'line_ids': [Command.create({'product_id': product.id, 'product_uom_qty': 1})],
        })

    def test_return_linked_to_other_company_order_is_refused(self):
        order_b = self.env['sale.order'].with_company(self.company_b).create({
            'partner_id': self.customer.id, 'company_id': self.company_b.id,
        })
        rma = self._create_rma(self.order, [(self.product_delivery, 1, 'refund', None)])
        with self.assertRaisesText(UserError, "belongs to another company"):
            rma.sale_order_id = order_b

    def test_return_linked_to_other_company_invoice_is_refused(self):
        invoice_b = self.env['account.move'].with_company(self.company_b).create({
            'move_type': 'out_invoice', 'partner_id': self.customer.id,
            'company_id': self.company_b.id,
        })
        rma = self._create_rma(self.order, [(self.product_delivery, 1, 'refund', None)])
        with self.assertRaisesText(UserError, "belongs to another company"):
            rma.invoice_id = invoice_b

    def test_return_to_other_company_warehouse_is_refused(self):
        rma = self._create_rma(self.order, [(self.product_delivery, 1, 'refund', None)])
        with self.assertRaisesText(UserError, "belongs to another company"):
            rma.warehouse_id = self.warehouse_b

    def test_return_of_other_company_lot_is_refused(self):
        shared_printer = self._create_rma_product(
            name="Shared Printer", tracking='serial', company_id=False,
        )
        lot_b = self.env['stock.lot'].create({
            'name': "SP-B-1", 'product_id': shared_printer.id, 'company_id': self.company_b.id,
        })
        with self.assertRaisesText(UserError, "belongs to another company"):
            self.env['aftersales.rma'].create({
                'partner_id': self.customer.id,
                'line_ids': [Command.create({
                    'product_id': shared_printer.id, 'product_uom_qty': 1, 'lot_id': lot_b.id,
                })],
            })

    def test_other_company_return_hidden_from_company_a_user(self):
        rma_b = self._rma_b()
        Rma = self.env['aftersales.rma'].with_user(self.agent_a)
        self.assertFalse(Rma.search([('id', '=', rma_b.id)]))
        with mute_logger(*ACCESS_LOGGERS), self.assertRaises(AccessError):
            rma_b.with_user(self.agent_a).check_access('read')

    def test_other_company_return_hidden_while_only_company_a_is_active(self):
        rma_b = self._rma_b()
        Rma = self.env['aftersales.rma'].with_user(self.agent_ab)
        self.assertTrue(Rma.with_context(
            allowed_company_ids=(self.company | self.company_b).ids,
        ).search([('id', '=', rma_b.id)]))
        self.assertFalse(Rma.with_context(allowed_company_ids=self.company.ids).search(
            [('id', '=', rma_b.id)]
        ))


@tagged('post_install', '-at_install')
class TestRmaDeletion(AftersalesRmaAccessCommon):
    """DL2: what has documents is kept, and a failing action leaves nothing."""

    def setUp(self):
        super().setUp()
        self.order = self._deliver_order([(self.product_delivery, 5)])
        self.invoice = self._invoice(self.order)

    def test_draft_return_can_be_deleted(self):
        rma = self._create_rma(self.order, [(self.product_delivery, 1, 'refund', None)])
        rma.unlink()
        self.assertFalse(rma.exists())

    def test_cancelled_return_with_transfer_cannot_be_deleted(self):
        rma = self._create_rma(self.order, [(self.product_delivery, 1, 'refund', None)])
        rma.action_approve()
        rma.action_cancel()
        with self.assertRaisesText(UserError, "are kept"):
            rma.unlink()
        self.assertTrue(rma.exists())

    def test_return_with_credit_note_cannot_be_deleted(self):
        rma = self._received_rma(self.order, [(self.product_delivery, 1, 'refund', None)])
        rma.action_refund()
        with self.assertRaisesText(UserError, "are kept"):
            rma.unlink()

    def test_failing_approval_leaves_no_receipt(self):
        rma = self._create_rma(self.order, [(self.product_delivery, 1, 'refund', None)])
        Rma = type(rma)

        def fail(records):
            raise UserError(records.env._("mail server down"))

        with self.assertRaisesText(UserError, "mail server down"), \
                patch.object(Rma, '_send_approval', fail):
            rma.action_approve()
        self.assertEqual(rma.state, 'draft')
        self.assertFalse(rma.picking_ids)
        self.assertFalse(self.env['stock.picking'].search([('aftersales_rma_id', '=', rma.id)]))

