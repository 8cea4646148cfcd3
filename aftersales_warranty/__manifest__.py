{
    'name': "After-Sales Warranty",
    'version': '19.0.1.0.0',
    'category': 'Services/After-Sales',
    'summary': "Warranty terms and the installed base: units registered from invoices, deliveries, "
               "by hand or by import",
    'author': "After-Sales Suite",
    'license': 'LGPL-3',
    'depends': ['aftersales_repair'],
    'data': [
        'security/aftersales_warranty_groups.xml',
        'security/ir.model.access.csv',
        'security/aftersales_warranty_security.xml',
        'data/aftersales_warranty_data.xml',
        'views/aftersales_warranty_views.xml',
        'views/aftersales_warranty_term_views.xml',
        'views/aftersales_warranty_claim_views.xml',
        'views/aftersales_case_views.xml',
        'views/aftersales_rma_views.xml',
        'views/repair_order_views.xml',
        'views/account_move_views.xml',
        'views/res_config_settings_views.xml',
        'views/aftersales_warranty_menus.xml',
    ],
    'demo': [
        'demo/aftersales_warranty_demo.xml',
    ],
}
