"""Each shipped language reaches what users read: the case form, the return
authorisation and the repair quote (PDF), and a portal page."""

import re
from pathlib import Path

from odoo import Command
from odoo.addons.aftersales_portal.tests.common import AftersalesPortalCommon
from odoo.tests import tagged
from odoo.tools.translate import PoFileReader

from .test_translations import LANGUAGES, suite_modules

PROJECT = Path(__file__).resolve().parent.parent
RETURN_REPORT = 'aftersales_rma.action_report_rma'
QUOTE_REPORT = 'aftersales_repair.action_report_repair_quote'


def translated_texts(module, lang, view):
    """Plain texts the ``lang`` translation of ``module`` gives the terms of
    the view ``view`` (markup stripped), where they differ from English."""
    texts = []
    view_module, view_name = view.split('.')
    for row in PoFileReader(str(PROJECT / module / 'i18n' / f'{lang}.po')):
        if row['type'] != 'model_terms' or (row['module'], row['imd_name']) != (view_module, view_name):
            continue
        source, text = (re.sub(r'<[^>]+>', '', value or '').strip() for value in (row['src'], row['value']))
        # Markup characters are escaped in the page: compare plain words only.
        if len(text) > 3 and text != source and not re.search(r'[&<>"\']', text):
            texts.append(text)
    return texts


@tagged('post_install', '-at_install')
class TestLanguages(AftersalesPortalCommon):

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.quick_ref(
            'aftersales_repair.aftersales_repair_group_manager'
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case = cls._create_portal_case(cls.customer_company, "Flickering lamp")
        cls.repair = cls.env['repair.order'].create({
            'partner_id': cls.customer_company.id, 'product_id': cls.product_order.id,
            'aftersales_quote_state': 'sent',
            'aftersales_operation_ids': [Command.create({'product_id': cls.env['product.product'].create({
                'name': "Bench Work", 'type': 'service', 'list_price': 50.0,
            }).id})],
        })

    def _use_language(self, lang):
        self.env['res.lang']._activate_lang(lang)
        self.env['ir.module.module']._load_module_terms(suite_modules(), [lang], overwrite=True)
        (self.customer_company | self.customer_contact).lang = lang

    def _assert_some_in(self, texts, output, what):
        self.assertTrue(texts, f"no translated term to look for in {what}")
        found = [text for text in texts if text in output]
        self.assertTrue(found, f"{what} shows none of {texts[:5]}")

    def _outputs(self, lang, rma):
        """``(module, view whose terms are looked for, what shows them)`` in ``lang``."""
        reports = self.env['ir.actions.report']
        self._login(self.portal_user)
        return [
            ('aftersales_case', 'aftersales_case.aftersales_case_view_form',
             self.env['aftersales.case'].with_context(lang=lang).get_views(
                 [(False, 'form')])['views']['form']['arch']),
            ('aftersales_rma', 'aftersales_rma.report_rma_document',
             reports._render_qweb_html(RETURN_REPORT, rma.ids)[0].decode()),
            ('aftersales_repair', 'aftersales_repair.report_repair_quote_document',
             reports._render_qweb_html(QUOTE_REPORT, self.repair.ids)[0].decode()),
            ('aftersales_portal', 'aftersales_portal.portal_my_aftersales_cases',
             self.url_open('/my/cases').text),
        ]

    def test_each_language_reaches_form_reports_and_portal(self):
        order = self._deliver_order([(self.product_order, 1)], partner=self.customer_company)
        rma = self._create_rma(order, [(self.product_order, 1, 'refund', None)])
        for code, lang in LANGUAGES.items():
            with self.subTest(lang=code):
                self._use_language(lang)
                for module, view, output in self._outputs(lang, rma):
                    self._assert_some_in(translated_texts(module, code, view), output, view)
                reports = self.env['ir.actions.report'].with_context(force_report_rendering=True)
                for report, records in ((RETURN_REPORT, rma), (QUOTE_REPORT, self.repair)):
                    self.assertTrue(reports._render_qweb_pdf(report, records.ids)[0].startswith(b'%PDF'))
