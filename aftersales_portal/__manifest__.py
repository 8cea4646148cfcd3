{
    'name': "After-Sales Portal",
    'version': '19.0.1.0.0',
    'category': 'Services/After-Sales',
    'summary': "Customers follow cases, returns, repairs, complaints and warranties in the portal; "
               "contact form, FAQ",
    'author': "After-Sales Suite",
    'license': 'LGPL-3',
    'depends': ['aftersales_warranty', 'aftersales_complaint', 'portal'],
    'data': [
        'security/ir.model.access.csv',
        'security/aftersales_portal_security.xml',
        'data/aftersales_case_type_data.xml',
        'views/aftersales_case_type_views.xml',
        'views/aftersales_case_portal_templates.xml',
        'views/aftersales_rma_portal_templates.xml',
        'security/aftersales_complaint_portal_security.xml',
        'security/aftersales_warranty_portal_security.xml',
        'views/aftersales_complaint_portal_templates.xml',
        'views/aftersales_warranty_portal_templates.xml',
        'security/aftersales_repair_portal_security.xml',
        'views/aftersales_repair_portal_templates.xml',
        'views/aftersales_contact_templates.xml',
        'views/aftersales_faq_templates.xml',
    ],
    'demo': [
        'demo/aftersales_portal_demo.xml',
        'demo/aftersales_portal_complaint_warranty_demo.xml',
        'demo/aftersales_portal_repair_demo.xml',
    ],
    'assets': {
        'web.assets_tests': [
            'aftersales_portal/static/tests/tours/*.js',
        ],
    },
}
