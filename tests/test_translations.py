"""Translations: every module ships an up-to-date template, and every shipped
translation keeps its message's placeholders (core only logs a broken one and
falls back, so a wrong .po would silently show English or crash a format)."""

import ast
import io
import re
from collections import Counter
from pathlib import Path

from babel.messages.pofile import read_po

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import PoFileReader, code_translations, trans_export

PROJECT = Path(__file__).resolve().parent.parent
# The shipped languages, as Odoo names the ones a .po file stands for.
LANGUAGES = {'es': 'es_ES', 'it': 'it_IT', 'nl': 'nl_NL', 'ro': 'ro_RO'}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\{.*?\}\}|\{\w*\}")


def demo_ids(module):
    """The XML ids a module's demo files define (absent from databases without demo)."""
    manifest = ast.literal_eval((PROJECT / module / "__manifest__.py").read_text())
    return {
        xmlid
        for path in manifest.get('demo', [])
        for xmlid in re.findall(r'\bid="([\w.]+)"', (PROJECT / module / path).read_text())
    }


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

    def test_shipped_translations_reach_the_records_and_the_code(self):
        po_files = sorted(PROJECT.glob("aftersales_*/i18n/*.po"))
        self.assertEqual(
            {po_file.stem for po_file in po_files}, set(LANGUAGES),
            "each module with strings ships the suite's languages",
        )
        for po_file in po_files:
            module, lang = po_file.parent.parent.name, LANGUAGES[po_file.stem]
            with self.subTest(file=f"{module}/{po_file.name}"):
                self.env['res.lang']._activate_lang(lang)
                self.env['ir.module.module']._load_module_terms([module], [lang], overwrite=True)
                python = code_translations.get_python_translations(module, lang)
                # Odoo's own reader: Babel drops the ``model:`` locations.
                demo = demo_ids(module)
                checked = Counter(
                    self._assert_translation_loaded(row, lang, python, demo)
                    for row in PoFileReader(str(po_file)) if row['value']
                )
                self.assertTrue(checked['code'] and checked['model'], f"nothing checked: {checked}")

    def _assert_translation_loaded(self, row, lang, python, demo):
        """The kind of string checked, None when there is nothing to check."""
        if row['type'] == 'code':
            self.assertEqual(python.get(row['src']), row['value'], row['name'])
            return 'code'
        if row['type'] == 'model':
            xmlid = f"{row['module']}.{row['imd_name']}"
            record = self.env.ref(xmlid, raise_if_not_found=False)
            if record is None and row['imd_name'] in demo:
                return None  # demo data, not in every database
            # A record renamed or removed since: its translation is lost.
            self.assertIsNotNone(record, f"{xmlid} in {row['name']} does not exist")
            field = row['name'].split(',')[1]
            self.assertEqual(record.with_context(lang=lang)[field], row['value'], row['name'])
            return 'model'
        return None  # view terms: translated inside each view's arch
