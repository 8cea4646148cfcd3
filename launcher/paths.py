"""Where the launcher keeps what it creates (all ignored by git)."""

import os
from pathlib import Path

from .errors import SetupError

PROJECT = Path(__file__).resolve().parent.parent


def state_dir():
    """The private folder: PostgreSQL cluster, Odoo config, filestore, logs."""
    return Path(os.environ.get("AFTERSALES_HOME") or PROJECT / ".local")


def ensure_writable(folder, variable):
    """Create ``folder`` if need be; a SetupError when this user cannot write it.

    ``variable`` is the environment variable that chooses another folder.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SetupError(
            f"Could not create the folder {folder} ({error.strerror}): set {variable} "
            f"to a folder this user can write."
        ) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise SetupError(
            f"This user cannot write the folder {folder}: give it write access, or set "
            f"{variable} to a folder it can write."
        )
    return folder


def venv_dir():
    return Path(os.environ.get("AFTERSALES_VENV") or PROJECT / ".venv")


def addon_names():
    """The suite's modules: folders of the project holding a manifest."""
    return sorted(
        path.parent.name for path in PROJECT.glob("aftersales_*/__manifest__.py")
    )
