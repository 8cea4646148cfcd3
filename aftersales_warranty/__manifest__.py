{
    'name': "After-Sales Warranty",
    'version': '19.0.1.0.0',
    'category': 'Services/After-Sales',
    'summary': "To come, not built yet: warranty terms, registrations (installed base), claims and service contracts",
    'author': "After-Sales Suite",
    'license': 'LGPL-3',
    'depends': ['aftersales_repair'],
}
