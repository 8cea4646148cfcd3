{
    'name': "After-Sales Complaints",
    'version': '19.0.1.0.0',
    'category': 'Services/After-Sales',
    'summary': "Customer complaints: registered, planned with an action plan, reviewed and posted",
    'author': "After-Sales Suite",
    'license': 'LGPL-3',
    'depends': ['aftersales_case', 'sale'],
    'data': [
        'security/aftersales_complaint_groups.xml',
        'security/ir.model.access.csv',
        'security/aftersales_complaint_security.xml',
        'data/ir_sequence_data.xml',
        'data/mail_activity_plan_data.xml',
        'views/aftersales_complaint_views.xml',
        'views/aftersales_complaint_reason_views.xml',
        'views/aftersales_case_views.xml',
        'views/res_partner_views.xml',
        'views/aftersales_complaint_menus.xml',
    ],
    'demo': [
        'demo/aftersales_complaint_demo.xml',
    ],
}
