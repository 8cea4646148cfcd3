from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.aftersales_case.tools import lock_rows
from odoo.exceptions import UserError, ValidationError


class AftersalesRmaLine(models.Model):
    """How a repair settles a return line.

    A unit received on a repair line waits until a repair order holds it;
    from then on the line's resolution is kept (an open repair is a
    settlement under way). The unit is settled once repaired and delivered
    back. A cancelled repair, unrepairable ones included, settles nothing:
    its unit waits again, or the line turns to a replacement.
    """

    _inherit = 'aftersales.rma.line'

    repair_ids = fields.One2many(
        'repair.order', 'aftersales_rma_line_id', string="Repairs", groups='stock.group_stock_user',
    )
    qty_in_repair = fields.Float(
        string="In Repair", digits='Product Unit', compute='_compute_repair_quantities', store=True,
        help="Units on repair orders that are not cancelled, repaired ones included.",
    )
    qty_repair_done = fields.Float(
        string="Repaired", digits='Product Unit', compute='_compute_repair_quantities', store=True,
    )

    @api.depends('repair_ids.state', 'repair_ids.product_qty', 'repair_ids.product_uom')
    def _compute_repair_quantities(self):
        for line in self:
            # sudo: counted for the return's agents, who may not read repairs.
            in_repair = done = 0.0
            for repair in line.sudo().repair_ids.filtered(lambda r: r.state != 'cancel'):
                qty = repair.product_uom._compute_quantity(repair.product_qty, line.product_uom_id)
                in_repair += qty
                if repair.state == 'done':
                    done += qty
            line.qty_in_repair = in_repair
            line.qty_repair_done = done

    @api.depends('qty_in_repair')
    def _compute_is_resolution_locked(self):  # pylint: disable=missing-return
        super()._compute_is_resolution_locked()

    # Settlement

    def _has_settlement(self):
        """A unit in repair, open or repaired, settles the line as a repair."""
        return super()._has_settlement() or not self.product_uom_id.is_zero(self.qty_in_repair)

    def _get_qty_repaired(self):
        """Units repaired and delivered back to the customer."""
        self.ensure_one()
        return min(self.qty_repair_done, self.qty_delivered)

    def _get_qty_waiting(self):
        """On repair lines, the received units no repair order holds yet."""
        if self.resolution != 'repair':
            return super()._get_qty_waiting()
        return max(0.0, self.product_uom_id.round(self.qty_received - self.qty_in_repair))

    def _get_qty_repaired_to_send(self):
        """Repaired units not delivered back nor on their way yet."""
        self.ensure_one()
        if self.resolution != 'repair':
            return 0.0
        remaining = self.qty_repair_done - self.qty_delivered - self.qty_outgoing
        return max(0.0, self.product_uom_id.round(remaining))

    def _prepare_delivery_move_vals(self, picking_type, destination):
        vals = super()._prepare_delivery_move_vals(picking_type, destination)
        if self.resolution == 'repair':
            vals['product_uom_qty'] = self.product_uom_id._compute_quantity(
                self._get_qty_repaired_to_send(), self.product_id.uom_id,
            )
        return vals

    # Repairs

    def _prepare_repair_vals_list(self):
        """One repair per serial number, or per lot and location, for the
        units received and not in repair yet."""
        self.ensure_one()
        return [
            self._prepare_repair_vals(lot, location, receipt, qty)
            for (lot, location, receipt), qty in self._get_units_to_repair().items()
        ]

    def _prepare_repair_vals(self, lot, location, receipt, qty):
        self.ensure_one()
        rma = self.rma_id
        return {
            'product_id': self.product_id.id,
            'product_qty': qty,
            'product_uom': self.product_uom_id.id,
            'lot_id': lot.id,
            'partner_id': rma.partner_id.id,
            'picking_type_id': rma.warehouse_id.repair_type_id.id,
            'picking_id': receipt.id,
            'product_location_src_id': location.id,
            'product_location_dest_id': location.id,
            'aftersales_rma_line_id': self.id,
            'aftersales_case_id': rma.case_id.id,
            'aftersales_date_in': receipt.date_done or fields.Datetime.now(),
            'company_id': self.company_id.id,
        }

    def _get_units_to_repair(self):
        """``{(lot, location, receipt): quantity in the line's unit}`` received
        and held by no repair yet (cancelled repairs hold nothing)."""
        self.ensure_one()
        uom = self.product_uom_id
        remaining, arrivals = defaultdict(float), []
        received = self.move_ids.filtered(
            lambda m: m.state == 'done' and m._aftersales_rma_direction() == 'received'
        )
        for move_line in received.move_line_ids:
            qty = move_line.product_uom_id._compute_quantity(move_line.quantity, uom)
            remaining[move_line.lot_id] += qty
            arrivals.append((move_line, qty))
        # sudo: what other repairs hold counts, whoever may read them.
        for repair in self.sudo().repair_ids.filtered(lambda r: r.state != 'cancel'):
            remaining[repair.lot_id] -= repair.product_uom._compute_quantity(repair.product_qty, uom)
        units = defaultdict(float)
        for move_line, qty in arrivals:
            take = min(qty, remaining[move_line.lot_id])
            if uom.compare(take, 0.0) > 0:
                units[move_line.lot_id, move_line.location_dest_id, move_line.picking_id] += take
                remaining[move_line.lot_id] -= take
        return units

    def _check_repairs(self):
        """The repairs of a line repair its goods, for its customer, at most what came back."""
        for line in self:
            repairs = line.repair_ids.filtered(lambda r: r.state != 'cancel')
            wrong = repairs.filtered(
                lambda r, line=line: r.product_id != line.product_id
                or (line.lot_id and r.lot_id != line.lot_id)
                or r.partner_id.commercial_partner_id != line.rma_id.commercial_partner_id
            )
            if wrong or (repairs and line.resolution != 'repair'):
                raise ValidationError(self.env._(
                    "Repair %(repair)s does not repair %(product)s of return %(rma)s: the product, "
                    "serial/lot and customer must be the line's, and the line settled by repair.",
                    repair=(wrong or repairs)[0].name, product=line.product_id.display_name,
                    rma=line.rma_id.name,
                ))
            if line.product_uom_id.compare(line.qty_in_repair, line.qty_received) > 0:
                raise ValidationError(self.env._(
                    "%(product)s: return %(rma)s received %(received)s %(uom)s, and repairs would "
                    "hold %(in_repair)s.", product=line.product_id.display_name,
                    rma=line.rma_id.name, received=line.qty_received, uom=line.product_uom_id.name,
                    in_repair=line.qty_in_repair,
                ))

    def _replace_unrepairable(self, repairs):
        """Settle the lines of unrepairable ``repairs`` by replacement.

        A line changes its way only while nothing on it is settled: once
        ``repairs`` are cancelled, no other repair may hold units of it, and
        nothing may be credited, sent or scrapped.
        """
        lock_rows(self.rma_id, touch=True)
        for line in self:
            if line._has_settlement():
                raise UserError(self.env._(
                    "%(product)s on %(rma)s has other units repaired or in repair: the line keeps "
                    "its resolution. Cancel this repair instead, and return the unit on a return "
                    "of its own to replace it.", product=line.product_id.display_name,
                    rma=line.rma_id.name,
                ))
            line.resolution = 'replace'
            links = Markup(", ").join(
                repair._get_html_link() for repair in repairs if repair.aftersales_rma_line_id == line
            )
            line.rma_id.message_post(body=Markup("%s %s") % (self.env._(
                "%(product)s could not be repaired; it is replaced instead:",
                product=line.product_id.display_name,
            ), links))
