"""Time the backend lists of the suite against OCA's, on many records.

    .venv/bin/python bench/list_bench.py [--returns 20000] [--cases 1000000] [--runs 5] [--suite ours,oca]

Not a test. In each suite's bench database (those ``rma_bench.py``
prepares), the first 80 returns out of ``--returns`` and the first 80 cases
out of ``--cases`` are read as the web client's list does: the fields of
the list view, the first page in the model's order, the count for the pager
(up to 10,001), as the administrator. Our returns and cases against OCA's
``rma`` and ``helpdesk_mgmt`` tickets. The records are copies, made by SQL,
of one made through each product's ORM, committed once (the next runs reuse
them); the median of ``--runs`` after a first, cold run is shown.
"""

# pylint: disable=print-used  # a command-line report, not server code
import argparse
import json
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.service.server import load_server_wide_modules
from odoo.tools import SQL, config

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the launcher
import rma_bench  # this script's folder: the databases
import scale_data
from scale_bench import view_spec
from summary import emit

RESULT_TAG = "LIST-BENCH-RESULT "
# Per suite: (scenario, model, table, reference column, the copies' prefix, maker of the first).
LISTS = {
    "ours": (("returns", "aftersales.rma", "aftersales_rma", "name", "LB-R"),
             ("cases", "aftersales.case", "aftersales_case", "name", "LB-C")),
    "oca": (("returns", "rma", "rma", "origin", "LB-R"),
            ("cases", "helpdesk.ticket", "helpdesk_ticket", "name", "LB-C")),
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--returns", type=int, default=20_000)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--suite", default="ours,oca")
    parser.add_argument("--worker", choices=tuple(LISTS), help=argparse.SUPPRESS)
    parser.add_argument("-c", "--config", help=argparse.SUPPRESS)
    return parser.parse_args()


def first_record(env, suite, scenario, prefix):
    """One record of ``scenario`` through the product's ORM, named by ``prefix``."""
    partner = env["res.partner"].search([("name", "=", "List Bench Customer")], limit=1) \
        or env["res.partner"].create({"name": "List Bench Customer", "is_company": True})
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    if suite == "ours" and scenario == "returns":
        env["aftersales.rma"].create({"name": f"{prefix}000000", "partner_id": partner.id,
                                      "warehouse_id": warehouse.id})
    elif suite == "ours":
        env["aftersales.case"].with_context(tracking_disable=True).create({
            "name": f"{prefix}000000", "subject": "List bench case", "partner_id": partner.id})
    elif scenario == "returns":
        product = env["product.product"].search([("name", "=", "List Bench Product")], limit=1) \
            or env["product.product"].create({"name": "List Bench Product", "is_storable": True})
        env["rma"].create({
            "origin": f"{prefix}000000", "partner_id": partner.id, "product_id": product.id,
            "product_uom_qty": 1, "location_id": warehouse.rma_loc_id.id,
            "operation_id": env.ref("rma.rma_operation_refund").id})
    else:
        env["helpdesk.ticket"].create({"name": f"{prefix}000000", "description": "<p>List bench</p>",
                                       "partner_id": partner.id})
    env.flush_all()


def ensure_records(env, suite, counts):
    for scenario, _model, table, column, prefix in LISTS[suite]:
        if not scale_data.existing(env, table, column, f"{prefix}%"):
            first_record(env, suite, scenario, prefix)
            env.cr.commit()
        varying = {column: SQL("%s || lpad(n::text, 7, '0')", prefix)}
        if table == "helpdesk_ticket":
            varying["number"] = SQL("'LB' || n")
        else:
            varying["access_token"] = SQL("NULL")
        if table == "aftersales_case":
            # Without a service level: the copies' deadlines would pass, and
            # another benchmark's escalation run would escalate a million cases.
            varying.update(dict.fromkeys(
                ("sla_id", "sla_response_deadline", "sla_resolution_deadline"), SQL("NULL")))
        scale_data.clone(env, table, column, f"{prefix}%", counts[scenario], varying)
        env.cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
        env.cr.commit()


def worker(args):
    config.parse_config(["-c", args.config, "--log-level=warn"], setup_logging=True)
    load_server_wide_modules()
    database = rma_bench.DATABASES[args.worker]
    threading.current_thread().dbname = database
    registry = Registry(database)
    result = []
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        ensure_records(env, args.worker, {"returns": args.returns, "cases": args.cases})
        admin = env(user=env.ref("base.user_admin").id)
        for scenario, model, table, _column, _prefix in LISTS[args.worker]:
            Model = admin[model]
            spec = view_spec(Model, "list")
            env.cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(table)))
            total = env.cr.fetchone()[0]
            durations, queries = [], 0
            for _run in range(args.runs + 1):
                admin.invalidate_all()
                before = cr.sql_log_count
                start = time.perf_counter()
                Model.web_search_read([], spec, limit=80, count_limit=10001)
                durations.append(time.perf_counter() - start)
                queries = cr.sql_log_count - before
            result.append({"scenario": scenario, "model": model, "total": total,
                           "asked": {"returns": args.returns, "cases": args.cases}[scenario],
                           "cold": durations[0], "median": statistics.median(durations[1:]),
                           "queries": queries})
        cr.rollback()
    print(RESULT_TAG + json.dumps(result), flush=True)


def main():
    args = parse_args()
    if args.worker:
        return worker(args)
    args.suite = [suite for suite in LISTS if suite in args.suite.split(",")]
    prep = argparse.Namespace(suite=args.suite, reinstall=False)
    python, configs, _cluster, _wheels = rma_bench.prepare(prep)
    results = {}
    for suite in args.suite:
        command = [python, __file__, "--worker", suite, "-c", str(configs[suite]),
                   "--returns", str(args.returns), "--cases", str(args.cases), "--runs", str(args.runs)]
        output = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout
        line = next(line for line in output.splitlines() if line.startswith(RESULT_TAG))
        results[suite] = json.loads(line[len(RESULT_TAG):])
    print_table(results)
    return 0


def print_table(results):
    print("\nBackend lists: first 80 records and the pager's count, as the administrator")
    print(f"{'list':9}{'suite':6}{'model':18}{'records':>10}{'cold ms':>9}{'median ms':>11}{'queries':>9}")
    for suite, rows in results.items():
        for row in rows:
            print(f"{row['scenario']:9}{suite:6}{row['model']:18}{row['total']:>10,}"
                  f"{row['cold'] * 1000:>9.1f}{row['median'] * 1000:>11.1f}{row['queries']:>9}")
            # The size asked for: the records the other benchmarks add to a
            # database (the portal's customers) do not make another row.
            emit(f"backend list of {row['scenario']}", f"first 80 of {row['asked']:,}", suite,
                 row["median"], row["queries"])
    if {"ours", "oca"} <= set(results):
        for ours, oca in zip(results["ours"], results["oca"], strict=True):
            print(f"{ours['scenario']}: ours {ours['median'] / oca['median']:.2f}x OCA's time")


if __name__ == "__main__":
    sys.exit(main())
