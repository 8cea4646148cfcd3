from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Keep the "all returns" rules to after-sales agents of all documents.

    They also gave warehouse and accounting users every return in full; a
    rule of their own now lets those read only. Rules are loaded once
    (noupdate), so a database made before is corrected here.
    """
    env = api.Environment(cr, SUPERUSER_ID, {})
    agents_all = env.ref('aftersales_case.aftersales_group_user_all')
    for xmlid in ('aftersales_rma.aftersales_rma_rule_user_all',
                  'aftersales_rma.aftersales_rma_line_rule_user_all'):
        rule = env.ref(xmlid, raise_if_not_found=False)
        if rule:
            rule.groups = agents_all
