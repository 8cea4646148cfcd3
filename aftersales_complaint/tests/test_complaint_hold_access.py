from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged, warmup
from odoo.tools import mute_logger

from .reminder_common import AftersalesReminderCommon

ACCESS_LOGGERS = ('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')


@tagged('post_install', '-at_install')
class TestComplaintHoldAccess(AftersalesReminderCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._create_overdue_invoices(30)
        cls.complaint = cls._create_complaint(invoice_id=cls.invoice.id)
        cls.complaint.action_register()
        cls.complaint.with_user(cls.agent).action_hold_invoice()
        cls.hold = cls.complaint.hold_ids
        cls.portal_user = new_test_user(
            cls.env, login='hold_portal', groups='base.group_portal', partner_id=cls.customer.id,
        )

    @mute_logger(*ACCESS_LOGGERS)
    def test_portal_user_cannot_write_holds_nor_the_follow_up_flag(self):
        invoice = self.invoice.with_user(self.portal_user)
        with self.assertRaises(AccessError):
            invoice.write({'no_followup': False})
        with self.assertRaises(AccessError):
            invoice.line_ids.write({'no_followup': False})
        Hold = self.env['aftersales.complaint.hold'].with_user(self.portal_user)
        with self.assertRaises(AccessError):
            Hold.create({'complaint_id': self.complaint.id, 'move_id': self.invoice.id})
        with self.assertRaises(AccessError):
            self.hold.with_user(self.portal_user).read(['state'])
        with self.assertRaises(AccessError):
            self.hold.with_user(self.portal_user).action_release()
        self.assertTrue(self.invoice.no_followup)
        self.assertEqual(self.hold.state, 'active')

    @mute_logger(*ACCESS_LOGGERS)
    def test_plain_internal_user_cannot_read_holds(self):
        with self.assertRaises(AccessError):
            self.hold.with_user(self.internal_user).read(['state'])
        with self.assertRaises(AccessError):
            self.env['aftersales.complaint.hold'].with_user(self.internal_user).create({
                'complaint_id': self.complaint.id, 'move_id': self.invoice.id,
            })

    @mute_logger(*ACCESS_LOGGERS)
    def test_agent_holds_but_cannot_release_nor_change_a_hold(self):
        with self.assertRaises(AccessError):
            self.hold.with_user(self.agent).action_release()
        with self.assertRaises(AccessError):
            self.hold.with_user(self.agent).write({'state': 'released'})
        self.assertEqual(self.hold.state, 'active')

    def test_manager_cannot_rewrite_a_hold(self):
        with self.assertRaises(AccessError):
            self.hold.with_user(self.manager).write({'previous_no_followup': True})

    def test_accountant_without_complaint_rights_releases_through_the_wizard(self):
        self.assertFalse(self.accountant.has_group('aftersales_complaint.aftersales_complaint_group_user'))
        self.assertEqual(self.invoice.with_user(self.accountant).aftersales_hold_complaint_names,
                         self.complaint.name)
        wizard = Form(self.env['aftersales.complaint.hold.release'].with_user(self.accountant).with_context(
            active_model='account.move', active_ids=self.invoice.ids,
        ))
        wizard.save().action_release()
        self.assertEqual(self.hold.state, 'released')
        self.assertEqual(self.hold.released_by_id, self.accountant)
        self.assertFalse(self.invoice.no_followup)

    @mute_logger(*ACCESS_LOGGERS)
    def test_manager_without_billing_rights_cannot_change_the_due_date(self):
        wizard = self.env['aftersales.complaint.hold.release'].with_user(self.manager).create({
            'hold_ids': self.hold.ids, 'date_due': self.today,
        })
        with self.assertRaises(AccessError):
            wizard.action_release()
        self.assertEqual(self.hold.state, 'active')

    @mute_logger(*ACCESS_LOGGERS)
    def test_other_company_holds_are_hidden(self):
        other = self.setup_other_company()['company']
        foreign_customer = self.env['res.partner'].create({'name': "Foreign", 'company_id': other.id})
        invoice = self._create_overdue_invoices(30, company=other, partner=foreign_customer)
        complaint = self.env['aftersales.complaint'].with_company(other).create({
            'title': "Elsewhere", 'invoice_id': invoice.id, 'company_id': other.id,
        })
        complaint.action_hold_invoice()
        Hold = self.env['aftersales.complaint.hold'].with_user(self.accountant)
        self.assertFalse(Hold.search([('move_id', '=', invoice.id)]))
        with self.assertRaises(AccessError):
            complaint.hold_ids.with_user(self.accountant).read(['state'])


@tagged('post_install', '-at_install')
class TestComplaintHoldQueries(AftersalesReminderCommon):
    """Holding and releasing cost the same for 20 invoices as for 5. Bridges
    to other dunning tools add a fixed cost of their own (the credit control
    bridge asserts the whole figure), so the figure is measured on 5 here."""

    def _hold_and_release(self, count, hold_queries=None, release_queries=None):
        invoices = self._create_overdue_invoices(30, count=count)
        complaint = self._create_complaint()
        complaint.action_register()
        Hold = self.env['aftersales.complaint.hold']
        vals_list = [{'complaint_id': complaint.id, 'move_id': move.id} for move in invoices]
        self.env.invalidate_all()
        if hold_queries is None:
            holds, hold_queries = self._count_queries(lambda: Hold.create(vals_list))
        else:
            with self.assertQueryCount(hold_queries):
                holds = Hold.create(vals_list)
        self.env.invalidate_all()
        if release_queries is None:
            __, release_queries = self._count_queries(holds.action_release)
        else:
            with self.assertQueryCount(release_queries):
                holds.action_release()
        self.assertEqual(invoices.mapped('no_followup'), [False] * count)
        return hold_queries, release_queries

    def _count_queries(self, function):
        start = self.env.cr.sql_log_count
        result = function()
        self.env.flush_all()
        return result, self.env.cr.sql_log_count - start

    @warmup
    def test_holding_and_releasing_do_not_grow_with_the_invoices(self):
        hold_queries, release_queries = self._hold_and_release(5)
        self._hold_and_release(20, hold_queries, release_queries)
