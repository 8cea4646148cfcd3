{
    'name': "After-Sales Repairs",
    'version': '19.0.1.0.0',
    'category': 'Services/After-Sales',
    'summary': "To come, not built yet: repairs with operations, parts and quotations on Odoo's repair orders",
    'author': "After-Sales Suite",
    'license': 'LGPL-3',
    'depends': ['aftersales_rma'],
}
