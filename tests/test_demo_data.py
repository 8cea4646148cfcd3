"""What a first-time user finds in the demo data: returns from delivered
orders and from invoices in every state, linked to their receipts, credit
notes, replacements and cases, and cases that each tell a story of their own.

The demo is loaded into a database of its own, with the returns module and
only what it depends on (so only sale_stock's demo products exist), by
Odoo's command line as a fresh ``./aftersales run`` loads it. The test
database is left alone: no test relies on its demo data.
"""

import re
import subprocess
import sys
import unittest

from odoo.service import db as db_service
from odoo.sql_db import close_db, db_connect
from odoo.tools import config

# A line of Odoo's log at warning level or above.
PROBLEM = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ", re.MULTILINE)
# Text glued together: two punctuation marks in a row ("the desk?.").
GLUED = re.compile(r"[?!.,;:]\s*[.,;:]")


class TestDemoData(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        test_database = (config['db_name'] or ["aftersales"])[0]
        cls.database = f"{test_database}_demo_check"
        cls.drop(cls.database)
        cls.addClassCleanup(cls.drop, cls.database)
        command = [
            sys.executable, "-m", "odoo", "server", "-c", config.rcfile, "-d", cls.database,
            "-i", "aftersales_rma", "--with-demo", "--stop-after-init", "--no-http",
            "--log-level=warn",
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        cls.log = result.stdout + result.stderr
        if result.returncode:
            raise AssertionError(f"installing the demo failed:\n{cls.log[-3000:]}")

    @staticmethod
    def drop(database):
        close_db(database)
        if db_service.exp_db_exist(database):
            db_service.exp_drop(database)

    def query(self, sql, *params):
        with db_connect(self.database).cursor() as cr:
            cr.execute(sql, params)
            return cr.fetchall()

    def test_demo_loads_without_warning(self):
        self.assertEqual(PROBLEM.findall(self.log), [], self.log[-3000:])
        self.assertEqual(
            self.query("SELECT demo FROM ir_module_module WHERE name = 'aftersales_rma'"), [(True,)],
            "Odoo marks a module whose demo failed as installed without demo",
        )

    def test_returns_are_in_every_state(self):
        states = {state for (state,) in self.query("SELECT DISTINCT state FROM aftersales_rma")}
        self.assertEqual(states, {
            'draft', 'approved', 'receiving', 'received', 'done', 'rejected', 'cancel',
        })

    def test_returns_come_back_on_returns_of_their_deliveries(self):
        rows = self.query("""
            SELECT DISTINCT rma.id FROM aftersales_rma rma
              JOIN stock_picking receipt ON receipt.aftersales_rma_id = rma.id
              JOIN stock_picking delivery ON delivery.id = receipt.return_id
             WHERE receipt.state = 'done' AND delivery.sale_id = rma.sale_order_id
        """)
        self.assertGreaterEqual(len(rows), 5)

    def test_returns_come_from_invoices_with_and_without_an_order(self):
        rows = self.query("""
            SELECT rma.id, EXISTS (
                       SELECT 1 FROM account_move_line aml
                         JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = aml.id
                        WHERE aml.move_id = rma.invoice_id)
              FROM aftersales_rma rma WHERE rma.invoice_id IS NOT NULL
        """)
        self.assertEqual({from_order for _rma, from_order in rows}, {True, False})

    def test_returns_are_credited_on_posted_and_draft_credit_notes(self):
        states = {state for (state,) in self.query("""
            SELECT DISTINCT move.state FROM account_move move
              JOIN account_move_line aml ON aml.move_id = move.id
             WHERE aml.aftersales_rma_line_id IS NOT NULL AND move.move_type = 'out_refund'
        """)}
        self.assertEqual(states, {'posted', 'draft'})

    def test_replacements_are_delivered_or_on_their_way(self):
        states = {state for (state,) in self.query("""
            SELECT DISTINCT picking.state FROM stock_picking picking
              JOIN stock_picking_type type ON type.id = picking.picking_type_id
             WHERE picking.aftersales_rma_id IS NOT NULL AND type.code = 'outgoing'
        """)}
        self.assertIn('done', states)
        self.assertIn('assigned', states)

    def test_pending_credit_queue_shows_received_goods(self):
        rows = self.query("""
            SELECT rma.state, count(*) FROM aftersales_rma rma
             WHERE rma.is_pending_credit GROUP BY rma.state
        """)
        self.assertEqual(dict(rows), {'receiving': 1, 'received': 1})

    def test_returns_are_linked_to_cases_of_the_same_customer(self):
        rows = self.query("""
            SELECT rma.commercial_partner_id = kase.commercial_partner_id
              FROM aftersales_rma rma JOIN aftersales_case kase ON kase.id = rma.case_id
        """)
        self.assertGreaterEqual(len(rows), 8)
        self.assertTrue(all(same for (same,) in rows))

    def test_each_case_has_a_subject_of_its_own(self):
        repeated = self.query("""
            SELECT subject FROM aftersales_case GROUP BY subject HAVING count(*) > 1
        """)
        self.assertEqual(repeated, [])

    def test_each_closed_case_has_a_resolution_of_its_own(self):
        rows = self.query("""
            SELECT resolution FROM aftersales_case WHERE is_closed
        """)
        resolutions = [resolution for (resolution,) in rows]
        self.assertTrue(all(resolutions))
        self.assertEqual(len(set(resolutions)), len(resolutions))

    def test_demo_texts_are_not_glued_together(self):
        texts = [text for (text,) in self.query("""
            SELECT description FROM aftersales_case
            UNION ALL SELECT resolution FROM aftersales_case
            UNION ALL SELECT description FROM aftersales_rma
            UNION ALL SELECT name FROM aftersales_case_line
        """) if text]
        self.assertGreater(len(texts), 60)
        self.assertEqual([text for text in texts if GLUED.search(text)], [])
