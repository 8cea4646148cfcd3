from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .stock_lot import check_manufacture_year


class RepairOrder(models.Model):
    """A repair order of the service department: how the product came in,
    from which case, and whether it could be repaired at all."""

    _inherit = 'repair.order'

    aftersales_date_in = fields.Datetime(
        string="Entered Service", required=True, default=fields.Datetime.now, copy=False,
        tracking=True, index=True, help="When the product was brought in for repair.",
    )
    aftersales_brought_by = fields.Char(
        string="Brought By",
        help="The person who brought the product in: the customer's delegate, a courier.",
    )
    aftersales_manufacture_year = fields.Integer(
        string="Year of Manufacture", compute='_compute_aftersales_manufacture_year',
        store=True, readonly=False,
        help="Taken from the serial/lot when it knows it; written there when it does not yet.",
    )
    aftersales_warehouse_id = fields.Many2one(
        related='picking_type_id.warehouse_id', string="Warehouse", store=True,
        index='btree_not_null',
    )
    aftersales_case_id = fields.Many2one(
        'aftersales.case', string="Case", index='btree_not_null', check_company=True, copy=False,
        ondelete='restrict', tracking=True,
    )
    aftersales_unrepairable = fields.Boolean(
        string="Not Repairable", readonly=True, copy=False, tracking=True,
        help="The product could not be repaired: the repair was cancelled for that reason.",
    )

    # Compute methods

    @api.depends('lot_id')
    def _compute_aftersales_manufacture_year(self):
        for repair in self:
            if repair.lot_id.aftersales_manufacture_year:
                repair.aftersales_manufacture_year = repair.lot_id.aftersales_manufacture_year

    # Constraints

    @api.constrains('aftersales_manufacture_year')
    def _check_aftersales_manufacture_year(self):
        for repair in self:
            check_manufacture_year(repair, repair.aftersales_manufacture_year)

    @api.constrains('aftersales_case_id', 'partner_id')
    def _check_aftersales_case_customer(self):
        for repair in self.filtered(lambda r: r.aftersales_case_id.partner_id and r.partner_id):
            # sudo: the case's customer is compared, not shown.
            case = repair.aftersales_case_id.sudo()
            if case.commercial_partner_id != repair.partner_id.commercial_partner_id:
                raise ValidationError(self.env._(
                    "Case %(case)s is about another customer than repair %(repair)s.",
                    case=case.name, repair=repair.name,
                ))

    # CRUD methods

    @api.model_create_multi
    def create(self, vals_list):
        repairs = super().create(vals_list)
        repairs._aftersales_note_lot_year()
        return repairs

    def write(self, vals):
        result = super().write(vals)
        if 'aftersales_manufacture_year' in vals or 'lot_id' in vals:
            self._aftersales_note_lot_year()
        return result

    # Actions

    def action_aftersales_unrepairable(self):
        """The products cannot be repaired: cancel the repairs and settle the
        return lines they came from by replacement instead."""
        self.check_access('write')
        wrong = self.filtered(lambda r: r.state not in ('draft', 'confirmed', 'under_repair'))
        if wrong:
            raise UserError(self.env._(
                "Repair %(repair)s is %(state)s: only a repair not done yet can be found impossible.",
                repair=wrong[0].name, state=wrong[0]._aftersales_state_label(),
            ))
        self.action_repair_cancel()
        self.aftersales_unrepairable = True
        # sudo: technicians act on repairs without rights on the returns they
        # came from; the write check on these repairs is the guard, and only
        # their own return lines change.
        self.sudo().aftersales_rma_line_id._replace_unrepairable(self)
        return True

    def action_repair_cancel_draft(self):
        self.aftersales_unrepairable = False
        return super().action_repair_cancel_draft()

    def action_aftersales_replenish_parts(self):
        """Procure every part the repair misses, in one click."""
        self.ensure_one()
        return self.move_ids.action_aftersales_replenish()

    def action_aftersales_view_case(self):
        self.ensure_one()
        return self.aftersales_case_id._get_records_action(name=self.env._("Case"))

    # Business methods

    def _aftersales_note_lot_year(self):
        """Keep the year of manufacture on the serial/lot, where the next repair finds it."""
        for repair in self.filtered(
            lambda r: r.lot_id and r.aftersales_manufacture_year and not r.lot_id.aftersales_manufacture_year
        ):
            repair.lot_id.aftersales_manufacture_year = repair.aftersales_manufacture_year

    def _aftersales_state_label(self):
        self.ensure_one()
        return dict(self._fields['state']._description_selection(self.env))[self.state]
