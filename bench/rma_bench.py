"""Time the returns chain of the suite against OCA's rma_sale 19.0, on the same work.

    .venv/bin/python bench/rma_bench.py [--lines 1,10,50] [--runs 3] [--suite ours,oca] [--profile]

Not a test. For each suite, a delivered and invoiced order of N lines is
returned and credited step by step (create from the order, approve/confirm
with its receipt, validate the receipt, credit note, post), each step timed
and its queries counted, in one transaction per run that is rolled back.
The script makes what it needs (bench databases, OCA's wheels downloaded and
unzipped in .local/bench-oca, a configuration of their own) and says so;
bench/README.md tells what it does and how to read the figures.
"""

import argparse
import functools
import json
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import zipfile
from collections import Counter
from pathlib import Path

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.service.server import load_server_wide_modules
from odoo.tools import config

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
from rma_scenarios import SCENARIOS  # noqa: E402  (this script's folder)
from summary import emit  # noqa: E402

from launcher import database, odoo_config, odoo_setup, paths, postgres  # noqa: E402
from launcher.errors import SetupError  # noqa: E402

# pylint: disable=print-used

# "core" runs core's own documents for the same lines in our database, with no
# return at all: the floor of any suite that drives core's flows.
DATABASES = {"ours": "aftersales_bench", "oca": "oca_bench", "core": "aftersales_bench"}
SUITES = ("ours", "oca", "core")
OCA_REQUIREMENTS = ("odoo-addon-rma-sale>=19.0,<19.1", "odoo-addon-helpdesk-mgmt>=19.0,<19.1")
# helpdesk_mgmt: the peer of the cases, for the mail gateway benchmark.
OCA_MODULES = ("rma_sale", "helpdesk_mgmt")
STEPS = ("create", "approve", "receive", "credit", "post")
HEADERS = ("create", "approve", "receive", "credit note", "post", "chain")
RESULT_TAG = "RMA-BENCH-RESULT "
# The targets: the chain at most 1.3x core's own documents at one line (a
# return's fixed cost: its own document, the approval), 1.15x from ten lines.
TARGET_CORE_RATIO_SMALL, TARGET_CORE_RATIO = 1.3, 1.15


def say(text):
    print(text, file=sys.stderr, flush=True)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", default="1,10,50", help="order sizes, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs per size (the median is shown)")
    parser.add_argument("--suite", default="ours,oca,core",
                        help="ours, oca, core (core's own documents, no return), comma-separated")
    parser.add_argument("--profile", action="store_true",
                        help="attribute our per-line queries to call sites (two largest sizes)")
    parser.add_argument("--reinstall", action="store_true",
                        help="drop and recreate the bench databases, download the wheels again")
    parser.add_argument("--worker", choices=tuple(DATABASES), help=argparse.SUPPRESS)
    parser.add_argument("-c", "--config", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.lines = sorted({int(n) for n in args.lines.split(",")})
    args.suite = [s for s in SUITES if s in args.suite.split(",")]
    if args.profile and len(args.lines) < 2:
        parser.error("--profile compares two sizes: give at least two in --lines")
    return args


# Setup: cluster, OCA wheels, configurations, databases ----------------------

def prepare(args):
    """``(python, {suite: config}, cluster, OCA wheels)``, databases ready."""
    say("Preparing: Odoo 19.0 and PostgreSQL (as ./aftersales does)")
    python, odoo_root = odoo_setup.ensure_odoo()
    server, cluster = postgres.ensure_server(python)
    configs, wheels = {}, []
    if {"ours", "core"} & set(args.suite):
        name = DATABASES["ours"]
        conf = odoo_config.write_config(f"odoo-{name}", name, odoo_root, server)
        modules = paths.addon_names()
        ensure_database(python, conf, name, modules,
                        digest=database.sources_digest(modules), reinstall=args.reinstall)
        configs.update({suite: conf for suite in ("ours", "core") if suite in args.suite})
    if "oca" in args.suite:
        addons, wheels = fetch_oca_addons(python, args.reinstall)
        configs["oca"] = write_oca_config(odoo_root, server, addons)
        ensure_database(python, configs["oca"], DATABASES["oca"], OCA_MODULES,
                        digest=" ".join(wheels), reinstall=args.reinstall)
    return python, configs, cluster, wheels


def ensure_database(python, conf, name, modules, *, digest, reinstall):
    """Create ``name`` with ``modules`` (no demo data), or update it when they changed."""
    stamp = paths.state_dir() / f"{name}.modules"
    exists = database.database_exists(python, conf, name)
    if exists and reinstall:
        say(f"      dropping database {name} (--reinstall)")
        database.drop_database(python, conf, name)
        exists = False
    if not exists:
        say(f"      creating database {name}: python -m odoo server -c {conf} -d {name} "
            f"-i {','.join(modules)} --stop-after-init")
        database.install(python, conf, name, modules, demo=False)
    elif not stamp.exists() or stamp.read_text() != digest:
        # -i as well: a module added to the list since is installed, the others updated.
        say(f"      updating database {name}: -i/-u {','.join(modules)} (their files changed)")
        database.install(python, conf, name, modules, demo=False, update=modules)
    else:
        say(f"      database {name} is up to date")
    stamp.write_text(digest)


def fetch_oca_addons(python, refresh):
    """Download OCA's wheels into .local/bench-oca and unzip their addons there.

    ``--no-deps``: a wheel's requirements are read from its metadata and only
    the ``odoo-addon-*`` ones are fetched (``odoo`` itself is the machine's).
    """
    root = paths.state_dir() / "bench-oca"
    wheels, target = root / "wheels", root / "addons"
    if refresh and root.exists():
        shutil.rmtree(root)
    wheels.mkdir(parents=True, exist_ok=True)
    pending, seen, found = list(OCA_REQUIREMENTS), set(), []
    while pending:
        requirement = pending.pop()
        name = re.split(r"[<>=!~;\s\[]", requirement, maxsplit=1)[0].lower()
        if name in seen:
            continue
        seen.add(name)
        wheel = local_wheel(wheels, name)
        if wheel:
            say(f"      using {wheel.name} already in {wheels}")
        else:
            say(f"      pip download --no-deps {requirement!r} into {wheels}")
            command = [python, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
                       "--progress-bar", "off", "-q", "-d", str(wheels), requirement]
            if subprocess.run(command, check=False).returncode or not local_wheel(wheels, name):
                raise SetupError(f"pip could not download {requirement}; check the access to the "
                                 f"Python package index, or run with --suite ours.")
            wheel = local_wheel(wheels, name)
        found.append(wheel)
        pending += [r for r in wheel_requirements(wheel) if r.lower().startswith("odoo-addon")]
    if target.exists():
        shutil.rmtree(target)
    for wheel in found:
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(target, [m for m in archive.namelist() if m.startswith("odoo/addons/")])
    return target / "odoo" / "addons", sorted(wheel.name for wheel in found)


def local_wheel(folder, name):
    wanted = name.replace("-", "_")
    wheels = [w for w in folder.glob("*.whl") if w.name.split("-")[0].lower() == wanted]
    return max(wheels, default=None)


def wheel_requirements(wheel):
    with zipfile.ZipFile(wheel) as archive:
        metadata = next(m for m in archive.namelist() if m.endswith(".dist-info/METADATA"))
        lines = archive.read(metadata).decode().splitlines()
    return [line.split(":", 1)[1].strip() for line in lines
            if line.startswith("Requires-Dist:") and ";" not in line]


def write_oca_config(odoo_root, server, oca_addons):
    """The launcher's configuration, with core's addons and OCA's only (not the suite)."""
    name = DATABASES["oca"]
    conf = odoo_config.write_config(f"odoo-{name}", name, odoo_root, server)
    ours = odoo_config.addons_path(odoo_root)
    core = ",".join(folder for folder in ours.split(",") if Path(folder) != paths.PROJECT)
    text = conf.read_text()
    assert f"addons_path = {ours}\n" in text, "unexpected configuration layout"
    conf.write_text(text.replace(f"addons_path = {ours}\n", f"addons_path = {core},{oca_addons}\n"))
    say(f"      configuration {conf}: addons of core and of {oca_addons}")
    return conf


# The scenario (rma_scenarios.py), run in a worker process per suite ----------

def worker(args):
    """Run the scenario for each size in this process; print the figures as JSON."""
    # Without a web server, wkhtmltopdf cannot fetch the report assets and warns
    # at each approval PDF; the PDF is rendered all the same.
    config.parse_config(["-c", args.config, "--log-level=warn",
                         "--log-handler=odoo.addons.base.models.ir_actions_report:ERROR"],
                        setup_logging=True)
    load_server_wide_modules()
    database_name = DATABASES[args.worker]
    threading.current_thread().dbname = database_name
    registry = Registry(database_name)
    scenario = SCENARIOS[args.worker]
    run_chain(registry, scenario, 1)  # warm-up: ormcaches, templates, assets of the mails
    figures = {}
    for count in args.lines:
        runs = [run_chain(registry, scenario, count) for _ in range(args.runs)]
        # The median time and query count of the runs.
        figures[count] = {step: [statistics.median(run[step][0] for run in runs),
                                 statistics.median(run[step][1] for run in runs)] for step in STEPS}
    result = {"figures": figures}
    if args.profile:
        result["profile"] = profile(registry, scenario, args.lines[-2:])
    print(RESULT_TAG + json.dumps(result))
    return 0


def run_chain(registry, scenario_class, count, hook=None):
    """``{step: (seconds, queries)}`` for one return of a ``count``-line order."""
    cr = registry.cursor()
    try:
        env = api.Environment(cr, SUPERUSER_ID, {})
        admin = env.ref("base.user_admin")
        env = api.Environment(cr, admin.id, dict(env["res.users"].with_user(admin).context_get()))
        scenario = scenario_class(env)
        order = scenario.prepare_order(count)
        figures = {}
        for step, run in scenario.steps(order):
            thread = threading.current_thread()
            thread.query_hooks = (lambda *a, step=step: hook(step, *a),) if hook else ()
            try:
                figures[step] = measure(env, run)
            finally:
                thread.query_hooks = ()
        return figures
    finally:
        cr.rollback()
        cr.close()


def measure(env, run):
    env.flush_all()
    env.cr.flush()
    env.invalidate_all()
    queries, start = env.cr.sql_log_count, time.perf_counter()
    run()
    env.flush_all()
    env.cr.flush()  # pre-commit: tracking values, deferred recomputations
    return time.perf_counter() - start, env.cr.sql_log_count - queries


# Profiling: which of our call sites add queries with each line ---------------

def profile(registry, scenario, sizes):
    """Rows ``[step, site, issuer, statement, queries per size...]`` growing with the lines."""
    counts = {size: Counter() for size in sizes}
    for size, counter in counts.items():
        run_chain(registry, scenario, size, functools.partial(count_query, counter))
    small, large = sizes
    rows = []
    for key in set(counts[small]) | set(counts[large]):
        growth = (counts[large][key] - counts[small][key]) / (large - small)
        if growth >= 0.5:
            rows.append([*key, counts[small][key], counts[large][key], round(growth, 2)])
    return {"sizes": sizes, "rows": sorted(rows, key=lambda row: (STEPS.index(row[0]), -row[-1]))}


def count_query(counter, step, _cr, query, *_args):
    # Frames: this hook, run_chain's lambda, then the cursor's execute.
    site, issuer = attribute(sys._getframe(2))
    counter[step, site, issuer, statement(query)] += 1


def attribute(frame):
    """``(innermost call site in our modules, module whose code issued the query)``."""
    site = issuer = None
    while frame and not (site and issuer):
        path = Path(frame.f_code.co_filename)
        module = addon_of(path)
        if module and not issuer:
            issuer = module
        if module and module.startswith("aftersales_") and not site:
            site = f"{path.relative_to(PROJECT)}:{frame.f_lineno} {frame.f_code.co_name}"
        frame = frame.f_back
    return site or "(not under our code)", issuer or "framework"


def addon_of(path):
    """The addon a source file belongs to (ours, core's or OCA's), None for the framework."""
    if path.is_relative_to(PROJECT) and path.relative_to(PROJECT).parts[0].startswith("aftersales_"):
        return path.relative_to(PROJECT).parts[0]
    parts = path.parts
    if "addons" not in parts[:-1]:
        return None
    return parts[len(parts) - parts[::-1].index("addons")]  # the folder after the last "addons"


def statement(query):
    """``VERB table``: the table of the first selected column, else of FROM/INTO/UPDATE."""
    text = query.decode() if isinstance(query, bytes) else str(getattr(query, "code", query))
    verb = (text.split() or ["?"])[0].upper()
    column = re.match(r'\s*SELECT\s+(?:DISTINCT\s+)?"(\w+)"\.', text, re.I)
    target = column or re.search(r'\b(?:FROM|INTO|UPDATE)\s+"?(\w+)', text, re.I)
    return f"{verb} {target.group(1)}" if target else verb


# Report ----------------------------------------------------------------------

def chain_of(figures):
    return [sum(figures[step][i] for step in STEPS) for i in (0, 1)]


def print_table(results, args):
    print(f"\nReturns: create -> approve -> receive -> credit note -> post "
          f"(median of {args.runs} run(s), queries)")
    print(f"{'suite':6}{'lines':>6}" + "".join(f"{h:>17}" for h in HEADERS))
    for suite, figures in results.items():
        for count, steps in figures.items():
            cells = [steps[step] for step in STEPS] + [chain_of(steps)]
            print(f"{suite:6}{count:>6}" + "".join(f"{t:>9.3f}s{int(q):>6}q" for t, q in cells))
            emit("returns chain, create to posted credit note", f"{count} line{'s' * (count > 1)}", suite,
                 cells[-1][0], int(cells[-1][1]))
    for suite, figures in results.items():
        if len(figures) > 1:
            low, high = sorted(figures)[-2:]
            per_line = {step: (figures[high][step][1] - figures[low][step][1]) / (high - low)
                        for step in STEPS}
            print(f"{suite}: queries per added line ({low} -> {high} lines): "
                  + ", ".join(f"{step} {value:.1f}" for step, value in per_line.items())
                  + f"; chain {sum(per_line.values()):.1f}")
    print_verdicts(results)


def print_verdicts(results):
    """The targets, size by size: against core's documents, and against OCA."""
    ours = results.get("ours", {})
    for size in sorted(ours):
        time, queries = chain_of(ours[size])
        if size in results.get("core", {}):
            limit = TARGET_CORE_RATIO_SMALL if size == 1 else TARGET_CORE_RATIO
            ratio = time / chain_of(results["core"][size])[0]
            print(f"At {size} line(s): ours {ratio:.2f}x core's documents' time (target <= {limit}x): "
                  f"{'met' if ratio <= limit else 'NOT met'}")
        if size in results.get("oca", {}):
            oca_time, oca_queries = chain_of(results["oca"][size])
            met = time < oca_time and queries < oca_queries
            print(f"At {size} line(s): ours {time:.2f} s / {int(queries)} queries, OCA {oca_time:.2f} s / "
                  f"{int(oca_queries)} queries: {oca_time / time:.2f}x faster, {queries / oca_queries:.0%} "
                  f"of the queries (target: faster, fewer queries): {'met' if met else 'NOT met'}")


def print_profile(result):
    small, large = result["sizes"]
    print(f"\nOur suite: queries that grow with the lines ({small} -> {large} lines), by the "
          f"innermost call site in our modules and the module whose code issued them")
    print(f"{'step':8} {'per line':>8} {small:>5} {large:>5}  {'issued by':14} {'statement':36} site")
    for step, site, issuer, text, low, high, growth in result["rows"]:
        print(f"{step:8} {growth:>8.2f} {low:>5} {high:>5}  {issuer:14} {text[:36]:36} {site}")


def run_interleaved(args, python, configs):
    """``{suite: result}``, the suites taking turns run by run: a process per
    suite and run, so that the machine's other load weighs on each alike.
    Each step's figures are the medians over the runs. None if a run failed."""
    runs = {suite: [] for suite in configs}
    for run in range(args.runs):
        for suite, conf in configs.items():
            say(f"Run {run + 1}/{args.runs}: the {suite} suite in database {DATABASES[suite]} "
                f"({', '.join(map(str, args.lines))} lines)")
            profile = args.profile and suite == "ours" and run == args.runs - 1
            command = [python, __file__, "--worker", suite, "-c", str(conf), "--runs", "1",
                       "--lines", ",".join(map(str, args.lines))] + (["--profile"] if profile else [])
            done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
            lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_TAG)]
            if done.returncode or not lines:
                say(f"rma_bench: the {suite} run failed (exit {done.returncode}); see above")
                return None
            runs[suite].append(json.loads(lines[-1][len(RESULT_TAG):]))
    results = {}
    for suite, outcomes in runs.items():
        figures = {size: {step: [statistics.median(o["figures"][size][step][i] for o in outcomes)
                                 for i in (0, 1)] for step in STEPS}
                   for size in outcomes[0]["figures"]}
        results[suite] = {"figures": figures, **({"profile": outcomes[-1]["profile"]}
                                                 if "profile" in outcomes[-1] else {})}
    return results


def main():
    args = parse_args()
    if args.worker:
        return worker(args)
    try:
        python, configs, cluster, wheels = prepare(args)
    except SetupError as error:
        say(f"rma_bench: {error}")
        return 1
    try:
        results = run_interleaved(args, python, configs)
        if results is None:
            return 1
        print_table({suite: {int(n): steps for n, steps in result["figures"].items()}
                     for suite, result in results.items()}, args)
        if wheels:
            print(f"OCA: {', '.join(wheels)}")
        if "core" in results:
            print("core: no return, core's documents for the same lines (stock.return.picking, "
                  "validation, the order's invoicing, posting): the floor under any suite on them")
        if "profile" in results.get("ours", {}):
            print_profile(results["ours"]["profile"])
        return 0
    finally:
        if cluster:
            cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
