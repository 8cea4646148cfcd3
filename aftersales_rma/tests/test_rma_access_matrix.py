from contextlib import closing

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import AftersalesRmaCommon

ACCESS_LOGGERS = ('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')

AGENT = 'aftersales_case.aftersales_group_user'
AGENT_ALL = 'aftersales_case.aftersales_group_user_all'
MANAGER = 'aftersales_case.aftersales_group_manager'
INVENTORY = 'stock.group_stock_user'
BILLING = 'account.group_account_invoice'
SALES = 'sales_team.group_sale_salesman'

EVERYTHING = frozenset({'read', 'write', 'create', 'approve', 'reject', 'cancel', 'credit', 'lines', 'case'})

# Every after-sales role alone and with the groups people have beside it in a
# real company, and those groups alone: what each may do to the return, the
# return lines and the case of a team they are not in ('case': read and
# change the case, open the return wizard on it). Group rules add up, so a
# group beside an after-sales role must never grant more than it grants
# alone: the warehouse reads returns, accounting reads and credits them, sales
# gives nothing on returns, and none of them gives anything on cases.
MATRIX = [
    ("own-team agent", [AGENT], set()),
    ("own-team agent + inventory", [AGENT, INVENTORY], {'read'}),
    ("own-team agent + billing", [AGENT, BILLING], {'read', 'credit'}),
    ("own-team agent + sales", [AGENT, SALES], set()),
    ("own-team agent + inventory + billing + sales", [AGENT, INVENTORY, BILLING, SALES], {'read', 'credit'}),
    ("all-documents agent", [AGENT_ALL], EVERYTHING),
    ("all-documents agent + inventory", [AGENT_ALL, INVENTORY], EVERYTHING),
    ("all-documents agent + billing", [AGENT_ALL, BILLING], EVERYTHING),
    ("all-documents agent + sales", [AGENT_ALL, SALES], EVERYTHING),
    ("manager", [MANAGER], EVERYTHING),
    ("manager + inventory", [MANAGER, INVENTORY], EVERYTHING),
    ("manager + billing", [MANAGER, BILLING], EVERYTHING),
    ("manager + sales", [MANAGER, SALES], EVERYTHING),
    ("inventory user", [INVENTORY], {'read'}),
    ("billing user", [BILLING], {'read', 'credit'}),
    ("salesperson", [SALES], set()),
    ("internal user", [], set()),
]


@tagged('post_install', '-at_install')
class TestRmaAccessMatrix(AftersalesRmaCommon):
    """Who reads, changes, approves, credits and cancels another team's
    returns and cases, for each after-sales role combined with the groups it
    is likely to have beside it; and that none of them loses its own team's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            name: new_test_user(
                cls.env, login=f"matrix_{index}", company_id=cls.company.id,
                groups=",".join(['base.group_user', *groups]),
            )
            for index, (name, groups, _allowed) in enumerate(MATRIX)
        }
        cls.agent_other = new_test_user(
            cls.env, login='matrix_other_agent', company_id=cls.company.id, groups=AGENT,
        )
        cls.team_own = cls.env['aftersales.team'].create({
            'name': "Matrix Own Desk",
            'member_ids': [Command.set([
                user.id for user in cls.users.values() if user.has_group(AGENT)
            ])],
        })
        cls.team_other = cls.env['aftersales.team'].create({
            'name': "Matrix Other Desk", 'member_ids': [Command.set(cls.agent_other.ids)],
        })
        cls.order = cls._delivered_and_invoiced_order(cls.product_delivery, 10)
        cls.rma_other = cls._team_return(cls.team_other, cls.agent_other)
        cls.rma_other_received = cls._received(cls._team_return(cls.team_other, cls.agent_other))
        cls.rma_own = cls._team_return(cls.team_own, cls.env.user)
        cls.rma_own_received = cls._received(cls._team_return(cls.team_own, cls.env.user))
        cls.case_other = cls.env['aftersales.case'].create({
            'subject': "Another desk's lamps", 'partner_id': cls.customer.id,
            'team_id': cls.team_other.id, 'user_id': cls.agent_other.id,
            'sale_order_id': cls.order.id,
        })
        cls.case_line_other = cls.env['aftersales.case.line'].create({
            'case_id': cls.case_other.id, 'product_id': cls.product_delivery.id,
            'name': "Lamp swapped on site", 'user_id': cls.agent_other.id,
        })

    @classmethod
    def _delivered_and_invoiced_order(cls, product, qty):
        order = cls.env['sale.order'].create({
            'partner_id': cls.customer.id, 'warehouse_id': cls.warehouse.id,
            'order_line': [Command.create({'product_id': product.id, 'product_uom_qty': qty})],
        })
        order.action_confirm()
        order.picking_ids.move_ids.quantity = qty
        order.picking_ids.move_ids.picked = True
        order.picking_ids.button_validate()
        order._create_invoices().action_post()
        return order

    @classmethod
    def _team_return(cls, team, user):
        return cls.env['aftersales.rma'].create({
            'partner_id': cls.customer.id, 'sale_order_id': cls.order.id,
            'team_id': team.id, 'user_id': user.id,
            'line_ids': [Command.create({
                'product_id': cls.product_delivery.id, 'product_uom_qty': 1,
                'sale_line_id': cls.order.order_line.id, 'resolution': 'refund',
            })],
        })

    @classmethod
    def _received(cls, rma):
        rma.action_approve()
        receipt = rma.picking_ids
        receipt.move_ids.quantity = 1
        receipt.move_ids.picked = True
        receipt.button_validate()
        return rma

    # Helpers

    def _allowed(self, operation):
        """Whether ``operation`` runs without an access error; whatever it
        did is undone, so that every profile tries the same records."""
        with closing(self.env.cr.savepoint()), mute_logger(*ACCESS_LOGGERS):
            try:
                operation()
            except AccessError:
                return False
            return True

    def _assert_matrix(self, key, operation):
        """Run ``operation(user)`` as every profile of the matrix and compare
        with what the matrix allows it under ``key``."""
        for name, _groups, allowed in MATRIX:
            with self.subTest(profile=name):
                self.assertEqual(
                    self._allowed(lambda name=name: operation(self.users[name])), key in allowed,
                    f"{name} {'may' if key in allowed else 'may not'}: {key}",
                )

    def _new_return_vals(self):
        return {
            'partner_id': self.customer.id, 'team_id': self.team_other.id,
            'user_id': self.agent_other.id,
        }

    # Another team's return

    def test_who_reads_another_teams_return(self):
        self._assert_matrix('read', lambda user: self.rma_other.with_user(user).read(['name', 'state']))

    def test_who_finds_another_teams_return_in_a_search(self):
        for name, _groups, allowed in MATRIX:
            with self.subTest(profile=name):
                Rma = self.env['aftersales.rma'].with_user(self.users[name])
                found = Rma.search([('id', '=', self.rma_other.id)]) if Rma.has_access('read') else Rma
                self.assertEqual(bool(found), 'read' in allowed)

    def test_who_changes_another_teams_return(self):
        self._assert_matrix('write', lambda user: self.rma_other.with_user(user).write({
            'description': "<p>Changed by another desk</p>",
        }))

    def test_who_creates_a_return_for_another_team(self):
        self._assert_matrix('create', lambda user: self.env['aftersales.rma'].with_user(user).create(
            self._new_return_vals()
        ))

    def test_who_approves_another_teams_return(self):
        self._assert_matrix('approve', lambda user: self.rma_other.with_user(user).action_approve())

    def test_who_rejects_another_teams_return(self):
        self._assert_matrix('reject', lambda user: self.rma_other.with_user(user).action_reject())

    def test_who_cancels_another_teams_return(self):
        self._assert_matrix('cancel', lambda user: self.rma_other.with_user(user).action_cancel())

    def test_who_credits_another_teams_return(self):
        self._assert_matrix('credit', lambda user: self.rma_other_received.with_user(user).action_refund())

    def test_who_changes_another_teams_return_lines(self):
        self._assert_matrix('lines', lambda user: self.rma_other.line_ids.with_user(user).write({
            'note': "Changed by another desk",
        }))

    def test_who_adds_a_line_to_another_teams_return(self):
        self._assert_matrix('lines', lambda user: self.env['aftersales.rma.line'].with_user(user).create({
            'rma_id': self.rma_other.id, 'product_id': self.product_order.id, 'product_uom_qty': 1,
        }))

    def test_a_failed_approval_leaves_another_teams_return_as_it_was(self):
        user = self.users["own-team agent + inventory"]
        with mute_logger(*ACCESS_LOGGERS), self.assertRaises(AccessError):
            self.rma_other.with_user(user).action_approve()
        self.assertEqual(self.rma_other.state, 'draft')
        self.assertFalse(self.rma_other.picking_ids)

    # Their own team's returns: the read-only rule takes nothing away

    def test_every_agent_profile_handles_its_own_teams_return(self):
        for name, groups, _allowed in MATRIX:
            if not any(group in groups for group in (AGENT, AGENT_ALL, MANAGER)):
                continue
            user = self.users[name]
            with self.subTest(profile=name):
                self.assertTrue(self._allowed(lambda user=user: self.rma_own.with_user(user).write({
                    'description': "<p>Checked by the desk</p>",
                })))
                rma = self.rma_own.with_user(user)
                self.assertTrue(self._allowed(rma.action_approve))
                self.assertTrue(self._allowed(rma.action_cancel))
                self.assertTrue(self._allowed(
                    lambda user=user: self.rma_own_received.with_user(user).action_refund()
                ))
                self.assertTrue(self._allowed(lambda user=user: self.rma_own.line_ids.with_user(user).write({
                    'note': "Checked by the desk",
                })))

    # Another team's case, its time and material, and the return wizard on it

    def test_who_reads_another_teams_case(self):
        self._assert_matrix('case', lambda user: self.case_other.with_user(user).read(['subject']))

    def test_who_changes_another_teams_case(self):
        self._assert_matrix('case', lambda user: self.case_other.with_user(user).write({
            'subject': "Changed by another desk",
        }))

    def test_who_reads_another_teams_case_time_and_material(self):
        self._assert_matrix('case', lambda user: self.case_line_other.with_user(user).read(['name']))

    def test_who_opens_the_return_wizard_on_another_teams_case(self):
        wizard = self.env['aftersales.rma.create'].with_context(
            active_model='aftersales.case', active_id=self.case_other.id,
        )
        self._assert_matrix('case', lambda user: wizard.with_user(user).create({}))
