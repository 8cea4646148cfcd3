"""Time one full run of the case escalation cron over generated cases.

Run with Odoo's environment:

    .venv/bin/python bench/escalation_bench.py [-c .local/odoo-<db>.conf -d <db>] --cases 1000 --open 99000

Without ``-c``/``-d``, on a database of its own (``aftersales_escalation``,
the suite without demo data), made when missing.

The cases are generated with their deadlines long passed (``--cases``),
beside others not due yet (``--open``), and the scheduled
action's method runs once as OdooBot, and everything is rolled back at the
end: the cron's commits are turned into flushes for the duration, so the
database is left as it was. Not a test: figures only.
"""

# pylint: disable=print-used  # a command-line report, not server code
import argparse
import cProfile
import pstats
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import SQL, config

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the launcher
import rma_bench  # this script's folder: its database preparation
import scale_data
from summary import emit

from launcher import database, odoo_config, odoo_setup, paths, postgres

DATABASE = "aftersales_escalation"

LONG_AGO = datetime(2024, 1, 8, 8, 0)


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-c', '--config', help="Odoo configuration file (default: the script's own database)")
    parser.add_argument('-d', '--database', help=f"the database (default {DATABASE}, made when missing)")
    parser.add_argument('--cases', type=int, default=10000,
                        help="cases whose deadlines passed, to escalate (default 10,000)")
    parser.add_argument('--open', type=int, default=0,
                        help="more open cases, not due: the run must find the due ones among them")
    parser.add_argument('--profile', type=int, default=0, metavar='N',
                        help="print the N most expensive functions of the run")
    parser.add_argument('--sort', default='cumulative', help="profile order: cumulative, tottime...")
    parser.add_argument('--report-every', type=int, default=0, metavar='N',
                        help="print the time of every N batch commits")
    return parser.parse_args(argv)


def own_database():
    """The configuration of a database of the suite's alone, made when missing.

    Its own: the cron escalates every breached case of the database, and
    other benchmarks' data (the portal's cases, the lists' copies) would be
    timed with the generated cases.
    """
    python, odoo_root = odoo_setup.ensure_odoo()
    server, _cluster = postgres.ensure_server(python)
    conf = odoo_config.write_config(f"odoo-{DATABASE}", DATABASE, odoo_root, server)
    modules = paths.addon_names()
    rma_bench.ensure_database(python, conf, DATABASE, modules,
                              digest=database.sources_digest(modules), reinstall=False)
    return str(conf), DATABASE


def main(argv=None):
    args = parse(argv)
    if not args.config:
        args.config, args.database = own_database()
    config.parse_config(['-c', args.config, '-d', args.database])
    registry = Registry(args.database)
    cr = registry.cursor()
    try:
        env = api.Environment(cr, SUPERUSER_ID, {})
        commits = _commits_become_flushes(cr, args.report_every)
        started = time.perf_counter()
        cases = _generate(env, args.cases, args.open)
        generated = time.perf_counter() - started
        commits['since'] = time.perf_counter()
        print(f"generated {len(cases):,} cases in {generated:.1f} s")
        _run(env, cases, args.profile, args.sort)
    finally:
        cr.rollback()
        cr.close()
    return 0


def _commits_become_flushes(cr, report_every=0):
    """Let the cron "commit" its batches without anything reaching the database.

    With ``report_every``, print the time taken by each such many commits.
    """
    state = {'commits': 0, 'since': time.perf_counter()}

    def commit():
        cr.flush()
        cr.clear()
        cr.postcommit.clear()
        state['commits'] += 1
        if report_every and not state['commits'] % report_every:
            now = time.perf_counter()
            print(f"  {state['commits']} commits, last {report_every} in {now - state['since']:.1f} s")
            state['since'] = now
    cr.commit = commit
    return state


def _generate(env, count, running=0):
    """``count`` open cases of one new team, every deadline of theirs passed,
    and ``running`` more whose deadlines are a month away.

    One case is made through the ORM (its deadlines planned by the service
    level); the others are SQL copies of it: creating 100,000 cases through
    the ORM would time the deadline planner, not the cron.
    """
    leader = env.ref('base.user_admin')
    team = env['aftersales.team'].create({'name': "Escalation bench", 'user_id': leader.id})
    env['aftersales.sla'].create({
        'name': "Escalation bench", 'sequence': -1, 'team_ids': [team.id],
        'response_hours': 2, 'resolution_hours': 8,
    })
    customer = env['res.partner'].create({'name': "Bench customer", 'is_company': True})
    env['aftersales.case'].with_context(tracking_disable=True).create({
        'name': "BENCH/0000000", 'subject': "Generated for the escalation bench",
        'partner_id': customer.id, 'team_id': team.id, 'date_reported': LONG_AGO,
    })
    future = datetime.now() + timedelta(days=30)
    # Copies numbered ``count`` and up are not due.
    scale_data.clone(env, 'aftersales_case', 'name', 'BENCH/%', count + running, {
        'name': SQL("'BENCH/' || lpad(n::text, 7, '0')"),
        'user_id': SQL("CASE WHEN n %% 2 = 1 THEN %s END", leader.id),
        'sla_response_deadline': SQL("CASE WHEN n < %s THEN t.sla_response_deadline ELSE %s END",
                                     count, future),
        'sla_resolution_deadline': SQL("CASE WHEN n < %s THEN t.sla_resolution_deadline ELSE %s END",
                                       count, future),
        'sla_status': SQL("CASE WHEN n < %s THEN t.sla_status ELSE 'on_track' END", count),
        'access_token': SQL("NULL"),
    })
    env.invalidate_all()
    return env['aftersales.case'].search([('team_id', '=', team.id)])


def _run(env, cases, profile, sort):
    cr = env.cr
    queries = cr.sql_log_count
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    env['aftersales.case']._cron_escalate()
    env.flush_all()
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    queries = cr.sql_log_count - queries
    env.invalidate_all()
    levels = dict(env['aftersales.case']._read_group(
        [('id', 'in', cases.ids)], ['escalation_level'], ['__count'],
    ))
    escalated = levels.get(1, 0)
    print(f"escalated {escalated:,} of {len(cases):,} cases "
          f"(levels {levels}) in {seconds:.1f} s, {queries:,} queries, "
          f"{escalated / seconds:,.0f} cases/s")
    emit("escalation run", f"{escalated:,} due of {len(cases):,} open", "ours", seconds, queries)
    if profiler:
        pstats.Stats(profiler).sort_stats(sort).print_stats(profile)


if __name__ == '__main__':
    sys.exit(main())
