from odoo import fields, models
from odoo.exceptions import UserError

# The return line's resolution for each remedy asked.
RESOLUTIONS = {'repair': 'repair', 'parts': 'repair', 'replacement': 'replace', 'refund': 'refund'}


class AftersalesWarrantyClaim(models.Model):
    """An accepted claim settled by a return or a repair under warranty."""

    _inherit = 'aftersales.warranty.claim'

    def action_create_return(self):
        """A return of the claimed units, marked under warranty: they come
        back to be repaired, replaced or refunded as asked."""
        self._ensure_accepted()
        rmas = self.env['aftersales.rma'].create([claim._prepare_rma_vals() for claim in self])
        for claim, rma in zip(self, rmas, strict=True):
            claim.write({'rma_id': rma.id, 'state': 'done'})
        return rmas._get_records_action(name=self.env._("Returns"))

    def action_create_repair(self):
        """A repair under warranty of the claimed unit, at the customer's or
        brought in by hand: nothing is charged for it."""
        self._ensure_accepted()
        # sudo: warranty users need not be technicians; the claim, accepted by
        # the terms or a manager, is what authorises the repair, which the
        # workshop then carries out under its own rights.
        repairs = self.env['repair.order'].sudo().create([claim._prepare_repair_vals() for claim in self])
        for claim, repair in zip(self, repairs, strict=True):
            claim.write({'repair_id': repair.id, 'state': 'done'})
        if self.env['repair.order'].has_access('read'):
            return repairs.with_env(self.env)._get_records_action(name=self.env._("Repairs"))
        return True

    def _ensure_accepted(self):
        refused = self.filtered(lambda claim: claim.state != 'accepted')
        if refused:
            raise UserError(self.env._(
                "Only accepted claims become returns or repairs: %(claims)s.",
                claims=", ".join(refused.mapped('name')),
            ))

    def _prepare_rma_vals(self):
        self.ensure_one()
        registration = self.registration_id
        # sudo: the delivery and invoice lines are read to find the order line
        # the unit was sold on, which the return is made against, not shown.
        origin = registration.sudo()
        sale_line = origin.move_id.sale_line_id or origin.invoice_line_id.sale_line_ids.filtered(
            lambda sol: sol.product_id == registration.product_id
        )[:1]
        return {
            'partner_id': self.partner_id.id,
            'company_id': self.company_id.id,
            'sale_order_id': sale_line.order_id.id or registration.sale_order_id.id,
            'invoice_id': False if sale_line else registration.invoice_id.id,
            'root_cause_id': self.root_cause_id.id,
            'aftersales_under_warranty': True,
            'line_ids': [fields.Command.create({
                'product_id': registration.product_id.id,
                'lot_id': registration.lot_id.id,
                'product_uom_qty': self.quantity,
                'resolution': RESOLUTIONS[self.remedy],
                'sale_line_id': sale_line.id,
                'invoice_line_id': False if sale_line else registration.invoice_line_id.id,
                'note': self.problem,
            })],
        }

    def _prepare_repair_vals(self):
        self.ensure_one()
        registration = self.registration_id
        return {
            'partner_id': self.partner_id.id,
            'company_id': self.company_id.id,
            'product_id': registration.product_id.id,
            'lot_id': registration.lot_id.id,
            'product_qty': self.quantity,
            'under_warranty': True,
            'internal_notes': self.problem,
        }

    def action_view_rma(self):
        self.ensure_one()
        return self.rma_id._get_records_action(name=self.env._("Return"))

    def action_view_repair(self):
        self.ensure_one()
        return self.repair_id._get_records_action(name=self.env._("Repair"))
