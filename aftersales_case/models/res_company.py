from odoo import fields, models


class ResCompany(models.Model):
    _inherit = 'res.company'

    aftersales_sla_margin_hours = fields.Float(
        string="Escalation Warning (hours)", default=4.0,
        help="Cases whose service level deadline is this close are at risk: their "
             "responsible gets an activity before the case is escalated.",
    )
    aftersales_churn_days = fields.Integer(
        string="Churn Window (days)", default=180,
        help="A customer with a case who bought nothing for this long counts as churned.",
    )
