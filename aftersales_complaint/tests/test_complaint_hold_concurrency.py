import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from odoo import Command, api
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import SQL, mute_logger


@tagged('post_install', '-at_install')
class TestComplaintHoldConcurrency(BaseCase):
    """Two complaints holding one invoice are cancelled at once (SECURITY.md
    CD2): each transaction starts before the other commits, so without the
    lock each would still see the other's hold and leave the invoice out of
    follow-up for good.

    The data is committed, as each user works in a transaction of their
    own, and removed again after the test.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            cls.user_id = env.ref('base.user_admin').id
            partner = env['res.partner'].create({'name': "Concurrent Complainer"})
            invoice = env['account.move'].create({
                'move_type': 'out_invoice',
                'partner_id': partner.id,
                'invoice_date': '2026-01-10',
                'invoice_line_ids': [Command.create({
                    'name': "Desk", 'quantity': 1, 'price_unit': 250.0, 'tax_ids': False,
                })],
            })
            invoice.action_post()
            complaints = env['aftersales.complaint'].create([{
                'title': f"Disputed desk {index}",
                'partner_id': partner.id,
                'invoice_id': invoice.id,
                'company_id': invoice.company_id.id,
                'description': "<p>Not delivered.</p>",
                'user_id': cls.user_id,
            } for index in (1, 2)])
            for complaint in complaints:
                complaint.action_hold_invoice()
            cls.ids = {'partner': partner.id, 'invoice': invoice.id, 'complaints': complaints.ids}
        cls.addClassCleanup(cls._remove_data)

    @classmethod
    def _remove_data(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            # Holds are never deleted by the application: the test removes its own.
            env.cr.execute(SQL(
                "DELETE FROM aftersales_complaint_hold WHERE complaint_id IN %s",
                tuple(cls.ids['complaints']),
            ))
            complaints = env['aftersales.complaint'].browse(cls.ids['complaints'])
            complaints.write({'state': 'draft'})
            complaints.unlink()
            invoice = env['account.move'].browse(cls.ids['invoice'])
            invoice.button_draft()
            invoice.with_context(force_delete=True).unlink()
            env['res.partner'].browse(cls.ids['partner']).unlink()

    def _cancel_in_own_transaction(self, complaint_id, barrier):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, self.user_id, {})
            complaint = env['aftersales.complaint'].browse(complaint_id)
            # Take the snapshot before the other transaction commits.
            self.assertEqual(complaint.hold_count, 1)
            barrier.wait(timeout=10)
            retrying(partial(complaint.action_cancel), env)

    @mute_logger('odoo.sql_db', 'odoo.service.model')
    def test_two_complaints_cancelled_at_once_release_the_invoice(self):
        barrier = threading.Barrier(2)
        with ThreadPoolExecutor(max_workers=2) as executor:
            futures = [
                executor.submit(self._cancel_in_own_transaction, complaint_id, barrier)
                for complaint_id in self.ids['complaints']
            ]
            for future in futures:
                future.result(timeout=60)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            invoice = env['account.move'].browse(self.ids['invoice'])
            holds = env['aftersales.complaint.hold'].with_context(active_test=False).search([
                ('move_id', '=', invoice.id),
            ])
            self.assertEqual(holds.mapped('state'), ['released', 'released'])
            self.assertFalse(invoice.no_followup, "The last release gives the follow-up back")
