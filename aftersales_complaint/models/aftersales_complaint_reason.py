from odoo import fields, models


class AftersalesComplaintReason(models.Model):
    _name = 'aftersales.complaint.reason'
    _description = "Complaint Reason"
    _order = 'sequence, name, id'

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
