"""The Odoo configuration files the launcher writes in ``.local``."""

import os
import secrets
from pathlib import Path

from . import paths

RUN_DATABASE = "aftersales"


def test_database():
    """The test database: ``AFTERSALES_TEST_DB`` lets several runs share a cluster."""
    return os.environ.get("AFTERSALES_TEST_DB") or "aftersales_test"


def test_http_port():
    """The port the tests' HTTP server binds: ``AFTERSALES_TEST_HTTP_PORT`` lets
    several test runs with browser tests share a machine."""
    return int(os.environ.get("AFTERSALES_TEST_HTTP_PORT") or 8069)


def addons_path(odoo_root):
    """Odoo's addons folders, then the project (the suite's modules)."""
    folders = [Path(odoo_root) / "addons", Path(odoo_root) / "odoo" / "addons"]
    return ",".join(str(f) for f in folders if f.is_dir()) + f",{paths.PROJECT}"


def admin_password(state):
    """The master password of the database manager, made once per machine."""
    path = state / "admin_passwd"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(18) + "\n")
        path.chmod(0o600)
    return path.read_text().strip()


def write_config(name, database, odoo_root, server, http_port=8069, *, manager=False):
    """Write ``.local/<name>.conf`` for ``database`` and return its path.

    ``manager`` turns on Odoo's database manager (``list_db``), which the
    test configuration needs to create and drop the databases of the
    install checks; the served configuration keeps it off.
    """
    state = paths.state_dir()
    state.mkdir(parents=True, exist_ok=True)
    options = {
        "addons_path": addons_path(odoo_root),
        "data_dir": str(state / "data"),
        "admin_passwd": admin_password(state),
        **server.odoo_options(),
        "db_name": database,
        # Only this database is served, so a request never lands on another.
        "dbfilter": f"^{database}$",
        "list_db": str(manager),
        "http_interface": "127.0.0.1",
        "http_port": str(http_port),
    }
    path = state / f"{name}.conf"
    text = "[options]\n" + "".join(f"{key} = {value}\n" for key, value in options.items())
    path.write_text(text)
    path.chmod(0o600)
    return path
