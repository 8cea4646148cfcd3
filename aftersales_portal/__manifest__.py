{
    'name': "After-Sales Portal",
    'version': '19.0.1.0.0',
    'category': 'Services/After-Sales',
    'summary': "To come, not built yet: the customer side of the after-sales suite in Odoo's portal",
    'author': "After-Sales Suite",
    'license': 'LGPL-3',
    'depends': ['aftersales_warranty', 'aftersales_complaint', 'portal'],
}
