from datetime import datetime, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

STATES = [('active', "Active"), ('expired', "Expired"), ('void', "Void")]


class AftersalesWarranty(models.Model):
    """A unit in the customer's hands: the installed base, and its warranty."""

    _name = 'aftersales.warranty'
    _description = "Warranty Registration"
    _inherit = ['mail.thread', 'mail.activity.mixin']
    _order = 'registration_date desc, id desc'
    _check_company_auto = True
    _rec_names_search = ['name', 'lot_id', 'partner_id', 'product_id']

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True, index='trigram',
        default=lambda self: self.env._("New"),
    )
    state = fields.Selection(STATES, required=True, default='active', copy=False, tracking=True, index=True)
    company_id = fields.Many2one(
        'res.company', required=True, index=True, default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        'res.partner', string="Customer", required=True, tracking=True, index=True,
        ondelete='restrict', check_company=True,
    )
    commercial_partner_id = fields.Many2one(
        related='partner_id.commercial_partner_id', store=True, index=True, string="Customer Entity",
    )
    site_partner_id = fields.Many2one(
        'res.partner', string="Site", compute='_compute_site_partner_id', store=True, readonly=False,
        ondelete='restrict', check_company=True, help="Where the unit is: the delivery address.",
    )
    product_id = fields.Many2one(
        'product.product', required=True, index=True, ondelete='restrict', check_company=True,
        domain="[('type', '=', 'consu')]",
    )
    lot_id = fields.Many2one(
        'stock.lot', string="Serial/Lot", index='btree_not_null', ondelete='restrict',
        check_company=True, domain="[('product_id', '=', product_id)]", tracking=True,
    )
    quantity = fields.Float(default=1.0, digits='Product Unit', required=True)
    equipment_type_id = fields.Many2one('aftersales.warranty.equipment.type')
    location = fields.Char(help="Where the unit stands at the site: building, floor, room.")
    installation_date = fields.Date(tracking=True)
    registration_date = fields.Date(required=True, default=fields.Date.context_today, copy=False)
    sale_order_id = fields.Many2one(
        'sale.order', string="Sales Order", index='btree_not_null', check_company=True, copy=False,
    )
    invoice_id = fields.Many2one(
        'account.move', index='btree_not_null', check_company=True, copy=False,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]",
    )
    invoice_line_id = fields.Many2one('account.move.line', index='btree_not_null', copy=False)
    picking_id = fields.Many2one(
        'stock.picking', string="Delivery", index='btree_not_null', check_company=True, copy=False,
    )
    move_id = fields.Many2one('stock.move', string="Stock Move", index='btree_not_null', copy=False)
    delivery_date = fields.Date(compute='_compute_delivery_date', store=True)
    term_id = fields.Many2one(
        'aftersales.warranty.term', string="Warranty Terms", compute='_compute_term_id', store=True,
        readonly=False, check_company=True, tracking=True,
    )
    is_extended = fields.Boolean(
        string="Extended Warranty", compute='_compute_is_extended', store=True, readonly=False,
        tracking=True, help="The terms' extended warranty was sold with the unit.",
    )
    warranty_start = fields.Date(compute='_compute_warranty_start', store=True, readonly=False, tracking=True)
    warranty_end = fields.Date(
        string="In Warranty Until", compute='_compute_warranty_end', store=True, tracking=True,
        help="The last day covered, included.",
    )
    void_reason = fields.Char(tracking=True, copy=False)
    note = fields.Html()

    _quantity_positive = models.Constraint(
        'CHECK (quantity > 0)', "A registration holds a quantity above zero.",
    )
    # A serial is in one customer's hands at a time: the guarantee against two
    # registrations made at once (an import and a delivery), where the Python
    # check of one cannot see the other.
    _lot_registered_once = models.UniqueIndex(
        "(product_id, lot_id) WHERE lot_id IS NOT NULL AND state != 'void'",
        "This serial number is already registered.",
    )
    # The list reads the first registrations in _order: no sort of them all.
    _list_order_idx = models.Index("(registration_date DESC, id DESC)")

    @api.depends('sale_order_id', 'invoice_id', 'picking_id')
    def _compute_site_partner_id(self):
        for registration in self.filtered(lambda r: not r.site_partner_id):
            registration.site_partner_id = (
                registration.picking_id.partner_id
                or registration.sale_order_id.partner_shipping_id
                or registration.invoice_id.partner_shipping_id
            )

    @api.depends('picking_id.date_done')
    def _compute_delivery_date(self):
        for registration in self:
            registration.delivery_date = registration._company_date(registration.picking_id.date_done)

    @api.depends('product_id')
    def _compute_term_id(self):
        terms = self.env['aftersales.warranty.term']._get_for_products(self.product_id)
        for registration in self:
            registration.term_id = terms.get(registration.product_id, False)

    @api.depends('term_id', 'sale_order_id', 'invoice_id')
    def _compute_is_extended(self):
        for registration in self:
            extension = registration.term_id.extension_product_id
            sold = (registration.sale_order_id.order_line.product_id
                    | registration.invoice_id.invoice_line_ids.product_id)
            registration.is_extended = bool(extension) and extension in sold

    @api.depends('term_id.start_trigger', 'invoice_id.invoice_date', 'delivery_date',
                 'installation_date', 'registration_date')
    def _compute_warranty_start(self):
        for registration in self:
            dates = {
                'invoice': registration.invoice_id.invoice_date,
                'delivery': registration.delivery_date,
                'installation': registration.installation_date,
                'registration': registration.registration_date,
            }
            # The terms' own date when known; otherwise the delivery record
            # wins over the invoice, and both over what the customer tells.
            trigger = registration.term_id.start_trigger or 'delivery'
            registration.warranty_start = (
                dates[trigger] or dates['delivery'] or dates['invoice'] or dates['registration']
            )

    @api.depends('warranty_start', 'term_id.duration', 'term_id.duration_unit',
                 'term_id.extension_duration', 'is_extended')
    def _compute_warranty_end(self):
        for registration in self:
            term, start = registration.term_id, registration.warranty_start
            registration.warranty_end = term and start and term._get_end_date(start, registration.is_extended)

    @api.constrains('lot_id', 'product_id', 'quantity')
    def _check_lot(self):
        for registration in self:
            if registration.lot_id and registration.lot_id.product_id != registration.product_id:
                raise ValidationError(self.env._(
                    "Serial/lot %(lot)s is not one of product %(product)s.",
                    lot=registration.lot_id.name, product=registration.product_id.display_name,
                ))
            if registration.product_id.tracking == 'serial' and registration.quantity != 1:
                raise ValidationError(self.env._(
                    "A registration of %(product)s, tracked by serial number, holds one unit.",
                    product=registration.product_id.display_name,
                ))

    @api.model_create_multi
    def create(self, vals_list):
        new = self.env._("New")
        for vals in vals_list:
            if vals.get('name', new) == new:
                vals['name'] = self.env['ir.sequence'].next_by_code('aftersales.warranty') or new
        self._check_lots_free([
            (vals.get('product_id'), vals['lot_id']) for vals in vals_list
            if vals.get('lot_id') and vals.get('state', 'active') != 'void'
        ])
        registrations = super().create(vals_list)
        registrations._expire()
        return registrations

    def write(self, vals):
        if {'product_id', 'lot_id', 'state'} & vals.keys() and vals.get('state') != 'void':
            self._check_lots_free([
                (vals.get('product_id', reg.product_id.id), vals.get('lot_id', reg.lot_id.id))
                for reg in self
                if vals.get('lot_id', reg.lot_id.id) and vals.get('state', reg.state) != 'void'
            ], exclude=self)
        return super().write(vals)

    def action_void(self):
        """Void the registrations: the unit is no longer covered nor owned as
        registered (its serial may be registered again, by a transfer)."""
        if not self.env.user.has_group('aftersales_warranty.aftersales_warranty_group_manager'):
            raise UserError(self.env._("Only warranty managers can void registrations."))
        self.write({'state': 'void'})

    def action_reactivate(self):
        if not self.env.user.has_group('aftersales_warranty.aftersales_warranty_group_manager'):
            raise UserError(self.env._("Only warranty managers can reactivate registrations."))
        self.write({'state': 'active', 'void_reason': False})
        self._expire()

    @api.model
    def _check_lots_free(self, keys, exclude=None):
        """Refuse, before the database's unique index would, to register
        again one of the serials ``[(product_id, lot_id)]``, naming the
        registration that holds it."""
        if not keys:
            return
        lots = self.env['stock.lot'].browse({lot_id for _product_id, lot_id in keys})
        holders = self.sudo().search([
            ('lot_id', 'in', lots.ids), ('state', '!=', 'void'),
            ('id', 'not in', (exclude or self.browse()).ids),
        ])
        taken = {(holder.lot_id.id): holder for holder in holders}
        seen = set()
        for product_id, lot_id in keys:
            lot = lots.browse(lot_id)
            registration = self.new({'product_id': product_id or lot.product_id.id, 'lot_id': lot_id})
            if lot_id in taken or lot_id in seen:
                raise ValidationError(registration._get_duplicate_message(taken.get(lot_id)))
            seen.add(lot_id)

    def _get_duplicate_message(self, other):
        self.ensure_one()
        if other:
            return self.env._(
                "Serial %(lot)s of %(product)s is already registered on %(registration)s for %(customer)s.",
                lot=self.lot_id.name, product=self.product_id.display_name,
                registration=other.name, customer=other.partner_id.display_name,
            )
        return self.env._(
            "Serial %(lot)s of %(product)s is registered twice.",
            lot=self.lot_id.name, product=self.product_id.display_name,
        )

    def _company_date(self, moment):
        """The day ``moment`` (UTC) falls on in the company's timezone, which
        warranty dates are counted in, whoever looks at them."""
        if not moment:
            return False
        tz = pytz.timezone(self.company_id.partner_id.tz or 'UTC')
        return pytz.utc.localize(moment).astimezone(tz).date()

    def _company_today(self):
        return self._company_date(datetime.now().replace(microsecond=0))

    def _expire(self):
        """Mark expired the active registrations whose last covered day is past."""
        expired = self.filtered(
            lambda r: r.state == 'active' and r.warranty_end and r.warranty_end < r._company_today()
        )
        expired.write({'state': 'expired'})
        return expired

    @api.model
    def _cron_expire(self, batch_size=500):
        """Expire ended registrations in bounded batches, committing each.

        A day's margin: the company's today is never more than one day behind
        the server's, and claims compare the dates themselves meanwhile."""
        domain = [('state', '=', 'active'), ('warranty_end', '<', fields.Date.today() - timedelta(days=1))]
        while True:
            batch = self.search(domain, limit=batch_size).try_lock_for_update()
            if not batch:
                break
            batch.write({'state': 'expired'})
            if not self.env['ir.cron']._commit_progress(len(batch), remaining=self.search_count(domain)):
                break
