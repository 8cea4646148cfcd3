from odoo import api, fields, models


class AftersalesReminderLevel(models.Model):
    _name = 'aftersales.reminder.level'
    _description = "Payment Reminder Level"
    _order = 'company_id, days, sequence, id'

    company_id = fields.Many2one(
        'res.company', required=True, index=True, default=lambda self: self.env.company,
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    days = fields.Integer(
        string="Days Overdue", required=True,
        help="Sent once an open invoice is this many days past its due date.",
    )
    mail_template_id = fields.Many2one(
        'mail.template', string="E-mail Template", required=True,
        domain=[('model', '=', 'account.move')], ondelete='restrict',
    )
    active = fields.Boolean(default=True)

    _days_company_uniq = models.Constraint(
        'unique (company_id, days)',
        "A company cannot have two reminder levels for the same number of days overdue.",
    )
    _days_positive = models.Constraint(
        'CHECK (days >= 0)',
        "The days overdue of a reminder level cannot be negative.",
    )

    @api.model
    def _get_levels_by_company(self, companies):
        """Active levels of ``companies``, each ordered from the mildest (fewest days) up."""
        levels = self.search([('company_id', 'in', companies.ids)], order='days, id')
        return {company: levels.filtered(lambda lvl, c=company: lvl.company_id == c) for company in companies}
