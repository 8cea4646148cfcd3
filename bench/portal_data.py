"""The data of ``portal_bench.py``: per size, a customer company whose portal
user has that many documents, in the bench database of each suite.

Run in a process of its own on the suite's database, and committed: these
databases exist for the benchmarks. Idempotent: the customer is found again
by its name (the marker), and only the documents it lacks are created, so a
second run costs a few searches.
"""

from datetime import timedelta

from odoo import Command, fields

PASSWORD = "portal-bench-password"
# Each order is returned (or asked about) ten times: the lists show the
# order of each row, as real returns made from an order do.
DOCUMENTS_PER_ORDER = 10
PRODUCTS = 5


def marker(size):
    return f"Portal Bench Customer ({size} documents)"


def login(size):
    return f"portal-bench-{size}"


def generate(env, suite, sizes):
    """``{size: {"login", "password", "counts"}}``; the caller commits."""
    products = ensure_products(env)
    customers = {}
    for size in sizes:
        company, contact = ensure_customer(env, size)
        orders = ensure_orders(env, contact, products, -(-size // DOCUMENTS_PER_ORDER))
        makers = SUITES[suite]
        counts = {model: make(env, company, contact, orders, size) for model, make in makers.items()}
        customers[size] = {"login": login(size), "password": PASSWORD, "counts": counts}
    return customers


def ensure_products(env):
    Product = env["product.product"]
    codes = [f"PORTAL-BENCH-{n}" for n in range(1, PRODUCTS + 1)]
    found = Product.search([("default_code", "in", codes)])
    missing = [code for code in codes if code not in found.mapped("default_code")]
    found |= Product.create([{"name": f"Portal Bench Item {code[-1]}", "default_code": code,
                              "type": "consu", "list_price": 25.0} for code in missing])
    return found.sorted("default_code")


def ensure_customer(env, size):
    """The customer company, its contact and the contact's portal user (password reset)."""
    Partner = env["res.partner"]
    company = Partner.search([("name", "=", marker(size)), ("is_company", "=", True)], limit=1) \
        or Partner.create({"name": marker(size), "is_company": True,
                           "email": f"info@portal-bench-{size}.example"})
    contact = Partner.search([("parent_id", "=", company.id)], limit=1) \
        or Partner.create({"name": f"Pat Bench {size}", "parent_id": company.id,
                           "email": f"pat@portal-bench-{size}.example"})
    Users = env["res.users"].with_context(active_test=False, no_reset_password=True)
    user = Users.search([("login", "=", login(size))], limit=1) or Users.create({
        "name": contact.name, "login": login(size), "partner_id": contact.id,
        "group_ids": [Command.set([env.ref("base.group_portal").id])],
    })
    user.write({"active": True, "password": PASSWORD})
    return company, contact


def ensure_orders(env, contact, products, count):
    """Confirmed orders of the contact, one line each, as the documents' origin."""
    Order = env["sale.order"]
    orders = Order.search([("partner_id", "=", contact.id), ("state", "=", "sale")], order="id")
    if len(orders) < count:
        new = Order.create([{
            "partner_id": contact.id,
            "order_line": [Command.create({"product_id": products[n % PRODUCTS].id,
                                           "product_uom_qty": DOCUMENTS_PER_ORDER})],
        } for n in range(len(orders), count)])
        new.action_confirm()
        orders |= new
    return orders[:count]


def missing(env, model, company, size):
    """Indexes of the documents still to create for this customer."""
    done = env[model].search_count([("partner_id", "child_of", company.id)])
    return range(done, size)


def spread(index):
    """Dates a few hours apart, the newest first, as documents come in."""
    return fields.Datetime.now() - timedelta(hours=3 * index)


def make_returns(env, company, contact, orders, size):
    """Our draft returns, one line each: what the portal's request form makes."""
    Rma = env["aftersales.rma"]
    todo = missing(env, "aftersales.rma", company, size)
    Rma.create([{
        "partner_id": contact.id, "sale_order_id": orders[n // DOCUMENTS_PER_ORDER].id,
        "date": spread(n),
        "line_ids": [Command.create({"product_id": orders[n // DOCUMENTS_PER_ORDER].order_line.product_id.id,
                                     "product_uom_qty": 1})],
    } for n in todo])
    return Rma.search_count([("partner_id", "child_of", company.id)])


def make_cases(env, company, contact, orders, size):
    """Our cases, with the values the portal's case form sets."""
    Case = env["aftersales.case"]
    case_type = env.ref("aftersales_case.type_question")
    todo = missing(env, "aftersales.case", company, size)
    Case.create([{
        "partner_id": company.id, "contact_id": contact.id, "type_id": case_type.id,
        "team_id": case_type.team_id.id, "subject": f"Question {n + 1} about my order",
        "date_reported": spread(n), "sale_order_id": orders[n // DOCUMENTS_PER_ORDER].id,
        "product_ids": [Command.set(orders[n // DOCUMENTS_PER_ORDER].order_line.product_id.ids)],
    } for n in todo])
    return Case.search_count([("partner_id", "child_of", company.id)])


def make_oca_rmas(env, company, contact, orders, size):
    """OCA's RMAs as ``rma_sale`` makes them from an order, in draft.

    The customer follows each of them, as OCA's confirmation does: its
    portal rule shows a customer the RMAs it follows, no others.
    """
    Rma = env["rma"]
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    refund = env.ref("rma.rma_operation_refund")
    todo = missing(env, "rma", company, size)
    rmas = Rma.create([{
        "partner_id": contact.id, "order_id": orders[n // DOCUMENTS_PER_ORDER].id,
        "origin": orders[n // DOCUMENTS_PER_ORDER].name, "date": spread(n),
        "product_id": orders[n // DOCUMENTS_PER_ORDER].order_line.product_id.id, "product_uom_qty": 1,
        "location_id": warehouse.rma_loc_id.id, "operation_id": refund.id,
    } for n in todo])
    rmas.message_subscribe(contact.ids)
    return Rma.search_count([("partner_id", "child_of", company.id)])


# What each suite's customer has: the models its pages list.
SUITES = {
    "ours": {"aftersales.rma": make_returns, "aftersales.case": make_cases},
    "oca": {"rma": make_oca_rmas},
}
