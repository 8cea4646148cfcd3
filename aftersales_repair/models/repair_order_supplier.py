from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class RepairOrder(models.Model):
    """Units sent to their supplier for repair and received back, on
    stock's own transfers linked to the repair."""

    _inherit = 'repair.order'

    aftersales_supplier_id = fields.Many2one(
        'res.partner', string="Supplier", compute='_compute_aftersales_supplier_id', store=True,
        readonly=False, check_company=True,
        help="Who repairs the unit when it is sent away: by default the product's first vendor.",
    )
    aftersales_supplier_picking_ids = fields.One2many(
        'stock.picking', 'aftersales_repair_id', string="Supplier Shipments",
    )
    aftersales_supplier_picking_count = fields.Integer(
        string="Supplier Shipment Count", compute='_compute_aftersales_supplier_picking_count',
    )
    aftersales_at_supplier = fields.Boolean(
        string="At the Supplier", compute='_compute_aftersales_supplier_picking_count',
        help="The unit was sent to the supplier and not received back yet.",
    )

    @api.depends('product_id', 'company_id')
    def _compute_aftersales_supplier_id(self):
        for repair in self:
            company = repair.company_id
            sellers = repair.product_id.seller_ids.filtered(
                lambda s, company=company: not s.company_id or s.company_id == company
            )
            repair.aftersales_supplier_id = sellers[:1].partner_id

    @api.depends('aftersales_supplier_picking_ids.state')
    def _compute_aftersales_supplier_picking_count(self):
        for repair in self:
            pickings = repair.aftersales_supplier_picking_ids.filtered(lambda p: p.state != 'cancel')
            repair.aftersales_supplier_picking_count = len(pickings)
            sent = pickings.filtered(lambda p: p.picking_type_code == 'outgoing')
            # Each receipt back closes one shipment out: more out than back is away.
            repair.aftersales_at_supplier = len(sent) > len(pickings - sent)

    def action_aftersales_send_to_supplier(self):
        """Ship the unit of the repair to its supplier."""
        self.ensure_one()
        self._aftersales_check_supplier_shipment()
        if self.aftersales_at_supplier:
            raise UserError(self.env._(
                "The unit of repair %(repair)s is already at the supplier: receive it back first.",
                repair=self.name,
            ))
        if not self.aftersales_supplier_id:
            raise UserError(self.env._("Choose the supplier of repair %(repair)s first.", repair=self.name))
        warehouse = self.picking_type_id.warehouse_id
        picking = self._aftersales_create_supplier_picking(self._prepare_aftersales_supplier_picking_vals(
            warehouse.out_type_id, self.location_id,
            self.env.ref('stock.stock_location_suppliers'),
        ))
        return picking._get_records_action(name=self.env._("Send to Supplier"))

    def action_aftersales_receive_from_supplier(self):
        """Receive the unit back from the supplier at the repair's location."""
        self.ensure_one()
        self._aftersales_check_supplier_shipment()
        if not self.aftersales_at_supplier:
            raise UserError(self.env._(
                "The unit of repair %(repair)s was not sent to a supplier: nothing to receive.",
                repair=self.name,
            ))
        sent = self.aftersales_supplier_picking_ids.filtered(
            lambda p: p.picking_type_code == 'outgoing' and p.state != 'cancel'
        ).sorted('id')[-1:]
        warehouse = self.picking_type_id.warehouse_id
        picking = self._aftersales_create_supplier_picking(self._prepare_aftersales_supplier_picking_vals(
            warehouse.in_type_id, self.env.ref('stock.stock_location_suppliers'), self.location_id,
            supplier=sent.partner_id,
        ))
        return picking._get_records_action(name=self.env._("Receive from Supplier"))

    def action_aftersales_view_supplier_pickings(self):
        self.ensure_one()
        return self.aftersales_supplier_picking_ids._get_records_action(name=self.env._("Supplier Shipments"))

    def _aftersales_check_supplier_shipment(self):
        if self.state in ('done', 'cancel'):
            raise UserError(self.env._(
                "Repair %(repair)s is %(state)s: its unit no longer goes to a supplier.",
                repair=self.name, state=self._aftersales_state_label(),
            ))
        if not self.picking_type_id.warehouse_id:
            raise UserError(self.env._(
                "Repair %(repair)s has no warehouse to ship from.", repair=self.name,
            ))

    def _aftersales_create_supplier_picking(self, vals):
        picking = self.env['stock.picking'].create(vals)
        picking.action_confirm()
        for move in picking.move_ids:
            # The very unit of the repair, not whichever unit the reservation chose.
            move.write({'move_line_ids': [
                Command.clear(), Command.create(self._prepare_aftersales_supplier_move_line_vals(move)),
            ]})
        return picking

    def _prepare_aftersales_supplier_picking_vals(self, picking_type, location, location_dest, supplier=None):
        return {
            'picking_type_id': picking_type.id,
            'partner_id': (supplier or self.aftersales_supplier_id).id,
            'location_id': location.id,
            'location_dest_id': location_dest.id,
            'origin': self.name,
            'company_id': self.company_id.id,
            'aftersales_repair_id': self.id,
            'move_ids': [Command.create(
                self._prepare_aftersales_supplier_move_vals(location, location_dest),
            )],
        }

    def _prepare_aftersales_supplier_move_vals(self, location, location_dest):
        return {
            'product_id': self.product_id.id,
            'product_uom_qty': self.product_qty,
            'product_uom': self.product_uom.id,
            'location_id': location.id,
            'location_dest_id': location_dest.id,
            'company_id': self.company_id.id,
        }

    def _prepare_aftersales_supplier_move_line_vals(self, move):
        vals = move._prepare_move_line_vals(quantity=move.product_uom_qty)
        vals['lot_id'] = self.lot_id.id
        return vals
