"""Where the launcher keeps what it creates (all ignored by git)."""

import os
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def state_dir():
    """The private folder: PostgreSQL cluster, Odoo config, filestore, logs."""
    return Path(os.environ.get("AFTERSALES_HOME") or PROJECT / ".local")


def venv_dir():
    return Path(os.environ.get("AFTERSALES_VENV") or PROJECT / ".venv")


def addon_names():
    """The suite's modules: folders of the project holding a manifest."""
    return sorted(
        path.parent.name for path in PROJECT.glob("aftersales_*/__manifest__.py")
    )
