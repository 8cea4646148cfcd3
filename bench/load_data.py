"""The data of ``load_bench.py``, in a process of its own on the load database.

    python bench/load_data.py prepare -c <conf> -d <db> --returns 300 --url http://127.0.0.1:PORT
    python bench/load_data.py check -c <conf> -d <db> --run <run> --tally <tally.json>

``prepare`` makes what the simulated users need, committed: the bench
database exists for the load test. Idempotent: everything is found again by
its name, login or reference, and only what is missing is made, so a second
run only tops up the returns the previous one approved. It prints the plan
the users follow (logins, documents, the agent's list requests, the returns
to approve) as one JSON line.

``check`` counts, once the server is stopped, what the run wrote: the cases
its contact forms opened and the returns its approvals approved.
"""

import argparse
import ast
import json
import sys
import threading
from pathlib import Path

from lxml import etree

from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry
from odoo.service.server import load_server_wide_modules
from odoo.tools import config

sys.path.insert(0, str(Path(__file__).resolve().parent))
import portal_data  # this script's folder: the portal customer's documents are made alike

# pylint: disable=print-used

RESULT_TAG = "LOAD-BENCH-PLAN "
PASSWORD = "load-bench-password"
PORTAL_LOGIN, AGENT_LOGIN = "load-bench-portal", "load-bench-agent"
CUSTOMER = "Load Bench Customer"
PORTAL_DOCUMENTS = 20
# Pending returns are spread over several customers, as a desk's are: one
# customer's returns all approved at once would queue on that customer alone.
BUYERS = 10
BUYER = "Load Bench Buyer {}"
ITEM_CODE = "LOAD-BENCH-ITEM"
TEAM = "Load Bench Desk"
# The visitors of the contact form write from addresses of this domain's
# subdomains, one per visitor: see ``locustfile.visitor``.
VISITOR_DOMAIN = "load-bench.example"
# Fields a list widget reads besides its own (mail's ListActivity.fieldDependencies).
WIDGET_FIELDS = {
    "list_activity": {"activity_exception_decoration": {}, "activity_exception_icon": {},
                      "activity_state": {}, "activity_summary": {}, "activity_type_icon": {},
                      "activity_type_id": {"fields": {"display_name": {}}}},
}
LISTS = {"aftersales.case": "aftersales_case.aftersales_case_action",
         "aftersales.rma": "aftersales_rma.aftersales_rma_action"}
BATCH = 50


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=("prepare", "check"))
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--returns", type=int, default=300, help="returns waiting for approval")
    parser.add_argument("--url", help="the server's address, for the PDFs its scheduled jobs render")
    parser.add_argument("--run", help="the run whose writes are counted")
    parser.add_argument("--tally", help="what the users were answered (JSON)")
    return parser.parse_args()


# Prepare ---------------------------------------------------------------------

def prepare(env, args):
    """The plan of the users; the caller commits."""
    # The approval's notice is a PDF that the scheduled job renders with
    # wkhtmltopdf, which fetches its styles from this server.
    env["ir.config_parameter"].sudo().set_param("report.url", args.url)
    agent = ensure_user(env, AGENT_LOGIN, "Alex Load Agent",
                        env.ref("aftersales_case.aftersales_group_user"))
    ensure_team(env, agent)
    company, contact = ensure_partner(env, CUSTOMER, "lee")
    portal_user = ensure_user(env, PORTAL_LOGIN, contact.name, env.ref("base.group_portal"), contact)
    orders = portal_data.ensure_orders(env, contact, portal_data.ensure_products(env),
                                       PORTAL_DOCUMENTS // portal_data.DOCUMENTS_PER_ORDER)
    portal_data.make_returns(env, company, contact, orders, PORTAL_DOCUMENTS)
    portal_data.make_cases(env, company, contact, orders, PORTAL_DOCUMENTS)
    pending = ensure_pending_returns(env, args.returns)
    mine = [("partner_id", "child_of", company.id)]
    return {
        "database": env.cr.dbname,
        "portal": {"login": portal_user.login, "password": PASSWORD,
                   "returns": env["aftersales.rma"].search(mine).ids,
                   "cases": env["aftersales.case"].search(mine).ids},
        "agent": {"login": agent.login, "password": PASSWORD},
        "lists": {model: list_request(env(user=agent), model, action) for model, action in LISTS.items()},
        "pending": pending.ids,
        "visitor_offset": env["aftersales.contact.request"].sudo().search_count(
            [("email", "=like", f"%.{VISITOR_DOMAIN}")]),
    }


def ensure_user(env, login, name, group, partner=None):
    """The user ``login`` in ``group`` only (and what it implies), password reset."""
    Users = env["res.users"].with_context(active_test=False, no_reset_password=True)
    user = Users.search([("login", "=", login)], limit=1) or Users.create({
        "name": name, "login": login, "partner_id": partner.id if partner else False,
        "email": f"{login}@{VISITOR_DOMAIN}", "group_ids": [Command.set(group.ids)],
    })
    user.write({"active": True, "password": PASSWORD})
    return user


def ensure_team(env, agent):
    """The agent's team, which the contact form's cases are routed to."""
    Team = env["aftersales.team"]
    team = Team.search([("name", "=", TEAM)], limit=1) or Team.create({"name": TEAM})
    team.member_ids = [Command.link(agent.id)]
    env.ref("aftersales_case.type_question").team_id = team


def ensure_partner(env, name, person):
    Partner = env["res.partner"]
    slug = name.lower().replace(" ", "-")
    company = Partner.search([("name", "=", name), ("is_company", "=", True)], limit=1) \
        or Partner.create({"name": name, "is_company": True, "email": f"info@{slug}.example"})
    contact = Partner.search([("parent_id", "=", company.id)], limit=1) \
        or Partner.create({"name": f"{person.title()} of {name}", "parent_id": company.id,
                           "email": f"{person}@{slug}.example"})
    return company, contact


def ensure_pending_returns(env, count):
    """Draft returns of delivered orders, one unit of one order each, oldest first."""
    buyers = [ensure_partner(env, BUYER.format(n), "pat")[0] for n in range(1, BUYERS + 1)]
    domain = [("state", "=", "draft"), ("partner_id", "in", [b.id for b in buyers])]
    Rma = env["aftersales.rma"]
    while Rma.search_count(domain) < count:
        todo = min(count - Rma.search_count(domain), BATCH)
        for order in delivered_orders(env, buyers, todo):
            return_order(env, order)
        env.cr.commit()  # each batch kept: a long preparation interrupted resumes there
    return Rma.search(domain, order="id", limit=count)


def delivered_orders(env, buyers, count):
    """``count`` new orders of one unit, confirmed and delivered."""
    product = ensure_item(env, count)
    orders = env["sale.order"].create([{
        "partner_id": buyers[n % len(buyers)].id,
        "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})],
    } for n in range(count)])
    orders.action_confirm()
    pickings = orders.picking_ids
    for move in pickings.move_ids:
        move.quantity = move.product_uom_qty
    pickings.move_ids.picked = True
    pickings.button_validate()
    return orders


def ensure_item(env, needed):
    """The storable item the orders deliver, with stock enough for them."""
    Product = env["product.product"]
    product = Product.search([("default_code", "=", ITEM_CODE)], limit=1) or Product.create({
        "name": "Load Bench Item", "default_code": ITEM_CODE, "type": "consu",
        "is_storable": True, "invoice_policy": "delivery", "list_price": 40.0,
    })
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    available = product.with_context(warehouse_id=warehouse.id).qty_available
    if available < needed:
        env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id,
                                                      needed - available + 1000)
    return product


def return_order(env, order):
    """A draft return of the whole order, as the order's *Return* button makes it."""
    wizard = env["aftersales.rma.create"].with_context(
        active_model="sale.order", active_id=order.id, active_ids=order.ids).create({})
    wizard.write({"line_ids": [Command.update(line.id, {"product_uom_qty": line.qty_returnable})
                               for line in wizard.line_ids]})
    return wizard.action_create_rma()


def list_request(env, model, action_xmlid):
    """What the web client asks ``web_search_read`` for when the agent opens the
    list: every field of the list view (relations with their display name, the
    widgets' own fields) and the action's default filters."""
    views = env[model].get_views([(False, "list"), (False, "search")])
    fields = views["models"][model]["fields"]
    specification = {}
    for node in etree.fromstring(views["views"]["list"]["arch"]).iter("field"):
        name, widget = node.get("name"), node.get("widget")
        specification[name] = field_spec(fields[name], node)
        specification.update(WIDGET_FIELDS.get(widget, {}))
    action = env.ref(action_xmlid).sudo()
    context = ast.literal_eval(action.context or "{}")
    search = etree.fromstring(views["views"]["search"]["arch"])
    domain = ast.literal_eval(action.domain or "[]")
    for key in context:
        if key.startswith("search_default_"):
            node = search.find(f".//filter[@name='{key[len('search_default_'):]}']")
            domain += ast.literal_eval(node.get("domain")) if node is not None else []
    return {"specification": specification, "domain": domain}


def field_spec(field, node):
    if field["type"] in ("many2one", "reference"):
        return {"fields": {"display_name": {}}}
    if field["type"] in ("one2many", "many2many") and node.get("widget") == "many2many_tags":
        options = ast.literal_eval(node.get("options") or "{}")
        related = {"display_name": {}, **({options["color_field"]: {}} if "color_field" in options else {})}
        return {"fields": related}
    return {}


# Check -----------------------------------------------------------------------

def check(env, args):
    """The run's writes in the database, against what its users were answered."""
    tally = json.loads(Path(args.tally).read_text())
    cases = env["aftersales.case"].sudo().with_context(active_test=False).search(
        [("subject", "like", f"[load {args.run} #")])
    taken = tally["approved"] + tally["approval_failed"]
    approved = env["aftersales.rma"].sudo().browse(taken).filtered(lambda rma: rma.state != "draft")
    return {
        "cases": len(cases),
        "case_subjects": len(set(cases.mapped("subject"))),
        "approved": len(approved),
        "approved_unanswered": len(approved.filtered(lambda rma: rma.id not in tally["approved"])),
        "answered_not_approved": len(set(tally["approved"]) - set(approved.ids)),
        # The authorisations the scheduled job had not sent yet: it sends them later.
        "notices_pending": len(approved.filtered("approval_notice_pending")),
    }


def main():
    args = parse_args()
    config.parse_config(["-c", args.config, "--log-level=warn"], setup_logging=True)
    load_server_wide_modules()
    threading.current_thread().dbname = args.database
    with Registry(args.database).cursor() as cr:  # committed on leaving: bench data is kept
        env = api.Environment(cr, SUPERUSER_ID, {})
        env = env(user=env.ref("base.user_admin"))
        result = prepare(env, args) if args.step == "prepare" else check(env, args)
    print(RESULT_TAG + json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
