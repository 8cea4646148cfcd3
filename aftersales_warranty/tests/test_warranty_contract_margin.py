from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import AftersalesWarrantyCommon


@tagged('post_install', '-at_install')
class TestWarrantyContractMargin(AftersalesWarrantyCommon):
    """A contract's margin: its invoiced fees less the costs of the repairs
    of its units, parts on its analytic account."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registrations = cls.env['aftersales.warranty'].create([{
            'partner_id': cls.customer.id, 'product_id': cls.product_serial.id, 'lot_id': lot.id,
        } for lot in cls.serials])
        cls.part = cls._create_rma_product(name="Print Head", lst_price=90.0, standard_price=30.0)
        cls.env['stock.quant']._update_available_quantity(cls.part, cls.stock_location, 10)
        cls.labour = cls.env['product.product'].create({
            'name': "Bench Work", 'type': 'service', 'list_price': 60.0, 'standard_price': 25.0,
        })

    def _contracts(self, registrations):
        contracts = self.env['aftersales.warranty.contract'].create([{
            'partner_id': self.customer.id, 'registration_ids': [Command.set(registration.ids)],
            'date_start': date(2026, 1, 1), 'date_end': date(2026, 12, 31), 'fee': 100.0,
        } for registration in registrations])
        contracts.action_confirm()
        contracts._invoice_due_periods(today=date(2026, 1, 10))
        return contracts

    def _new_repair(self, lot, partner=None, **values):
        return self.env['repair.order'].create({
            'partner_id': (partner or self.customer).id, 'product_id': self.product_serial.id,
            'lot_id': lot.id, **values,
        })

    def _done_repair_with_part(self, lot):
        repair = self._new_repair(lot, move_ids=[Command.create({
            'product_id': self.part.id, 'product_uom_qty': 2, 'repair_line_type': 'add',
        })])
        self.env['aftersales.repair.operation'].create({
            'repair_id': repair.id, 'product_id': self.labour.id, 'quantity': 1.5,
            'technician_id': self.technician.id,
        })
        self._repair(repair)
        return repair

    def test_margin_is_invoiced_fees_less_repair_costs(self):
        contract = self._contracts(self.registrations[0])
        repair = self._done_repair_with_part(self.serials[0])
        self.assertEqual(repair.aftersales_contract_id, contract)
        contract = contract.with_user(self.warranty_user)
        self.assertEqual(contract.amount_invoiced, 100.0)
        self.assertEqual(contract.repair_cost, 2 * 30.0 + 1.5 * 25.0)
        self.assertEqual(contract.margin, 100.0 - 97.5)
        self.assertEqual(contract.repair_count, 0, "warranty users without repair rights count none")
        self.assertEqual(contract.with_user(self.env.user).repair_count, 1)
        # Stock's own analytic lines carry the parts onto the contract's account.
        account = contract.analytic_account_id
        lines = self.env['account.analytic.line'].search([
            (account.plan_id._column_name(), '=', account.id), ('product_id', '=', self.part.id),
        ])
        self.assertEqual(sum(lines.mapped('amount')), -60.0)

    def test_repair_quote_lines_land_on_the_contract_account(self):
        contract = self._contracts(self.registrations[0])
        repair = self._new_repair(self.serials[0], move_ids=[Command.create({
            'product_id': self.part.id, 'product_uom_qty': 1, 'repair_line_type': 'add',
        })])
        repair.action_create_sale_order()
        lines = repair.sale_order_id.order_line.filtered(lambda line: not line.display_type)
        self.assertTrue(lines)
        self.assertEqual(
            lines.mapped('analytic_distribution'),
            [{str(contract.analytic_account_id.id): 100}] * len(lines),
        )

    def test_repair_of_another_customers_unit_gets_no_contract(self):
        self._contracts(self.registrations[0])
        foreign = self._register(lot=self.serials[0].copy({'name': "LP-900"}), partner=self.partner_b)
        self.assertFalse(self._new_repair(foreign.lot_id, partner=self.partner_b).aftersales_contract_id)
        # Nor does another customer bringing in the covered unit.
        self.assertFalse(self._new_repair(self.serials[0], partner=self.partner_b).aftersales_contract_id)
        # A unit without a running contract gets none.
        self.assertFalse(self._new_repair(self.serials[1]).aftersales_contract_id)

    def test_contract_of_another_company_is_refused_on_a_repair(self):
        contract = self._contracts(self.registrations[0])
        other = self.env['res.company'].create({'name': "Other Printers Ltd"})
        shared = self.env['product.product'].create({'name': "Generic Printer", 'type': 'consu'})
        repair = self.env['repair.order'].with_company(other).create({
            'partner_id': self.customer.id, 'product_id': shared.id,
        })
        self.assertEqual(repair.company_id, other)
        with self.assertRaises(UserError):
            repair.aftersales_contract_id = contract

    def test_a_user_of_another_company_does_not_see_the_contract(self):
        contract = self._contracts(self.registrations[0])
        other = self.env['res.company'].create({'name': "Other Printers Ltd"})
        stranger = new_test_user(
            self.env, login='other_warranty_manager', company_id=other.id,
            company_ids=[Command.set(other.ids)],
            groups='aftersales_warranty.aftersales_warranty_group_manager',
        )
        Contract = self.env['aftersales.warranty.contract'].with_user(stranger)
        self.assertFalse(Contract.search([('id', '=', contract.id)]))
        with self.assertRaises(AccessError):
            Contract.browse(contract.id).read(['margin'])

    def test_margin_queries_do_not_grow_with_the_contracts(self):
        contracts = self._contracts(self.registrations)
        self._done_repair_with_part(self.serials[0])

        def queries(records):
            self.env.invalidate_all()
            self.env.flush_all()
            before = self.cr.sql_log_count
            records.mapped('margin')
            return self.cr.sql_log_count - before

        one, five = contracts[:1].with_user(self.warranty_user), contracts.with_user(self.warranty_user)
        for records in (one, five):  # warm the caches
            queries(records)
        self.assertEqual(five.mapped('amount_invoiced'), [100.0] * 5)
        self.assertEqual(queries(one), queries(five))
