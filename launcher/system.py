"""Debian packages (wkhtmltopdf, chromium, PostgreSQL) installed when allowed."""

import os
import shutil
import subprocess

from .errors import SetupError
from .progress import say

# The environment variable that forbids the launcher to call apt-get, for
# machines where someone else manages the system packages.
NO_SYSTEM_INSTALL = "AFTERSALES_NO_SYSTEM_INSTALL"
SBIN_FOLDERS = ("/usr/local/sbin", "/usr/sbin", "/sbin")


def package_manager_command():
    """Return the command prefix that may run apt-get, or None.

    apt-get may run when we are root, or when sudo works without a
    password; never when the user forbade it.
    """
    if os.environ.get(NO_SYSTEM_INSTALL) or not shutil.which("apt-get"):
        return None
    if os.geteuid() == 0:
        return ["apt-get"]
    if shutil.which("sudo"):
        probe = subprocess.run(
            ["sudo", "-n", "true"], capture_output=True, check=False
        )
        if probe.returncode == 0:
            return ["sudo", "-n", "apt-get"]
    return None


_updated = []


def install_packages(packages, why):
    """Install Debian ``packages`` or raise a SetupError saying how to."""
    command = package_manager_command()
    hint = f"sudo apt-get install {' '.join(packages)}"
    if command is None:
        raise SetupError(f"{why} needs {', '.join(packages)}: install it with `{hint}`.")
    env = apt_environment()
    if not _updated:
        say("      apt-get update")
        _run_apt([*command, "-q", "update"], env, hint, why)
        _updated.append(True)
    say(f"      apt-get install {' '.join(packages)}")
    _run_apt(
        [*command, "-q", "-y", "--no-install-recommends", "install", *packages],
        env, hint, why,
    )


def apt_environment():
    """apt-get's environment: non-interactive, and the sbin folders on PATH.

    dpkg stops when ldconfig and start-stop-daemon (in /usr/sbin, /sbin)
    are not on PATH, which a root shell's PATH may lack.
    """
    folders = os.environ.get("PATH", "").split(os.pathsep)
    folders += [folder for folder in SBIN_FOLDERS if folder not in folders]
    return dict(os.environ, DEBIAN_FRONTEND="noninteractive",
                PATH=os.pathsep.join(folder for folder in folders if folder))


def _run_apt(command, env, hint, why):
    # apt prints its own progress; we keep it on the terminal.
    try:
        result = subprocess.run(command, env=env, check=False, stdout=subprocess.DEVNULL)
    except OSError as error:
        raise SetupError(
            f"{why}: could not run `{command[0]}` ({error.strerror}); install it with "
            f"`{hint}` and try again."
        ) from None
    if result.returncode:
        raise SetupError(
            f"{why}: `{' '.join(command)}` failed; install it with `{hint}` and try again."
        )


def chromium_path():
    """Chromium as Odoo's browser tests look for it."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def ensure_wkhtmltopdf():
    if not shutil.which("wkhtmltopdf"):
        install_packages(["wkhtmltopdf"], "Rendering PDF reports")


def ensure_chromium():
    if not chromium_path():
        install_packages(["chromium"], "Odoo's browser tests")
