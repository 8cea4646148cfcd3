from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.aftersales_case.tools import renewing_access_tokens
from odoo.exceptions import AccessError, UserError

QUOTE_STATES = [
    ('draft', "To Send"),
    ('sent', "Sent"),
    ('confirmed', "Confirmed"),
]


class RepairOrder(models.Model):
    """The repair quote: parts, hours (the operations) and extra costs, in or
    out of warranty. Confirming it makes and confirms the sale order through
    core's own repair to sale order link; the invoice follows from the order."""

    _name = 'repair.order'
    _inherit = ['repair.order', 'portal.mixin']

    aftersales_cost_ids = fields.One2many('aftersales.repair.cost', 'repair_id', string="Extra Costs")
    aftersales_quote_state = fields.Selection(
        QUOTE_STATES, string="Quote", default='draft', required=True, copy=False, tracking=True,
    )
    aftersales_invoice_status = fields.Selection(
        related='sale_order_id.invoice_status', string="Invoice Status",
    )
    aftersales_currency_id = fields.Many2one(related='company_id.currency_id', string="Currency")
    aftersales_amount_parts = fields.Monetary(
        string="Parts Value", compute='_compute_aftersales_amounts', currency_field='aftersales_currency_id',
    )
    aftersales_amount_operations = fields.Monetary(
        string="Hours Value", compute='_compute_aftersales_amounts', currency_field='aftersales_currency_id',
    )
    aftersales_amount_costs = fields.Monetary(
        string="Extra Costs Value", compute='_compute_aftersales_amounts',
        currency_field='aftersales_currency_id',
    )
    aftersales_amount_total = fields.Monetary(
        string="Value", compute='_compute_aftersales_amounts', currency_field='aftersales_currency_id',
        help="What the repair is worth, before taxes: known under warranty too.",
    )
    aftersales_amount_to_charge = fields.Monetary(
        string="To Charge", compute='_compute_aftersales_amounts',
        currency_field='aftersales_currency_id',
        help="What the customer pays before taxes: nothing under warranty.",
    )

    @api.depends('move_ids.product_id', 'move_ids.product_uom_qty', 'move_ids.repair_line_type',
                 'aftersales_operation_ids.price_subtotal', 'aftersales_cost_ids.price_subtotal',
                 'under_warranty')
    def _compute_aftersales_amounts(self):
        for repair in self:
            parts = sum(
                move.product_id.uom_id._compute_price(move.product_id.lst_price, move.product_uom)
                * move.product_uom_qty
                for move in repair.move_ids.filtered(lambda m: m.repair_line_type == 'add')
            )
            operations = sum(repair.aftersales_operation_ids.mapped('price_subtotal'))
            costs = sum(repair.aftersales_cost_ids.mapped('price_subtotal'))
            repair.aftersales_amount_parts = parts
            repair.aftersales_amount_operations = operations
            repair.aftersales_amount_costs = costs
            repair.aftersales_amount_total = parts + operations + costs
            repair.aftersales_amount_to_charge = 0.0 if repair.under_warranty \
                else repair.aftersales_amount_total

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for repair in self:
            repair.access_url = f'/my/repairs/{repair.id}'

    def write(self, vals):
        # A token is a bearer credential for one customer's document.
        with renewing_access_tokens(self):
            return super().write(vals)

    # Actions

    def action_aftersales_send_quote(self):
        """Open the e-mail of the quote, its PDF attached, to the customer."""
        self.ensure_one()
        self._check_aftersales_quotable()
        template = self.env.ref('aftersales_repair.mail_template_repair_quote')
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'mail.compose.message',
            'views': [(False, 'form')],
            'target': 'new',
            'context': {
                'default_model': self._name,
                'default_res_ids': self.ids,
                'default_template_id': template.id,
                'default_composition_mode': 'comment',
                'default_email_layout_xmlid': 'mail.mail_notification_layout_with_responsible_signature',
                'mark_aftersales_quote_sent': True,
                'force_email': True,
            },
        }

    def action_aftersales_confirm_quote(self):
        """The customer accepted: make the sale order (core's link) and confirm it."""
        self._check_aftersales_sales_rights()
        self._aftersales_confirm_quote()
        return True

    def _aftersales_confirm_quote(self):
        """Make and confirm the sale orders of the accepted quotes; the
        callers checked who accepts (a salesperson, or the customer's
        signature in the portal)."""
        for repair in self:
            repair._check_aftersales_quotable()
        self.filtered(lambda r: not r.sale_order_id)._create_sale_order()
        orders = self.sale_order_id.filtered(lambda order: order.state in ('draft', 'sent'))
        orders.action_confirm()
        self.aftersales_quote_state = 'confirmed'

    def action_aftersales_create_invoice(self):
        """Invoice the confirmed quote from its sale order, as the order invoices."""
        self._check_aftersales_sales_rights()
        unconfirmed = self.filtered(lambda r: r.aftersales_quote_state != 'confirmed')
        if unconfirmed:
            raise UserError(self.env._(
                "The quote of %(repair)s is not confirmed: confirm it before invoicing.",
                repair=unconfirmed[0].name,
            ))
        invoices = self.sale_order_id._create_invoices()
        for repair in self:
            links = Markup(", ").join(
                invoice._get_html_link() for invoice in invoices
                if repair.sale_order_id in invoice.line_ids.sale_line_ids.order_id
            )
            repair.message_post(body=Markup("%s %s") % (self.env._("Invoiced:"), links))
        return self.sale_order_id.action_view_invoice(invoices)

    # Business methods

    def _check_aftersales_sales_rights(self):
        """Confirming a quote commits the customer and invoicing charges him:
        salespeople do it, technicians do not."""
        if not self.env.user.has_group('sales_team.group_sale_salesman'):
            raise AccessError(self.env._(
                "Only salespeople and repair managers confirm and invoice repair quotes (%(repairs)s).",
                repairs=", ".join(self.mapped('name')),
            ))

    def _check_aftersales_quotable(self):
        self.ensure_one()
        if self.state == 'cancel' or self.aftersales_quote_state == 'confirmed':
            raise UserError(self.env._(
                "Repair %(repair)s is cancelled or its quote already confirmed.", repair=self.name,
            ))
        if not self.partner_id:
            raise UserError(self.env._("Repair %(repair)s has no customer to quote.", repair=self.name))

    def _create_sale_order(self):
        orders = super()._create_sale_order()
        # The hours and extra costs go on the order with the parts core puts there.
        self.aftersales_operation_ids._sync_sale_lines()
        self.aftersales_cost_ids._sync_sale_lines()
        return orders

    def _update_sale_order_line_price(self):  # pylint: disable=missing-return
        super()._update_sale_order_line_price()
        self.aftersales_operation_ids._sync_sale_lines()
        self.aftersales_cost_ids._sync_sale_lines()

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Repair Quote %(repair)s", repair=self.name)

    def message_post(self, **kwargs):
        if self.env.context.get('mark_aftersales_quote_sent'):
            self.filtered(lambda r: r.aftersales_quote_state == 'draft').aftersales_quote_state = 'sent'
        return super().message_post(**kwargs)
