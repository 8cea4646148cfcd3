"""Time the screens agents and customers open, on years of data.

    .venv/bin/python bench/scale_bench.py [--cases 1000000] [--returns 200000] [--warranties 100000]
                                          [--customers 20000] [--runs 5] [--explain 3] [--no-portal]

Not a test. The script makes the database ``aftersales_scale`` (the suite,
no demo data) on the project's PostgreSQL cluster, fills it once with
``scale_data.py`` (committed: the next runs reuse it), then times, as an
agent of one team (own cases, team rule) and as the administrator, each
screen's server calls the way the web client makes them: the case kanban
and list (the open cases, the fields of the view, the first 80 and the
count), the searches the case search view offers (customer, reference,
serial, e-mail), the partner form's counters, the support dashboard, the
lists of returns and warranty registrations, and the portal's lists for a
customer (over HTTP on a loopback server: Odoo's access log gives the
server time). Median of ``--runs`` after a first, cold run. ``--explain N``
prints the plan (``EXPLAIN ANALYZE``) of the N slowest queries seen.
"""

# pylint: disable=print-used  # a command-line report, not server code
import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.service.server import load_server_wide_modules
from odoo.tools import SQL, config

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the launcher
import rma_bench  # this script's folder: its database preparation
import scale_data
from portal_http import OdooServer, PortalClient
from summary import emit

from launcher import odoo_config, odoo_setup, paths, postgres

DATABASE = "aftersales_scale"
TARGET_SECONDS = 0.3


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--returns", type=int, default=200_000)
    parser.add_argument("--warranties", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="timed runs after the cold one (median)")
    parser.add_argument("--explain", type=int, default=0, metavar="N",
                        help="print the plan of the N slowest queries")
    parser.add_argument("--no-portal", action="store_true", help="skip the portal pages (HTTP)")
    return parser.parse_args()


def prepare():
    python, odoo_root = odoo_setup.ensure_odoo()
    server, _cluster = postgres.ensure_server(python)
    conf = odoo_config.write_config(f"odoo-{DATABASE}", DATABASE, odoo_root, server)
    modules = paths.addon_names()
    rma_bench.ensure_database(python, conf, DATABASE, modules,
                              digest=rma_bench.database.sources_digest(modules), reinstall=False)
    return python, conf


# What each screen asks the server -------------------------------------------

def view_spec(model, view_type):
    """The read specification of ``view_type``'s fields, as the web client builds it."""
    fields = model.get_views([(False, view_type)])["models"][model._name]["fields"]
    spec = {}
    for name in fields:
        field = model._fields[name]
        if field.type in ("many2one", "one2many", "many2many"):
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    return spec


def scenarios(env, refs):
    """``{name: function}`` for one user's environment."""
    Case, Rma, Warranty = env["aftersales.case"], env["aftersales.rma"], env["aftersales.warranty"]
    kanban, listed = view_spec(Case, "kanban"), view_spec(Case, "list")
    open_cases = [("is_closed", "=", False)]
    customer = env["res.partner"].browse(refs["customers"][len(refs["customers"]) // 2])
    Partner = env["res.partner"]
    partner_counts = {name: {} for name, field in Partner._fields.items()
                      if name.startswith("aftersales_") and name.endswith("_count") and field.compute
                      and Partner._has_field_access(field, "read")}

    def case_list(domain):
        return lambda: Case.web_search_read(open_cases + domain, listed, limit=80, count_limit=10001)

    def first_page(model):
        return lambda: model.web_search_read([], view_spec(model, "list"), limit=80, count_limit=10001)
    documents = {
        "return list (first 80 + count)": first_page(Rma),
        "warranty list (first 80 + count)": first_page(Warranty),
    }
    return {
        "case kanban (open, by stage)": lambda: Case.web_read_group(
            open_cases, ["stage_id"], ["__count"], auto_unfold=True,
            unfold_read_specification=kanban, unfold_read_default_limit=80),
        "case list (open, first 80 + count)": case_list([]),
        "case list, all cases": lambda: Case.web_search_read([], listed, limit=80, count_limit=10001),
        "search case by customer": case_list([("partner_id", "child_of", customer.name)]),
        "search case by reference": case_list(
            ["|", ("name", "ilike", "SC0654321"), ("subject", "ilike", "SC0654321")]),
        "search case by serial": case_list([("aftersales_lot_id", "ilike", "SCALE-SN-0012345")]),
        "search case by e-mail": case_list([("email", "ilike", customer.email)]),
        "partner form counters": lambda: customer.with_env(env).web_read(partner_counts),
        "dashboard (all key figures)": env["aftersales.case.kpi"].get_kpi_summary,
        # Only the lists this user may open (an agent may have no warranty rights).
        **{name: function for (name, function), model in zip(documents.items(), (Rma, Warranty), strict=True)
           if model.has_access("read")},
    }


class QueryLog:
    """The queries of the cursor, with their duration, while ``active``."""

    def __init__(self, cr):
        self.cr, self.active, self.seen = cr, False, []
        execute = cr.execute

        def timed(query, params=None, log_exceptions=True):
            start = time.perf_counter()
            try:
                return execute(query, params, log_exceptions)
            finally:
                if self.active:
                    self.seen.append((time.perf_counter() - start, self.scenario, query, params))
        cr.execute = timed
        self.scenario = None


def time_user(env, label, refs, runs, log):
    """Print and return ``[(scenario, user, median s, queries)]``."""
    rows = []
    print(f"\n{label}")
    for name, function in scenarios(env, refs).items():
        durations, queries = [], 0
        for run in range(runs + 1):
            env.invalidate_all()
            log.active, log.scenario = run == 1, f"{name} ({label})"
            before = env.cr.sql_log_count
            start = time.perf_counter()
            function()
            durations.append(time.perf_counter() - start)
            queries = env.cr.sql_log_count - before
            log.active = False
        median = statistics.median(durations[1:])
        flag = "" if median < TARGET_SECONDS else "   <-- over 0.3 s"
        print(f"  {name:<36} cold {durations[0] * 1000:7.1f} ms   median {median * 1000:7.1f} ms"
              f"   {queries:3d} queries{flag}")
        rows.append((name, label, median, queries))
        emit(f"{name}, as {label}", "1M cases", "ours", median, queries)
    return rows


def explain(env, log, count):
    """The plans of the ``count`` slowest queries timed."""
    for duration, scenario, statement, arguments in sorted(log.seen, key=lambda row: -row[0])[:count]:
        query, params = (statement.code, statement.params) if isinstance(statement, SQL) \
            else (statement, arguments)
        text = env.cr.mogrify(query, params).decode()
        print(f"\n--- {duration * 1000:.1f} ms in {scenario}\n{text}\n")
        env.cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS) %s", SQL(text.replace("%", "%%"))))
        print("\n".join(line for (line,) in env.cr.fetchall()))


# The portal, over HTTP --------------------------------------------------------

def time_portal(python, conf, runs):
    """``[(page, "portal", median s, queries)]`` for the first customer's lists."""
    server = OdooServer(python, conf, DATABASE).start()
    rows = []
    try:
        client = PortalClient(server).authenticate(scale_data.PORTAL_LOGIN, scale_data.PASSWORD)
        print("\nportal customer (its own documents among all)")
        for path in ("/my/cases", "/my/returns", "/my/warranties", "/my/home"):
            answers = [client.get(path) for _run in range(runs + 1)]
            status = answers[-1][0]
            median = statistics.median(answer[5] for answer in answers[1:])
            queries = answers[-1][3]
            flag = "" if median < TARGET_SECONDS and status == 200 else "   <-- over 0.3 s or failed"
            print(f"  {path:<36} HTTP {status}   server median {median * 1000:7.1f} ms"
                  f"   {queries:3d} queries{flag}")
            rows.append((path, "portal", median, queries))
            emit(f"portal {path} (server time)", "1M cases", "ours", median, queries)
    finally:
        server.stop()
    return rows


def main():
    args = parse_args()
    python, conf = prepare()
    config.parse_config(["-c", str(conf), "--log-level=warn"], setup_logging=True)
    load_server_wide_modules()
    threading.current_thread().dbname = DATABASE
    registry = Registry(DATABASE)
    print(f"load average at start {os.getloadavg()[0]:.2f}")
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        counts = {"customers": args.customers, "cases": args.cases,
                  "returns": args.returns, "warranties": args.warranties}
        refs = scale_data.generate(env, counts)
        log = QueryLog(cr)
        admin = env(user=env.ref("base.user_admin").id)
        agent = env(user=refs["agent"].id)
        rows = time_user(agent, "agent of one team", refs, args.runs, log)
        rows += time_user(admin, "administrator", refs, args.runs, log)
        if args.explain:
            explain(env, log, args.explain)
        cr.rollback()
    if not args.no_portal:
        rows += time_portal(python, conf, args.runs)
    slow = [f"{name} ({user})" for name, user, median, _queries in rows if median >= TARGET_SECONDS]
    print(f"\nload average at end {os.getloadavg()[0]:.2f}")
    print("over 0.3 s: " + (", ".join(slow) if slow else "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
