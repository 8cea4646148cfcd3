from odoo import fields, models


class AftersalesWarrantyEquipmentType(models.Model):
    _name = 'aftersales.warranty.equipment.type'
    _description = "Equipment Type"
    _order = 'name, id'

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one('res.company', index=True, help="Leave empty to share it between companies.")
    description = fields.Text()
