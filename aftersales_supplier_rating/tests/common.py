from odoo import Command
from odoo.addons.aftersales_repair.tests.common import AftersalesRepairCommon
from odoo.tests import new_test_user


class AftersalesSupplierRatingCommon(AftersalesRepairCommon):
    """A vendor of a desk lamp and an office chair, and what came back of
    them from January to March 2026: complaints, a case, a return and
    repairs with known dates and amounts."""

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.quick_ref(
            'aftersales_complaint.aftersales_complaint_group_manager'
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor = cls.env['res.partner'].create({'name': "Lampworks Ltd", 'is_company': True})
        cls.vendor_other = cls.env['res.partner'].create({'name': "Chairs Elsewhere", 'is_company': True})
        for product in (cls.product_delivery, cls.product_order):
            product.seller_ids = [Command.create({'partner_id': cls.vendor.id})]
        cls.complaint_reason = cls.env['aftersales.complaint.reason'].create({'name': "Broken on arrival"})
        cls.return_reason = cls.env['aftersales.rma.reason'].create({'name': "Flickering light"})
        cls.rating_manager = new_test_user(
            cls.env, login='rating_manager', company_id=cls.company.id,
            groups='aftersales_case.aftersales_group_manager,aftersales_complaint.aftersales_complaint_group_manager',
        )
        cls.part = cls._create_rma_product(name="Lamp Switch", lst_price=40.0)
        cls.mileage = cls.env['product.product'].create({
            'name': "Mileage", 'type': 'service', 'list_price': 0.5, 'invoice_policy': 'order',
        })

    @classmethod
    def _complaint(cls, date_issue, amount, state='draft', date_end=False, **values):
        complaint = cls.env['aftersales.complaint'].create({
            'title': "The lamp broke", 'partner_id': cls.customer.id, 'date_issue': date_issue,
            'description': "<p>Broken.</p>", 'reason_id': cls.complaint_reason.id,
            'product_ids': [Command.set(cls.product_delivery.ids)], 'amount': amount, **values,
        })
        # The steps are not what is rated: the state is written as the suite's code does.
        complaint.sudo().write({'state': state, 'date_end': date_end})
        return complaint

    def _create_figures(self):
        """The fixed data set the figures are asserted on."""
        self.complaint_closed = self._complaint('2026-01-10', 300.0, 'posted', '2026-01-20')
        self.complaint_open = self._complaint('2026-02-05', 100.0)
        self._complaint('2026-02-07', 50.0, 'cancelled')
        self.complaint_before = self._complaint('2025-12-20', 70.0)
        self._complaint('2026-02-08', 999.0, supplier_id=self.vendor_other.id)
        self.case = self._case()
        self.return_line = self._return_line()
        self.repair_open = self._repair_order('2026-03-01 10:00:00', [
            Command.create({'product_id': self.part.id, 'product_uom_qty': 1, 'repair_line_type': 'add'}),
        ], 100)
        self.repair_done = self._repair_order('2026-03-01 10:00:00', [], 20)
        self._repair(self.repair_done)
        self.repair_done.move_id.sudo().date = '2026-03-04 10:00:00'

    def _case(self):
        case = self.env['aftersales.case'].create({
            'subject': "The chair wobbles", 'partner_id': self.customer.id, 'team_id': self.team.id,
            'date_reported': '2026-01-15 08:00:00', 'product_ids': [Command.set(self.product_order.ids)],
            'cost': 40.0, 'user_id': self.agent.id,
        })
        case.stage_id = self.env.ref('aftersales_case.stage_closed')
        case.sudo().date_closed = '2026-01-17 08:00:00'
        return case

    def _return_line(self):
        order = self._deliver_order([(self.product_delivery, 3)])
        rma = self._create_rma(order, [(self.product_delivery, 2, 'refund', None)],
                               date='2026-02-10 09:00:00')
        rma.line_ids.reason_id = self.return_reason
        return rma.line_ids

    def _repair_order(self, date_in, parts, kilometres):
        return self.env['repair.order'].create({
            'partner_id': self.customer.id, 'product_id': self.product_delivery.id,
            'aftersales_date_in': date_in, 'move_ids': parts,
            'aftersales_cost_ids': [Command.create({'product_id': self.mileage.id, 'quantity': kilometres})],
        })
