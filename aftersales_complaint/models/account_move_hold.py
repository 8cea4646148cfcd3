from odoo import fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

# Accountants and complaint agents see the holds; portal users never do.
HOLD_READERS = (
    'account.group_account_invoice,account.group_account_readonly,'
    'aftersales_complaint.aftersales_complaint_group_user'
)


class AccountMove(models.Model):
    _inherit = 'account.move'

    aftersales_hold_ids = fields.One2many(
        'aftersales.complaint.hold', 'move_id', string="Dunning Holds", groups=HOLD_READERS,
    )
    is_held_by_complaint = fields.Boolean(
        string="Held by a Complaint", compute='_compute_aftersales_hold_info',
        search='_search_is_held_by_complaint', groups=HOLD_READERS,
    )
    aftersales_hold_complaint_names = fields.Char(
        string="Held by Complaints", compute='_compute_aftersales_hold_info', groups=HOLD_READERS,
    )

    def _compute_aftersales_hold_info(self):
        # sudo: the names of the complaints holding an invoice are shown to
        # whoever reads the invoice's holds, accountants without complaint
        # rights included.
        names = dict(self.env['aftersales.complaint.hold'].sudo()._read_group(
            [('move_id', 'in', self.ids), ('state', '=', 'active')],
            ['move_id'], ['complaint_id:array_agg'],
        ))
        complaints = self.env['aftersales.complaint'].sudo().browse(
            {cid for ids in names.values() for cid in ids}
        )
        name_by_id = {complaint.id: complaint.name for complaint in complaints}
        for move in self:
            complaint_ids = names.get(move._origin, [])
            move.is_held_by_complaint = bool(complaint_ids)
            move.aftersales_hold_complaint_names = ", ".join(
                sorted(name_by_id[cid] for cid in complaint_ids)
            )

    def _search_is_held_by_complaint(self, operator, value):
        if operator != 'in':
            return NotImplemented
        held = Domain('aftersales_hold_ids', 'any', [('state', '=', 'active')])
        return held if True in value else ~held

    # CRUD methods

    def write(self, vals):
        if 'no_followup' in vals and not vals['no_followup'] and not self.env.su:
            # The rights first: who may not write the invoice meets an AccessError.
            self.check_access('write')
            held = self.sudo().filtered('is_held_by_complaint')
            if held:
                raise UserError(self.env._(
                    "Invoice %(move)s is held by complaint %(complaints)s: release the hold "
                    "to follow it up again.",
                    move=held[0].display_name, complaints=held[0].aftersales_hold_complaint_names,
                ))
        return super().write(vals)

    # Actions

    def action_view_aftersales_holds(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id(
            'aftersales_complaint.aftersales_complaint_hold_action',
        )
        action['domain'] = [('move_id', '=', self.id)]
        action['context'] = {'create': False}
        return action

    # Business methods

    def _invoice_paid_hook(self):
        result = super()._invoice_paid_hook()
        # sudo: a payment (by an accountant, or online by the customer)
        # releases the holds of the invoices it pays; nobody chose a hold.
        holds = self.env['aftersales.complaint.hold'].sudo().search([
            ('move_id', 'in', self.ids), ('state', '=', 'active'),
        ])
        holds._release()
        return result

    def _aftersales_lock_holds(self):
        """Lock the invoice rows before their holds change, and write them.

        A complaint closing must see every other complaint still holding
        the invoice. Waiting on the row lock alone is not enough under
        REPEATABLE READ: the second transaction would still read the holds
        as of its snapshot. Updating the row makes it fail instead with a
        serialization error, and the retried request sees the other release.
        """
        if not self:
            return
        ids = tuple(sorted(self.ids))
        self.env.execute_query(SQL(
            "SELECT id FROM account_move WHERE id IN %s ORDER BY id FOR NO KEY UPDATE", ids,
        ))
        self.env.execute_query(SQL(
            "UPDATE account_move SET write_date = write_date WHERE id IN %s", ids,
        ))

    def _aftersales_set_no_followup(self, value):
        """Set the follow-up exclusion of the invoices' receivable lines, in
        one query: core's inverse would write each invoice and line apart."""
        if not self:
            return
        self.env['account.move.line'].flush_model(['no_followup'])
        self.env.execute_query(SQL(
            """
            UPDATE account_move_line line
               SET no_followup = %s
              FROM account_account account
             WHERE account.id = line.account_id
               AND account.account_type IN ('asset_receivable', 'liability_payable')
               AND line.move_id IN %s
            """,
            bool(value), tuple(self.ids),
        ))
        self.env['account.move.line'].invalidate_model(['no_followup'])
        self.invalidate_recordset(['no_followup'])
