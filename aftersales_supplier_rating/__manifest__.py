{
    'name': "After-Sales Supplier Rating",
    'version': '19.0.1.0.0',
    'category': 'Services/After-Sales',
    'summary': "Complaints, cases, returns and repairs per supplier, and the supplier assessment",
    'author': "After-Sales Suite",
    'license': 'LGPL-3',
    'depends': ['aftersales_complaint', 'aftersales_repair'],
    'data': [
        'security/ir.model.access.csv',
        'security/aftersales_supplier_rating_security.xml',
        'report/aftersales_supplier_rating_reports.xml',
        'report/aftersales_supplier_assessment_templates.xml',
        'wizard/aftersales_supplier_assessment_print_views.xml',
        'views/aftersales_supplier_report_views.xml',
        'views/res_partner_views.xml',
    ],
    'auto_install': True,
}
