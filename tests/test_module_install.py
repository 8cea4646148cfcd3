"""Each module installs with only its own dependencies, uninstalls cleanly and
reinstalls; all six together are the test database itself.

Odoo's command line does the work in databases of their own, so the test
database stays untouched. Modules go in dependency order: after a module
is installed alone, the next one that depends on it only adds its own
closure, so a single database proves each in turn.
"""

import ast
import subprocess
import sys
import unittest
from pathlib import Path

from odoo.service import db as db_service
from odoo.sql_db import close_db, db_connect
from odoo.tools import config

PROJECT = Path(__file__).resolve().parent.parent


def suite_modules():
    return sorted(p.parent.name for p in PROJECT.glob("aftersales_*/__manifest__.py"))


def manifest(module):
    return ast.literal_eval((PROJECT / module / "__manifest__.py").read_text())


def manifest_depends(module):
    return set(manifest(module).get("depends", []))


def closure(module):
    """The suite's modules ``module`` needs, itself included."""
    needed = {module}
    for dep in manifest_depends(module):
        if dep.startswith("aftersales_"):
            needed |= closure(dep)
    return needed


def with_bridges(modules):
    """``modules`` and the suite's auto-installed bridges they may bring in:
    Odoo installs a bridge as soon as all its dependencies are there."""
    bridges = [m for m in suite_modules() if manifest(m).get("auto_install")]
    allowed, grown = set(modules), True
    while grown:
        added = {m for m in bridges if m not in allowed and closure(m) - {m} <= allowed}
        allowed |= added
        grown = bool(added)
    return allowed


class TestModuleInstall(unittest.TestCase):
    prefix = "aftersales_install_check"

    def odoo(self, *args):
        command = [sys.executable, "-m", "odoo", *args]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        tail = "\n".join(result.stderr.strip().splitlines()[-25:])
        self.assertEqual(result.returncode, 0, f"{' '.join(args)} failed:\n{tail}")

    def install(self, database, *modules):
        self.odoo("module", "install", "-c", config.rcfile, "-d", database, *modules)

    def uninstall(self, database, *modules):
        self.odoo("module", "uninstall", "-c", config.rcfile, "-d", database, *modules)

    def installed(self, database):
        with db_connect(database).cursor() as cr:
            cr.execute(
                "SELECT name FROM ir_module_module WHERE state = 'installed' "
                "AND name LIKE 'aftersales\\_%%'"
            )
            return {name for (name,) in cr.fetchall()}

    def leftovers(self, database):
        with db_connect(database).cursor() as cr:
            cr.execute("SELECT model FROM ir_model WHERE model LIKE 'aftersales.%%'")
            models = [m for (m,) in cr.fetchall()]
            cr.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_name LIKE 'aftersales\\_%%'"
            )
            tables = [t for (t,) in cr.fetchall()]
            cr.execute("SELECT count(*) FROM ir_model_data WHERE module LIKE 'aftersales\\_%%'")
            return models, tables, cr.fetchone()[0]

    def drop(self, database):
        close_db(database)
        if db_service.exp_db_exist(database):
            db_service.exp_drop(database)

    def assert_alone(self, database, module):
        installed = self.installed(database)
        self.assertIn(module, installed)
        self.assertLessEqual(installed, with_bridges(self.expected_so_far | closure(module)))

    def test_each_module_installs_alone_uninstalls_and_reinstalls(self):
        modules = suite_modules()
        self.assertGreaterEqual(len(modules), 6, modules)
        main, side = f"{self.prefix}_main", f"{self.prefix}_side"
        for database in (main, side):
            self.drop(database)
            self.addCleanup(self.drop, database)
        self.odoo("db", "-c", config.rcfile, "init", main, "--with-demo", "--force")

        # Dependency order; a module that does not build on the previous ones
        # is checked in a copy of the database holding only its closure.
        self.expected_so_far = set()
        for module in sorted(modules, key=lambda m: (len(closure(m)), m)):
            needed = closure(module) - {module}
            if needed <= self.installed(main):
                target, self.expected_so_far = main, self.installed(main)
            else:
                self.drop(side)
                self.odoo("db", "-c", config.rcfile, "init", side, "--with-demo", "--force")
                self.install(side, *sorted(needed))
                target, self.expected_so_far = side, self.installed(side)
            with self.subTest(module=module):
                self.install(target, module)
                self.assert_alone(target, module)

        self.install(main, *modules)
        self.assertEqual(self.installed(main), set(modules))
        self.uninstall(main, *modules)
        self.assertEqual(self.installed(main), set())
        self.assertEqual(self.leftovers(main), ([], [], 0), "uninstall leaves nothing behind")

        self.install(main, *modules)
        self.assertEqual(self.installed(main), set(modules), "a reinstall works")
