"""``./aftersales run`` and ``./aftersales test``."""

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request

from . import bench, database, odoo_config, odoo_setup, paths, postgres, system
from .errors import SetupError
from .progress import Steps, say

DESCRIPTION = """\
run   bring up Odoo 19 with the after-sales suite and demo data, and serve it
test  the same setup, then a fresh test database and pytest-odoo over every test
lint  ruff and pylint-odoo over the suite
i18n  refresh each module's translation template (i18n/<module>.pot)
screenshots  refresh the README's screenshots (docs/screenshots) from the demo database
bench  every benchmark of bench/, ours beside OCA's and core's documents, and one table
"""
EMPTY_TEMPLATE = """\
# Translation of Odoo Server.
# This file contains the translation of the following modules:
# \t* {module}
#
msgid ""
msgstr ""
"Project-Id-Version: Odoo Server 19.0\\n"
"Report-Msgid-Bugs-To: \\n"
"Last-Translator: \\n"
"Language-Team: \\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: \\n"
"Plural-Forms: \\n"
"""


def parse(argv):
    parser = argparse.ArgumentParser(
        prog="aftersales", description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="serve the suite with demo data")
    run.add_argument("--port", type=int, default=8069,
                     help="HTTP port (default 8069, or the next free one)")
    run.add_argument("odoo_args", nargs=argparse.REMAINDER,
                     help="further options for Odoo's server, e.g. --workers=4 --proxy-mode")
    test = commands.add_parser("test", help="run every test of the suite")
    test.add_argument("--reuse-db", action="store_true",
                      help="update the existing test database instead of creating a fresh one")
    test.add_argument("pytest_args", nargs=argparse.REMAINDER,
                      help="further pytest arguments, e.g. a test file or -k name")
    commands.add_parser("lint", help="run ruff and pylint-odoo")
    commands.add_parser("i18n", help="refresh the modules' .pot templates from the test database")
    commands.add_parser("screenshots", help="refresh the README's screenshots from the demo database")
    bench_parser = commands.add_parser("bench", help="run the benchmarks and print one table")
    bench_parser.add_argument("--quick", action="store_true",
                              help="small sizes, one run: a check, not figures")
    bench_parser.add_argument("--table", action="store_true",
                              help="run nothing: the table of each benchmark's last output")
    bench_parser.add_argument("only", nargs="*", help="only these benchmarks (returns, portal, mail, lists, "
                              "scale, escalation, escalation-bulk, load)")
    return parser.parse_args(argv)


def _stop(_signum, _frame):
    raise KeyboardInterrupt


def main(argv=None):
    args = parse(sys.argv[1:] if argv is None else argv)
    # A service manager or `kill` stops the command as Ctrl-C does: Odoo
    # first, then the private cluster, instead of leaving them running.
    signal.signal(signal.SIGTERM, _stop)
    try:
        return {
            "run": run, "test": test, "lint": lint, "i18n": i18n, "screenshots": screenshots,
            "bench": run_bench,
        }[args.command](args)
    except SetupError as error:
        say(f"aftersales: {error}")
        return 1
    except KeyboardInterrupt:
        say("aftersales: interrupted")
        return 130


def prepare(steps, browser):
    """Odoo, system packages and PostgreSQL: ``(python, odoo_root, server, cluster)``.

    ``cluster`` is the private PostgreSQL cluster when this call started
    it, so that the caller stops it, and only it, at the end.
    """
    paths.ensure_writable(paths.state_dir(), "AFTERSALES_HOME")
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
        port = http_port(args.port)
        name = odoo_config.RUN_DATABASE
        config = odoo_config.write_config("odoo-run", name, odoo_root, server, port)
        steps.start(f"Preparing database {name}")
        database.ensure_run_database(python, config, name, paths.addon_names())
        steps.done()
        say(f"\n  http://127.0.0.1:{port}  admin / admin   (Ctrl-C stops it)\n")
        odoo_args = [arg for arg in args.odoo_args if arg != "--"]
        return serve(database.odoo_server(python, odoo_root, config, *odoo_args))
    finally:
        if cluster:
            cluster.stop()


def screenshots(_args):
    """Serve the demo database for a moment and photograph its main screens."""
    steps = Steps(5)
    python, odoo_root, server, cluster = prepare(steps, browser=True)
    try:
        port = http_port(8069)
        name = odoo_config.RUN_DATABASE
        config = odoo_config.write_config("odoo-run", name, odoo_root, server, port)
        steps.start(f"Preparing database {name}")
        database.ensure_run_database(python, config, name, paths.addon_names())
        steps.done()
        steps.start("Taking the screenshots")
        odoo = subprocess.Popen(database.odoo_server(python, odoo_root, config, "--log-level=warn"))
        try:
            wait_for_http(port, odoo)
            command = [
                python, str(paths.PROJECT / "launcher" / "screenshot_pages.py"),
                "--url", f"http://127.0.0.1:{port}", "--database", name,
                "--chromium", system.chromium_path(), "--out", str(paths.PROJECT / "docs" / "screenshots"),
            ]
            code = subprocess.run(command, check=False).returncode
        finally:
            odoo.terminate()
            odoo.wait(timeout=60)
        steps.done()
        return code
    finally:
        if cluster:
            cluster.stop()


def run_bench(args):
    """The benchmarks on the private cluster, started once for all of them."""
    steps = Steps(3)
    python, _odoo_root, _server, cluster = prepare(steps, browser=False)
    try:
        return bench.run_all(python, quick=args.quick, only=args.only, table_only=args.table)
    finally:
        if cluster:
            cluster.stop()


def wait_for_http(port, process, timeout=180):
    """Wait until Odoo answers on ``port``; a SetupError if it stops or never does."""
    for _attempt in range(timeout):
        if process.poll() is not None:
            raise SetupError("Odoo stopped before serving the screenshots' pages; see its output above.")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/web/login", timeout=5):
                return
        except OSError:
            time.sleep(1)
    raise SetupError(f"Odoo did not answer on port {port} within {timeout} seconds.")


def http_port(wanted):
    """``wanted`` when it is free, else the next free port after it."""
    return postgres.free_port(range(wanted, wanted + 100))


def serve(command):
    process = subprocess.Popen(command)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.send_signal(signal.SIGINT)
        process.wait()
        return 0


def test(args):
    steps = Steps(5)
    python, odoo_root, server, cluster = prepare(steps, browser=True)
    try:
        config = test_database(steps, python, odoo_root, server, reuse=args.reuse_db)
        steps.start("Running the tests")
        command = pytest_command(python, config, args.pytest_args)
        return subprocess.run(command, check=False, cwd=paths.PROJECT, env=test_env()).returncode
    finally:
        if cluster:
            cluster.stop()


def test_database(steps, python, odoo_root, server, reuse):
    """The test database with every module and demo data: updated when ``reuse``
    and it exists, else made afresh. Returns its configuration file."""
    name = odoo_config.test_database()
    config = odoo_config.write_config(
        f"odoo-{name}", name, odoo_root, server, odoo_config.test_http_port(), manager=True,
    )
    modules = paths.addon_names()
    if reuse and database.database_exists(python, config, name):
        steps.start(f"Updating the modules in test database {name}")
        database.install(python, config, name, modules, demo=True, update=modules)
    else:
        steps.start(f"Creating the test database {name}")
        database.create_test_database(python, config, name, modules)
    steps.done()
    return config


def lint(_args):
    """ruff, then pylint with pylint-odoo; both configured in pyproject.toml."""
    python, _odoo_root = odoo_setup.ensure_odoo()
    targets = [*paths.addon_names(), "launcher", "tests", "aftersales"]
    ruff = subprocess.run([python, "-m", "ruff", "check", *targets], cwd=paths.PROJECT,
                          check=False)
    pylint = subprocess.run([python, "-m", "pylint", *targets[:-1]], cwd=paths.PROJECT,
                            check=False)
    failed = [name for name, result in (("ruff", ruff), ("pylint", pylint)) if result.returncode]
    say(f"aftersales lint: {', '.join(failed)} found problems" if failed else
        "aftersales lint: clean")
    return 1 if failed else 0


def i18n(_args):
    """Update the test database with the current modules, then export their templates."""
    steps = Steps(5)
    python, odoo_root, server, cluster = prepare(steps, browser=False)
    try:
        config = test_database(steps, python, odoo_root, server, reuse=True)
        name, modules = odoo_config.test_database(), paths.addon_names()
        steps.start("Exporting the templates")
        # Without --output, Odoo writes each module's i18n/<module>.pot.
        result = subprocess.run(
            [python, "-m", "odoo", "i18n", "export", "-c", str(config), "-d", name, *modules],
            check=False, cwd=paths.PROJECT,
        )
        # Odoo writes an empty file for a module with nothing to translate
        # yet: give it the header translators' tools expect.
        for module in modules:
            template = paths.PROJECT / module / "i18n" / f"{module}.pot"
            if template.exists() and not template.stat().st_size:
                template.write_text(EMPTY_TEMPLATE.format(module=module))
        steps.done()
        return result.returncode
    finally:
        if cluster:
            cluster.stop()


def pytest_command(python, config, extra):
    extra = [arg for arg in extra if arg != "--"]
    # Without an explicit target, every module's tests/ and the suite's own.
    named = any((paths.PROJECT / arg.split("::")[0]).exists() for arg in extra)
    targets = [] if named else test_folders()
    return [
        python, "-m", "pytest",
        f"--odoo-config={config}", f"--odoo-database={odoo_config.test_database()}",
        # pytest-odoo skips every HttpCase (portal, tours) without it.
        "--odoo-http", "--odoo-log-level=warn",
        *extra, *targets,
    ]


def test_folders():
    folders = [f"{name}/tests" for name in paths.addon_names()]
    return [folder for folder in [*folders, "tests"] if (paths.PROJECT / folder).is_dir()]


def test_env():
    env = dict(os.environ)
    env.pop("ODOO_RC", None)  # the test configuration is the one on the command line
    return env
