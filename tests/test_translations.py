"""Translations: every module ships an up-to-date template, and every shipped
translation keeps its message's placeholders (core only logs a broken one and
falls back, so a wrong .po would silently show English or crash a format)."""

import io
import re
from pathlib import Path

from babel.messages.pofile import read_po

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import trans_export

PROJECT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\{.*?\}\}|\{\w*\}")


def suite_modules():
    return sorted(p.parent.name for p in PROJECT.glob("aftersales_*/__manifest__.py"))


@tagged('post_install', '-at_install')
class TestTranslations(TransactionCase):

    def test_each_module_ships_its_current_template(self):
        for module in suite_modules():
            with self.subTest(module=module):
                template = PROJECT / module / "i18n" / f"{module}.pot"
                buffer = io.BytesIO()
                trans_export(None, [module], buffer, 'po', self.env)
                exported = {m.id for m in read_po(io.BytesIO(buffer.getvalue())) if m.id}
                self.assertTrue(template.is_file(), f"{template} is missing")
                committed = {m.id for m in read_po(template.open('rb')) if m.id}
                missing = sorted(exported - committed)
                self.assertFalse(
                    missing,
                    f"{template} lacks {len(missing)} strings (first: {missing[:3]}); refresh it "
                    f"with `./aftersales i18n`",
                )

    def test_translations_keep_the_placeholders(self):
        for po_file in sorted(PROJECT.glob("aftersales_*/i18n/*.po")):
            with self.subTest(file=po_file.name):
                for message in read_po(po_file.open('rb')):
                    if not message.id or not message.string:
                        continue
                    source = sorted(PLACEHOLDER.findall(str(message.id)))
                    translated = sorted(PLACEHOLDER.findall(str(message.string)))
                    self.assertEqual(
                        source, translated,
                        f"{po_file.name}: {message.id!r} translated as {message.string!r}",
                    )
