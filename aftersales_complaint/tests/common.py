from odoo import Command
from odoo.addons.aftersales_case.tests.common import AftersalesAssertions
from odoo.addons.sale.tests.common import TestSaleCommon
from odoo.tests import new_test_user


class AftersalesComplaintCommon(AftersalesAssertions, TestSaleCommon):
    """A customer with a posted invoice, a complaint agent and a manager."""

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.quick_ref(
            'aftersales_complaint.aftersales_complaint_group_manager'
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.customer = cls.partner_a
        cls.contact = cls.env['res.partner'].create({
            'name': "Carla Contact", 'parent_id': cls.customer.id,
        })
        cls.agent = new_test_user(
            cls.env, login='cmp_agent', name="Agnes Agent", company_id=cls.company.id,
            groups='aftersales_complaint.aftersales_complaint_group_user',
        )
        cls.manager = new_test_user(
            cls.env, login='cmp_manager', name="Max Manager", company_id=cls.company.id,
            groups='aftersales_complaint.aftersales_complaint_group_manager',
        )
        cls.case_user = new_test_user(
            cls.env, login='cmp_case_user', name="Carl Case", company_id=cls.company.id,
            groups='aftersales_case.aftersales_group_user_all',
        )
        cls.reason = cls.env['aftersales.complaint.reason'].create({'name': "Delivery too late"})
        cls.plan = cls.env.ref('aftersales_complaint.mail_activity_plan_complaint')

    @classmethod
    def _create_complaint(cls, **values):
        return cls.env['aftersales.complaint'].create({
            'title': "The desk came late",
            'partner_id': cls.customer.id,
            'description': "<p>The desk came two weeks late.</p>",
            'user_id': cls.agent.id,
            'reason_id': cls.reason.id,
            **values,
        })

    @classmethod
    def _create_invoice(cls, partner=None, currency=None):
        return cls.env['account.move'].create({
            'move_type': 'out_invoice',
            'partner_id': (partner or cls.customer).id,
            'invoice_date': '2026-01-10',
            'currency_id': (currency or cls.company.currency_id).id,
            'invoice_line_ids': [
                Command.create({'product_id': cls.product_a.id, 'quantity': 2, 'price_unit': 100.0,
                                'tax_ids': False}),
                Command.create({'product_id': cls.product_b.id, 'quantity': 1, 'price_unit': 50.0,
                                'tax_ids': False}),
            ],
        })

    def _to_state(self, complaint, state):
        """Walk ``complaint`` through the real steps up to ``state``."""
        steps = ['registered', 'planned', 'fulfilled', 'posted']
        for step in steps[:steps.index(state) + 1]:
            if step == 'registered':
                complaint.action_register()
            elif step == 'planned':
                complaint._launch_plan(self.plan)
                complaint.action_plan()
            elif step == 'fulfilled':
                complaint.write({'review_result': "<p>Refunded the second visit.</p>",
                                 'date_end': '2026-02-01'})
                complaint.action_fulfil()
            else:
                complaint.action_post()
        return complaint
