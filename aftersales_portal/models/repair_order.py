from odoo import fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain


class RepairOrder(models.Model):
    """The customer's side of a repair: its badge, its serial's history and
    the quote signed in the portal, as sale orders are."""

    _inherit = 'repair.order'

    aftersales_signature = fields.Image(
        string="Quote Signature", copy=False, attachment=True, max_width=1024, max_height=1024,
    )
    aftersales_signed_by = fields.Char(string="Quote Signed By", copy=False)
    aftersales_signed_on = fields.Datetime(string="Quote Signed On", copy=False)

    def _get_portal_status(self):
        """``(label, css class)`` of the repair's badge on the portal."""
        self.ensure_one()
        label = dict(self._fields['state']._description_selection(self.env))[self.state]
        css = {
            'draft': 'text-bg-info', 'confirmed': 'text-bg-primary', 'under_repair': 'text-bg-warning',
            'done': 'text-bg-success', 'cancel': 'text-bg-danger',
        }.get(self.state, 'text-bg-secondary')
        return label, css

    def _aftersales_has_to_be_signed(self):
        """Whether the customer may accept and sign the quote: sent, not
        confirmed yet, and the repair neither done nor cancelled."""
        self.ensure_one()
        return self.aftersales_quote_state == 'sent' and self.state not in ('done', 'cancel')

    def _aftersales_accept_quote_by_customer(self, name, signature):
        """The customer signed the quote in the portal: keep the signature and
        confirm the quote into its sale order (the caller runs this in sudo
        once the customer's access is checked)."""
        self.ensure_one()
        if not self._aftersales_has_to_be_signed():
            raise UserError(self.env._(
                "The quote of repair %(repair)s is not waiting for your signature.", repair=self.name,
            ))
        name = (name or '').strip()
        if not name or not signature:
            raise UserError(self.env._("Sign the quote with your name and signature."))
        self.write({
            'aftersales_signed_by': name[:200],
            'aftersales_signed_on': fields.Datetime.now(),
            'aftersales_signature': signature,
        })
        self._aftersales_confirm_quote()

    def _aftersales_portal_history(self):
        """The customer's other repairs of the same serial, newest first."""
        self.ensure_one()
        if not self.lot_id:
            return self.browse()
        return self.search(
            Domain('lot_id', '=', self.lot_id.id) & Domain('id', '!=', self.id)
            & Domain('partner_id', 'child_of', [self.partner_id.commercial_partner_id.id]),
            order='create_date desc, id desc', limit=20,
        )
