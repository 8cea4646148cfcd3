"""Time the support dashboard's aggregates on many cases.

    .venv/bin/python bench/dashboard_bench.py -c .local/odoo-<DB>.conf -d <DB> [--cases 100000]

Not a test. In one transaction that it rolls back at the end, the script
adds customers (through the ORM), cases spread over the last two years and
posted customer invoices (both through SQL inserts: creating 100,000 cases
through the ORM would time the SLA planner, not the reports), then runs
each key figure query and each report's ``_read_group`` a few times, as the
administrator (company rule) and as an agent (own and team rule), and prints
the cold and median timings. Target: every aggregate under 0.5 s.
"""

import argparse
import statistics
import sys
import time
from datetime import timedelta

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.modules.registry import Registry
from odoo.tools import SQL, config

TARGET_SECONDS = 0.5
RUNS = 5


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--cases", type=int, default=10000)
    return parser.parse_args()


def create_customers(env, count):
    partners = env["res.partner"].with_context(tracking_disable=True).create([
        {"name": f"Bench Customer {index}", "is_company": True} for index in range(count)
    ])
    env.flush_all()
    return partners


def insert_cases(env, customers, count):
    """``count`` cases over the last 730 days: 85% closed (5% of those
    cancelled), a tenth escalated, service level statuses mixed."""
    company = env.company
    teams = env["aftersales.team"].search([("company_id", "=", company.id), ("member_ids", "!=", False)])
    stages = env["aftersales.case.stage"].search([])
    open_stages = stages.filtered(lambda s: not s.is_closing)
    solved = stages.filtered(lambda s: s.is_closing and not s.is_cancelled)[:1]
    cancelled = stages.filtered("is_cancelled")[:1] or solved
    members = [(team.id, team.member_ids[:1].id) for team in teams]
    env.cr.execute(SQL(
        """
        WITH raw AS (
            SELECT n,
                   %(now)s::timestamp - make_interval(mins => (random() * 730 * 24 * 60)::int) AS reported,
                   1 + random() * 300 AS hours,
                   random() AS roll
              FROM generate_series(1, %(count)s) AS n
        ), shaped AS (
            SELECT raw.*, (raw.reported + make_interval(secs => raw.hours * 3600)) AS closed_at,
                   (raw.roll < 0.85 AND raw.reported + make_interval(secs => raw.hours * 3600) < %(now)s)
                       AS closed
              FROM raw
        )
        INSERT INTO aftersales_case (
            name, subject, company_id, partner_id, commercial_partner_id, team_id, user_id,
            stage_id, is_closed, is_on_hold, active, priority, date_reported, date_closed,
            date_last_stage_update, lead_time, first_response_time, sla_status, sla_delay_hours,
            escalation_level, create_uid, write_uid, create_date, write_date)
        SELECT 'BENCH/' || n, 'Bench case ' || n, %(company)s,
               (%(customers)s)[1 + n %% %(customer_count)s], (%(customers)s)[1 + n %% %(customer_count)s],
               (%(team_ids)s)[1 + n %% %(team_count)s], (%(user_ids)s)[1 + n %% %(team_count)s],
               CASE WHEN NOT closed THEN (%(open_stages)s)[1 + n %% %(open_count)s]
                    WHEN roll < 0.0425 THEN %(cancelled)s ELSE %(solved)s END,
               closed, FALSE, TRUE, ((n %% 4))::text, reported,
               CASE WHEN closed THEN closed_at END, reported,
               CASE WHEN closed THEN round(hours::numeric, 2) ELSE 0 END, 0,
               CASE WHEN closed AND roll < 0.6 THEN 'met' WHEN closed THEN 'breached'
                    WHEN roll < 0.9 THEN 'on_track' ELSE 'breached' END,
               0, CASE WHEN n %% 10 = 0 THEN 1 + n %% 3 ELSE 0 END,
               %(uid)s, %(uid)s, reported, reported
          FROM shaped
        """,
        now=fields.Datetime.now(), count=count, company=company.id,
        customers=customers.ids, customer_count=len(customers),
        team_ids=[team for team, _user in members], user_ids=[user for _team, user in members],
        team_count=len(members), open_stages=open_stages.ids, open_count=len(open_stages),
        cancelled=cancelled.id, solved=solved.id, uid=SUPERUSER_ID,
    ))


def insert_invoices(env, customers):
    """A posted customer invoice for two customers out of three, copied from
    a template invoice, dated in the last two years."""
    template = env["account.move"].search(
        [("move_type", "=", "out_invoice"), ("state", "=", "posted")], limit=1)
    if not template:
        print("no posted customer invoice to copy: churn runs without invoices")
        return
    env.cr.execute(SQL(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'account_move'"
        " AND column_name NOT IN ('id', 'name', 'partner_id', 'commercial_partner_id',"
        " 'invoice_date', 'date', 'sequence_number', 'inalterable_hash', 'secure_sequence_number')"
    ))
    columns = [SQL.identifier(name) for (name,) in env.cr.fetchall()]
    env.cr.execute(SQL(
        """
        INSERT INTO account_move (%(columns)s, name, partner_id, commercial_partner_id, invoice_date, date)
        SELECT %(columns)s, 'BENCH/INV/' || customer, customer, customer, day, day
          FROM account_move,
               LATERAL (SELECT customer, (now() - make_interval(days => (random() * 730)::int))::date AS day
                          FROM unnest(%(customers)s::int[]) AS customer) AS generated
         WHERE account_move.id = %(template)s AND customer %% 3 <> 0
        """,
        columns=SQL(", ").join(columns), customers=customers.ids, template=template.id,
    ))


def aggregates(env):
    """The timed calls: name -> function without arguments."""
    kpi = env["aftersales.case.kpi"]
    case = env["aftersales.case"]
    periods = kpi._get_month_periods()
    companies = env.companies
    digest = env.ref("digest.digest_digest_default")
    now = fields.Datetime.now()
    day = digest.with_context(start_datetime=now - timedelta(days=30), end_datetime=now)
    return {
        "KPI cases + escalated (2 months)": lambda: kpi._kpi_reported_cases(periods, companies),
        "KPI closed, avg/median, SLA rate": lambda: kpi._kpi_closed_cases(periods, companies),
        "KPI churned customers": lambda: kpi._kpi_churned_customers(periods, companies),
        "KPI summary (all figures)": kpi.get_kpi_summary,
        "digest: cases opened, 30 days": lambda: day.kpi_aftersales_case_opened_value,
        "digest: median resolution, 30 days": lambda: day.kpi_aftersales_resolution_hours_value,
        "report: open cases by team/stage": lambda: case._read_group(
            [("is_closed", "=", False)], ["team_id", "stage_id"], ["__count"]),
        "report: closed by month/team": lambda: case._read_group(
            [("is_closed", "=", True)], ["date_closed:month", "team_id"], ["__count", "lead_time:avg"]),
        "report: activity by representative": lambda: case._read_group(
            [], ["user_id", "is_closed"], ["__count", "lead_time:avg"]),
        "dashboard: cases per month": lambda: case._read_group(
            [], ["date_reported:month"], ["__count"]),
    }


def run_bench(env, label):
    print(f"\n{label}")
    slow = []
    for name, function in aggregates(env).items():
        durations = []
        for _run in range(RUNS):
            env.invalidate_all()
            start = time.perf_counter()
            function()
            durations.append(time.perf_counter() - start)
        cold, median = durations[0], statistics.median(durations[1:])
        flag = "" if median < TARGET_SECONDS else "  <-- over target"
        if median >= TARGET_SECONDS:
            slow.append(name)
        print(f"  {name:<40} cold {cold * 1000:8.1f} ms   median {median * 1000:8.1f} ms{flag}")
    return slow


def agent_env(env):
    """An agent of the first team: own and team cases only."""
    team = env["aftersales.team"].search([("member_ids", "!=", False)], limit=1)
    agent = env["res.users"].with_context(no_reset_password=True).create({
        "name": "Bench Agent", "login": "bench_agent_dashboard",
        "group_ids": [Command.link(env.ref("aftersales_case.aftersales_group_user").id)],
    })
    team.member_ids |= agent
    env.flush_all()
    return env(user=agent)


def main():
    args = parse_args()
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = Registry(args.database)
    with registry.cursor() as cr:
        try:
            env = api.Environment(cr, SUPERUSER_ID, {"tz": "UTC"})
            start = time.perf_counter()
            customers = create_customers(env, max(200, args.cases // 50))
            insert_cases(env, customers, args.cases)
            insert_invoices(env, customers)
            cr.execute("ANALYZE aftersales_case, account_move, res_partner")
            env.invalidate_all()
            total = env["aftersales.case"].sudo().search_count([])
            print(f"{args.cases} cases and {len(customers)} customers added in "
                  f"{time.perf_counter() - start:.1f} s; {total} cases in the database")
            admin = env(user=env.ref("base.user_admin"))
            slow = run_bench(admin, "As the administrator (all cases of the company):")
            slow += run_bench(agent_env(env), "As an agent (own and team cases):")
        finally:
            cr.rollback()
    print("\nrolled back: the database is unchanged")
    if slow:
        print(f"over {TARGET_SECONDS} s: {', '.join(sorted(set(slow)))}")
        return 1
    print(f"every aggregate under {TARGET_SECONDS} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
