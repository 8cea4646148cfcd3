{
    'name': "After-Sales Cases",
    'version': '19.0.1.0.0',
    'category': 'Services/After-Sales',
    'summary': "Support cases: the desk every after-sales document starts from",
    'author': "After-Sales Suite",
    'license': 'LGPL-3',
    'depends': ['mail'],
    'data': [
        'security/aftersales_groups.xml',
        'views/aftersales_menus.xml',
    ],
    'application': True,
}
