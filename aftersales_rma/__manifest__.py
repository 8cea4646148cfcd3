{
    'name': "After-Sales Returns",
    'version': '19.0.1.0.0',
    'category': 'Services/After-Sales',
    'summary': "Return authorisations from orders, invoices and cases, received and credited",
    'author': "After-Sales Suite",
    'license': 'LGPL-3',
    'depends': ['aftersales_case'],
}
