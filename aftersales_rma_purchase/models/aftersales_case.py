from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.aftersales_case.tools import lock_rows
from odoo.exceptions import AccessError, UserError


class AftersalesCase(models.Model):
    """A goods-receipt case sends the rejected goods back to the vendor.

    The goods go back on stock's own return of the receipt, linked to the
    case, and the purchase order's invoicing credits them. The case also
    shows the vendor returns and credit notes of its customer returns.
    """

    _inherit = 'aftersales.case'

    aftersales_vendor_picking_count = fields.Integer(
        string="Vendor Return Count", compute='_compute_aftersales_vendor_counts',
    )
    aftersales_vendor_credit_count = fields.Integer(
        string="Vendor Credit Note Count", compute='_compute_aftersales_vendor_counts',
    )

    @api.depends_context('uid')
    def _compute_aftersales_vendor_counts(self):
        # With the user's rights, as the lists the buttons open.
        pickings = self._get_aftersales_vendor_documents('stock.picking')
        credit_notes = self._get_aftersales_vendor_documents('account.move')
        for case in self:
            case.aftersales_vendor_picking_count = len(pickings.get(case._origin, ()))
            case.aftersales_vendor_credit_count = len(credit_notes.get(case._origin, ()))

    # Actions

    def action_aftersales_return_to_vendor(self):
        """Open stock's return wizard on the case's receipt, its products proposed.

        The wizard is made with the user's rights: returning goods to a vendor
        is the warehouse's work, on a case the user may change.
        """
        self.ensure_one()
        self.check_access('write')
        if not self.env['stock.return.picking'].has_access('create'):
            raise AccessError(self.env._(
                "Only the warehouse returns the goods of case %(case)s to the vendor.", case=self.name,
            ))
        receipt = self.aftersales_receipt_id
        if not receipt or receipt.state != 'done':
            raise UserError(self.env._(
                "Case %(case)s has no done vendor receipt to return: goods not received yet are "
                "taken off the receipt instead.", case=self.name,
            ))
        wizard = self.env['stock.return.picking'].with_context(
            active_id=receipt.id, active_ids=receipt.ids, active_model='stock.picking',
        ).create({'picking_id': receipt.id, 'aftersales_vendor_case_id': self.id})
        action = self.env['ir.actions.act_window']._for_xml_id('stock.act_stock_return_picking')
        action.update(res_id=wizard.id, context={
            'active_id': receipt.id, 'active_ids': receipt.ids, 'active_model': 'stock.picking',
        })
        return action

    def action_aftersales_vendor_credit(self):
        """Credit the rejected goods sent back to the vendor, by the purchase order's invoicing."""
        self._check_aftersales_vendor_credit_access()
        # sudo: purchase users and accountants credit the goods of cases they
        # may read; the check above and the quantities the orders still have
        # to credit are the guard.
        cases = self.sudo()
        lock_rows(cases, touch=True)
        credit_notes = self.env['account.move']
        for case in cases:
            pickings = self.env['stock.picking'].sudo().search([('aftersales_vendor_case_id', '=', case.id)])
            done = self.env['account.move'].sudo().search([('aftersales_vendor_case_id', '=', case.id)])
            new = pickings.move_ids._aftersales_vendor_credit(done)
            new.aftersales_vendor_case_id = case
            if new:
                case.message_post(body=Markup(self.env._("Vendor credit note %(credit_notes)s made.")) % {
                    'credit_notes': Markup(", ").join(move._get_html_link() for move in new),
                })
            credit_notes |= new
        if not credit_notes:
            raise UserError(self.env._(
                "Nothing to credit on %(cases)s: the goods sent back to the vendor are credited "
                "already, were never billed (the purchase order bills less instead), or have not "
                "left yet.", cases=", ".join(cases.mapped('name')),
            ))
        return self.env['aftersales.rma']._action_view(credit_notes, 'account.action_move_in_refund_type')

    def action_view_aftersales_vendor_pickings(self):
        self.ensure_one()
        pickings = self._get_aftersales_vendor_documents('stock.picking')[self]
        return self.env['aftersales.rma']._action_view(pickings, 'stock.action_picking_tree_all')

    def action_view_aftersales_vendor_credit_notes(self):
        self.ensure_one()
        credit_notes = self._get_aftersales_vendor_documents('account.move')[self]
        return self.env['aftersales.rma']._action_view(credit_notes, 'account.action_move_in_refund_type')

    # Business methods

    def _get_aftersales_vendor_documents(self, model):
        """``{case: vendor returns or credit notes}`` (``model``) of the cases and
        of their customer returns that the user may read, in two queries."""
        Model = self.env[model]
        documents = dict.fromkeys(self._origin, Model)
        if not self._origin.ids or not Model.has_access('read'):
            return documents
        for field in ('aftersales_vendor_case_id', 'aftersales_vendor_rma_id.case_id'):
            for case, ids in Model._read_group(
                [(field, 'in', self._origin.ids)], [field], ['id:array_agg'],
            ):
                documents[case] |= Model.browse(ids)
        return documents

    def _check_aftersales_vendor_credit_access(self):
        """Purchase users and accountants credit what went back to vendors."""
        self.check_access('read')
        if not self.env.user.has_groups('purchase.group_purchase_user,account.group_account_invoice'):
            raise AccessError(self.env._(
                "Only purchase users and accountants can credit the goods of %(cases)s sent back "
                "to the vendor.", cases=", ".join(self.mapped('name')),
            ))

