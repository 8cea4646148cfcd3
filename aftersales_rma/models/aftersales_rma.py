from contextlib import nullcontext

from odoo import api, fields, models
from odoo.addons.aftersales_case.tools import lock_rows, renewing_access_tokens
from odoo.exceptions import UserError, ValidationError

RESOLUTIONS = [
    ('refund', "Refund"),
    ('replace', "Replace"),
    ('repair', "Repair"),
    ('return', "Return As-Is"),
    ('scrap', "Scrap"),
]
STATES = [
    ('draft', "Draft"),
    ('approved', "Approved"),
    ('receiving', "Partly Received"),
    ('received', "Received"),
    ('done', "Done"),
    ('rejected', "Rejected"),
    ('cancel', "Cancelled"),
]
OPEN_STATES = ('draft', 'approved', 'receiving')


class AftersalesRma(models.Model):
    _name = 'aftersales.rma'
    _description = "Return Authorisation"
    _inherit = ['mail.thread', 'mail.activity.mixin', 'portal.mixin']
    _order = 'date desc, id desc'
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True, index='trigram',
        default=lambda self: self.env._("New"),
    )
    state = fields.Selection(
        STATES, required=True, default='draft', copy=False, tracking=True, index=True,
    )
    date = fields.Datetime(string="Requested On", required=True, default=fields.Datetime.now)
    date_approved = fields.Datetime(string="Approved On", copy=False, readonly=True)
    company_id = fields.Many2one(
        'res.company', required=True, index=True, default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        'res.partner', string="Customer", required=True, tracking=True, index=True,
        ondelete='restrict', check_company=True,
    )
    commercial_partner_id = fields.Many2one(
        related='partner_id.commercial_partner_id', store=True, index=True,
        string="Customer Entity",
    )
    partner_shipping_id = fields.Many2one(
        'res.partner', string="Return Address", compute='_compute_partner_shipping_id',
        store=True, readonly=False, check_company=True, ondelete='restrict',
        help="Where the goods come from, and where replacements are delivered.",
    )
    case_id = fields.Many2one(
        'aftersales.case', tracking=True, index='btree_not_null',
        check_company=True, copy=False,
    )
    sale_order_id = fields.Many2one(
        'sale.order', string="Sales Order", tracking=True, index='btree_not_null',
        check_company=True,
        domain="[('partner_id', 'child_of', commercial_partner_id), ('state', '=', 'sale')]",
    )
    invoice_id = fields.Many2one(
        'account.move', tracking=True, index='btree_not_null',
        check_company=True,
        domain="[('partner_id', 'child_of', commercial_partner_id), "
               "('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]",
    )
    origin_rma_id = fields.Many2one(
        'aftersales.rma', string="Returned Return", index='btree_not_null', copy=False,
        help="The return whose replacement this return sends back.",
    )
    warehouse_id = fields.Many2one(
        'stock.warehouse', required=True, check_company=True,
        compute='_compute_warehouse_id', store=True, readonly=False, precompute=True,
    )
    user_id = fields.Many2one(
        'res.users', string="Responsible", tracking=True, index=True,
        default=lambda self: self.env.user, domain="[('share', '=', False)]",
    )
    team_id = fields.Many2one(
        'aftersales.team', tracking=True, index=True, check_company=True,
        compute='_compute_team_id', store=True, readonly=False,
    )
    requested_resolution = fields.Selection(
        RESOLUTIONS, required=True, default='refund', tracking=True,
        help="What the customer asks for; each line can still be settled otherwise.",
    )
    description = fields.Html(string="Customer's Explanation")
    corrective_action = fields.Html(help="What is done so that this does not happen again.")
    root_cause_id = fields.Many2one('aftersales.rma.root.cause', tracking=True, index='btree_not_null')
    line_ids = fields.One2many('aftersales.rma.line', 'rma_id', string="Lines", copy=True)
    currency_id = fields.Many2one(
        'res.currency', compute='_compute_currency_id', store=True, readonly=False,
        required=True, precompute=True,
    )
    amount_total = fields.Monetary(
        string="Value", compute='_compute_amount_total', store=True,
        help="The value of the requested quantities at their invoiced or sold prices.",
    )
    is_pending_credit = fields.Boolean(
        string="Pending Credit", compute='_compute_is_pending_credit', store=True, index=True,
        help="Goods for refund lines were received and are not credited yet.",
    )
    picking_ids = fields.One2many('stock.picking', 'aftersales_rma_id', string="Transfers")
    # Counted in sudo: agents follow their returns' documents without stock
    # or accounting rights; opening them stays with those rights.
    receipt_count = fields.Integer(compute='_compute_picking_counts', compute_sudo=True)
    delivery_count = fields.Integer(compute='_compute_picking_counts', compute_sudo=True)
    credit_note_ids = fields.Many2many(
        'account.move', string="Credit Notes", compute='_compute_credit_note_ids',
        compute_sudo=True,
    )
    credit_note_count = fields.Integer(compute='_compute_credit_note_ids', compute_sudo=True)
    pending_actions = fields.Char(
        compute='_compute_pending_actions',
        help="The settling actions with goods waiting, for the form's buttons: "
             "\" refund replace \" so that a view tests \"' replace ' in pending_actions\".",
    )

    # The list reads the first returns in _order: no sort of them all.
    _list_order_idx = models.Index("(date DESC, id DESC)")

    # Compute methods

    @api.depends('partner_id')
    def _compute_partner_shipping_id(self):
        for rma in self:
            if rma.partner_id and not rma.partner_shipping_id:
                rma.partner_shipping_id = rma.partner_id.address_get(['delivery'])['delivery']

    @api.depends('sale_order_id', 'company_id')
    def _compute_warehouse_id(self):
        warehouses = self.env['stock.warehouse']
        for rma in self:
            if rma.sale_order_id.warehouse_id:
                rma.warehouse_id = rma.sale_order_id.warehouse_id
            elif not rma.warehouse_id or rma.warehouse_id.company_id != rma.company_id:
                rma.warehouse_id = warehouses.search(
                    [('company_id', '=', rma.company_id.id)], limit=1,
                )

    @api.depends('case_id')
    def _compute_team_id(self):
        for rma in self:
            if rma.case_id.team_id and not rma.team_id:
                rma.team_id = rma.case_id.team_id

    @api.depends('invoice_id', 'sale_order_id', 'company_id')
    def _compute_currency_id(self):
        for rma in self:
            rma.currency_id = (
                rma.invoice_id.currency_id or rma.sale_order_id.currency_id
                or rma.company_id.currency_id
            )

    @api.depends('line_ids.price_subtotal')
    def _compute_amount_total(self):
        for rma in self:
            rma.amount_total = sum(rma.line_ids.mapped('price_subtotal'))

    @api.depends('state', 'line_ids.qty_to_credit')
    def _compute_is_pending_credit(self):
        for rma in self:
            rma.is_pending_credit = rma.state not in ('cancel', 'rejected') and any(
                not line.product_uom_id.is_zero(line.qty_to_credit) for line in rma.line_ids
            )

    @api.depends('picking_ids.picking_type_code')
    def _compute_picking_counts(self):
        for rma in self:
            codes = rma.picking_ids.mapped('picking_type_code')
            rma.receipt_count = codes.count('incoming')
            rma.delivery_count = codes.count('outgoing')

    @api.depends('line_ids.credit_line_ids.move_id')
    def _compute_credit_note_ids(self):
        for rma in self:
            rma.credit_note_ids = rma.line_ids.credit_line_ids.move_id
            rma.credit_note_count = len(rma.credit_note_ids)

    @api.depends('state', 'line_ids.resolution', 'line_ids.qty_received', 'line_ids.qty_to_credit',
                 'line_ids.qty_delivered', 'line_ids.qty_outgoing', 'line_ids.qty_scrapped')
    def _compute_pending_actions(self):
        for rma in self:
            pending = set()
            if rma.state in ('receiving', 'received'):
                pending = {
                    line.resolution for line in rma.line_ids
                    if not line.product_uom_id.is_zero(line._get_qty_waiting())
                }
            rma.pending_actions = f" {' '.join(sorted(pending))} "

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for rma in self:
            rma.access_url = f'/my/returns/{rma.id}'

    @api.depends('name', 'partner_id')
    def _compute_display_name(self):
        for rma in self:
            rma.display_name = rma.name

    # Constraints

    @api.constrains('sale_order_id', 'invoice_id', 'origin_rma_id', 'partner_id')
    def _check_documents_customer(self):
        for rma in self:
            for document in (rma.sale_order_id, rma.invoice_id, rma.origin_rma_id):
                if document and document.partner_id.commercial_partner_id != rma.commercial_partner_id:
                    raise ValidationError(self.env._(
                        "%(document)s belongs to another customer than return %(rma)s.",
                        document=document.display_name, rma=rma.name,
                    ))

    # CRUD methods

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get('name', self.env._("New")) == self.env._("New"):
                company = self.env['res.company'].browse(vals.get('company_id'))
                vals['name'] = self.env['ir.sequence'].with_company(
                    company or self.env.company
                ).next_by_code('aftersales.rma') or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        # A token is a bearer credential for one customer's document.
        tokens = renewing_access_tokens(self) if 'partner_id' in vals else nullcontext()
        with tokens:
            return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        started = self.filtered(lambda rma: rma.state not in ('draft', 'cancel', 'rejected'))
        if started or self.picking_ids or self.credit_note_ids:
            raise UserError(self.env._(
                "Returns with transfers or credit notes are kept: cancel them instead (%(rmas)s).",
                rmas=", ".join((started or self).mapped('name')),
            ))

    # Actions

    def action_approve(self):
        """Approve draft returns: re-check quantities under lock, create receipts."""
        # sudo: agents approve without sales or stock rights; what follows only
        # reads the orders and deliveries the goods came from and makes
        # receipts with stock's return wizard.
        rmas = self._start_action('draft', self.env._("approved"))
        for rma in rmas:
            if not rma.line_ids:
                raise UserError(self.env._("Return %(rma)s has no line to approve.", rma=rma.name))
        rmas.line_ids._check_returnable(lock=True, with_drafts=False)
        rmas.line_ids._check_lots_delivered()
        rmas.line_ids._check_serials_not_returned_twice()
        rmas._check_replacements_returnable()
        rmas.write({'state': 'approved', 'date_approved': fields.Datetime.now()})
        rmas._create_receipts()
        self._send_approval()
        return True

    def action_reject(self):
        self._start_action('draft', self.env._("rejected")).state = 'rejected'
        return True

    def action_cancel(self):
        """Cancel before goods arrive; afterwards they go back or are scrapped."""
        rmas = self._start_action(('draft', 'approved'), self.env._("cancelled"))
        received = rmas.line_ids.filtered(lambda line: line.qty_received)
        if received:
            raise UserError(self.env._(
                "Goods of %(rmas)s already arrived: send them back (return as-is) or scrap "
                "them instead of cancelling.", rmas=", ".join(received.rma_id.mapped('name')),
            ))
        rmas.picking_ids.filtered(lambda p: p.state not in ('done', 'cancel')).action_cancel()
        rmas.state = 'cancel'
        return True

    def action_draft(self):
        self._start_action(('cancel', 'rejected'), self.env._("reset to draft")).state = 'draft'
        return True

    def action_view_pickings(self, code=None):
        self.ensure_one()
        pickings = self.picking_ids
        if code:
            pickings = pickings.filtered(lambda p: p.picking_type_code == code)
        return self._action_view(pickings, 'stock.action_picking_tree_all')

    def action_view_receipts(self):
        return self.action_view_pickings('incoming')

    def action_view_deliveries(self):
        return self.action_view_pickings('outgoing')

    def action_view_credit_notes(self):
        self.ensure_one()
        return self._action_view(self.credit_note_ids, 'account.action_move_out_refund_type')

    def _action_view(self, records, xmlid):
        action = self.env['ir.actions.act_window']._for_xml_id(xmlid)
        action['domain'] = [('id', 'in', records.ids)]
        action['context'] = {'create': False}
        if len(records) == 1:
            action.update(views=[(False, 'form')], res_id=records.id)
        return action

    # Business methods

    def _start_action(self, states, verb):
        """The returns an action works on, once the user may change them.

        They come back in sudo, locked against a concurrent action and checked
        to be in ``states``: agents act on returns without rights on the
        orders, transfers and invoices the action reads or makes, and the
        write check on these very returns is the guard.
        """
        self.check_access('write')
        return self.sudo()._lock_in_state(states, verb)

    def _lock_in_state(self, states, verb):
        """Lock the returns, then refuse those not in ``states``.

        Touched as well as locked: whoever comes second is retried on a
        fresh snapshot even when the first action left the state as it was
        (a partial credit), and then sees what the first one did.
        """
        lock_rows(self, touch=True)
        self._ensure_state(states, verb)
        return self

    def _ensure_state(self, states, verb):
        states = (states,) if isinstance(states, str) else states
        wrong = self.filtered(lambda rma: rma.state not in states)
        if wrong:
            raise UserError(self.env._(
                "Return %(rma)s is %(state)s: it cannot be %(verb)s.",
                rma=wrong[0].name, state=wrong[0]._state_label(), verb=verb,
            ))

    def _state_label(self):
        self.ensure_one()
        return dict(self._fields['state']._description_selection(self.env))[self.state]

    def _notify_received(self):
        """Tell the credit controller that goods to refund arrived."""
        activity_type = self.env.ref('aftersales_rma.mail_activity_rma_credit')
        for rma in self.filtered('is_pending_credit'):
            if rma.activity_ids.filtered(lambda a: a.activity_type_id == activity_type):
                continue
            user = rma.company_id.aftersales_rma_credit_user_id or rma.user_id or self.env.user
            rma.activity_schedule(
                activity_type_id=activity_type.id, user_id=user.id,
                summary=self.env._("Goods of %(rma)s arrived: credit them", rma=rma.name),
            )

    def _update_progress(self):
        """Move returns along as goods arrive and lines are settled."""
        for rma in self.filtered(lambda r: r.state in ('approved', 'receiving', 'received', 'done')):
            lines = rma.line_ids
            if lines and all(line._is_settled() for line in lines):
                state = 'done'
            elif lines and all(line._is_reception_finished() for line in lines) \
                    and any(line.qty_received for line in lines):
                state = 'received'
            elif any(line.qty_received for line in lines):
                state = 'receiving'
            else:
                state = 'approved'
            if rma.state != state:
                rma.state = state
