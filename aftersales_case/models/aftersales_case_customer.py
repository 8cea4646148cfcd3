from odoo import api, fields, models
from odoo.fields import Domain

# The groups account puts on res.partner's credit fields: the panel's copies
# carry the same ones, so agents without accounting rights never compute them
# (reading res.partner.credit would raise) and the form drops them for them.
ACCOUNTING_GROUPS = 'account.group_account_invoice,account.group_account_readonly'


class AftersalesCase(models.Model):
    """The customer panel: what an agent needs to know about the customer.

    Nothing is re-modelled: every value is read from the commercial partner
    when the case is displayed, in the case's company (payment terms and
    credit limits are company-dependent).
    """
    _inherit = 'aftersales.case'

    customer_user_id = fields.Many2one(
        'res.users', string="Salesperson", compute='_compute_customer_sales',
        help="The customer's salesperson.",
    )
    customer_team_id = fields.Many2one(
        'crm.team', string="Sales Team", compute='_compute_customer_sales',
        help="The sales team (territory) of the customer's salesperson.",
    )
    customer_payment_term_id = fields.Many2one(
        'account.payment.term', string="Payment Terms", compute='_compute_customer_sales',
    )
    customer_invoice_address_id = fields.Many2one(
        'res.partner', string="Invoice Address", compute='_compute_customer_addresses',
    )
    customer_delivery_address_id = fields.Many2one(
        'res.partner', string="Delivery Address", compute='_compute_customer_addresses',
    )
    customer_show_credit_limit = fields.Boolean(related='company_id.account_use_credit_limit')
    customer_credit = fields.Monetary(
        string="Open Balance", compute='_compute_customer_credit', groups=ACCOUNTING_GROUPS,
        help="What the customer owes the company: its unreconciled receivables.",
    )
    customer_credit_limit = fields.Monetary(
        string="Credit Limit", compute='_compute_customer_credit', groups=ACCOUNTING_GROUPS,
    )
    customer_open_case_count = fields.Integer(
        string="Customer's Open Cases", compute='_compute_customer_counts',
    )

    # Compute methods

    @api.depends('commercial_partner_id', 'company_id')
    def _compute_customer_sales(self):
        for company, cases in self.grouped('company_id').items():
            for case in cases:
                # Same prefetch set for all cases of the company: one read of
                # the company-dependent payment terms for all their customers.
                partner = case.commercial_partner_id.with_company(company)
                case.customer_user_id = partner.user_id
                case.customer_team_id = partner.user_id.sale_team_id
                case.customer_payment_term_id = partner.property_payment_term_id

    @api.depends('commercial_partner_id')
    def _compute_customer_addresses(self):
        addresses = {
            partner: partner.address_get(['invoice', 'delivery'])
            for partner in self.commercial_partner_id
        }
        partners = self.env['res.partner']
        for case in self:
            found = addresses.get(case.commercial_partner_id, {})
            case.customer_invoice_address_id = partners.browse(found.get('invoice'))
            case.customer_delivery_address_id = partners.browse(found.get('delivery'))

    @api.depends('commercial_partner_id', 'company_id')
    def _compute_customer_credit(self):
        for company, cases in self.grouped('company_id').items():
            for case in cases:
                partner = case.commercial_partner_id.with_company(company)
                case.customer_credit = partner.credit
                case.customer_credit_limit = partner.credit_limit

    @api.depends('commercial_partner_id')
    @api.depends_context('uid')
    def _compute_customer_counts(self):
        counts = self._get_customer_counts()
        for case in self:
            for field_name, by_partner in counts.items():
                case[field_name] = by_partner.get(case.commercial_partner_id.id, 0)

    # Business methods

    def _get_customer_counts(self):
        """``{field name: {commercial partner id: count}}`` for the panel's counters.

        Counts go by the user's rights, as the lists the buttons open. A module
        adding a counter (returns, orders) declares an Integer field computed by
        ``_compute_customer_counts`` and adds its key here, counted for all the
        cases' customers at once with one ``_read_group``.
        """
        partners = self.commercial_partner_id
        if not partners:
            return {'customer_open_case_count': {}}
        open_cases = self.env['aftersales.case']._read_group(
            Domain('commercial_partner_id', 'in', partners.ids) & Domain('is_closed', '=', False),
            ['commercial_partner_id'], ['__count'],
        )
        return {
            'customer_open_case_count': {partner.id: count for partner, count in open_cases},
        }

    # Actions

    def action_view_customer_open_cases(self):
        self.ensure_one()
        return self.commercial_partner_id.action_view_aftersales_cases()
