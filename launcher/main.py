"""``./aftersales run`` and ``./aftersales test``."""

import argparse
import os
import signal
import subprocess
import sys

from . import database, odoo_config, odoo_setup, paths, postgres, system
from .errors import SetupError
from .progress import Steps, say

DESCRIPTION = """\
run   bring up Odoo 19 with the after-sales suite and demo data, and serve it
test  the same setup, then a fresh test database and pytest-odoo over every test
"""


def parse(argv):
    parser = argparse.ArgumentParser(
        prog="aftersales", description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="serve the suite with demo data")
    run.add_argument("--port", type=int, default=8069, help="HTTP port (default 8069, or the next free one)")
    run.add_argument("odoo_args", nargs=argparse.REMAINDER,
                     help="further options for Odoo's server, e.g. --workers=4 --proxy-mode")
    test = commands.add_parser("test", help="run every test of the suite")
    test.add_argument("--reuse-db", action="store_true",
                      help="update the existing test database instead of creating a fresh one")
    test.add_argument("pytest_args", nargs=argparse.REMAINDER,
                      help="further pytest arguments, e.g. a test file or -k name")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse(sys.argv[1:] if argv is None else argv)
    cluster = None
    try:
        if args.command == "run":
            return run(args)
        return test(args)
    except SetupError as error:
        say(f"aftersales: {error}")
        return 1
    except KeyboardInterrupt:
        say("aftersales: interrupted")
        return 130
    finally:
        if cluster:
            cluster.stop()


def prepare(steps, browser):
    """Odoo, system packages and PostgreSQL; return ``(python, odoo_root, server, cluster)``."""
    steps.start("Finding Odoo 19.0")
    python, odoo_root = odoo_setup.ensure_odoo()
    steps.done(f"Odoo 19.0 at {odoo_root}")
    steps.start("Checking wkhtmltopdf" + (" and chromium" if browser else ""))
    system.ensure_wkhtmltopdf()
    if browser:
        system.ensure_chromium()
    steps.done()
    steps.start("Finding PostgreSQL")
    server, cluster = postgres.ensure_server(python)
    steps.done()
    return python, odoo_root, server, cluster


def run(args):
    steps = Steps(4)
    python, odoo_root, server, cluster = prepare(steps, browser=False)
    try:
        port = args.port if _port_free(args.port) else postgres.free_port(range(args.port + 1, args.port + 100))
        config = odoo_config.write_config("odoo-run", odoo_config.RUN_DATABASE, odoo_root, server, port)
        modules = paths.addon_names()
        steps.start(f"Preparing database {odoo_config.RUN_DATABASE}")
        database.ensure_run_database(python, config, odoo_config.RUN_DATABASE, modules)
        steps.done()
        odoo_args = [a for a in args.odoo_args if a != "--"]
        say(f"\n  http://127.0.0.1:{port}  admin / admin   (Ctrl-C stops it)\n")
        return _serve(database.odoo(python, config, "server", *odoo_args))
    finally:
        if cluster:
            cluster.stop()


def _serve(command):
    process = subprocess.Popen(command)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.send_signal(signal.SIGINT)
        process.wait()
        return 0


def _port_free(port):
    return postgres.free_port(range(port, port + 1)) == port


def test(args):
    steps = Steps(5)
    python, odoo_root, server, cluster = prepare(steps, browser=True)
    try:
        config = odoo_config.write_config("odoo-test", odoo_config.TEST_DATABASE, odoo_root, server)
        modules = paths.addon_names()
        name = odoo_config.TEST_DATABASE
        steps.start(f"Creating the test database {name}")
        if args.reuse_db and database.database_exists(python, config, name):
            database.install(python, config, name, modules, demo=True, update=modules)
        else:
            database.create_test_database(python, config, name, modules)
        steps.done()
        steps.start("Running the tests")
        return subprocess.run(pytest_command(python, config, args.pytest_args), check=False,
                              cwd=paths.PROJECT, env=_test_env()).returncode
    finally:
        if cluster:
            cluster.stop()


def pytest_command(python, config, extra):
    extra = [a for a in extra if a != "--"]
    targets = [] if any(not a.startswith("-") for a in extra) else test_folders()
    return [
        python, "-m", "pytest",
        f"--odoo-config={config}", f"--odoo-database={odoo_config.TEST_DATABASE}",
        # pytest-odoo skips every HttpCase (portal, tours) without it.
        "--odoo-http", "--odoo-log-level=warn",
        *extra, *targets,
    ]


def test_folders():
    folders = [f"{name}/tests" for name in paths.addon_names()]
    return [f for f in folders + ["tests"] if (paths.PROJECT / f).is_dir()]


def _test_env():
    env = dict(os.environ)
    env.pop("ODOO_RC", None)  # the test config is the one given on the command line
    return env
