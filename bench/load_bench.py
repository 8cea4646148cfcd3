"""Load the suite on Odoo's multi-process server with Locust, and check that no write is lost.

    .venv/bin/python bench/load_bench.py [--users 50] [--duration 120] [--workers 4] [--returns 300]

Not a test. Simulated users (bench/locustfile.py) browse the portal as a
customer, send the public contact form as new visitors, and open the case
and return lists and approve returns as an agent over JSON-RPC, against
``odoo-bin server --workers N`` on a database of its own. It prints
the requests per second, the median and 95th percentile of each kind of
request, the errors, and holds what the users were answered against the
database: one case per contact form accepted, one approved return per
approval answered. The script makes what it needs and says so (Locust in
.venv, the database ``aftersales_load``, its data); bench/README.md tells
what it does and how to read the figures.
"""

import argparse
import contextlib
import json
import math
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import psutil

import odoo.release

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the launcher
import rma_bench  # this script's folder
from portal_http import ACCESS_LINE, OdooServer, ServerError
from summary import emit

from launcher import database, odoo_config, odoo_setup, paths, postgres
from launcher.errors import SetupError

# pylint: disable=print-used

BENCH = Path(__file__).resolve().parent
DATABASE = "aftersales_load"
RESULT_TAG = "LOAD-BENCH-PLAN "
# Generous: on a small machine under this load a request waits its turn for
# long; a worker killed for it would be an error of the bench, not the suite.
LIMIT_TIME_CPU, LIMIT_TIME_REAL = 600, 1200
# Each worker has its own pool: 4 workers, the cron worker and the gevent
# one at 8 connections each stay well within PostgreSQL's 100 by default.
DB_MAXCONN = 8
# Seconds a worker waits for a request's bytes once it accepted the
# connection (Odoo's default 2). The buffering reverse proxy of production
# sends whole requests at once; here the users share the machine's 2 cores
# with the server and, at a load average of 9, one was seen to take longer.
SOCKET_TIMEOUT = 30
STOP_TIMEOUT = 60  # s a user has to finish its request once the time is up: its answer is counted
# Locust's main, less one check. Importing Locust patches the standard library
# with gevent, which first loads its plugins through pkg_resources; that checks
# gevent's requirements, and the setuptools that comes with Python 3.11 (65;
# 75 still) does not recognise zope.interface's and zope.event's recent
# metadata (``zope_interface-*.dist-info``): it would refuse to load them,
# though they are installed. The check is skipped in Locust's process only.
LOCUST_MAIN = """import sys
try:
    import pkg_resources
    pkg_resources.EntryPoint.require = lambda *args, **kwargs: None
except ImportError:
    pass
from locust.main import main
sys.exit(main())
"""
RETRY = re.compile(r"(\w+), \d+ tries left, try again")
RAISED = re.compile(r"^[\w.]*(Error|Exception|NotFound)\b.*:")


def say(text):
    print(text, file=sys.stderr, flush=True)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="simulated users")
    parser.add_argument("--duration", type=int, default=120, help="seconds of load")
    parser.add_argument("--workers", type=int, default=4, help="Odoo's HTTP worker processes")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument("--returns", type=int, default=300,
                        help="returns waiting for approval before the run (topped up each run)")
    parser.add_argument("--reinstall", action="store_true", help=f"drop and recreate {DATABASE}")
    args = parser.parse_args()
    if min(args.users, args.duration, args.workers, args.returns) < 1:
        parser.error("users, duration, workers and returns must be at least 1")
    return args


# Setup: Locust, the database, its data, the server ---------------------------

def ensure_locust(python, odoo_root):
    """Install bench/requirements.txt into .venv when Locust is missing.

    Odoo's own requirements are held at the versions installed (a pip
    constraints file): Locust shares some (gevent, greenlet, Werkzeug,
    requests, psutil), and a newer one in .venv would shadow Odoo's.
    setuptools too, which newer Locusts would upgrade.
    """
    found = "import importlib.util, sys; sys.exit(importlib.util.find_spec('locust') is None)"
    if not subprocess.run([python, "-c", found], check=False).returncode:
        return
    requirements = BENCH / "requirements.txt"
    say(f"      Locust is missing: pip install -r {requirements} into {paths.venv_dir()}, "
        f"Odoo's requirements held at their installed versions")
    names = re.findall(r"^([A-Za-z0-9_.-]+)", (Path(odoo_root) / "requirements.txt").read_text(), re.M)
    probe = ("import importlib.metadata as m, sys\n"
             "for name in sys.argv[1:]:\n"
             "    try: print(f'{name}=={m.version(name)}')\n"
             "    except m.PackageNotFoundError: pass\n")
    pins = subprocess.run([python, "-c", probe, *sorted(set(names)), "setuptools"],
                          capture_output=True, text=True, check=True).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".txt", prefix="odoo-pins-") as constraints:
        constraints.write(pins)
        constraints.flush()
        command = [python, "-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off",
                   "-q", "-r", str(requirements), "-c", constraints.name]
        if subprocess.run(command, check=False).returncode:
            raise SetupError(f"pip could not install {requirements}; see above.")


def prepare_database(args):
    """``(python, config, cluster)``: the database made or updated, as rma_bench.py does."""
    say("Preparing: Odoo 19.0 and PostgreSQL (as ./aftersales does)")
    python, odoo_root = odoo_setup.ensure_odoo()
    ensure_locust(python, odoo_root)
    server, cluster = postgres.ensure_server(python)
    conf = odoo_config.write_config(f"odoo-{DATABASE}", DATABASE, odoo_root, server)
    modules = paths.addon_names()
    rma_bench.ensure_database(python, conf, DATABASE, modules,
                              digest=database.sources_digest(modules), reinstall=args.reinstall)
    return python, conf, cluster


def data_step(python, conf, *options):
    """Run bench/load_data.py in its own process; its JSON answer."""
    command = [python, str(BENCH / "load_data.py"), *options, "-c", str(conf), "-d", DATABASE]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_TAG)]
    if done.returncode or not lines:
        raise SetupError(f"bench/load_data.py {options[0]} failed (exit {done.returncode}); see above")
    return json.loads(lines[-1][len(RESULT_TAG):])


class LoadServer(OdooServer):
    """Odoo's multi-process server, behind a (simulated) reverse proxy."""

    def __init__(self, python, conf, workers):
        super().__init__(python, conf, DATABASE)
        self.workers = workers
        self.gevent_port = postgres.free_port(range(18270, 18370))
        self.log_path = paths.state_dir() / "logs" / "load-bench.log"
        os.environ.setdefault("ODOO_HTTP_SOCKET_TIMEOUT", str(SOCKET_TIMEOUT))  # the server inherits it

    def stop(self):
        """Stop the server and every process it started, then return.

        SIGTERM lets the HTTP workers finish their requests; the cron worker
        may be halfway through a batch of notices (PDFs), which outlives the
        30 s the master is given: it is killed with the master's other
        children, its batch rolled back and sent at the next start. Nothing
        of the server may still write when the writes are counted.
        """
        alive = self.process and self.process.poll() is None
        children = psutil.Process(self.process.pid).children(recursive=True) if alive else []
        stopped = super().stop()
        for child in children:
            with contextlib.suppress(psutil.NoSuchProcess):
                child.kill()
        psutil.wait_procs(children, timeout=30)
        return stopped

    def command(self):
        # One cron worker, as in production: it posts the approvals' notices
        # meanwhile. --proxy-mode: the visitors' addresses come as X-Forwarded-For.
        # Through odoo-bin, as ./aftersales run serves: the master starts the
        # websocket process again from it.
        odoo_root = Path(odoo.release.__file__).resolve().parent.parent
        return database.odoo_server(
            self.python, odoo_root, self.conf, "-d", self.database,
            "--http-port", str(self.port), "--gevent-port", str(self.gevent_port),
            "--http-interface", "127.0.0.1", "--workers", str(self.workers), "--max-cron-threads", "1",
            "--proxy-mode", f"--db_maxconn={DB_MAXCONN}", f"--limit-time-cpu={LIMIT_TIME_CPU}",
            f"--limit-time-real={LIMIT_TIME_REAL}", "--log-level", "info",
        )


# The run -------------------------------------------------------------------------

def run_locust(python, args, url, folder, run):
    """Locust headless for ``--duration`` seconds; its output goes to a log file."""
    log_path = paths.state_dir() / "logs" / "load-bench-locust.log"
    command = [python, "-c", LOCUST_MAIN, "-f", str(BENCH / "locustfile.py"), "--headless",
               "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.duration}s",
               "--stop-timeout", str(STOP_TIMEOUT), "--host", url, "--only-summary"]
    environment = dict(os.environ, LOAD_BENCH_PLAN=str(folder / "plan.json"),
                       LOAD_BENCH_TALLY=str(folder / "tally.json"), LOAD_BENCH_RUN=run)
    say(f"      locust {' '.join(command[3:])} (log: {log_path})")
    with open(log_path, "w") as log:
        locust = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=environment)
        try:
            # Locust exits 1 when a request failed: the figures tell which.
            locust.wait(timeout=args.duration + STOP_TIMEOUT + 300)
        finally:
            if locust.poll() is None:
                locust.terminate()
                locust.wait()
    if not (folder / "tally.json").exists():
        raise ServerError(f"Locust gave no figures (exit {locust.returncode}); see {log_path}")


def measure(python, conf, args):
    """Prepare the data, serve, load, stop the server, count the writes: what the report shows."""
    run = time.strftime("%Y%m%d-%H%M%S")
    folder = paths.state_dir() / "load-bench" / run
    folder.mkdir(parents=True)
    server = LoadServer(python, conf, args.workers)
    say(f"      data in {DATABASE}: a portal customer, an agent, {args.returns} returns to approve "
        f"(made once, then topped up; see bench/load_data.py)")
    plan = data_step(python, conf, "prepare", "--returns", str(args.returns), "--url", server.url)
    (folder / "plan.json").write_text(json.dumps(plan))
    try:
        say(f"      starting ODOO_HTTP_SOCKET_TIMEOUT={os.environ['ODOO_HTTP_SOCKET_TIMEOUT']} "
            f"{' '.join(server.command()[1:])} (log: {server.log_path})")
        server.start()
        before = load()
        say(f"Loading: {args.users} users for {args.duration} s (load average {before}, "
            f"{os.cpu_count()} cores)")
        run_locust(python, args, server.url, folder, run)
        after = load()
    finally:
        server.stop()
    check = data_step(python, conf, "check", "--run", run, "--tally", str(folder / "tally.json"))
    return {"run": run, "folder": folder, "plan": plan, "check": check, "load": (before, after),
            "tally": json.loads((folder / "tally.json").read_text()), "log": server.log_path}


# Report ----------------------------------------------------------------------

def load():
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


def percentile(values, share):
    """Nearest rank: the smallest value that ``share`` of the values do not exceed."""
    return values[max(math.ceil(share * len(values)) - 1, 0)]


def request_figures(tally):
    """``({kind: (count, failed, p50, p95, max ms)}, seconds from first request to last answer)``."""
    requests = tally["requests"]
    start = min((start for _name, start, _ms, _error in requests), default=0)
    end = max((start + ms / 1000 for _name, start, ms, _error in requests), default=1)
    kinds = {}
    for name, _start, ms, error in requests:
        kinds.setdefault(name, []).append((ms, error))
    figures = {}
    for name, answers in sorted(kinds.items()):
        times = sorted(ms for ms, _error in answers)
        figures[name] = (len(times), sum(1 for _ms, error in answers if error),
                         percentile(times, 0.5), percentile(times, 0.95), times[-1])
    return figures, end - start


def print_requests(figures, span, args):
    count, failed = (sum(row[i] for row in figures.values()) for i in (0, 1))
    print(f"\nLoad: {args.users} users for {args.duration} s on {args.workers} workers: "
          f"{count} requests in {span:.0f} s, {count / span:.1f} per second, {failed} failed")
    print(f"{'request':40}{'count':>7}{'failed':>7}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}")
    for name, (count, failed, p50, p95, longest) in figures.items():
        print(f"{name[:39]:40}{count:>7}{failed:>7}{p50:>8.0f}{p95:>8.0f}{longest:>8.0f}")


def emit_summary(figures, span, lost, args):
    """The headline figures for ``./aftersales bench``: each kind's median, and the run's rate."""
    scenario = f"load: {args.users} users, {args.duration} s, {args.workers} workers"
    for name, (_count, failed, p50, p95, _longest) in figures.items():
        emit(scenario, name, "ours", p50 / 1000, note=f"median; p95 {p95 / 1000:.2f} s, {failed} failed")
    count, failed = (sum(row[i] for row in figures.values()) for i in (0, 1))
    emit(scenario, "whole run", "ours", span, note=f"{count / span:.1f} requests/s, {failed} failed, "
         f"{lost} writes lost or extra")


def print_errors(tally):
    """The failed requests by kind and error, and the users' exceptions."""
    errors = Counter((name, error) for name, _start, _ms, error in tally["requests"] if error)
    print(f"Errors: {sum(errors.values())} failed requests"
          + "".join(f"\n  {count} x {name}: {error}" for (name, error), count in errors.most_common())
          + "".join(f"\n  {count} x exception in a simulated user: {error}"
                    for error, count in Counter(tally["user_errors"]).most_common()))


def print_server_log(log_path):
    """Odoo's answers by status class, its ERROR lines, retried transactions, tracebacks."""
    statuses, retries, errors, raised = Counter(), Counter(), [], Counter()
    with open(log_path, errors="replace") as log:
        for line in log:
            access, retry = ACCESS_LINE.search(line), RETRY.search(line)
            if access:
                statuses[access["status"][0] + "xx"] += 1
            elif retry:
                retries[retry.group(1)] += 1
            elif " ERROR " in line or " CRITICAL " in line:
                errors.append(line.strip())
            elif RAISED.match(line):  # the last line of a traceback
                raised[line.strip()[:160]] += 1
    print(f"Server log: answers {dict(sorted(statuses.items()))}; {len(errors)} ERROR lines; "
          f"transactions retried after a concurrency conflict: {sum(retries.values())} "
          f"{dict(retries) if retries else ''}")
    for line in errors[:10]:
        print(f"  {line[:240]}")
    for line, count in raised.most_common(5):
        print(f"  {count} x {line}")


def print_writes(result):
    """What the users were answered against the database; the writes lost or extra."""
    tally, check = result["tally"], result["check"]
    accepted, cases = len(tally["forms_accepted"]), check["cases"]
    same = cases == accepted == check["case_subjects"]
    print(f"Lost writes: contact forms accepted (thanks page reached) {accepted}, refused "
          f"{tally['forms_refused']}; cases in the database with this run's marker {cases} "
          f"({check['case_subjects']} distinct): {'OK' if same else 'MISMATCH'}")
    answered = len(tally["approved"])
    ok = check["approved"] == answered and not check["answered_not_approved"]
    print(f"             approvals answered OK {answered}, failed {len(tally['approval_failed'])}; "
          f"returns approved in the database among those taken {check['approved']} (answered OK "
          f"but not approved {check['answered_not_approved']}, approved without an OK "
          f"{check['approved_unanswered']}): {'OK' if ok else 'MISMATCH'}")
    print(f"             authorisations (mail and PDF) of those approvals still queued for the "
          f"scheduled job when the server stopped: {check['notices_pending']}")
    if tally["queue_empty"]:
        print(f"             {tally['queue_empty']} approvals found no return left: raise --returns")
    return abs(accepted - cases) + (cases - check["case_subjects"]) + abs(answered - check["approved"]) \
        + check["answered_not_approved"]


def report(result, args):
    figures, span = request_figures(result["tally"])
    print_requests(figures, span, args)
    print_errors(result["tally"])
    print_server_log(result["log"])
    wrong = print_writes(result)
    before, after = result["load"]
    print(f"Load average (1, 5, 15 min): {before} when the load began, {after} at its end; "
          f"{os.cpu_count()} cores. Run {result['run']}: {result['folder']}")
    emit_summary(figures, span, wrong, args)
    return wrong


def main():
    args = parse_args()
    # A kill ends the run as Ctrl-C does: through the finally clauses that stop
    # Locust, the Odoo server and the cluster if it was started here.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    cluster = None
    try:
        python, conf, cluster = prepare_database(args)
        # A write lost (or made twice) fails the run; slow answers and errors are figures.
        return 1 if report(measure(python, conf, args), args) else 0
    except (SetupError, ServerError) as error:
        say(f"load_bench: {error}")
        return 1
    except KeyboardInterrupt:
        say("load_bench: interrupted; the server and Locust started here are stopped")
        return 130
    finally:
        if cluster:
            cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
