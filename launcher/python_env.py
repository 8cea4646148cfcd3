"""The project's virtual environment, made around the Python that imports Odoo.

A developer's Odoo often lives in a virtualenv of their own. A venv made
from that virtualenv's python with ``--system-site-packages`` would see the
*base* interpreter's packages, not the virtualenv's, so the project's venv
is made from the base interpreter instead, and a ``.pth`` file makes it see
the virtualenv's own site-packages folders, exactly as the virtualenv does.
Nothing is ever written into the developer's environment: the test tools
go into the project's venv only.
"""

import json
import shutil
import subprocess
from pathlib import Path

from .errors import SetupError
from .progress import say

# The name of the .pth file through which the project's venv sees the
# packages of the developer's virtualenv.
MIRROR_PTH = "aftersales-odoo-environment.pth"

# Printed by the interpreter we are given: whether it is a virtualenv, the
# interpreter it was made from, its own site-packages folders, and whether
# it also sees the base interpreter's packages (its pyvenv.cfg says so).
_DESCRIBE = r"""
import json, os, sys, sysconfig
prefix = os.path.join(os.path.abspath(sys.prefix), "")
venv = sys.prefix != sys.base_prefix
base = sys.executable
if venv:
    version = "python%d.%d" % sys.version_info[:2]
    candidates = [getattr(sys, "_base_executable", ""),
                  os.path.join(sys.base_prefix, "bin", version),
                  os.path.join(sys.base_prefix, "bin", "python3")]
    base = next((c for c in candidates if c and os.path.isfile(c)
                 and not os.path.abspath(c).startswith(prefix)), sys.executable)
sites = []
for key in ("purelib", "platlib"):
    folder = sysconfig.get_paths()[key]
    if venv and os.path.isdir(folder) and folder not in sites:
        sites.append(folder)
system_site = not venv
config = os.path.join(sys.prefix, "pyvenv.cfg")
if venv and os.path.isfile(config):
    with open(config) as lines:
        for line in lines:
            key, _, value = line.partition("=")
            if key.strip() == "include-system-site-packages":
                system_site = value.strip().lower() == "true"
print(json.dumps({"executable": sys.executable, "venv": venv, "base": base,
                  "sites": sites, "system_site": system_site}))
"""

# Imports what ``python -m odoo server`` needs, and names what is missing.
_REQUIREMENTS = (
    "import sys\n"
    "try:\n"
    "    import odoo.cli.server\n"
    "except ImportError as error:\n"
    "    sys.exit(error.name or str(error))\n"
)


def describe(python):
    """What the venv must mirror of ``python`` (see ``_DESCRIBE``)."""
    try:
        result = subprocess.run(
            [python, "-c", _DESCRIBE], capture_output=True, text=True, timeout=120, check=False
        )
        described = None if result.returncode else json.loads(
            result.stdout.strip().splitlines()[-1]
        )
    except (OSError, subprocess.TimeoutExpired, ValueError, IndexError):
        described = None
    if not described:
        raise SetupError(
            f"{python} does not run as a Python interpreter: set AFTERSALES_PYTHON to the "
            f"python3 (3.10 or newer) that should run Odoo."
        )
    return described


def venv_python(venv_path):
    return Path(venv_path) / "bin" / "python"


def site_packages(python):
    """The folder where ``python`` (a venv's) installs packages."""
    return subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()


def mirror(venv_path, origin):
    """Make ``venv_path`` a venv that sees what ``origin`` sees, without writing into it.

    ``site.addsitedir`` (rather than a plain folder line) also runs the
    ``.pth`` files of the developer's site-packages, where an editable
    install of Odoo (``pip install -e``) is recorded.
    """
    create_venv(venv_path, origin["base"], system_site_packages=origin["system_site"])
    if origin["sites"]:
        lines = [f"# The packages of {origin['executable']}, used as they are.\n"]
        lines += [f"import site; site.addsitedir({folder!r})\n" for folder in origin["sites"]]
        Path(site_packages(venv_python(venv_path)), MIRROR_PTH).write_text("".join(lines))


def create_venv(venv_path, python, system_site_packages):
    remove_venv(venv_path)
    say(f"      creating the virtual environment {venv_path}")
    command = [python, "-m", "venv", str(venv_path)]
    if system_site_packages:
        command.insert(3, "--system-site-packages")
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise SetupError(f"Could not run {python} ({error.strerror}).") from None
    if result.returncode and "ensurepip" in result.stdout + result.stderr:
        raise SetupError(
            f"Could not create a virtual environment with {python}: install Debian's "
            f"python3-venv (`sudo apt-get install python3-venv`) and try again."
        )
    if result.returncode:
        last = (result.stderr.strip() or result.stdout.strip() or "no output").splitlines()[-1]
        raise SetupError(
            f"Could not create the virtual environment {venv_path} with {python} ({last}); "
            f"set AFTERSALES_VENV to a folder this user can write."
        )


def remove_venv(venv_path):
    if not venv_path.exists():
        return
    try:
        shutil.rmtree(venv_path)
    except OSError as error:
        raise SetupError(
            f"Could not remove the old virtual environment {venv_path} ({error.strerror}): "
            f"delete it as its owner, or set AFTERSALES_VENV to another folder."
        ) from None


def check_requirements(python, odoo_root, environment):
    """A SetupError naming the first of Odoo's requirements ``python`` lacks.

    ``environment`` is the Python where those requirements belong: the
    developer's own, which the launcher never installs into.
    """
    result = subprocess.run(
        [str(python), "-c", _REQUIREMENTS], capture_output=True, text=True, check=False
    )
    if result.returncode:
        missing = (result.stderr.strip() or "an unknown module").splitlines()[-1]
        raise SetupError(
            f"Odoo 19.0 at {odoo_root} cannot import {missing} with {environment}: install "
            f"Odoo's requirements there (`{environment} -m pip install -r "
            f"{Path(odoo_root) / 'requirements.txt'}`) and try again."
        )
