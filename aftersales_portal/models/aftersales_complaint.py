from contextlib import nullcontext

from odoo import fields, models
from odoo.addons.aftersales_case.tools import renewing_access_tokens
from odoo.exceptions import UserError

# The fields naming the complaint's customer, directly or through its document:
# another customer gets a new access token.
CUSTOMER_FIELDS = {'partner_id', 'invoice_id', 'sale_order_id'}
# What the portal writes on a complaint that may already be posted: sharing
# its link changes nothing of the complaint itself.
PORTAL_WRITABLE = {'access_token'}
# The company's own findings and notes: a customer reading their complaints
# over RPC does not read these.
INTERNAL_FIELDS = {
    'comment', 'supplier_id', 'case_id', 'root_cause', 'corrective_action', 'action_effective',
    'is_repeat', 'is_too_long', 'date_too_long_signalled',
}


class AftersalesComplaint(models.Model):
    _name = 'aftersales.complaint'
    _inherit = ['aftersales.complaint', 'portal.mixin']

    outcome_accepted_date = fields.Datetime(
        string="Outcome Accepted On", readonly=True, copy=False, tracking=True,
        help="When the customer accepted the outcome from the portal.",
    )

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for complaint in self:
            complaint.access_url = f'/my/complaints/{complaint.id}'

    def _has_field_access(self, field, operation):
        if field.name in INTERNAL_FIELDS and self.env.user.share and not self.env.su:
            return False
        return super()._has_field_access(field, operation)

    def write(self, vals):
        tokens = renewing_access_tokens(self) if CUSTOMER_FIELDS.intersection(vals) else nullcontext()
        with tokens:
            return super().write(vals)

    def _check_posted_write(self, vals):
        return super()._check_posted_write({
            fname: value for fname, value in vals.items() if fname not in PORTAL_WRITABLE
        })

    def _action_accept_outcome_by_customer(self):
        """Record that the customer accepts the outcome of the fulfilled
        complaint. Posting it stays a manager's step (``action_post``)."""
        self.ensure_one()
        if self.state != 'fulfilled' or self.outcome_accepted_date:
            raise UserError(self.env._(
                "The outcome of complaint %(name)s cannot be accepted now.", name=self.name,
            ))
        self.outcome_accepted_date = fields.Datetime.now()
        return True

    def _get_portal_status(self):
        """``(label, css class)`` of the complaint's badge on the portal."""
        self.ensure_one()
        label = dict(self._fields['state']._description_selection(self.env))[self.state]
        css = {
            'draft': 'text-bg-info', 'registered': 'text-bg-primary', 'planned': 'text-bg-warning',
            'fulfilled': 'text-bg-success', 'posted': 'text-bg-success', 'rejected': 'text-bg-danger',
        }.get(self.state, 'text-bg-secondary')
        return label, css
