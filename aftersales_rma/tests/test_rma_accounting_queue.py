import json

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import AftersalesRmaCommon

ACCESS_LOGGERS = ('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')
QUEUE_ACTION = 'aftersales_rma.aftersales_rma_action_to_credit'
QUEUE_MENU = 'aftersales_rma.aftersales_rma_menu_to_credit'
AGENT_BUTTONS = (
    'action_approve', 'action_reject', 'action_cancel', 'action_draft', 'action_replace',
    'action_return_goods', 'action_scrap', 'action_return_replacement',
)

# Opens the first return of the list the browser shows, and checks it is the
# return to credit, opened read-only with the Credit button only.
QUEUE_BROWSER_CHECK = """
(async () => {
    const waitFor = async (selector) => {
        for (let tries = 0; tries < 300; tries++) {
            const element = document.querySelector(selector);
            if (element) {
                return element;
            }
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
        throw new Error(`${selector} never showed`);
    };
    const cell = await waitFor(".o_list_view .o_data_row td[name=name]");
    if (!cell.textContent.includes(RETURN_NAME)) {
        throw new Error(`The queue lists ${cell.textContent}`);
    }
    if (document.querySelectorAll(".o_list_view .o_data_row").length !== 1) {
        throw new Error("The queue lists more than the return to credit");
    }
    cell.click();
    await waitFor(".o_form_view .o_field_widget[name=partner_id]");
    await waitFor(".o_form_view button[name=action_refund]");
    for (const name of AGENT_BUTTONS) {
        if (document.querySelector(`.o_form_view button[name=${name}]`)) {
            throw new Error(`The form shows ${name} to accounting`);
        }
    }
    if (document.querySelector(".o_form_view .o_form_editable")) {
        throw new Error("The form can be edited");
    }
    console.log("test successful");
})();
"""


class AftersalesRmaQueueCommon(AftersalesRmaCommon):
    """A credit controller with accounting rights only, and a team's return
    whose goods arrived, waiting for its credit note."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.credit_controller = new_test_user(
            cls.env, login='credit_controller', company_id=cls.company.id,
            groups='account.group_account_invoice',
        )
        cls.desk_agent = new_test_user(
            cls.env, login='queue_desk_agent', company_id=cls.company.id,
            groups='aftersales_case.aftersales_group_user',
        )
        cls.desk = cls.env['aftersales.team'].create({
            'name': "Queue Desk", 'member_ids': [Command.set(cls.desk_agent.ids)],
        })
        order = cls.env['sale.order'].create({
            'partner_id': cls.customer.id, 'warehouse_id': cls.warehouse.id,
            'order_line': [Command.create({'product_id': cls.product_order.id, 'product_uom_qty': 4})],
        })
        order.action_confirm()
        order.picking_ids.move_ids.quantity = 4
        order.picking_ids.move_ids.picked = True
        order.picking_ids.button_validate()
        order._create_invoices().action_post()
        cls.rma_received, cls.rma_draft = [
            cls.env['aftersales.rma'].create({
                'partner_id': cls.customer.id, 'sale_order_id': order.id,
                'team_id': cls.desk.id, 'user_id': cls.desk_agent.id,
                'line_ids': [Command.create({
                    'product_id': cls.product_order.id, 'product_uom_qty': 1,
                    'sale_line_id': order.order_line.id, 'resolution': 'refund',
                })],
            }) for _index in range(2)
        ]
        cls.rma_received.action_approve()
        receipt = cls.rma_received.picking_ids
        receipt.move_ids.quantity = 1
        receipt.move_ids.picked = True
        receipt.button_validate()


@tagged('post_install', '-at_install')
class TestRmaAccountingQueue(AftersalesRmaQueueCommon):
    """An accountant without after-sales rights credits returns from the
    Accounting menu, and can do nothing else to them."""

    def _queue(self, user):
        action = self.env['ir.actions.act_window'].with_user(user)._for_xml_id(QUEUE_ACTION)
        return self.env[action['res_model']].with_user(user).search(safe_eval(action['domain']))

    def test_accountant_finds_returns_to_credit_under_accounting_customers(self):
        menu = self.env.ref(QUEUE_MENU)
        self.assertEqual(menu.parent_id, self.env.ref('account.menu_finance_receivables'))
        visible = self.env['ir.ui.menu'].with_user(self.credit_controller)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        self.assertIn(self.env.ref('account.menu_finance').id, visible)

    def test_queue_holds_the_returns_waiting_for_a_credit_note(self):
        self.assertEqual(self._queue(self.credit_controller), self.rma_received)

    def test_agent_without_accounting_rights_has_no_accounting_queue(self):
        visible = self.env['ir.ui.menu'].with_user(self.desk_agent)._visible_menu_ids()
        self.assertNotIn(self.env.ref(QUEUE_MENU).id, visible)

    def test_accountant_opens_the_return_form_read_only_with_credit_only(self):
        views = self.env['aftersales.rma'].with_user(self.credit_controller).get_views(
            [(False, 'list'), (False, 'form')],
        )
        form = etree.fromstring(views['views']['form']['arch'])
        self.assertEqual(form.get('edit'), 'False')
        self.assertEqual(form.get('create'), 'False')
        buttons = {button.get('name') for button in form.iter('button')}
        self.assertIn('action_refund', buttons)
        self.assertFalse(buttons & set(AGENT_BUTTONS))

    def test_agent_keeps_every_button_of_the_return_form(self):
        views = self.env['aftersales.rma'].with_user(self.desk_agent).get_views([(False, 'form')])
        form = etree.fromstring(views['views']['form']['arch'])
        buttons = {button.get('name') for button in form.iter('button')}
        self.assertTrue(set(AGENT_BUTTONS) | {'action_refund'} <= buttons)

    def test_accountant_credits_from_the_queue_and_posts_the_credit_note(self):
        rma = self._queue(self.credit_controller)
        rma.action_refund()
        credit_note = rma.credit_note_ids.with_user(self.credit_controller)
        self.assertEqual(credit_note.state, 'draft')
        credit_note.action_post()
        self.assertEqual(credit_note.state, 'posted')
        self.assertEqual(self.rma_received.state, 'done')
        self.assertFalse(self._queue(self.credit_controller))

    @mute_logger(*ACCESS_LOGGERS)
    def test_accountant_cannot_approve_reject_or_cancel_a_return(self):
        rma = self.rma_draft.with_user(self.credit_controller)
        for action in (rma.action_approve, rma.action_reject, rma.action_cancel):
            with self.subTest(action=action.__name__), self.assertRaises(AccessError):
                action()
        self.assertEqual(self.rma_draft.state, 'draft')

    @mute_logger(*ACCESS_LOGGERS)
    def test_accountant_cannot_edit_a_return_or_its_lines(self):
        rma = self.rma_received.with_user(self.credit_controller)
        with self.assertRaises(AccessError):
            rma.write({'description': "<p>Edited by accounting</p>"})
        with self.assertRaises(AccessError):
            rma.line_ids.write({'note': "Edited by accounting"})


@tagged('post_install', '-at_install')
class TestRmaAccountingQueueBrowser(AftersalesRmaQueueCommon, HttpCase):
    """The accounting queue's list and a return's form, in the browser, as an
    accountant without after-sales rights: any client error fails."""

    def test_accountant_opens_the_queue_and_a_return_in_the_browser(self):
        code = (
            f"const RETURN_NAME = {json.dumps(self.rma_received.name)};\n"
            f"const AGENT_BUTTONS = {json.dumps(AGENT_BUTTONS)};\n"
            f"{QUEUE_BROWSER_CHECK}"
        )
        self.browser_js(
            f"/odoo/action-{QUEUE_ACTION}", code, ready="odoo.isReady",
            login=self.credit_controller.login,
        )
