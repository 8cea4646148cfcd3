from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

REMEDIES = [
    ('repair', "Repair"),
    ('parts', "Spare Parts"),
    ('replacement', "Replacement"),
    ('refund', "Refund"),
]
STATES = [
    ('draft', "To Validate"),
    ('accepted', "Accepted"),
    ('refused', "Refused"),
    ('done', "Settled"),
    ('cancel', "Cancelled"),
]


class AftersalesWarrantyClaim(models.Model):
    """A customer's claim under the warranty of a registered unit."""

    _name = 'aftersales.warranty.claim'
    _description = "Warranty Claim"
    _inherit = ['mail.thread', 'mail.activity.mixin']
    _order = 'date desc, id desc'
    _check_company_auto = True
    _rec_names_search = ['name', 'lot_id', 'partner_id']

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True, index='trigram',
        default=lambda self: self.env._("New"),
    )
    state = fields.Selection(STATES, required=True, default='draft', copy=False, tracking=True, index=True)
    company_id = fields.Many2one(
        'res.company', required=True, index=True, default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        'res.partner', string="Claimant", required=True, tracking=True, index=True,
        ondelete='restrict', check_company=True,
    )
    commercial_partner_id = fields.Many2one(
        related='partner_id.commercial_partner_id', store=True, index=True, string="Customer Entity",
    )
    date = fields.Date(
        string="Claimed On", required=True, default=fields.Date.context_today, tracking=True,
        help="The day the claim is made: it must fall within the warranty.",
    )
    lot_id = fields.Many2one(
        'stock.lot', string="Serial Number", index='btree_not_null', check_company=True,
        help="The serial number the customer gives: its registration is looked up.",
    )
    registration_id = fields.Many2one(
        'aftersales.warranty', compute='_compute_registration_id', store=True,
        readonly=False, index='btree_not_null', check_company=True, tracking=True,
    )
    product_id = fields.Many2one(
        'product.product', compute='_compute_product_id', store=True, readonly=False, index=True,
        check_company=True,
    )
    quantity = fields.Float(default=1.0, digits='Product Unit', required=True)
    sale_order_id = fields.Many2one(related='registration_id.sale_order_id', string="Sales Order")
    warranty_end = fields.Date(related='registration_id.warranty_end')
    problem = fields.Text(required=True, help="What is wrong, in the customer's words.")
    root_cause_id = fields.Many2one('aftersales.rma.root.cause', string="Cause", tracking=True)
    remedy = fields.Selection(
        REMEDIES, string="Asked For", required=True, default='repair', tracking=True,
        help="What the customer asks: the warranty terms must cover it.",
    )
    refusal_codes = fields.Char(
        readonly=True, copy=False, help="Technical: why the checks refused the claim.",
    )
    validation_result = fields.Text(compute='_compute_validation_result')
    is_overridden = fields.Boolean(string="Decided by a Manager", readonly=True, copy=False, tracking=True)
    override_reason = fields.Text(copy=False, tracking=True)
    rma_id = fields.Many2one(
        'aftersales.rma', string="Return", readonly=True, copy=False, index='btree_not_null',
    )
    repair_id = fields.Many2one(
        'repair.order', readonly=True, copy=False, index='btree_not_null',
    )

    _quantity_positive = models.Constraint('CHECK (quantity > 0)', "A claim is about a quantity above zero.")

    @api.depends('lot_id', 'partner_id')
    def _compute_registration_id(self):
        registrations = self.env['aftersales.warranty']._get_by_lots(self.lot_id)
        for claim in self.filtered('lot_id'):
            claim.registration_id = registrations.get(claim.lot_id, False)

    @api.depends('registration_id', 'lot_id')
    def _compute_product_id(self):
        for claim in self:
            claim.product_id = claim.registration_id.product_id or claim.lot_id.product_id or claim.product_id

    @api.depends('state', 'refusal_codes', 'registration_id', 'remedy', 'date')
    @api.depends_context('lang')
    def _compute_validation_result(self):
        for claim in self:
            claim.validation_result = claim._get_validation_result()

    @api.constrains('registration_id', 'quantity')
    def _check_quantity(self):
        for claim in self.filtered('registration_id'):
            registration = claim.registration_id
            if registration.product_id.uom_id.compare(claim.quantity, registration.quantity) > 0:
                raise ValidationError(self.env._(
                    "Registration %(registration)s holds %(quantity)s units: a claim cannot be about more.",
                    registration=registration.name, quantity=registration.quantity,
                ))

    @api.model_create_multi
    def create(self, vals_list):
        new = self.env._("New")
        for vals in vals_list:
            if vals.get('name', new) == new:
                vals['name'] = self.env['ir.sequence'].next_by_code('aftersales.warranty.claim') or new
        claims = super().create(vals_list)
        claims._validate()
        return claims

    def action_validate(self):
        """Check again the claims not settled yet, after a correction."""
        if self.filtered(lambda c: c.state not in ('draft', 'accepted', 'refused') or c.is_overridden):
            raise UserError(self.env._("Only claims not settled nor decided by a manager are checked again."))
        self._validate()

    def action_override_accept(self):
        self._override('accepted')

    def action_override_refuse(self):
        self._override('refused')

    def action_cancel(self):
        if self.filtered(lambda claim: claim.state == 'done'):
            raise UserError(self.env._("A settled claim cannot be cancelled."))
        self.write({'state': 'cancel'})

    def _override(self, state):
        """A manager's decision over the checks, with its reason, tracked."""
        if not self.env.user.has_group('aftersales_warranty.aftersales_warranty_group_manager'):
            raise UserError(self.env._("Only warranty managers can overrule the checks of a claim."))
        if self.filtered(lambda claim: claim.state not in ('draft', 'accepted', 'refused')):
            raise UserError(self.env._("Settled and cancelled claims cannot be decided again."))
        missing = self.filtered(lambda claim: not (claim.override_reason or '').strip())
        if missing:
            raise UserError(self.env._(
                "Give the reason for overruling the checks of %(claims)s.",
                claims=", ".join(missing.mapped('name')),
            ))
        self.write({'state': state, 'is_overridden': True})
        decision = dict(self._fields['state']._description_selection(self.env))[state]
        for claim in self:
            claim.message_post(body=self.env._(
                "Checks overruled by %(user)s: %(decision)s. Reason: %(reason)s",
                user=self.env.user.name, decision=decision, reason=claim.override_reason,
            ), subtype_xmlid='mail.mt_note')
