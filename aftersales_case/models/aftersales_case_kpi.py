from odoo import models


class AftersalesCaseKpi(models.AbstractModel):
    _name = 'aftersales.case.kpi'
    _description = "After-Sales Key Figures"
