from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import AftersalesSupplierRatingCommon

REPORT = 'aftersales_supplier_rating.action_report_supplier_assessment'
# Rendering adds its own keys to the data it is given: pass copies.
PERIOD = {'date_from': '2026-01-01', 'date_to': '2026-03-31'}


@tagged('post_install', '-at_install')
class TestSupplierAssessment(AftersalesSupplierRatingCommon):

    def setUp(self):
        super().setUp()
        self._create_figures()
        self.env.flush_all()

    def _figures(self, user=None):
        report = self.env['report.aftersales_supplier_rating.report_supplier_assessment']
        return report.with_user(user or self.rating_manager)._get_figures(
            self.vendor, date(2026, 1, 1), date(2026, 3, 31),
        )

    def test_figures_of_the_period(self):
        figures = self._figures()
        self.assertEqual(figures['complaint_count'], 2, "the December complaint is before the period")
        self.assertEqual(figures['complaint_open_count'], 1)
        self.assertAlmostEqual(figures['cost'], 740.0)
        self.assertAlmostEqual(figures['lead_time'], 5.0, msg="(10 + 2 + 3) / 3 closed documents")
        self.assertEqual(
            [(row['label'], row['returns'], row['returned'], row['repairs']) for row in figures['months']],
            [("January 2026", 0, 0.0, 0), ("February 2026", 1, 2.0, 0), ("March 2026", 0, 0.0, 2)],
        )
        self.assertEqual(
            [(row['product'], row['complaint'], row['case'], row['return'], row['repair'], row['cost'])
             for row in figures['products']],
            [(self.product_delivery, 2, 0, 1, 2, 700.0), (self.product_order, 0, 1, 0, 0, 40.0)],
        )
        self.assertEqual(
            [(row['reason'], row['kind'], row['count']) for row in figures['reasons']],
            [("Broken on arrival", 'complaint', 2), ("Flickering light", 'return', 1)],
        )

    def test_pdf_renders(self):
        pdf, report_format = self.env['ir.actions.report'].with_context(
            force_report_rendering=True,
        )._render_qweb_pdf(REPORT, self.vendor.ids, dict(PERIOD))
        self.assertEqual(report_format, 'pdf')
        self.assertTrue(pdf.startswith(b'%PDF'))

    def test_html_shows_the_figures(self):
        html, _format = self.env['ir.actions.report']._render_qweb_html(REPORT, self.vendor.ids, dict(PERIOD))
        html = html.decode()
        for text in ("Lampworks Ltd", "February 2026", "March 2026", "Broken on arrival",
                     "Flickering light", "Desk Lamp", "Office Chair", "740.00", "700.00", "5.0"):
            self.assertIn(text, html)
        self.assertNotIn("December 2025", html)

    def test_wizard_prints_the_period_of_the_partner(self):
        wizard_form = Form(self.env['aftersales.supplier.assessment.print'].with_user(
            self.rating_manager,
        ).with_context(active_model='res.partner', active_id=self.vendor.id))
        wizard_form.date_from = date(2026, 1, 1)
        wizard_form.date_to = date(2026, 3, 31)
        action = wizard_form.save().action_print()
        self.assertEqual(action['report_name'], 'aftersales_supplier_rating.report_supplier_assessment')
        self.assertEqual(action['context']['active_ids'], self.vendor.ids)
        self.assertEqual(action['data'], PERIOD)

    def test_wizard_refuses_a_period_ending_before_it_starts(self):
        wizard = self.env['aftersales.supplier.assessment.print'].with_user(self.rating_manager).create({
            'partner_id': self.vendor.id, 'date_from': '2026-03-31', 'date_to': '2026-01-01',
        })
        with self.assertRaisesText(UserError, "before it starts"):
            wizard.action_print()

    def test_only_managers_get_the_figures(self):
        with self.assertRaises(AccessError):
            self._figures(user=self.agent_all)
        with self.assertRaises(AccessError):
            self.env['aftersales.supplier.assessment.print'].with_user(self.agent_all).create({
                'partner_id': self.vendor.id,
            })
