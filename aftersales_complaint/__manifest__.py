{
    'name': "After-Sales Complaints",
    'version': '19.0.1.0.0',
    'category': 'Services/After-Sales',
    'summary': "To come, not built yet: complaints, sales adjustments, dunning holds and supplier rating",
    'author': "After-Sales Suite",
    'license': 'LGPL-3',
    'depends': ['aftersales_case'],
}
