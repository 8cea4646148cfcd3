"""Create the suite's databases with Odoo's own command line, showing progress."""

import hashlib
import re
import subprocess
from pathlib import Path

from . import paths
from .errors import SetupError
from .progress import Counter, say

_LOADING = re.compile(r"Loading module (\S+) \((\d+)/(\d+)\)")
_PROBLEM = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ")


def odoo(python, config, *args):
    return [python, "-m", "odoo", *args[:1], "-c", str(config), *args[1:]]


def odoo_server(python, odoo_root, config, *args):
    """The command serving Odoo: through its ``odoo-bin`` script where the tree has one.

    With ``--workers``, Odoo starts its websocket process again as
    ``python sys.argv[0] gevent``: under ``-m odoo`` that is
    ``odoo/__main__.py`` run as a plain file, which cannot import and is
    restarted in a loop, and ``/websocket`` never answers.
    """
    script = Path(odoo_root) / "odoo-bin"
    if not script.is_file():
        return odoo(python, config, "server", *args)
    return [python, str(script), "server", "-c", str(config), *args]


def run_odoo(command, log_name):
    """Run an Odoo command, show its progress and keep its whole log.

    Each module Odoo loads moves the counter; warnings and errors are shown
    as they come. Returns the process's exit code.
    """
    logs = paths.state_dir() / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log_path = logs / f"{log_name}.log"
    counter = Counter("modules", every=15)
    problems = []
    with open(log_path, "w") as log, subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    ) as process:
        for line in process.stdout:
            log.write(line)
            loading = _LOADING.search(line)
            if loading:
                name, done, total = loading.groups()
                counter.update(int(done), int(total), name)
            elif _PROBLEM.match(line):
                problems.append(line.rstrip())
        code = process.wait()
    counter.close()
    for line in problems[-20:]:
        say("      " + line[:300])
    return code, log_path


def database_exists(python, config, name):
    code = (
        "import sys, odoo\n"
        "from odoo.tools import config\n"
        "config.parse_config(['-c', sys.argv[1]])\n"
        "from odoo.service import db\n"
        "print(db.exp_db_exist(sys.argv[2]))\n"
    )
    result = subprocess.run(
        [python, "-c", code, str(config), name], capture_output=True, text=True, check=False
    )
    if result.returncode:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise SetupError(f"Could not reach PostgreSQL through Odoo: {last}")
    return result.stdout.strip().endswith("True")


def drop_database(python, config, name):
    """Drop ``name`` and its filestore, as Odoo's database manager does.

    The manager is off in the served configuration (``list_db``), which
    Odoo's own drop obeys even on the command line; we are its admin here.
    """
    code = (
        "import sys, odoo\n"
        "from odoo.tools import config\n"
        "config.parse_config(['-c', sys.argv[1]])\n"
        "config['list_db'] = True\n"
        "from odoo.service import db\n"
        "db.exp_drop(sys.argv[2])\n"
    )
    result = subprocess.run(
        [python, "-c", code, str(config), name], capture_output=True, text=True, check=False
    )
    if result.returncode:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise SetupError(f"Could not drop database {name}: {last}")


def install(python, config, name, modules, *, demo, update=()):
    """Install (``-i``) or update (``-u``) ``modules`` in database ``name``.

    A database this call created is dropped again when the install fails,
    so that no half-installed database is ever reused.
    """
    existed = database_exists(python, config, name)
    args = ["server", "-d", name, "--stop-after-init", "--log-level=info",
            "--log-handler=odoo.modules.loading:INFO", "--no-http"]
    if modules:
        args += ["-i", ",".join(modules)]
    if update:
        args += ["-u", ",".join(update)]
    if demo:
        args.append("--with-demo")
    code, log_path = run_odoo(odoo(python, config, *args), f"{name}-install")
    if code:
        if not existed:
            drop_database(python, config, name)
        raise SetupError(
            f"Installing {', '.join(modules or update)} in database {name} failed; "
            f"the whole log is {log_path}."
        )


def sources_digest(modules):
    """A digest of the modules' files, to tell when a database is out of date."""
    digest = hashlib.sha256()
    for module in modules:
        for path in sorted(Path(paths.PROJECT, module).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(paths.PROJECT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_run_database(python, config, name, modules):
    """Create the demo database once; update it when the modules changed."""
    stamp = paths.state_dir() / f"{name}.modules"
    digest = sources_digest(modules)
    if database_exists(python, config, name):
        if stamp.exists() and stamp.read_text() == digest:
            say(f"      database {name} is up to date")
            return
        say(f"      updating the suite in database {name}")
        install(python, config, name, modules, demo=True, update=modules)
    else:
        say(f"      creating database {name} with the suite and demo data")
        install(python, config, name, modules, demo=True)
    stamp.write_text(digest)


def create_test_database(python, config, name, modules):
    """A fresh database with the suite (and demo data, as runbot tests it)."""
    if database_exists(python, config, name):
        drop_database(python, config, name)
    install(python, config, name, modules, demo=True)
