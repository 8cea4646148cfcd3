"""Time the customer portal's list pages of the suite against OCA's rma 19.0, over HTTP.

    .venv/bin/python bench/portal_bench.py [--sizes 10,500] [--runs 30] [--warmup 3] [--suite ours,oca]

Not a test. For each size, a customer company whose portal user has that
many documents (returns and cases in our suite, RMAs in OCA's) opens its
list pages on a loopback Odoo server, logged in as that user: the round
trip is timed, and Odoo's access log gives each request's queries and
server time. The databases, OCA's wheels and configurations are the ones
``rma_bench.py`` prepares (it is called for them); the customers and their
documents are created once and committed. bench/README.md tells how to read
the figures.
"""

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.service.server import load_server_wide_modules
from odoo.tools import config

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the launcher
import portal_data  # this script's folder
import rma_bench
from portal_http import OdooServer, PortalClient, ServerError
from summary import emit

from launcher.errors import SetupError

# pylint: disable=print-used

DATABASES = rma_bench.DATABASES
EMPTY_OCA = "/my/rmas?date_begin=2000-01-01&date_end=2000-01-02"  # a period with no RMA
# Each page: its scenario, suite, URL, the link of each row it lists, and the
# OCA page its time is held against (OCA has no cases: its RMA list, then).
# "empty list" is the same page filtered down to no row, for the largest
# customer: the portal's frame (session, layout, search bar, pager) that
# every page pays whatever it lists.
PAGES = (
    ("returns list", "ours", "/my/returns", r'href="/my/returns/(\d+)', "/my/rmas"),
    ("returns list", "oca", "/my/rmas", r'href="/my/rmas/(\d+)', None),
    ("cases list", "ours", "/my/cases", r'href="/my/cases/(\d+)', "/my/rmas"),
    ("empty list", "ours", "/my/returns?filterby=closed", r'href="/my/returns/(\d+)', EMPTY_OCA),
    ("empty list", "oca", EMPTY_OCA, r'href="/my/rmas/(\d+)', None),
    ("empty list", "ours", "/my/cases?filterby=closed", r'href="/my/cases/(\d+)', EMPTY_OCA),
)
ITEMS_PER_PAGE = 80  # portal's CustomerPortal._items_per_page: a list shows at most that many
RESULT_TAG = "PORTAL-BENCH-CUSTOMERS "
TARGET_RATIO = 0.5  # the target: our pages at least twice as fast as OCA's at the largest size
SUITE_NAMES = {"ours": "ours", "oca": "OCA"}


def say(text):
    print(text, file=sys.stderr, flush=True)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,500", help="documents per customer, comma-separated")
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page and size")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests first, per page and size")
    parser.add_argument("--suite", default="ours,oca", help="ours, oca, comma-separated")
    parser.add_argument("--reinstall", action="store_true",
                        help="drop and recreate the bench databases (as rma_bench.py --reinstall)")
    parser.add_argument("--worker", choices=tuple(portal_data.SUITES), help=argparse.SUPPRESS)
    parser.add_argument("-c", "--config", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.sizes = sorted({int(n) for n in args.sizes.split(",")})
    args.suite = [s for s in portal_data.SUITES if s in args.suite.split(",")]
    if args.runs < 1 or not args.suite:
        parser.error("give at least one run and one suite")
    return args


# Data: the customers, made by a worker process on each suite's database ------

def worker(args):
    """Make (or find) the customers and their documents, commit, print their logins."""
    config.parse_config(["-c", args.config, "--log-level=warn"], setup_logging=True)
    load_server_wide_modules()
    database = DATABASES[args.worker]
    threading.current_thread().dbname = database
    with Registry(database).cursor() as cr:  # committed on leaving: bench data is kept
        env = api.Environment(cr, SUPERUSER_ID, {})
        env = env(user=env.ref("base.user_admin"))
        customers = portal_data.generate(env, args.worker, args.sizes)
    print(RESULT_TAG + json.dumps(customers))
    return 0


def make_customers(python, suite, conf, sizes):
    say(f"      customers with {', '.join(map(str, sizes))} documents in {DATABASES[suite]} "
        f"(made once, then found by name: {portal_data.marker('N')})")
    command = [python, __file__, "--worker", suite, "-c", str(conf), "--sizes", ",".join(map(str, sizes))]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_TAG)]
    if done.returncode or not lines:
        raise SetupError(f"making the {suite} customers failed (exit {done.returncode}); see above")
    return {int(size): customer for size, customer in json.loads(lines[-1][len(RESULT_TAG):]).items()}


# Measuring -------------------------------------------------------------------

def open_pages(args, servers, customers):
    """``[scenario dict]``: one per page and size, with a logged-in client each."""
    scenarios = []
    for name, suite, page, link, versus in PAGES:
        if suite not in servers:
            continue
        empty = name == "empty list"
        for size in args.sizes[-1:] if empty else args.sizes:
            customer = customers[suite][size]
            scenario = {"scenario": name, "suite": suite, "page": page, "size": size, "link": link,
                        "versus": versus if versus and "oca" in servers else None,
                        "expected": 0 if empty else min(size, ITEMS_PER_PAGE), "samples": [], "error": None}
            try:
                scenario["client"] = PortalClient(servers[suite]).authenticate(
                    customer["login"], customer["password"])
            except (ServerError, OSError) as error:
                scenario["error"] = f"login failed: {error}"
            scenarios.append(scenario)
    return scenarios


def request(scenario, record):
    """One GET of the scenario's page; a wrong answer marks the scenario failed."""
    try:
        status, body, elapsed, queries, sql, server = scenario["client"].get(scenario["page"])
    except (ServerError, OSError) as error:
        scenario["error"] = str(error)
        return
    rows = len(set(re.findall(scenario["link"], body))) if status == 200 else 0
    if status != 200:
        scenario["error"] = f"HTTP {status} {answer(status, body)}"
    elif rows != scenario["expected"]:
        scenario["error"] = f"{rows} rows listed, {scenario['expected']} expected"
    elif record:
        scenario["samples"].append({"trip": elapsed, "server": server, "sql": sql, "queries": queries})


def answer(status, body):
    """A failed request's answer in a few words: where it redirects, or its page's title."""
    if 300 <= status < 400:
        return f"redirected to {body}"
    title = re.search(r"<title>(.*?)</title>", body, re.S)
    return " ".join((f"page titled {title.group(1)}" if title else body).split())[:100]


def measure(args, scenarios):
    """Warm up, then request each page in turn, ``--runs`` rounds.

    Round-robin rather than one page after the other: a change in the
    machine's other load then weighs on every page alike.
    """
    for rounds, record in ((args.warmup, False), (args.runs, True)):
        for _ in range(rounds):
            for scenario in scenarios:
                if not scenario["error"]:
                    request(scenario, record)


# Report ----------------------------------------------------------------------

def summary(scenario):
    """Median and extremes of the round trip, medians of the server's figures (ms), queries."""
    samples = scenario["samples"]
    times = [sample["trip"] * 1000 for sample in samples]
    logged = [sample for sample in samples if sample["queries"] is not None]
    queries = sorted({sample["queries"] for sample in logged})
    return {
        "median": statistics.median(times), "min": min(times), "max": max(times),
        "server": statistics.median(s["server"] * 1000 for s in logged) if logged else None,
        "sql": statistics.median(s["sql"] * 1000 for s in logged) if logged else None,
        "queries": "-".join(map(str, queries[:1] + queries[1:][-1:])) if queries else "?",
    }


def ratio_cell(scenario, figures):
    if not scenario["versus"]:
        return "-"
    oca, mine = (figures.get((page, scenario["size"])) for page in (scenario["versus"], scenario["page"]))
    return f"{mine['median'] / oca['median']:.2f}" if oca and mine else "n/a"


def print_table(scenarios, args):
    figures = {(s["page"], s["size"]): summary(s) for s in scenarios if not s["error"]}
    print(f"\nPortal list pages over HTTP, as the customer: {args.runs} timed requests each after "
          f"{args.warmup} warm-up; round trip in ms (median, min-max); Odoo's server time and its SQL "
          f"part (medians) and queries from its access log; ours/OCA: our median over OCA's for the "
          f"same documents")
    header = ("scenario", "suite", "page", "documents", "rows", "median ms", "min-max ms", "server ms",
              "SQL ms", "queries", "ours/OCA")
    widths = (13, 6, 15, 10, 6, 10, 14, 10, 7, 8, 9)
    columns = enumerate(zip(header, widths, strict=True))
    print("".join(f"{h:<{w}}" if i < 3 else f"{h:>{w}}" for i, (h, w) in columns))  # text left, figures right
    for scenario in scenarios:
        page = scenario["page"].split("?")[0] + ("?.." if "?" in scenario["page"] else "")
        start = (f"{scenario['scenario']:<13}{SUITE_NAMES[scenario['suite']]:<6}{page:<15}"
                 f"{scenario['size']:>10}{scenario['expected']:>6}")
        if scenario["error"]:
            print(f"{start}  FAILED: {' '.join(scenario['error'].split())[:150]}")
            continue
        f = figures[scenario["page"], scenario["size"]]
        server, sql = (f"{f[key]:.1f}" if f[key] is not None else "?" for key in ("server", "sql"))
        print(f"{start}{f['median']:>10.1f}{f['min']:>7.1f}-{f['max']:<6.1f}{server:>10}{sql:>7}"
              f"{f['queries']:>8}{ratio_cell(scenario, figures):>9}")
    emit_summary(scenarios, figures)
    print("(rows: documents the page lists, at most one page of 80; ?..: the page filtered down to no "
          "row: " + ", ".join(s["page"] for s in scenarios if s["scenario"] == "empty list") + ")")
    print_verdicts(scenarios, figures, args)


def emit_summary(scenarios, figures):
    """Our list pages, each beside the OCA page it is held against, for the launcher's table."""
    for mine in scenarios:
        if mine["suite"] != "ours" or not mine["versus"]:
            continue
        label, size = f"portal {mine['scenario']}, ours {mine['page']}", f"{mine['size']} documents"
        for suite, page in (("ours", mine["page"]), ("oca", mine["versus"])):
            found = figures.get((page, mine["size"]))
            queries = found and str(found["queries"]).split("-")[-1]
            emit(label, size, suite, found and found["median"] / 1000,
                 int(queries) if queries and queries.isdigit() else None, note="" if found else "failed")


def print_verdicts(scenarios, figures, args):
    """The issue's two targets, each said plainly, at the sizes measured."""
    largest, smallest = args.sizes[-1], args.sizes[0]
    for scenario in scenarios:
        if scenario["suite"] != "ours" or scenario["scenario"] == "empty list" \
                or scenario["size"] != largest:
            continue
        page, mine = scenario["page"], figures.get((scenario["page"], largest))
        oca = figures.get((scenario["versus"], largest)) if scenario["versus"] else None
        if mine and oca:
            ratio = mine["median"] / oca["median"]
            print(f"{page} at {largest} documents: {mine['median']:.1f} ms against OCA's "
                  f"{oca['median']:.1f} ms, {1 / ratio:.2f}x as fast (target >= {1 / TARGET_RATIO:.0f}x): "
                  f"{'met' if ratio <= TARGET_RATIO else 'NOT met'}")
        elif "oca" in args.suite:
            print(f"{page} at {largest} documents: no comparison (a run failed, see the table)")
        counts = [figures.get((page, size), {}).get("queries") for size in (smallest, largest)]
        print(f"{page} queries at {smallest} and {largest} documents: {counts[0]} and {counts[1]}: "
              f"{'the same' if counts[0] == counts[1] and counts[0] else 'NOT the same'}")


def load():
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


def print_documents(customers):
    for suite, by_size in customers.items():
        sizes = [f"customer {size}: " + ", ".join(f"{n} {model}" for model, n in customer["counts"].items())
                 for size, customer in by_size.items()]
        print(f"{SUITE_NAMES[suite]} ({DATABASES[suite]}): {'; '.join(sizes)}")


def run(args, python, configs):
    customers = {suite: make_customers(python, suite, configs[suite], args.sizes) for suite in args.suite}
    servers = {}
    try:
        for suite in args.suite:
            server = OdooServer(python, configs[suite], DATABASES[suite])
            say(f"      starting {' '.join(server.command()[1:])} (log: {server.log_path})")
            servers[suite] = server.start()
        scenarios = open_pages(args, servers, customers)
        before = load()
        say(f"Measuring: {args.warmup} + {args.runs} rounds (load average {before}, {os.cpu_count()} cores)")
        measure(args, scenarios)
    finally:
        for server in servers.values():
            server.stop()
    print_table(scenarios, args)
    print_documents(customers)
    print(f"Load average (1, 5, 15 min): {before} when measuring began, {load()} at the end; "
          f"{os.cpu_count()} cores")


def main():
    args = parse_args()
    if args.worker:
        return worker(args)
    # A kill ends the run as Ctrl-C does: through the finally clauses that stop
    # the Odoo servers and the cluster started here.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    cluster = None
    try:
        python, configs, cluster, wheels = rma_bench.prepare(
            SimpleNamespace(suite=args.suite, reinstall=args.reinstall))
        run(args, python, configs)
        if wheels:
            print(f"OCA: {', '.join(wheels)}")
        return 0
    except (SetupError, ServerError) as error:
        say(f"portal_bench: {error}")
        return 1
    except KeyboardInterrupt:
        say("portal_bench: interrupted; the servers started here are stopped")
        return 130
    finally:
        if cluster:
            cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
