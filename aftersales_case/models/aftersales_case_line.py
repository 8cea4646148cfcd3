from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command

from ..tools import lock_rows

INVOICE_STATUSES = [
    ('to_invoice', "To Invoice"),
    ('invoiced', "Invoiced"),
    ('no', "Not Billable"),
]
# What an invoice has taken over from a line: changing it afterwards would
# make the line and its invoice line tell different stories.
INVOICED_LOCKED_FIELDS = {
    'case_id', 'product_id', 'product_uom_id', 'quantity', 'price_unit', 'billable',
}
# What the invoicing itself writes on lines, closed cases included: agents
# close a case when the work is done, then invoice it.
CLOSED_CASE_WRITABLE = {'invoice_line_id'}


class AftersalesCaseLine(models.Model):
    _name = 'aftersales.case.line'
    _description = "Time and Material Line"
    _order = 'date desc, id desc'
    _check_company_auto = True

    case_id = fields.Many2one('aftersales.case', required=True, index=True, ondelete='cascade')
    company_id = fields.Many2one(related='case_id.company_id', store=True, index=True)
    currency_id = fields.Many2one(related='case_id.currency_id')
    partner_id = fields.Many2one(
        related='case_id.commercial_partner_id', string="Customer", store=True, index=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    user_id = fields.Many2one(
        'res.users', string="Done By", required=True, index=True,
        default=lambda self: self.env.user, domain="[('share', '=', False)]",
    )
    product_id = fields.Many2one(
        'product.product', required=True, index=True, ondelete='restrict', check_company=True,
        domain="[('type', 'in', ('service', 'consu'))]",
        help="A service for time spent, a goods product for material used.",
    )
    line_type = fields.Selection(
        [('time', "Time"), ('material', "Material")], string="Type",
        compute='_compute_line_type', store=True, precompute=True,
    )
    name = fields.Text(
        string="Description", compute='_compute_name', store=True, readonly=False, precompute=True,
        required=True,
    )
    quantity = fields.Float(digits='Product Unit', default=1.0, required=True)
    product_uom_id = fields.Many2one(
        'uom.uom', string="Unit", compute='_compute_product_uom_id', store=True, readonly=False,
        precompute=True, required=True, ondelete='restrict',
    )
    hours = fields.Float(
        compute='_compute_hours', store=True, precompute=True,
        help="The quantity in hours, for time spent in a unit of time.",
    )
    price_unit = fields.Float(
        string="Unit Price", digits='Product Price',
        compute='_compute_price_unit', store=True, readonly=False, precompute=True,
    )
    price_subtotal = fields.Monetary(
        string="Subtotal", compute='_compute_amounts', store=True, precompute=True,
    )
    billable = fields.Boolean(default=True)
    unit_cost = fields.Float(
        digits='Product Price', compute='_compute_unit_cost', store=True, readonly=False,
        precompute=True,
    )
    cost = fields.Monetary(compute='_compute_amounts', store=True, precompute=True)
    invoice_line_id = fields.Many2one(
        'account.move.line', readonly=True, copy=False, index='btree_not_null',
        ondelete='set null',
    )
    invoice_id = fields.Many2one(
        related='invoice_line_id.move_id', string="Invoice", store=True, index='btree_not_null',
    )
    invoice_status = fields.Selection(
        INVOICE_STATUSES, compute='_compute_invoice_status', store=True, precompute=True, index=True,
    )

    # Compute methods

    @api.depends('product_id')
    def _compute_line_type(self):
        for line in self:
            line.line_type = 'time' if line.product_id.type == 'service' else 'material'

    @api.depends('product_id')
    def _compute_name(self):
        for line in self:
            if line.product_id:
                line.name = line.product_id.display_name

    @api.depends('product_id')
    def _compute_product_uom_id(self):
        for line in self:
            line.product_uom_id = line.product_id.uom_id

    @api.depends('line_type', 'quantity', 'product_uom_id')
    def _compute_hours(self):
        hour = self.env.ref('uom.product_uom_hour', raise_if_not_found=False)
        for line in self:
            uom = line.product_uom_id
            if hour and line.line_type == 'time' and uom and uom._has_common_reference(hour):
                line.hours = uom._compute_quantity(line.quantity, hour, round=False)
            else:
                line.hours = 0.0

    @api.depends('product_id', 'product_uom_id')
    def _compute_price_unit(self):
        for line in self.filtered('product_id'):
            product = line.product_id.with_company(line.company_id)
            line.price_unit = product.uom_id._compute_price(
                product.lst_price, line.product_uom_id or product.uom_id,
            )

    @api.depends('product_id', 'product_uom_id')
    def _compute_unit_cost(self):
        for line in self.filtered('product_id'):
            product = line.product_id.with_company(line.company_id)
            line.unit_cost = product.uom_id._compute_price(
                product.standard_price, line.product_uom_id or product.uom_id,
            )

    @api.depends('quantity', 'price_unit', 'unit_cost', 'currency_id')
    def _compute_amounts(self):
        for line in self:
            line.price_subtotal = line.currency_id.round(line.quantity * line.price_unit)
            line.cost = line.currency_id.round(line.quantity * line.unit_cost)

    @api.depends('billable', 'invoice_line_id.parent_state')
    def _compute_invoice_status(self):
        for line in self:
            if not line.billable:
                line.invoice_status = 'no'
            elif line.invoice_line_id and line.invoice_line_id.parent_state != 'cancel':
                line.invoice_status = 'invoiced'
            else:
                line.invoice_status = 'to_invoice'

    # Constraints

    @api.constrains('quantity', 'price_unit', 'unit_cost')
    def _check_amounts(self):
        for line in self:
            if line.quantity < 0 or line.price_unit < 0 or line.unit_cost < 0:
                raise ValidationError(self.env._(
                    "Line %(line)s of case %(case)s: the quantity, unit price and cost"
                    " cannot be negative.",
                    line=line.name or line.product_id.display_name, case=line.case_id.display_name,
                ))

    # CRUD methods

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._ensure_case_open()
        return lines

    def write(self, vals):
        if 'invoice_line_id' in vals and not self.env.su:
            # Only invoicing links lines (in sudo, after its checks): a link
            # cleared by hand would let the line be invoiced twice.
            raise UserError(self.env._(
                "The invoice of a time and material line is set by invoicing it."
            ))
        if set(vals) - CLOSED_CASE_WRITABLE:
            self._ensure_case_open()
        if set(vals) & INVOICED_LOCKED_FIELDS:
            self._ensure_not_invoiced()
        result = super().write(vals)
        if 'case_id' in vals:
            self._ensure_case_open()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed_or_invoiced(self):
        self._ensure_case_open()
        self._ensure_not_invoiced()

    # Actions

    def action_create_invoice(self):
        """Invoice the selected lines: one draft invoice per customer and company.

        Opens the invoices for who may read them; agents, who may not, are
        told the drafts were made for the accountants to check and post.
        """
        invoices = self._create_invoices()
        if invoices.has_access('read'):
            return self._action_view_invoices(invoices)
        return {
            'type': 'ir.actions.client',
            'tag': 'display_notification',
            'params': {
                'type': 'success',
                'message': self.env._(
                    "Draft invoice(s) created: %(names)s. Accounting will check and post them.",
                    names=", ".join(invoices.sudo().mapped('display_name')),
                ),
                'next': {'type': 'ir.actions.act_window_close'},
            },
        }

    @api.model
    def _action_view_invoices(self, invoices):
        """The customer invoices ``invoices``: their form when there is one."""
        action = self.env['ir.actions.actions']._for_xml_id('account.action_move_out_invoice_type')
        if len(invoices) == 1:
            action['views'] = [(self.env.ref('account.view_move_form').id, 'form')]
            action['res_id'] = invoices.id
        else:
            action['domain'] = [('id', 'in', invoices.ids)]
        action['context'] = {'default_move_type': 'out_invoice'}
        return action

    # Business methods

    def _create_invoices(self):
        """The draft customer invoices of ``self``, linked back to the lines.

        Agents have no rights on invoices: the drafts are created in sudo
        once the lines are checked (access, lock, invoiceable); posting them
        stays with the accountants.
        """
        if not self:
            raise UserError(self.env._("Select the lines to invoice."))
        self.check_access('write')
        self._lock_for_invoicing()
        self._ensure_invoiceable()
        groups = list(self.grouped(lambda line: (line.partner_id, line.company_id)).values())
        invoices = self.env['account.move']
        for company in {lines.company_id for lines in groups}:
            company_groups = [lines for lines in groups if lines.company_id == company]
            # sudo: access to every line was checked above and the agent
            # only gets a draft; account's own rules guard the posting.
            moves = self.env['account.move'].sudo().with_company(company).create(
                [lines._prepare_invoice_vals() for lines in company_groups]
            )
            for move, lines in zip(moves, company_groups, strict=True):
                lines._link_invoice_lines(move)
            invoices |= moves
        return invoices

    def _lock_for_invoicing(self):
        """Lock the lines' rows, waiting, so that two users never invoice them twice.

        Whoever locks second re-reads them after the first committed (or
        gets a serialization failure and is retried), then sees them invoiced.
        """
        lock_rows(self)

    def _ensure_invoiceable(self):
        problems = [
            (self.filtered(lambda line: line.invoice_status == 'invoiced'),
             self.env._("already invoiced")),
            (self.filtered(lambda line: not line.billable), self.env._("not billable")),
            (self.filtered(lambda line: not line.partner_id),
             self.env._("case without customer")),
        ]
        messages = [
            self.env._("%(reason)s: %(lines)s", reason=reason, lines=lines._describe())
            for lines, reason in problems if lines
        ]
        if messages:
            raise UserError(self.env._(
                "These lines cannot be invoiced:\n%(problems)s", problems="\n".join(messages),
            ))

    def _prepare_invoice_vals(self):
        """Values of the draft customer invoice of ``self``, lines of one customer and company."""
        partner = self.partner_id
        line_defaults = self._get_invoice_line_defaults()
        return {
            'move_type': 'out_invoice',
            'partner_id': partner.id,
            'company_id': self.company_id.id,
            'currency_id': self.currency_id.id,
            'invoice_origin': ", ".join(self.case_id.mapped('name')),
            'invoice_line_ids': [
                Command.create(line_defaults | line._prepare_invoice_line_vals(lang=partner.lang))
                for line in self
            ],
        }

    def _get_invoice_line_defaults(self):
        """Values shared by the invoice lines of ``self``, lines of one company.

        account.move.line looks its analytic distribution models up once per
        line (its cache key is a list that the lookup mutates); when the
        company has no model at all the answer is known: no distribution.
        """
        # sudo: only whether a model exists is read, agents have no analytic rights
        Model = self.env['account.analytic.distribution.model'].sudo()
        if Model.search_count(Model._check_company_domain(self.company_id), limit=1):
            return {}
        return {'analytic_distribution': False}

    def _prepare_invoice_line_vals(self, lang=None):
        """Values of the invoice line of ``self``.

        Like sale's ``_prepare_invoice_line``, minus the taxes: account.move.line
        computes taxes and income account from the product and maps them
        through the invoice's fiscal position.
        """
        self.ensure_one()
        name = self.with_context(lang=lang).env._(
            "%(case)s: %(description)s", case=self.case_id.name, description=self.name,
        )
        return {
            'display_type': 'product',
            'name': name,
            'product_id': self.product_id.id,
            'product_uom_id': self.product_uom_id.id,
            'quantity': self.quantity,
            'price_unit': self.price_unit,
        }

    def _link_invoice_lines(self, move):
        """Point each line of ``self`` to the invoice line made from it.

        The invoice lines were created in the order of ``self``, hence in
        increasing ids.
        """
        product_lines = move.line_ids.filtered(
            lambda line: line.display_type == 'product'
        ).sorted('id')
        if len(product_lines) != len(self):
            raise UserError(self.env._(
                "Invoice %(invoice)s does not match the lines it was made from.",
                invoice=move.display_name,
            ))
        # sudo: the lines' access was checked before invoicing; this spares
        # the rule check of one write per line.
        for line, invoice_line in zip(self.sudo(), product_lines, strict=True):
            line.invoice_line_id = invoice_line

    def _ensure_case_open(self):
        closed = self.case_id.filtered('is_closed')
        if closed:
            raise UserError(self.env._(
                "Case %(cases)s is closed: reopen it before changing its time and material.",
                cases=", ".join(closed.mapped('display_name')),
            ))

    def _ensure_not_invoiced(self):
        invoiced = self.filtered(lambda line: line.invoice_status == 'invoiced')
        if invoiced:
            raise UserError(self.env._(
                "These lines are invoiced: cancel their invoice before changing them: %(lines)s",
                lines=invoiced._describe(),
            ))

    def _describe(self):
        return ", ".join(
            f"{line.case_id.name} / {line.name or line.product_id.display_name}" for line in self
        )
