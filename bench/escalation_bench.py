"""Time one full run of the case escalation cron over generated cases.

Run with Odoo's environment, on a database where aftersales_case is installed:

    .venv/bin/python bench/escalation_bench.py -c .local/odoo-<db>.conf -d <db> --cases 100000

The cases are generated with their deadlines long passed, the scheduled
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

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config

CREATE_CHUNK = 5000
LONG_AGO = datetime(2024, 1, 8, 8, 0)


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-c', '--config', required=True, help="Odoo configuration file")
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--cases', type=int, default=10000, help="cases to generate (default 10,000)")
    parser.add_argument('--profile', type=int, default=0, metavar='N',
                        help="print the N most expensive functions of the run")
    parser.add_argument('--sort', default='cumulative', help="profile order: cumulative, tottime...")
    parser.add_argument('--report-every', type=int, default=0, metavar='N',
                        help="print the time of every N batch commits")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse(argv)
    config.parse_config(['-c', args.config, '-d', args.database])
    registry = Registry(args.database)
    cr = registry.cursor()
    try:
        env = api.Environment(cr, SUPERUSER_ID, {})
        commits = _commits_become_flushes(cr, args.report_every)
        started = time.perf_counter()
        cases = _generate(env, args.cases)
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


def _generate(env, count):
    """``count`` open cases of one new team, every deadline of theirs passed."""
    leader = env.ref('base.user_admin')
    team = env['aftersales.team'].create({'name': "Escalation bench", 'user_id': leader.id})
    env['aftersales.sla'].create({
        'name': "Escalation bench", 'sequence': -1, 'team_ids': [team.id],
        'response_hours': 2, 'resolution_hours': 8,
    })
    customer = env['res.partner'].create({'name': "Bench customer", 'is_company': True})
    Case = env['aftersales.case'].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True,
    )
    cases = Case.browse()
    for start in range(0, count, CREATE_CHUNK):
        cases |= Case.create([{
            'name': f"BENCH/{index:06d}",
            'subject': "Generated for the escalation bench",
            'partner_id': customer.id,
            'team_id': team.id,
            'user_id': leader.id if index % 2 else False,
            # One start per chunk: planning the deadlines reads the calendar once per start.
            'date_reported': LONG_AGO + timedelta(minutes=start // CREATE_CHUNK),
        } for index in range(start, min(start + CREATE_CHUNK, count))])
        env.flush_all()
        env.invalidate_all()
    return cases


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
    if profiler:
        pstats.Stats(profiler).sort_stats(sort).print_stats(profile)


if __name__ == '__main__':
    sys.exit(main())
