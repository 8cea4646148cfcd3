from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import AftersalesWarrantyCommon


@tagged('post_install', '-at_install')
class TestWarrantyClaim(AftersalesWarrantyCommon):
    """Claims on printers delivered on 10 January 2025, covered up to 9
    January 2027 for parts, labour and replacement, not refund."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.aftersales_warranty_registration_trigger = 'delivery'

    def setUp(self):
        super().setUp()
        with freeze_time('2025-01-10 12:00:00'):
            self.order = self._deliver_order([(self.product_serial, 2)])
        self.registrations = self.env['aftersales.warranty'].search([('sale_order_id', '=', self.order.id)])
        self.registration = self.registrations.filtered(lambda r: r.lot_id == self.serials[0])

    def _claim(self, lot=None, partner=None, user=None, **values):
        return self.env['aftersales.warranty.claim'].with_user(user or self.warranty_user).create({
            'partner_id': (partner or self.customer).id,
            'lot_id': (lot or self.serials[0]).id,
            'problem': "Prints blank pages",
            'date': date(2026, 5, 4),
            **values,
        })

    def test_claim_names_its_registration_by_the_serial(self):
        claim = self._claim()
        self.assertEqual(claim.registration_id, self.registration)
        self.assertEqual(claim.product_id, self.product_serial)

    def test_claim_within_the_warranty_is_accepted(self):
        claim = self._claim()
        self.assertEqual(claim.state, 'accepted')
        self.assertIn("Covered", claim.validation_result)

    def test_claim_on_the_last_covered_day_is_accepted(self):
        self.assertEqual(self._claim(date=date(2027, 1, 9)).state, 'accepted')

    def test_claim_the_day_after_the_end_is_refused(self):
        claim = self._claim(date=date(2027, 1, 10))
        self.assertEqual((claim.state, claim.refusal_codes), ('refused', 'expired'))
        self.assertIn("ended on", claim.validation_result)

    def test_claim_before_the_warranty_starts_is_refused(self):
        claim = self._claim(date=date(2025, 1, 9))
        self.assertEqual((claim.state, claim.refusal_codes), ('refused', 'not_started'))

    def test_claim_of_another_customer_is_answered_as_an_unknown_serial(self):
        foreign = self._claim(partner=self.partner_b)
        unknown = self._claim(lot=self.serials[4], partner=self.partner_b)
        self.assertEqual((foreign.state, foreign.refusal_codes), ('refused', 'not_registered'))
        self.assertEqual(foreign.validation_result, unknown.validation_result)
        self.assertNotIn(self.customer.name, foreign.validation_result)

    def test_claim_of_a_contact_of_the_owner_is_accepted(self):
        contact = self.env['res.partner'].create({'name': "Buyer", 'parent_id': self.customer.id})
        self.assertEqual(self._claim(partner=contact).state, 'accepted')

    def test_claim_on_a_void_registration_is_refused(self):
        self.registration.action_void()
        claim = self._claim(registration_id=self.registration.id)
        self.assertEqual((claim.state, claim.refusal_codes), ('refused', 'void'))

    def test_claim_asking_what_the_terms_do_not_cover_is_refused(self):
        claim = self._claim(remedy='refund')
        self.assertEqual((claim.state, claim.refusal_codes), ('refused', 'not_covered'))
        self.assertIn(self.term.name, claim.validation_result)

    def test_claim_both_late_and_not_covered_gives_both_reasons(self):
        claim = self._claim(remedy='refund', date=date(2028, 1, 1))
        self.assertEqual(claim.refusal_codes, 'expired,not_covered')
        self.assertEqual(claim.validation_result.count("\n- "), 2)

    def test_claim_on_a_unit_without_terms_is_refused(self):
        registration = self.env['aftersales.warranty'].create({
            'partner_id': self.customer.id, 'product_id': self.product_delivery.id,
        })
        claim = self._claim(registration_id=registration.id, lot_id=False)
        self.assertEqual((claim.state, claim.refusal_codes), ('refused', 'no_terms'))

    def test_claim_checked_again_after_a_correction(self):
        claim = self._claim(remedy='refund')
        claim.remedy = 'replacement'
        claim.action_validate()
        self.assertEqual((claim.state, claim.refusal_codes), ('accepted', False))

    def test_manager_accepts_a_refused_claim_with_a_tracked_reason(self):
        claim = self._claim(date=date(2027, 2, 1)).with_user(self.warranty_manager)
        claim.override_reason = "Goodwill: a key account"
        claim.action_override_accept()
        self.assertEqual((claim.state, claim.is_overridden), ('accepted', True))
        note = claim.sudo().message_ids[:1]
        self.assertIn("Goodwill: a key account", note.body)
        self.assertIn(self.warranty_manager.name, note.body)
        self.assertIn("Goodwill", claim.validation_result)
        with self.assertRaises(UserError):
            claim.action_validate()

    def test_override_needs_a_reason(self):
        claim = self._claim(date=date(2027, 2, 1)).with_user(self.warranty_manager)
        with self.assertRaises(UserError):
            claim.action_override_accept()
        self.assertEqual(claim.state, 'refused')

    def test_warranty_user_cannot_override(self):
        claim = self._claim(date=date(2027, 2, 1), override_reason="Please")
        with self.assertRaises(UserError):
            claim.action_override_accept()
        self.assertEqual(claim.state, 'refused')

    def test_refused_claim_becomes_neither_return_nor_repair(self):
        claim = self._claim(remedy='refund')
        with self.assertRaises(UserError):
            claim.action_create_return()
        with self.assertRaises(UserError):
            claim.action_create_repair()
        self.assertFalse(claim.rma_id or claim.repair_id)

    def test_accepted_claim_becomes_a_return_of_the_unit_under_warranty(self):
        claim = self._claim(remedy='replacement')
        claim.action_create_return()
        rma = claim.rma_id
        self.assertEqual(claim.state, 'done')
        self.assertTrue(rma.aftersales_under_warranty)
        self.assertRecordValues(rma.line_ids, [{
            'product_id': self.product_serial.id, 'lot_id': self.serials[0].id, 'product_uom_qty': 1.0,
            'resolution': 'replace', 'sale_line_id': self.order.order_line.id,
            'aftersales_warranty_end': date(2027, 1, 9),
        }])

    def test_return_of_a_claim_is_repaired_under_warranty(self):
        claim = self._claim(remedy='repair')
        claim.action_create_return()
        rma = self.env['aftersales.rma'].browse(claim.rma_id.id)
        rma.action_approve()
        self._receive(rma)
        rma.action_create_repair()
        self.assertTrue(rma.repair_ids.under_warranty)

    def test_accepted_claim_becomes_a_repair_with_nothing_charged(self):
        claim = self._claim(remedy='repair')
        claim.action_create_repair()
        repair = self.env['repair.order'].browse(claim.repair_id.id)
        self.assertRecordValues(repair, [{
            'under_warranty': True, 'lot_id': self.serials[0].id, 'partner_id': self.customer.id,
            'aftersales_warranty_end': date(2027, 1, 9),
        }])
        repair.move_ids = [Command.create({
            'product_id': self.product_delivery.id, 'product_uom_qty': 1, 'repair_line_type': 'add',
        })]
        repair.action_create_sale_order()
        self.assertTrue(repair.sale_order_id.order_line)
        self.assertEqual(repair.sale_order_id.amount_total, 0.0)

    def test_two_claims_on_one_sale_each_return_their_unit(self):
        first = self._claim(remedy='replacement')
        second = self._claim(lot=self.serials[1], remedy='repair')
        first.action_create_return()
        second.action_create_return()
        rmas = self.env['aftersales.rma'].browse((first.rma_id | second.rma_id).ids)
        rmas.action_approve()
        self.assertEqual(rmas.line_ids.lot_id, self.serials[:2])
        self.assertEqual(first.rma_id.sale_order_id, second.rma_id.sale_order_id)

    def test_case_shows_the_warranty_of_its_serial_to_an_agent_without_warranty_rights(self):
        case = self.env['aftersales.case'].create({
            'subject': "Printer jams", 'partner_id': self.customer.id,
            'aftersales_lot_id': self.serials[1].id, 'team_id': self.team.id,
        })
        self.assertEqual(case.with_user(self.agent).aftersales_warranty_end, date(2027, 1, 9))
        other = self.registrations - self.registration
        self.assertEqual(case.with_user(self.warranty_user).aftersales_warranty_id, other)

    def test_agent_finds_a_case_by_its_serial_in_the_search_view(self):
        case = self.env['aftersales.case'].create({
            'subject': "Printer jams", 'partner_id': self.customer.id,
            'aftersales_lot_id': self.serials[1].id, 'team_id': self.team.id,
        })
        Case = self.env['aftersales.case'].with_user(self.agent)
        search = Case.get_views([(False, 'search')])['views']['search']['arch']
        self.assertNotIn('name="aftersales_lot_id"', search, "without inventory rights, no serials to search")
        self.agent.group_ids += self.env.ref('stock.group_stock_user')
        self.env.registry.clear_cache('templates')
        search = Case.get_views([(False, 'search')])['views']['search']['arch']
        self.assertIn('name="aftersales_lot_id"', search)
        self.assertEqual(Case.search([('aftersales_lot_id', 'ilike', self.serials[1].name)]), case)
        self.assertFalse(Case.search([('aftersales_lot_id', 'ilike', self.serials[2].name)]))
