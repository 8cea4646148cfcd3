{
    'name': "After-Sales Repairs",
    'version': '19.0.1.0.0',
    'category': 'Services/After-Sales',
    'summary': "Repairs on Odoo's repair orders, from returns and cases, settled back to the customer",
    'author': "After-Sales Suite",
    'license': 'LGPL-3',
    'depends': ['aftersales_rma', 'repair'],
    'data': [
        'security/aftersales_repair_groups.xml',
        'views/repair_order_views.xml',
        'views/aftersales_rma_views.xml',
        'views/aftersales_case_views.xml',
        'views/stock_lot_views.xml',
        'views/res_config_settings_views.xml',
        'views/aftersales_repair_menus.xml',
    ],
    'demo': [
        'demo/aftersales_repair_demo.xml',
    ],
}
