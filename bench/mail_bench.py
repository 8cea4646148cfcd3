"""Time inbound e-mails turned into records by the mail gateway: the suite against OCA's helpdesk_mgmt.

    .venv/bin/python bench/mail_bench.py [--runs 3] [--suite ours,oca,quiet] [--profile]

Not a test. The same 200 RFC 822 e-mails, written once by this script, are
fed to ``mail.thread.message_process`` as the gateway does (superuser, the
model found by the alias): to the alias of an ``aftersales.team`` opening
``aftersales.case`` records, and to the alias of a ``helpdesk.ticket.team``
opening ``helpdesk.ticket`` records. Each run is a process of its own on
the suite's database (the ones ``rma_bench.py`` prepares), the suites taking
turns, and one transaction rolled back at the end. bench/README.md tells how
to read the figures.
"""

import argparse
import contextlib
import cProfile
import json
import os
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from email.utils import formatdate, make_msgid
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.service.server import load_server_wide_modules
from odoo.tools import config

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the launcher
import rma_bench  # this script's folder
from summary import emit

from launcher.errors import SetupError

# pylint: disable=print-used

PROJECT = rma_bench.PROJECT
# "quiet" is our suite with its acknowledgement template archived: OCA sends
# nothing back, so this is the like-for-like row.
SUITES = ("ours", "oca", "quiet")
SUITE_NAMES = {"ours": "ours", "oca": "OCA", "quiet": "ours, no ack"}
DATABASES = {**rma_bench.DATABASES, "quiet": rma_bench.DATABASES["ours"]}
# Each suite's desk: the team whose alias opens records, and their model.
DESKS = {"ours": ("aftersales.team", "aftersales.case"), "oca": ("helpdesk.ticket.team", "helpdesk.ticket"),
         "quiet": ("aftersales.team", "aftersales.case")}
ALIAS_DOMAIN, ALIAS_NAME = "mail-bench.example", "mail-bench-desk"
# 150 e-mails from the contacts of 10 customers, 50 from 10 unknown senders.
# Fewer than 20 a sender: on a model with a primary e-mail (ours has one),
# core's loop detection drops the e-mails of an address that opened 20
# records within two hours.
CUSTOMERS, PER_CUSTOMER, STRANGERS, PER_STRANGER = 10, 15, 10, 5
EMAILS = CUSTOMERS * PER_CUSTOMER + STRANGERS * PER_STRANGER
WARMUP = 20  # e-mails of an untimed first run: ormcaches, the mail templates' compilation
RESULT_TAG = "MAIL-BENCH-RESULT "
PROBLEMS = (
    "The printer jams on every second page.", "The screen stays black after the update.",
    "The delivery arrived with a broken handle.", "The invoice shows the wrong quantity.",
    "The battery does not hold its charge any more.", "A part is missing from the box.",
)


def say(text):
    print(text, file=sys.stderr, flush=True)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs of the 200 e-mails (median shown)")
    # quiet is ours with its acknowledgement template archived: since the
    # acknowledgement left the gateway, the same work as ours; kept on demand.
    parser.add_argument("--suite", default="ours,oca",
                        help="ours, oca, quiet (ours without acknowledgement), comma-separated")
    parser.add_argument("--profile", action="store_true",
                        help="one more run of our suite under cProfile: where its time goes")
    parser.add_argument("--worker", choices=SUITES, help=argparse.SUPPRESS)
    parser.add_argument("-c", "--config", help=argparse.SUPPRESS)
    parser.add_argument("--messages", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.suite = [s for s in SUITES if s in args.suite.split(",")]
    if args.runs < 1 or not args.suite:
        parser.error("give at least one run and one suite")
    return args


# The e-mails: written once by the parent, read by each suite's worker --------

def build_messages():
    """``EMAILS`` plain-text e-mails to the desk's alias, senders shuffled (seeded)."""
    customers = [f'"Casey Customer{n:02d}" <casey{n:02d}@customer{n:02d}.example>' for n in range(CUSTOMERS)]
    strangers = [f'"Sam Stranger{n:02d}" <sam{n:02d}@stranger{n:02d}.example>' for n in range(STRANGERS)]
    senders = customers * PER_CUSTOMER + strangers * PER_STRANGER
    random.Random(EMAILS).shuffle(senders)
    messages = []
    for index, sender in enumerate(senders):
        problem = PROBLEMS[index % len(PROBLEMS)]
        name, domain = sender.split('"')[1], sender.rsplit("@", 1)[1].rstrip(">")
        messages.append(
            f"From: {sender}\nTo: \"Support\" <{ALIAS_NAME}@{ALIAS_DOMAIN}>\n"
            f"Subject: Request {index + 1:03d}: {problem[:-1].lower()}\n"
            f"Date: {formatdate(usegmt=True)}\nMessage-ID: {make_msgid(f'bench{index:03d}', domain)}\n"
            f"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
            f"Content-Transfer-Encoding: 8bit\n\nHello,\n\n{problem}\n"
            f"It started last week, after {index % 7 + 2} days of normal use.\n"
            f"Could you tell me what to do?\n\nBest regards,\n{name}\n"
        )
    return messages


# The desk, made in each run's transaction -------------------------------------

def make_desk(env, suite):
    """The team reachable at ALIAS_NAME@ALIAS_DOMAIN and the customers' contacts."""
    if suite == "quiet":
        env.ref("aftersales_case.mail_template_case_acknowledgement").active = False
    domain = env["mail.alias.domain"].create({"name": ALIAS_DOMAIN})
    team_model, _model = DESKS[suite]
    team = env[team_model].create({"name": "Mail Bench Desk", "alias_name": ALIAS_NAME,
                                   "alias_domain_id": domain.id})
    companies = env["res.partner"].create([
        {"name": f"Mail Bench Customer {n:02d}", "is_company": True} for n in range(CUSTOMERS)])
    env["res.partner"].create([{
        "name": f"Casey Customer{n:02d}", "parent_id": company.id,
        "email": f"casey{n:02d}@customer{n:02d}.example",
    } for n, company in enumerate(companies)])
    return team


def snapshot(env):
    """The highest ids before the e-mails: what the run creates lies above."""
    return {model: env[model].with_context(active_test=False).search([], order="id desc", limit=1).id or 0
            for model in ("mail.mail", "mail.message", "res.partner")}


def outcome(env, suite, team, before):
    """What the e-mails made: records, chatter messages, contacts, e-mails queued by kind."""
    _team_model, model = DESKS[suite]
    records = env[model].with_context(active_test=False).search([("team_id", "=", team.id)])
    mails = env["mail.mail"].search([("id", ">", before["mail.mail"])])
    kinds = Counter()
    for mail in mails:
        message = mail.mail_message_id
        share = {partner.partner_share for partner in mail.recipient_ids} or {bool(mail.email_to)}
        audience = "customer" if share == {True} else "staff" if share == {False} else "mixed"
        kinds[f"{message.message_type} ({message.subtype_id.name or 'no subtype'}) to {audience}"] += 1
    figures = {"records": len(records), "mails": len(mails), "mail_kinds": dict(kinds.most_common()),
               "messages": env["mail.message"].search_count([("id", ">", before["mail.message"])]),
               "partners": env["res.partner"].search_count([("id", ">", before["res.partner"])])}
    if suite != "oca":
        figures["acknowledged"] = len(records.filtered("date_acknowledged"))
    return figures


# The run, in a worker process per suite ---------------------------------------

def worker(args):
    """Run the e-mails ``--runs`` times after a warm-up; print the figures as JSON."""
    config.parse_config(["-c", args.config, "--log-level=warn"], setup_logging=True)
    load_server_wide_modules()
    threading.current_thread().dbname = DATABASES[args.worker]
    registry = Registry(DATABASES[args.worker])
    messages = json.loads(Path(args.messages).read_text())
    run_batch(registry, args.worker, messages[:WARMUP])
    result = {"runs": [run_batch(registry, args.worker, messages) for _ in range(args.runs)]}
    if args.profile:
        profiler, queries = cProfile.Profile(), Counter()
        run_batch(registry, args.worker, messages, profiler)  # enabled in its with block only
        run_batch(registry, args.worker, messages, counting_queries(queries))
        result["profile"] = {**profile_rows(profiler),
                             "queries": [[*key, count] for key, count in queries.most_common(20)]}
    print(RESULT_TAG + json.dumps(result))
    return 0


def run_batch(registry, suite, messages, instrument=None):
    """``{"seconds", "queries", "error", ...outcome}`` for the e-mails, in one rolled-back transaction."""
    cr = registry.cursor()
    try:
        env = api.Environment(cr, SUPERUSER_ID, {})
        team = make_desk(env, suite)
        before = snapshot(env)
        cr.flush()  # the ORM's pending writes, then the pre-commit hooks
        env.invalidate_all()
        queries, start = cr.sql_log_count, time.perf_counter()
        with instrument or contextlib.nullcontext():
            done, error = feed(env, messages)
        figures = {"seconds": time.perf_counter() - start, "queries": cr.sql_log_count - queries,
                   "emails": len(messages), "error": error}
        if error:
            cr.rollback()  # the failed statement aborted the transaction: nothing to count
            return {**figures, "records": done}
        if suite != "oca":
            figures.update(acknowledge(env))
        return {**figures, **outcome(env, suite, team, before)}
    finally:
        cr.rollback()
        cr.close()


def feed(env, messages):
    """``(e-mails processed, error or None)``: the gateway's work, e-mail after e-mail."""
    # fetchmail's context: OCA sets the e-mail channel of its tickets from it.
    gateway = env["mail.thread"].with_context(fetchmail_cron_running=True)
    for done, raw in enumerate(messages):
        try:
            gateway.message_process(None, raw)
            # fetchmail commits after each e-mail: the same flush, pre-commit
            # hooks (tracking, our acknowledgement) and cleared caches, no COMMIT.
            env.cr.flush()
            env.cr.clear()
        except Exception as exc:  # a suite failing is a result: its row says so
            return done, f"e-mail {done + 1} of {len(messages)}: {type(exc).__name__}: {exc}"
    return len(messages), None


def acknowledge(env):
    """The acknowledgements' scheduled action, run once the mailbox is read:
    its time and queries, apart from the gateway's. Its commits are flushes."""
    cr = env.cr
    queries, start = cr.sql_log_count, time.perf_counter()
    with mock.patch.object(cr, "commit", cr.flush):
        env["aftersales.case"]._cron_send_acknowledgements()
    return {"ack_seconds": time.perf_counter() - start, "ack_queries": cr.sql_log_count - queries}


@contextlib.contextmanager
def counting_queries(counter):
    """Count each query by our innermost call site, the module that issued it, its table."""
    def hook(_cr, query, *_args):
        site, issuer = rma_bench.attribute(sys._getframe(1))  # the cursor's execute, then its callers
        counter[site, issuer, rma_bench.statement(query)] += 1
    thread = threading.current_thread()
    thread.query_hooks = (hook,)
    try:
        yield
    finally:
        thread.query_hooks = ()


def profile_rows(profiler, top=20):
    """Own (self) time by area, the costliest functions, ours by cumulative time."""
    stats = pstats.Stats(profiler).stats
    ours, own_time, by_area = [], [], Counter()
    for (filename, line, function), (_calls, calls, own, cumulative, _callers) in stats.items():
        path = Path(filename)
        addon = rma_bench.addon_of(path) if path.is_absolute() else None
        where = f"{path.relative_to(PROJECT)}:{line}" if path.is_relative_to(PROJECT) else \
            f"{'/'.join(path.parts[-3:])}:{line}" if path.is_absolute() else "(built-in)"
        by_area[area(addon, path, function)] += own
        own_time.append([own, cumulative, calls, f"{where} {function}"])
        if addon and addon.startswith("aftersales_"):
            ours.append([cumulative, own, calls, f"{where} {function}"])
    return {"total": sum(by_area.values()), "by_area": by_area.most_common(12),
            "own": sorted(own_time, reverse=True)[:top], "ours": sorted(ours, reverse=True)[:top]}


def area(addon, path, function):
    """Where own time is spent: PostgreSQL, an addon, Odoo's framework or Python."""
    if "psycopg2" in function or "execute' of" in function:
        return "SQL (psycopg2, waiting on PostgreSQL)"
    if addon:
        return f"addon {addon}"
    return "Odoo framework (odoo/)" if "odoo" in path.parts else "Python and libraries"


# Report ----------------------------------------------------------------------

def summary(result):
    """The median run's time and queries, the counts of the first run (the same in each)."""
    runs = result["runs"]
    if not runs:
        return {"errors": result["failed"], "records_seen": []}
    times = [run["seconds"] for run in runs]
    return {**runs[0], "seconds": statistics.median(times), "min": min(times), "max": max(times),
            "queries": statistics.median(run["queries"] for run in runs),
            **{key: statistics.median(run[key] for run in runs)
               for key in ("ack_seconds", "ack_queries") if all(key in run for run in runs)},
            "errors": sorted({run["error"] for run in runs if run["error"]} | set(result["failed"])),
            "records_seen": sorted({run["records"] for run in runs})}


def verdict(figures):
    """How the runs went: ``ok``, or what went wrong, said plainly for the table."""
    if figures["errors"]:
        return "FAILED: " + " ".join(figures["errors"][0].split())[:150]
    if figures["records_seen"] != [EMAILS]:
        return f"WRONG COUNT: {'/'.join(map(str, figures['records_seen']))} records for {EMAILS} e-mails"
    return "ok"


HEADER = (("suite", 13), ("records", 8), ("total s", 8), ("min-max s", 12), ("ms/e-mail", 10),
          ("queries", 8), ("q/e-mail", 9), ("messages", 9), ("mails", 6), ("contacts", 9),
          ("ours/OCA t", 11), ("ours/OCA q", 11))


def row(suite, f, oca):
    """The table's cells for a suite; a run that failed keeps its row, saying so."""
    if "seconds" not in f:
        return [SUITE_NAMES[suite]] + ["-"] * (len(HEADER) - 1) + [verdict(f)]
    counted = not f["errors"]
    ratios = [f"{f[key] / oca[key]:.2f}" for key in ("seconds", "queries")] \
        if suite != "oca" and oca and not oca["errors"] and counted else ["-", "-"]
    return [SUITE_NAMES[suite], f["records"], f"{f['seconds']:.2f}", f"{f['min']:.2f}-{f['max']:.2f}",
            f"{f['seconds'] * 1000 / EMAILS:.1f}", int(f["queries"]), f"{f['queries'] / EMAILS:.1f}",
            *(f[key] if counted else "?" for key in ("messages", "mails", "partners")),
            *ratios, verdict(f)]


# The launcher's table: our suite with its acknowledgements against OCA, and
# without them (OCA sends nothing back) against OCA again.
SUMMARY_ROWS = {"ours": ("", "ours"), "oca": ("", "oca"), "quiet": (", no acknowledgement", "ours")}


def emit_summary(figures):
    for suite, f in figures.items():
        ok = "seconds" in f and verdict(f) == "ok"
        quiet = suite == "oca" and "quiet" in figures
        labels = [SUMMARY_ROWS[suite][0]] + ([", no acknowledgement"] if quiet else [])
        for label in labels:
            emit(f"inbound e-mails to records{label}", f"{EMAILS} e-mails", SUMMARY_ROWS[suite][1],
                 f["seconds"] if ok else None, int(f["queries"]) if ok else None,
                 note="" if ok else verdict(f))


def print_table(results, args):
    figures = {suite: summary(result) for suite, result in results.items()}
    print(f"\nInbound e-mail: {EMAILS} e-mails through message_process, time the median of {args.runs} "
          f"run(s) (min-max), queries counted after each e-mail's flush; ours/OCA: ours over OCA's")
    print("".join(f"{name:>{width}}" for name, width in HEADER) + "  check")
    for suite, f in figures.items():
        *cells, check = row(suite, f, figures.get("oca"))
        print("".join(f"{cell:>{width}}" for cell, (_name, width) in zip(cells, HEADER, strict=True))
              + f"  {check}")
    print("(messages: chatter messages created; mails: e-mails queued in mail.mail; contacts: "
          "partners created)")
    emit_summary(figures)
    for suite, f in figures.items():
        if f["errors"]:
            continue
        kinds = "; ".join(f"{count} {kind}" for kind, count in f["mail_kinds"].items()) or "none"
        extra = f", {f['acknowledged']} of {f['records']} cases acknowledged" if "acknowledged" in f else ""
        print(f"{SUITE_NAMES[suite]}: {f['mails']} e-mails queued ({kinds}){extra}")
        if f.get("acknowledged"):
            # Not in the gateway's time: the scheduled action sends them once the mailbox is read.
            print(f"{SUITE_NAMES[suite]}: then the scheduled action acknowledged {f['acknowledged']} cases "
                  f"in {f['ack_seconds']:.2f} s ({f['ack_seconds'] * 1000 / f['acknowledged']:.1f} ms, "
                  f"{f['ack_queries'] / f['acknowledged']:.1f} queries each; median of the runs)")
            emit("acknowledgements sent after the e-mails", f"{f['acknowledged']} cases", "ours",
                 f["ack_seconds"], int(f["ack_queries"]))


def print_profile(result):
    print(f"\nOur suite under cProfile (one run, {result['total']:.2f} s of own time): own time by area")
    for name, own in result["by_area"]:
        print(f"  {own:>7.2f} s {own / result['total']:>4.0%}  {name}")
    for title, rows in (("Costliest functions by own time (own s, cumulative s, calls)", result["own"]),
                        ("Our functions by cumulative time (cumulative s, own s, calls)", result["ours"])):
        print(title)
        for first, second, calls, where in rows:
            print(f"  {first:>7.2f} {second:>7.2f} {calls:>6}  {where}")
    print(f"Queries of a run by our innermost call site and the module that issued them "
          f"(per e-mail, of {EMAILS})")
    for site, issuer, text, count in result["queries"]:
        print(f"  {count / EMAILS:>6.2f}  {issuer:16} {text[:32]:32} {site}")


def load():
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


def run_suite(python, suite, conf, messages, profile):
    say(f"Running the {suite} suite in database {DATABASES[suite]} ({EMAILS} e-mails after a warm-up "
        f"of {WARMUP}{', then profiled' if profile else ''})")
    command = [python, __file__, "--worker", suite, "-c", str(conf), "--runs", "1",
               "--messages", messages] + (["--profile"] if profile else [])
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_TAG)]
    if done.returncode or not lines:
        # A suite that cannot even run is a result too: its row says so.
        return {"failed": f"the worker stopped (exit {done.returncode}), see its output above"}
    return json.loads(lines[-1][len(RESULT_TAG):])


def measure(python, configs, messages, args):
    """Each suite's runs, taking turns: a change in the machine's other load
    then weighs on every suite alike."""
    results = {}
    for turn in range(args.runs):
        for suite in args.suite:
            result = run_suite(python, suite, configs[suite], messages,
                               args.profile and suite == "ours" and turn == 0)
            merged = results.setdefault(suite, {"runs": [], "failed": []})
            if "failed" in result:
                merged["failed"].append(result["failed"])
            else:
                merged["runs"] += result.pop("runs")
                merged.update(result)  # the profile
    return results


def main():
    args = parse_args()
    if args.worker:
        return worker(args)
    cluster = None
    try:
        python, configs, cluster, wheels = rma_bench.prepare(SimpleNamespace(
            suite=sorted({"oca" if suite == "oca" else "ours" for suite in args.suite}), reinstall=False))
        configs["quiet"] = configs.get("ours")
        with tempfile.TemporaryDirectory(prefix="mail-bench-") as folder:
            messages = Path(folder) / "messages.json"
            messages.write_text(json.dumps(build_messages()))
            before = load()
            say(f"Measuring (load average {before}, {os.cpu_count()} cores)")
            results = measure(python, configs, str(messages), args)
        print_table(results, args)
        if wheels:
            print(f"OCA: {', '.join(wheels)}")
        print(f"Load average (1, 5, 15 min): {before} when measuring began, {load()} at the end; "
              f"{os.cpu_count()} cores")
        if "profile" in results.get("ours", {}):
            print_profile(results["ours"]["profile"])
        return 0
    except SetupError as error:
        say(f"mail_bench: {error}")
        return 1
    finally:
        if cluster:
            cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
