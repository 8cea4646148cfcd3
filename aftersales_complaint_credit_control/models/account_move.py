from odoo import models
from odoo.tools import SQL


class AccountMove(models.Model):
    _inherit = 'account.move'

    def _aftersales_set_credit_policy(self, policy):
        """Set the invoices' credit control policy in one query: core's write
        on invoices checks and syncs each invoice apart, for a field that
        nothing computes from."""
        if not self:
            return
        self.flush_recordset(['credit_policy_id'])
        self.env.execute_query(SQL(
            "UPDATE account_move SET credit_policy_id = %s WHERE id IN %s",
            policy.id or None, tuple(self.ids),
        ))
        self.invalidate_recordset(['credit_policy_id'])
