from odoo import api, fields, models
from odoo.addons.aftersales_case.tools import lock_rows
from odoo.exceptions import UserError

ADJUSTMENT_STATES = [
    ('none', "None"),
    ('requested', "Requested"),
    ('accepted', "Accepted"),
    ('rejected', "Rejected"),
]
MANAGER_GROUP = 'aftersales_complaint.aftersales_complaint_group_manager'
BILLING_GROUP = 'account.group_account_invoice'


class AftersalesComplaint(models.Model):
    _inherit = 'aftersales.complaint'

    adjustment_required = fields.Boolean(string="Sales Adjustment Required", tracking=True)
    adjustment_company_id = fields.Many2one(related='company_id', string="Adjustment Company")
    adjustment_partner_id = fields.Many2one(
        'res.partner', string="Invoice Partner", check_company=True, index='btree_not_null',
        compute='_compute_adjustment_partner_id', store=True, readonly=False,
        help="The counterparty the credit note is made out to.",
    )
    adjustment_sale_order_id = fields.Many2one(
        'sale.order', string="Contract", check_company=True, index='btree_not_null',
        compute='_compute_adjustment_sale_order_id', store=True, readonly=False,
        help="The sale order the adjustment relates to.",
    )
    adjustment_amount = fields.Monetary(
        string="Requested Amount", currency_field='adjustment_currency_id', tracking=True,
    )
    adjustment_currency_id = fields.Many2one(
        'res.currency', string="Requested Currency",
        compute='_compute_adjustment_currency_id', store=True, readonly=False,
    )
    adjustment_state = fields.Selection(
        ADJUSTMENT_STATES, string="Adjustment Status", default='none', required=True,
        copy=False, tracking=True, index=True,
        compute='_compute_adjustment_state', store=True,
    )
    adjustment_rejection_reason = fields.Text(copy=False)
    credit_note_ids = fields.One2many(
        'account.move', 'aftersales_complaint_id', string="Credit Notes", copy=False,
    )
    credit_note_count = fields.Integer(compute='_compute_credit_note_count')

    # Compute methods

    @api.depends('invoice_id', 'partner_id')
    def _compute_adjustment_partner_id(self):
        for complaint in self:
            if complaint.invoice_id:
                complaint.adjustment_partner_id = complaint.invoice_id.partner_id
            elif complaint.partner_id:
                complaint.adjustment_partner_id = complaint.partner_id.browse(
                    complaint.partner_id.address_get(['invoice'])['invoice']
                )
            else:
                complaint.adjustment_partner_id = False

    @api.depends('sale_order_id')
    def _compute_adjustment_sale_order_id(self):
        for complaint in self:
            complaint.adjustment_sale_order_id = (
                complaint.sale_order_id or complaint.adjustment_sale_order_id
            )

    @api.depends('currency_id')
    def _compute_adjustment_currency_id(self):
        for complaint in self:
            complaint.adjustment_currency_id = complaint.currency_id

    @api.depends('adjustment_required')
    def _compute_adjustment_state(self):
        for complaint in self:
            state = complaint.adjustment_state or 'none'
            # Only an open request follows the checkbox: a decision stays.
            if complaint.adjustment_required and state == 'none':
                state = 'requested'
            elif not complaint.adjustment_required and state == 'requested':
                state = 'none'
            complaint.adjustment_state = state

    @api.depends('credit_note_ids')
    def _compute_credit_note_count(self):
        for complaint in self:
            complaint.credit_note_count = len(complaint.credit_note_ids)

    # Actions

    def action_accept_adjustment(self):
        """Draft the credit note of each requested adjustment; an accountant posts it."""
        self._check_adjustment_rights()
        lock_rows(self, touch=True)
        credit_notes = self.env['account.move']
        for complaint in self:
            complaint._check_adjustment_acceptable()
            credit_note = complaint._create_adjustment_credit_note()
            complaint.adjustment_state = 'accepted'
            complaint.message_post(body=self.env._(
                "Sales adjustment accepted: credit note %(move)s drafted.",
                move=credit_note._get_html_link(),
            ))
            credit_note.message_post(body=self.env._(
                "Drafted for the sales adjustment of complaint %(complaint)s.",
                complaint=complaint._get_html_link(),
            ))
            credit_notes |= credit_note
        return credit_notes._get_records_action(name=self.env._("Credit Notes"))

    def action_reject_adjustment(self):
        """Refuse the adjustment and send the customer a letter with the reason."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise UserError(self.env._(
                "Only complaint managers can reject the sales adjustment of complaint %(name)s.",
                name=self[:1].name,
            ))
        template = self.env.ref('aftersales_complaint.mail_template_adjustment_rejected')
        for complaint in self:
            complaint._ensure_adjustment_requested()
            if not (complaint.adjustment_rejection_reason or '').strip():
                raise UserError(self.env._(
                    "Complaint %(name)s needs a reason to reject its sales adjustment.",
                    name=complaint.name,
                ))
            if not complaint.partner_id.email:
                raise UserError(self.env._(
                    "Customer %(customer)s of complaint %(name)s has no email address "
                    "to receive the rejection letter.",
                    customer=complaint.partner_id.display_name, name=complaint.name,
                ))
        self.adjustment_state = 'rejected'
        for complaint in self:
            complaint.message_post_with_source(
                template, message_type='comment', subtype_xmlid='mail.mt_comment',
            )

    def action_view_credit_notes(self):
        self.ensure_one()
        return self.credit_note_ids._get_records_action(name=self.env._("Credit Notes"))

    # Business methods

    def _check_adjustment_rights(self):
        if not (self.env.user.has_group(MANAGER_GROUP) and self.env.user.has_group(BILLING_GROUP)):
            raise UserError(self.env._(
                "Only complaint managers with Billing rights can accept the sales adjustment "
                "of complaint %(name)s.", name=self[:1].name,
            ))

    def _ensure_adjustment_requested(self):
        self.ensure_one()
        if self.adjustment_state == 'accepted':
            raise UserError(self.env._(
                "The sales adjustment of complaint %(name)s was already accepted: "
                "its credit note exists.", name=self.name,
            ))
        if self.adjustment_state != 'requested':
            raise UserError(self.env._(
                "Complaint %(name)s has no sales adjustment requested.", name=self.name,
            ))
        if self.state in ('posted', 'rejected', 'cancelled'):
            raise UserError(self.env._(
                "Complaint %(name)s is closed: its sales adjustment can no longer be decided.",
                name=self.name,
            ))

    def _check_adjustment_acceptable(self):
        """Money: credit a positive amount, never more than the invoice has left."""
        self.ensure_one()
        self._ensure_adjustment_requested()
        if self.adjustment_currency_id.compare_amounts(self.adjustment_amount, 0.0) <= 0:
            raise UserError(self.env._(
                "The requested amount of complaint %(name)s must be greater than zero.",
                name=self.name,
            ))
        invoice = self.invoice_id
        if not invoice:
            return
        if invoice.state != 'posted' or invoice.payment_state == 'reversed':
            raise UserError(self.env._(
                "Invoice %(invoice)s of complaint %(name)s is not a posted invoice left to credit.",
                invoice=invoice.display_name, name=self.name,
            ))
        left = invoice.amount_total - sum(
            move.currency_id._convert(move.amount_total, invoice.currency_id, invoice.company_id)
            for move in self.credit_note_ids.filtered(lambda move: move.state != 'cancel')
        )
        requested = self.adjustment_currency_id._convert(
            self.adjustment_amount, invoice.currency_id, invoice.company_id,
        )
        if invoice.currency_id.compare_amounts(requested, left) > 0:
            raise UserError(self.env._(
                "Complaint %(name)s requests more than invoice %(invoice)s has left to credit "
                "(%(left)s %(currency)s).",
                name=self.name, invoice=invoice.display_name,
                left=invoice.currency_id.round(left), currency=invoice.currency_id.name,
            ))

    def _create_adjustment_credit_note(self):
        self.ensure_one()
        if self._is_full_reversal():
            return self._reverse_cited_invoice()
        return self.env['account.move'].with_company(self.company_id).create(
            self._prepare_adjustment_credit_note_vals()
        )

    def _is_full_reversal(self):
        """A request for the whole posted invoice is account's own reversal."""
        invoice = self.invoice_id
        return bool(
            invoice and invoice.state == 'posted' and invoice.move_type == 'out_invoice'
            and invoice.currency_id == self.adjustment_currency_id
            and not invoice.currency_id.compare_amounts(self.adjustment_amount, invoice.amount_total)
        )

    def _reverse_cited_invoice(self):
        reversal = self.env['account.move.reversal'].with_company(self.company_id).with_context(
            active_model='account.move', active_ids=self.invoice_id.ids,
        ).create(self._prepare_adjustment_reversal_vals())
        reversal.refund_moves()
        credit_note = reversal.new_move_ids
        credit_note.aftersales_complaint_id = self
        return credit_note

    def _prepare_adjustment_reversal_vals(self):
        self.ensure_one()
        return {
            'move_ids': [fields.Command.set(self.invoice_id.ids)],
            'journal_id': self.invoice_id.journal_id.id,
            'date': fields.Date.context_today(self),
            'reason': self._get_adjustment_reference(),
        }

    def _prepare_adjustment_credit_note_vals(self):
        self.ensure_one()
        product = self._get_adjustment_product()
        return {
            'move_type': 'out_refund',
            'company_id': self.company_id.id,
            'partner_id': self.adjustment_partner_id.id or self.partner_id.id,
            'currency_id': self.adjustment_currency_id.id,
            'invoice_date': fields.Date.context_today(self),
            'reversed_entry_id': self.invoice_id.id,
            'invoice_origin': self.adjustment_sale_order_id.name or self.invoice_id.name,
            'ref': self._get_adjustment_reference(),
            'aftersales_complaint_id': self.id,
            'invoice_line_ids': [fields.Command.create({
                'product_id': product.id,
                'name': self._get_adjustment_reference(),
                'quantity': 1.0,
                'price_unit': self.adjustment_amount,
            })],
        }

    def _get_adjustment_reference(self):
        self.ensure_one()
        lang = self.adjustment_partner_id.lang or self.partner_id.lang or self.env.lang
        return self.with_context(lang=lang).env._(
            "Sales adjustment of complaint %(name)s", name=self.name,
        )

    def _get_adjustment_product(self):
        product = self.company_id.aftersales_complaint_adjustment_product_id or self.env.ref(
            'aftersales_complaint.product_complaint_adjustment', raise_if_not_found=False,
        )
        if not product:
            raise UserError(self.env._(
                "Set the adjustment product in the settings before accepting the sales "
                "adjustment of complaint %(name)s.", name=self.name,
            ))
        return product

    def _link_invoice(self, invoice):
        """Cite ``invoice``, the order's invoice, on the complaint made about the order."""
        self.ensure_one()
        self.write({
            'invoice_id': invoice.id,
            # The customer's claim stays as filed from the order: citing the
            # invoice must not rewrite the customer, products or amount.
            'partner_id': self.partner_id.id,
            'product_ids': [fields.Command.set(self.product_ids.ids)],
            'amount': self.amount,
            'currency_id': self.currency_id.id,
        })
        self.message_post(body=self.env._(
            "Invoice %(invoice)s of order %(order)s is now cited on this complaint.",
            invoice=invoice._get_html_link(), order=self.sale_order_id._get_html_link(),
        ))
        invoice.message_post(body=self.env._(
            "This invoice of order %(order)s is now cited on complaint %(complaint)s.",
            order=self.sale_order_id.name, complaint=self._get_html_link(),
        ))
