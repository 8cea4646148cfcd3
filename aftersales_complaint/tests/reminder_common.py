from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from .common import AftersalesComplaintCommon


class AftersalesReminderCommon(AftersalesComplaintCommon):
    """Three reminder levels (7, 21, 45 days) for the test company, an
    accountant, and overdue invoices made to measure."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only the levels made here remind: invoices of other companies'
        # default levels stay out of the counts.
        cls.env['aftersales.reminder.level'].sudo().search([]).active = False
        cls.today = fields.Date.context_today(cls.env['aftersales.reminder'])
        cls.friendly, cls.firm, cls.final = cls._create_levels(cls.company)
        cls.accountant = new_test_user(
            cls.env, login='rem_accountant', name="Anna Accountant", company_id=cls.company.id,
            groups='account.group_account_invoice',
        )
        cls.internal_user = new_test_user(
            cls.env, login='rem_internal', name="Ivo Internal", company_id=cls.company.id,
        )
        cls.customer.email = "customer@example.com"

    @classmethod
    def _create_levels(cls, company, days=(7, 21, 45)):
        templates = [
            cls.env.ref(f'aftersales_complaint.mail_template_aftersales_reminder_{name}')
            for name in ('friendly', 'firm', 'final')
        ]
        return cls.env['aftersales.reminder.level'].create([{
            'company_id': company.id,
            'name': f"Level {day}",
            'days': day,
            'mail_template_id': template.id,
        } for day, template in zip(days, templates[:len(days)], strict=True)])

    @classmethod
    def _create_overdue_invoices(cls, days_overdue, count=1, partner=None, company=None, post=True):
        """``count`` customer invoices of 250.00, due ``days_overdue`` days ago."""
        company = company or cls.company
        due = cls.today - timedelta(days=days_overdue)
        invoices = cls.env['account.move'].with_company(company).create([{
            'move_type': 'out_invoice',
            'company_id': company.id,
            'partner_id': (partner or cls.customer).id,
            'invoice_date': due - timedelta(days=30),
            'invoice_payment_term_id': False,
            'invoice_line_ids': [Command.create({
                'name': "Desk", 'quantity': 1, 'price_unit': 250.0, 'tax_ids': False,
            })],
        } for _i in range(count)])
        invoices.invoice_date_due = due
        if post:
            invoices.action_post()
        return invoices

    def _send_batch(self, batch_size=200):
        return self.env['aftersales.reminder']._send_reminder_batch(batch_size)

    def _reminders(self, invoices):
        return self.env['aftersales.reminder'].search([('move_id', 'in', invoices.ids)])
