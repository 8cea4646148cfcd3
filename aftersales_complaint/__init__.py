from . import models
from . import wizard
from . import report


def uninstall_hook(env):
    """Give the invoices still held by complaints their follow-up back: the
    holds go with the module, and nothing would release them any more."""
    holds = env['aftersales.complaint.hold'].sudo().with_context(active_test=False).search([
        ('state', '=', 'active'),
    ])
    previous = {hold.move_id: hold.previous_no_followup for hold in holds}
    for value in (True, False):
        env['account.move'].browse(
            move.id for move, was in previous.items() if was is value
        )._aftersales_set_no_followup(value)
    # Posted invoices are accounting records: the demo's stay, and only
    # their reference to the module goes (Odoo would fail to delete them).
    env['ir.model.data'].search([
        ('module', '=', 'aftersales_complaint'), ('model', '=', 'account.move'),
    ]).unlink()
