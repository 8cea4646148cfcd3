from datetime import date

from lxml import html

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, freeze_time, tagged

from .common import AftersalesComplaintCommon

REPORT = 'aftersales_complaint.action_report_complaint_iso'
MARCH = (date(2026, 3, 1), date(2026, 3, 31))


@tagged('post_install', '-at_install')
class TestComplaintIsoReport(AftersalesComplaintCommon):
    """A month of complaints with a closing target of 10 days:

    ======  ========  ===========  =========  ========  ===========  ======
    ref     issued    customer     reason     product   closed       amount
    ======  ========  ===========  =========  ========  ===========  ======
    c1      03-02     A            late       a         03-08 (6)    100
    c2      03-05     B            late       b         03-25 (20)   50
    c3      03-10     A            damaged    a         open         30
    c4      03-28     B            damaged    -         open (draft) 0
    c5      02-20     A            damaged    b         03-03 (11)   70
    c6      03-15     A            late       a         cancelled    40
    c7      04-02     A            late       a         open         10
    ======  ========  ===========  =========  ========  ===========  ======
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.aftersales_complaint_close_days = 10
        cls.damaged = cls.env['aftersales.complaint.reason'].create({'name': "Damaged goods"})
        create = cls._create_complaint
        cls.c5 = create(date_issue='2026-02-20', reason_id=cls.damaged.id,
                        product_ids=[cls.product_b.id], amount=70.0)
        cls.c1 = create(date_issue='2026-03-02', product_ids=[cls.product_a.id], amount=100.0,
                        root_cause="The carrier lost the pallet.",
                        corrective_action="Pallets are tracked.", action_effective='effective')
        cls.c2 = create(date_issue='2026-03-05', partner_id=cls.partner_b.id,
                        product_ids=[cls.product_b.id], amount=50.0,
                        rejection_reason="Delivered on the agreed date.",
                        root_cause="Agreed date not on the order.",
                        corrective_action="Dates printed on orders.", action_effective='not_effective')
        cls.c3 = create(date_issue='2026-03-10', reason_id=cls.damaged.id,
                        product_ids=[cls.product_a.id], amount=30.0)
        cls.c4 = create(date_issue='2026-03-28', partner_id=cls.partner_b.id, reason_id=cls.damaged.id)
        cls.c6 = create(date_issue='2026-03-15', product_ids=[cls.product_a.id], amount=40.0)
        cls.c7 = create(date_issue='2026-04-02', product_ids=[cls.product_a.id], amount=10.0)
        cls.vendor = cls.env['res.partner'].create({'name': "Vera Vendor"})
        (cls.c1 | cls.c3).supplier_id = cls.vendor
        cls.c6.action_cancel()
        cls.c3.action_register()
        cls.c7.action_register()
        with freeze_time('2026-03-03 12:00:00'):
            cls._fulfil(cls.c5)
        with freeze_time('2026-03-08 12:00:00'):
            cls._fulfil(cls.c1)
        with freeze_time('2026-03-25 12:00:00'):
            cls.c2.action_reject()
        cls.company_2 = cls.setup_other_company()['company']
        cls.other_company_complaint = create(
            date_issue='2026-03-12', company_id=cls.company_2.id, amount=500.0,
            partner_id=cls.env['res.partner'].create({'name': "Otto Other"}).id,
            currency_id=cls.company_2.currency_id.id,
        )

    @classmethod
    def _fulfil(cls, complaint):
        complaint.action_register()
        complaint._launch_plan(cls.plan)
        complaint.action_plan()
        complaint.write({'review_result': "<p>Handled.</p>", 'date_end': '2026-03-31'})
        complaint.action_fulfil()

    def _review(self, user=None, **values):
        return self.env['aftersales.complaint.iso.report'].with_user(user or self.manager).create({
            'date_from': MARCH[0], 'date_to': MARCH[1], 'company_id': self.company.id, **values,
        })

    def test_report_values_of_a_month(self):
        values = self.env['aftersales.complaint'].with_user(self.manager)._iso_report_values(
            *MARCH, self.company,
        )
        self.assertEqual(values['target_days'], 10)
        self.assertEqual(values['received'], 4)
        self.assertEqual(values['closed'], 3)
        self.assertAlmostEqual(values['avg_days_to_close'], 37 / 3)
        self.assertEqual(values['max_days_to_close'], 20)
        self.assertEqual(values['closed_within_target'], 1)
        self.assertEqual(values['open_at_end'], 2)
        self.assertEqual(values['overdue_at_end'], 1)
        self.assertEqual(values['repeat'], 1)
        self.assertTrue(self.c3.is_repeat)
        breakdowns = {b['title']: b['rows'] for b in values['breakdowns']}
        self.assertEqual(breakdowns["By Reason"], [("Damaged goods", 2), ("Delivery too late", 2)])
        self.assertEqual(breakdowns["By Product"], [
            (self.product_a.display_name, 2), (self.product_b.display_name, 1), ("Not Set", 1),
        ])
        self.assertEqual(sorted(breakdowns["By Customer"]), sorted([
            (self.customer.display_name, 2), (self.partner_b.display_name, 2),
        ]))
        self.assertEqual(breakdowns["By Supplier"][0], (self.vendor.display_name, 2))
        self.assertEqual(sum(count for _name, count in breakdowns["By Supplier"]), 4)
        self.assertEqual(sorted(values['effectiveness']),
                         [("Effective", 1), ("Not Assessed", 1), ("Not Effective", 1)])
        self.assertEqual(values['actions'], self.c1 | self.c2)
        self.assertEqual(values['costs'], [(self.company.currency_id, 180.0)])

    def test_report_values_stay_within_the_company(self):
        values = self.env['aftersales.complaint']._iso_report_values(*MARCH, self.company_2)
        self.assertEqual(values['received'], 1)
        self.assertEqual(values['closed'], 0)
        self.assertEqual(values['costs'], [(self.company_2.currency_id, 500.0)])
        # A manager of the first company only sees nothing of the second's.
        values = self.env['aftersales.complaint'].with_user(self.manager)._iso_report_values(
            *MARCH, self.company_2,
        )
        self.assertEqual((values['received'], values['costs']), (0, []))

    def test_report_values_take_a_fixed_number_of_queries(self):
        Complaint = self.env['aftersales.complaint'].with_user(self.manager)
        Complaint._iso_report_values(*MARCH, self.company)
        with self.assertQueryCount(13):
            Complaint._iso_report_values(*MARCH, self.company)
        for day in range(11, 21):
            self._create_complaint(date_issue=f'2026-03-{day}', product_ids=[self.product_a.id],
                                   root_cause="Again.")
        self.env.invalidate_all()
        Complaint._iso_report_values(*MARCH, self.company)
        with self.assertQueryCount(13):
            Complaint._iso_report_values(*MARCH, self.company)

    def test_review_prints_a_pdf(self):
        review = self._review()
        content, report_type = self.env['ir.actions.report'].with_user(self.manager).with_context(
            force_report_rendering=True,
        )._render_qweb_pdf(REPORT, review.ids)
        self.assertEqual(report_type, 'pdf')
        self.assertTrue(content.startswith(b'%PDF'))

    def test_review_html_shows_the_figures(self):
        review = self._review()
        content, _report_type = self.env['ir.actions.report'].with_user(self.manager)._render_qweb_html(
            REPORT, review.ids,
        )
        document = html.fromstring(content)

        def cell(name):
            return document.xpath(f'//td[@name="{name}"]')[0].text_content().strip()

        self.assertEqual(
            [cell(name) for name in ('received', 'closed', 'target', 'within_target', 'avg_days',
                                     'max_days', 'open_at_end', 'overdue_at_end', 'repeat')],
            ['4', '3', '10', '1', '12.3', '20', '2', '1', '1'],
        )
        text = document.text_content()
        for expected in ("Complaints Management Review", "The carrier lost the pallet.",
                         "Dates printed on orders.", "Not Effective", "Damaged goods",
                         self.partner_b.name, "180.00"):
            self.assertIn(expected, text)

    def test_review_refuses_a_period_ending_before_it_starts(self):
        with self.assertRaisesText(ValidationError, "after its end"):
            self._review(date_from=date(2026, 4, 1), date_to=date(2026, 3, 1))

    def test_review_from_the_complaint_list_takes_the_period_of_the_selection(self):
        review_form = Form(self.env['aftersales.complaint.iso.report'].with_user(self.manager).with_context(
            active_model='aftersales.complaint', active_ids=(self.c1 | self.c4).ids,
        ))
        self.assertEqual((review_form.date_from, review_form.date_to), (date(2026, 3, 2), date(2026, 3, 28)))
        action = review_form.save().action_print()
        self.assertEqual((action['type'], action['report_name']),
                         ('ir.actions.report', 'aftersales_complaint.report_complaint_iso'))

    def test_agent_cannot_run_the_review(self):
        with self.assertRaises(AccessError):
            self._review(user=self.agent)
        review = self._review()
        with self.assertRaises(AccessError):
            self.env['ir.actions.report'].with_user(self.agent)._render_qweb_html(REPORT, review.ids)
