{
    'name': "After-Sales Complaints: Credit Control",
    'version': '19.0.1.0.0',
    'category': 'Services/After-Sales',
    'summary': "A complaint's dunning hold also moves the invoice to OCA Credit Control's "
               "no follow-up policy",
    'author': "After-Sales Suite",
    'license': 'LGPL-3',
    'depends': ['aftersales_complaint', 'account_credit_control'],
    'data': [
        'views/aftersales_complaint_hold_views.xml',
    ],
    'auto_install': True,
    'post_init_hook': 'post_init_hook',
    'uninstall_hook': 'uninstall_hook',
}
