"""The data of ``scale_bench.py``: years of after-sales work in one database.

By default 20,000 customer companies, 1,000,000 cases, 200,000 returns and
100,000 warranty registrations, each on a serial number of its own. One
record of each kind is made through the ORM (every default, compute and
constraint applies to it); the others are copies of it made by
``INSERT ... SELECT`` over ``generate_series``, by chunks, with what varies
(reference, customer, dates, stage, state, serial) computed in SQL.
Creating a million cases through the ORM would time the deadline planner
for hours, not the screens that read them.

Committed chunk by chunk and idempotent: a second run finds the rows by
their references and only adds the missing ones.
"""

# pylint: disable=print-used  # a command-line report, not server code
import time
from datetime import datetime

from odoo import Command
from odoo.tools import SQL

CHUNK = 100_000
PASSWORD = "scale-bench-password"
PORTAL_LOGIN, AGENT_LOGIN = "scale-portal", "scale-agent"
TEAMS = 10
PRODUCTS = 20
START = datetime(2023, 1, 2, 8, 0)  # the data spans three years from here
CUSTOMER_EMAIL = "customer%s@scale.example.com"


def generate(env, counts):
    """Fill the database up to ``counts`` (customers, cases, returns, warranties)."""
    started = time.perf_counter()
    refs = ensure_reference(env)
    env.cr.commit()
    customers = ensure_customers(env, counts["customers"])
    refs["customers"] = customers
    lots = ensure_lots(env, refs, counts["warranties"])
    refs["lots"] = lots
    ensure_warranties(env, refs, counts["warranties"])
    ensure_cases(env, refs, counts["cases"])
    ensure_returns(env, refs, counts["returns"])
    ensure_users(env, refs)
    env.cr.commit()
    for table in ("res_partner", "stock_lot", "aftersales_warranty", "aftersales_case", "aftersales_rma"):
        env.cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    env.cr.commit()
    print(f"data ready in {time.perf_counter() - started:.0f} s", flush=True)
    return refs


def ensure_reference(env):
    """Teams with their agents, a service level, serial-tracked products."""
    Team = env["aftersales.team"]
    teams = Team.search([("name", "=like", "Scale Team %")], order="name")
    if len(teams) < TEAMS:
        agents = env["res.users"].with_context(no_reset_password=True).create([{
            "name": f"Scale Agent {index}", "login": f"scale-agent-{index}",
            "group_ids": [Command.link(env.ref("aftersales_case.aftersales_group_user").id)],
        } for index in range(len(teams), TEAMS)])
        teams |= Team.create([{
            "name": f"Scale Team {index:02d}", "user_id": agent.id, "member_ids": [Command.link(agent.id)],
        } for index, agent in zip(range(len(teams), TEAMS), agents, strict=True)])
    Sla = env["aftersales.sla"]
    sla = Sla.search([("name", "=", "Scale standard")], limit=1) or Sla.create({
        "name": "Scale standard", "team_ids": [Command.set(teams.ids)],
        "response_hours": 4, "resolution_hours": 24,
    })
    Product = env["product.product"]
    products = Product.search([("default_code", "=like", "SCALE-%")], order="default_code")
    if len(products) < PRODUCTS:
        products |= Product.create([{
            "name": f"Scale Appliance {index:02d}", "default_code": f"SCALE-{index:02d}",
            "type": "consu", "is_storable": True, "tracking": "serial", "list_price": 100 + index,
        } for index in range(len(products), PRODUCTS)])
    stages = env["aftersales.case.stage"].search([])
    return {
        "teams": teams, "sla": sla, "products": products,
        "open_stages": stages.filtered(lambda s: not s.is_closing),
        "closed_stage": stages.filtered(lambda s: s.is_closing and not s.is_cancelled)[:1],
        "warehouse": env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1),
    }


def ensure_customers(env, count):
    """``count`` customer companies, the first made through the ORM; their ids in order."""
    if not existing(env, "res_partner", "email", "%@scale.example.com"):
        env["res.partner"].create({
            "name": "Scale Customer 000000", "is_company": True, "email": CUSTOMER_EMAIL % "000000",
        })
    clone(env, "res_partner", "email", "%@scale.example.com", count, {
        "name": SQL("'Scale Customer ' || lpad(n::text, 6, '0')"),
        "complete_name": SQL("'Scale Customer ' || lpad(n::text, 6, '0')"),
        "email": SQL("'customer' || lpad(n::text, 6, '0') || '@scale.example.com'"),
        "email_normalized": SQL("'customer' || lpad(n::text, 6, '0') || '@scale.example.com'"),
    })
    # A copy's commercial entity is itself, not the record it was copied from.
    env.cr.execute(SQL(
        "UPDATE res_partner SET commercial_partner_id = id"
        " WHERE email LIKE '%%@scale.example.com' AND commercial_partner_id <> id"
    ))
    env.cr.commit()
    return ids(env, "res_partner", "email", "%@scale.example.com")


def ensure_lots(env, refs, count):
    """A serial number per warranty registration, the products in turn."""
    products = refs["products"]
    if not existing(env, "stock_lot", "name", "SCALE-SN-%"):
        env["stock.lot"].create({"name": "SCALE-SN-0000000", "product_id": products[0].id})
    clone(env, "stock_lot", "name", "SCALE-SN-%", count, {
        "name": SQL("'SCALE-SN-' || lpad(n::text, 7, '0')"),
        "product_id": SQL("(%s::int[])[1 + n %% %s]", products.ids, len(products)),
    })
    return ids(env, "stock_lot", "name", "SCALE-SN-%")


def ensure_warranties(env, refs, count):
    """A registration per serial, for the customers in turn, over three years."""
    if not existing(env, "aftersales_warranty", "name", "SW%"):
        lot = env["stock.lot"].browse(refs["lots"][0])
        env["aftersales.warranty"].create({
            "name": "SW0000000", "partner_id": refs["customers"][0], "product_id": lot.product_id.id,
            "lot_id": lot.id, "registration_date": START.date(),
        })
    customer = customer_sql(refs)
    clone(env, "aftersales_warranty", "name", "SW%", count, {
        "name": SQL("'SW' || lpad(n::text, 7, '0')"),
        "partner_id": customer, "commercial_partner_id": customer,
        # Serials were numbered as the registrations are: the n-th of each.
        "lot_id": SQL("(%s::int[])[1 + n]", refs["lots"]),
        "product_id": SQL("(%s::int[])[1 + n %% %s]", refs["products"].ids, len(refs["products"])),
        "registration_date": SQL("%s::date + (n %% 1095)", START.date()),
    })


def ensure_cases(env, refs, count):
    """Cases over three years: 85 % closed, a tenth on a registered serial."""
    teams = refs["teams"]
    if not existing(env, "aftersales_case", "name", "SC%"):
        env["aftersales.case"].with_context(tracking_disable=True).create({
            "name": "SC0000000", "subject": "Scale case", "partner_id": refs["customers"][0],
            "team_id": teams[0].id, "user_id": teams[0].user_id.id, "date_reported": START,
        })
    customer = customer_sql(refs)
    reported = SQL("(%s::timestamp + make_interval(mins => (n * 1.576)::int))", START)
    # Each property reads other digits of n than the team (n %% 10), so that
    # priority, stage and team vary independently, as in real data.
    closed = SQL("(n / 40 %% 20 > 2)")
    clone(env, "aftersales_case", "name", "SC%", count, {
        "name": SQL("'SC' || lpad(n::text, 7, '0')"),
        "subject": SQL("(ARRAY['Noisy pump', 'Display flickers', 'Door seal leaks', 'Will not start',"
                       " 'Missing part', 'Invoice question', 'Late delivery', 'Error E' || (n %% 97)])"
                       "[1 + n %% 8] || ' #' || n"),
        "partner_id": customer, "commercial_partner_id": customer,
        "email": SQL("'customer' || lpad((1 + n %% %s)::text, 6, '0') || '@scale.example.com'",
                     len(refs["customers"]) - 1),
        "team_id": SQL("(%s::int[])[1 + n %% %s]", teams.ids, len(teams)),
        "user_id": SQL("CASE WHEN n %% 7 = 0 THEN NULL ELSE (%s::int[])[1 + n %% %s] END",
                       teams.user_id.ids, len(teams)),
        "stage_id": SQL("CASE WHEN %s THEN %s ELSE (%s::int[])[1 + n / 800 %% %s] END", closed,
                        refs["closed_stage"].id, refs["open_stages"].ids, len(refs["open_stages"])),
        "is_closed": closed,
        "priority": SQL("(n / 10 %% 4)::text"),
        "date_reported": reported, "create_date": reported, "write_date": reported,
        "date_last_stage_update": reported,
        "date_closed": SQL("CASE WHEN %s THEN %s + interval '20 hours' END", closed, reported),
        "sla_id": SQL("%s", refs["sla"].id),
        "sla_response_deadline": SQL("%s + interval '4 hours'", reported),
        "sla_resolution_deadline": SQL("%s + interval '24 hours'", reported),
        "sla_status": SQL("CASE WHEN %s THEN 'met' ELSE 'on_track' END", closed),
        "aftersales_lot_id": SQL("CASE WHEN n %% 10 = 0 THEN (%s::int[])[1 + n / 10 %% %s] END",
                                 refs["lots"], len(refs["lots"])),
        "access_token": SQL("NULL"), "email_message_id": SQL("NULL"),
    })


def ensure_returns(env, refs, count):
    """Returns over three years, most of them done."""
    if not existing(env, "aftersales_rma", "name", "SR%"):
        env["aftersales.rma"].with_context(tracking_disable=True).create({
            "name": "SR0000000", "partner_id": refs["customers"][0],
            "warehouse_id": refs["warehouse"].id, "date": START,
        })
    customer = customer_sql(refs)
    date = SQL("(%s::timestamp + make_interval(mins => (n * 7.88)::int))", START)
    clone(env, "aftersales_rma", "name", "SR%", count, {
        "name": SQL("'SR' || lpad(n::text, 7, '0')"),
        "partner_id": customer, "commercial_partner_id": customer,
        "state": SQL("(ARRAY['done', 'done', 'done', 'received', 'approved', 'draft', 'rejected',"
                     " 'cancel'])[1 + n %% 8]"),
        "date": date, "create_date": date, "write_date": date, "access_token": SQL("NULL"),
    })


def ensure_users(env, refs):
    """The first customer's portal user and an agent of the first team."""
    Users = env["res.users"].with_context(no_reset_password=True)
    if not Users.search([("login", "=", PORTAL_LOGIN)]):
        Users.create({
            "name": "Scale Customer 000001", "login": PORTAL_LOGIN, "password": PASSWORD,
            "partner_id": refs["customers"][1],
            "group_ids": [Command.set([env.ref("base.group_portal").id])],
        })
    agent = refs["teams"][0].user_id
    if agent.login != AGENT_LOGIN:
        # Serial numbers are read by agents who also work in the warehouse.
        agent.write({"login": AGENT_LOGIN, "password": PASSWORD, "group_ids": [
            Command.link(env.ref("stock.group_stock_user").id),
            Command.link(env.ref("stock.group_production_lot").id),
        ]})
    refs["agent"] = agent


# SQL copies ------------------------------------------------------------------

def customer_sql(refs):
    """The customer of row ``n``: every customer but the ORM-made first in turn."""
    customers = refs["customers"][1:]
    return SQL("(%s::int[])[1 + n %% %s]", customers, len(customers))


def existing(env, table, column, pattern):
    env.cr.execute(SQL("SELECT count(*) FROM %s WHERE %s LIKE %s",
                       SQL.identifier(table), SQL.identifier(column), pattern))
    return env.cr.fetchone()[0]


def ids(env, table, column, pattern):
    env.cr.execute(SQL("SELECT id FROM %s WHERE %s LIKE %s ORDER BY id",
                       SQL.identifier(table), SQL.identifier(column), pattern))
    return [row[0] for row in env.cr.fetchall()]


def clone(env, table, column, pattern, count, overrides):  # noqa: PLR0917  (the rows, then the copies)
    """Copy the first row matching ``pattern`` up to ``count`` rows, ``n`` numbering them.

    The row made through the ORM is number 0; copies 1 to ``count - 1``
    are added, by committed chunks, from the last one present.
    """
    env.flush_all()
    have = existing(env, table, column, pattern)
    if have >= count:
        print(f"  {table}: {have:,} rows already", flush=True)
        return
    env.cr.execute(SQL(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name <> 'id'",
        table,
    ))
    kept = [name for (name,) in env.cr.fetchall() if name not in overrides]
    columns = SQL(", ").join(SQL.identifier(name) for name in [*kept, *overrides])
    values = SQL(", ").join([*(SQL.identifier("t", name) for name in kept), *overrides.values()])
    started = time.perf_counter()
    for first in range(have, count, CHUNK):
        env.cr.execute(SQL(
            """INSERT INTO %(table)s (%(columns)s)
               SELECT %(values)s FROM %(table)s t, generate_series(%(first)s, %(last)s) AS n
                WHERE t.id = (SELECT min(id) FROM %(table)s WHERE %(column)s LIKE %(pattern)s)""",
            table=SQL.identifier(table), columns=columns, values=values,
            first=first, last=min(first + CHUNK, count) - 1,
            column=SQL.identifier(column), pattern=pattern,
        ))
        env.cr.commit()
        print(f"  {table}: {min(first + CHUNK, count):,} rows, {time.perf_counter() - started:.0f} s",
              flush=True)
