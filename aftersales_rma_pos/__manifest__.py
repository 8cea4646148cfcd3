{
    'name': "After-Sales Returns: Point of Sale",
    'version': '19.0.1.0.0',
    'category': 'Services/After-Sales',
    'summary': "Returns of cash sales: goods sold at the till come back on a return, "
               "refunded by a refund order the till pays",
    'author': "After-Sales Suite",
    'license': 'LGPL-3',
    'depends': ['aftersales_rma', 'point_of_sale'],
    'data': [
        'views/aftersales_rma_views.xml',
        'views/pos_order_views.xml',
        'wizard/aftersales_rma_create_views.xml',
    ],
    'auto_install': True,
}
