{
    'name': "After-Sales Returns to Vendors",
    'version': '19.0.1.0.0',
    'category': 'Services/After-Sales',
    'summary': "Returned or rejected goods sent back to their vendor and credited by the purchase order",
    'author': "After-Sales Suite",
    'license': 'LGPL-3',
    'depends': ['aftersales_rma', 'purchase_stock'],
    'data': [
        'security/ir.model.access.csv',
        'security/aftersales_rma_purchase_security.xml',
        'wizard/aftersales_rma_vendor_return_views.xml',
        'views/aftersales_rma_views.xml',
        'views/aftersales_case_views.xml',
        'views/stock_picking_views.xml',
        'views/account_move_views.xml',
    ],
    'auto_install': True,
}
