"""Find Odoo 19.0, or install it from Odoo's official source archive.

The Odoo 19.0 that ``python3`` imports (or ``AFTERSALES_PYTHON``) is used as
it is, be it the machine's or a developer's activated virtualenv: the
project's ``.venv`` sees its packages and receives the test tools, and
nothing is installed into that Python's own environment. Otherwise Odoo's
source comes from ``AFTERSALES_ODOO_SRC`` (a local source tree) or is
downloaded from ``AFTERSALES_ODOO_URL`` (by default Odoo's nightly source
archive), and Odoo's own requirements are installed in the project's
``.venv``.
"""

import json
import os
import shutil
import subprocess
import sys
import tarfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

from . import paths, python_env
from .errors import SetupError
from .progress import Counter, say

ODOO_SERIES = (19, 0)
DEFAULT_ODOO_URL = "https://nightly.odoo.com/19.0/nightly/src/odoo_19.0.latest.tar.gz"
DEV_REQUIREMENTS = paths.PROJECT / "requirements-dev.txt"
ADDON_REQUIREMENTS = paths.PROJECT / "requirements-addons.txt"

# Printed by the interpreter under test: where Odoo lives and its version.
_PROBE = (
    "import json, os, odoo.release as r;"
    "print(json.dumps({'version': list(r.version_info[:2]),"
    " 'root': os.path.dirname(os.path.dirname(r.__file__))}))"
)


def base_python():
    """The interpreter whose Odoo we use: ``AFTERSALES_PYTHON`` or python3."""
    return os.environ.get("AFTERSALES_PYTHON") or shutil.which("python3") or sys.executable


def probe_odoo(python):
    """Return ``{'version': [19, 0], 'root': ...}`` for ``python``'s Odoo, or None."""
    try:
        result = subprocess.run(
            [python, "-c", _PROBE], capture_output=True, text=True, timeout=120, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode:
        return None
    try:
        return json.loads(result.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def is_supported(found):
    return bool(found) and tuple(found["version"]) == ODOO_SERIES


def ensure_odoo():
    """Return ``(python, odoo_root)`` ready to run Odoo 19 and its tests."""
    venv_path = paths.venv_dir()
    python = python_env.venv_python(venv_path)
    found = probe_odoo(str(python)) if python.exists() else None
    if not is_supported(found):
        found = make_venv(venv_path)
    install_dev_requirements(python)
    return str(python), Path(found["root"])


def make_venv(venv_path):
    """The project's venv around the Odoo 19.0 python3 imports, else from source.

    Returns what the venv's python then reports of its Odoo.
    """
    paths.ensure_writable(venv_path.parent, "AFTERSALES_VENV")
    user_python = base_python()
    origin = python_env.describe(user_python)
    user_found = probe_odoo(user_python)
    python = python_env.venv_python(venv_path)
    if is_supported(user_found):
        say(f"      using the Odoo 19.0 that {user_python} imports ({user_found['root']})")
        python_env.mirror(venv_path, origin)
        environment = origin["executable"]
    else:
        if user_found:
            say(f"      {user_python} imports Odoo {user_found['version']}, not 19.0")
        source = odoo_source_tree()
        python_env.create_venv(venv_path, origin["base"], system_site_packages=False)
        install_odoo_requirements(python, source)
        link_odoo(python, source)
        environment = str(python)
    return check_venv(venv_path, environment)


def check_venv(venv_path, environment):
    """What the new venv reports of its Odoo, once it imports Odoo and its requirements.

    A venv that fails is removed again, so that the next run does not
    take it for a ready one.
    """
    python = python_env.venv_python(venv_path)
    try:
        found = probe_odoo(str(python))
        if not is_supported(found):
            raise SetupError(
                f"Odoo 19.0 does not import in the virtual environment {venv_path} made for "
                f"{environment}: set AFTERSALES_PYTHON to a python3 that imports Odoo 19.0."
            )
        python_env.check_requirements(python, found["root"], environment)
    except SetupError:
        python_env.remove_venv(venv_path)
        raise
    return found


def pip_install(python, args, what):
    command = [str(python), "-m", "pip", "install", "--disable-pip-version-check",
               "--progress-bar", "off", *args]
    say(f"      pip install {what}")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode:
        tail = "\n".join(result.stderr.strip().splitlines()[-15:])
        say(tail)
        raise SetupError(
            f"pip could not install {what} (see the lines above); check the network "
            f"access to the Python package index and try again."
        )


def install_dev_requirements(python):
    # A stamp of what was installed spares a second run pip's resolution.
    stamp = Path(python).parent.parent / ".aftersales-requirements-dev"
    wanted = DEV_REQUIREMENTS.read_text() + ADDON_REQUIREMENTS.read_text()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    pip_install(python, ["-q", "-r", str(DEV_REQUIREMENTS)], "the test tools and linters")
    # The addons' metadata asks pip for odoo==19.0.*, which is on no index.
    pip_install(python, ["-q", "--no-deps", "-r", str(ADDON_REQUIREMENTS)],
                "the Odoo addons the bridges work with")
    stamp.write_text(wanted)


def odoo_source_tree():
    """The Odoo 19 source tree to install: a local one, or the downloaded archive."""
    local = os.environ.get("AFTERSALES_ODOO_SRC")
    if local:
        tree = find_source_root(Path(local))
        if tree is None:
            raise SetupError(
                f"AFTERSALES_ODOO_SRC={local} is not an Odoo source tree "
                f"(no odoo/release.py under it)."
            )
        return tree
    target = paths.state_dir() / "odoo-src"
    tree = find_source_root(target) if target.exists() else None
    if tree is not None:
        return tree
    archive = download_archive(os.environ.get("AFTERSALES_ODOO_URL") or DEFAULT_ODOO_URL)
    extract_archive(archive, target)
    tree = find_source_root(target)
    if tree is None:
        raise SetupError(f"The archive {archive} holds no Odoo source tree (no odoo/release.py).")
    return tree


def find_source_root(path, depth=2):
    """The folder holding ``odoo/release.py``, at most ``depth`` levels down."""
    path = Path(path)
    if (path / "odoo" / "release.py").is_file():
        return path
    if depth and path.is_dir():
        for child in sorted(path.iterdir()):
            if child.is_dir():
                found = find_source_root(child, depth - 1)
                if found:
                    return found
    return None


def download_archive(url):
    downloads = paths.state_dir() / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    archive = downloads / (url.rstrip("/").rsplit("/", 1)[-1] or "odoo.tar.gz")
    partial = archive.with_suffix(archive.suffix + ".part")
    say(f"      downloading Odoo 19.0 from {url}")
    try:
        with urllib.request.urlopen(url, timeout=60) as response, open(partial, "wb") as out:
            total = int(response.headers.get("Content-Length") or 0)
            counter = Counter("MB", every=20)
            done = 0
            while chunk := response.read(1 << 20):
                out.write(chunk)
                done += len(chunk)
                counter.update(done >> 20, (total >> 20) or "?")
            counter.close()
    except (OSError, urllib.error.URLError, ValueError) as error:
        partial.unlink(missing_ok=True)
        reason = getattr(error, "reason", error)
        raise SetupError(
            f"Could not download Odoo 19.0 from {url} ({reason}); set AFTERSALES_ODOO_SRC "
            f"to a local Odoo 19.0 source tree or AFTERSALES_ODOO_URL to another archive."
        ) from None
    partial.rename(archive)
    return archive


def extract_archive(archive, target):
    say(f"      extracting {archive.name}")
    partial = target.with_name(target.name + ".part")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as zipped:
                zipped.extractall(partial)
        else:
            with tarfile.open(archive) as tarred:
                tarred.extractall(partial, filter="data")
    except (OSError, tarfile.TarError, zipfile.BadZipFile) as error:
        shutil.rmtree(partial, ignore_errors=True)
        raise SetupError(
            f"Could not extract {archive} ({error}); delete it and try again."
        ) from None
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)


def odoo_requirements(source):
    """Odoo's requirements.txt, adapted to install from wheels only.

    psycopg2 would compile against libpq's headers: its binary build is the
    same library. python-ldap (only for auth_ldap, which the suite does not
    use) needs LDAP headers.
    """
    lines = []
    for line in (source / "requirements.txt").read_text().splitlines():
        name = line.split("=")[0].split(";")[0].strip().lower()
        if name == "python-ldap":
            continue
        lines.append(line.replace("psycopg2", "psycopg2-binary", 1) if name == "psycopg2" else line)
    return "\n".join(lines) + "\n"


def install_odoo_requirements(python, source):
    requirements = paths.state_dir() / "odoo-requirements.txt"
    requirements.parent.mkdir(parents=True, exist_ok=True)
    requirements.write_text(odoo_requirements(source))
    pip_install(python, ["-r", str(requirements)], "Odoo's own requirements")


def link_odoo(python, source):
    """Make the venv import the source tree, as an editable install would."""
    Path(python_env.site_packages(python), "odoo19-source.pth").write_text(f"{source}\n")
