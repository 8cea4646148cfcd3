from . import models


def _active_holds(env):
    return env['aftersales.complaint.hold'].sudo().with_context(active_test=False).search([
        ('state', '=', 'active'),
    ])


def post_init_hook(env):
    """Invoices held before the bridge was installed move to the no
    follow-up policy too."""
    _active_holds(env)._hold_credit_policy()


def uninstall_hook(env):
    """Give the invoices still held by complaints their credit control policy
    back: the remembered policies go with the module."""
    holds = _active_holds(env)
    holds._restore_credit_policy(holds.move_id)
