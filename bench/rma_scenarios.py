"""The returns scenario of ``rma_bench.py``: one delivered, invoiced order, then
each suite's steps on it (ours, OCA's rma_sale, core's documents alone)."""

from odoo import Command


class Scenario:
    """A delivered, invoiced order, then each suite's steps on it.

    ``steps`` yields ``(step, callable)``; the caller runs the callable before
    resuming, so a step finds what the previous one made. Each step works on
    records browsed afresh, as a button clicked in the web client does: a
    recordset carried over from an earlier step would prefetch (or fail to)
    differently than a real request.
    """

    def __init__(self, env):
        self.env = env

    @staticmethod
    def fresh(records):
        return records.browse(records.ids)

    def button(self, records, method):
        def click():
            return getattr(self.fresh(records), method)()
        return click

    def prepare_order(self, count):
        env = self.env
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        customer = env["res.partner"].create({"name": "Bench Customer", "is_company": True,
                                              "email": "bench@customer.example"})
        products = env["product.product"].create([{
            "name": f"Bench Item {n:02d}", "type": "consu", "is_storable": True,
            "invoice_policy": "delivery", "lst_price": 10.0 + n,
        } for n in range(count)])
        for product in products:
            env["stock.quant"].sudo()._update_available_quantity(product, warehouse.lot_stock_id, 100)
        order = env["sale.order"].create({
            "partner_id": customer.id, "warehouse_id": warehouse.id,
            "order_line": [Command.create({"product_id": p.id, "product_uom_qty": 2}) for p in products],
        })
        order.action_confirm()
        self.validate(order.picking_ids)
        order._create_invoices().action_post()
        return order

    def receive(self, pickings):
        return lambda: self.validate(self.fresh(pickings))

    @staticmethod
    def validate(pickings):
        """What the warehouse does: quantities as planned, validate."""
        for move in pickings.move_ids.filtered(lambda m: not m.quantity):
            move.quantity = move.product_uom_qty
        pickings.move_ids.picked = True
        pickings.button_validate()
        assert set(pickings.mapped("state")) == {"done"}, pickings.mapped("state")


class OursScenario(Scenario):

    def steps(self, order):
        state = {}
        yield "create", lambda: state.update(rma=self.create_return(order))
        rma = state["rma"]
        yield "approve", self.button(rma, "action_approve")
        yield "receive", self.receive(rma.picking_ids.filtered(
            lambda p: p.picking_type_code == "incoming" and p.state not in ("done", "cancel")))
        yield "credit", self.button(rma, "action_refund")
        yield "post", self.button(rma.credit_note_ids, "action_post")
        assert rma.state == "done" and rma.credit_note_ids.state == "posted", rma.state

    def create_return(self, order):
        # As the form does: open the wizard on the order, fill the quantities, save.
        wizard = self.env["aftersales.rma.create"].with_context(
            active_model="sale.order", active_id=order.id, active_ids=order.ids,
        ).create({})
        wizard.write({"line_ids": [
            Command.update(line.id, {"product_uom_qty": line.qty_returnable}) for line in wizard.line_ids
        ]})
        return self.env["aftersales.rma"].browse(wizard.action_create_rma()["res_id"])


class OcaScenario(Scenario):

    def steps(self, order):
        state = {}
        yield "create", lambda: state.update(rmas=self.create_return(order))
        rmas = state["rmas"]
        yield "approve", self.button(rmas, "action_confirm")
        yield "receive", self.receive(rmas.reception_move_id.picking_id)
        yield "credit", self.button(rmas, "action_refund")
        yield "post", self.button(rmas.refund_id, "action_post")
        assert set(rmas.mapped("state")) == {"refunded"} and rmas.refund_id.state == "posted"

    def create_return(self, order):
        # rma_sale's button on the order: its wizard proposes every delivered line.
        wizard = self.env["sale.order.rma.wizard"].browse(order.action_create_rma()["res_id"])
        wizard.operation_id = self.env.ref("rma.rma_operation_refund")
        return wizard.create_rma()


class CoreScenario(Scenario):
    """What stock and accounting cost alone: return the delivery with core's
    wizard, validate it, invoice the order (a credit note), post it."""

    def steps(self, order):
        state = {}
        yield "create", lambda: None  # no return document in core
        yield "approve", lambda: state.update(receipt=self.return_delivery(self.fresh(order.picking_ids)))
        yield "receive", self.receive(state["receipt"])
        yield "credit", lambda: state.update(credit_note=self.fresh(order)._create_invoices(final=True))
        yield "post", self.button(state["credit_note"], "action_post")
        assert state["credit_note"].move_type == "out_refund"

    def return_delivery(self, delivery):
        # The lines as our suite hands them to the same wizard.
        wizard = self.env["stock.return.picking"].with_context(
            active_id=delivery.id, active_model="stock.picking",
        ).create({"picking_id": delivery.id, "product_return_moves": [Command.clear()] + [
            Command.create({"product_id": move.product_id.id, "move_id": move.id,
                            "quantity": move.quantity, "to_refund": True})
            for move in delivery.move_ids
        ]})
        return wizard._create_return()


SCENARIOS = {"ours": OursScenario, "oca": OcaScenario, "core": CoreScenario}
