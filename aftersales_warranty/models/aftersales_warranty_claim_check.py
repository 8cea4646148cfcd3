from odoo import models
from odoo.tools import format_date

# What each remedy needs the terms to cover.
REQUIRED_COVERAGE = {
    'repair': {'parts', 'labour'},
    'parts': {'parts'},
    'replacement': {'replacement'},
    'refund': {'refund'},
}


class AftersalesWarrantyClaim(models.Model):
    """The automatic checks of a claim against the warranty terms."""

    _inherit = 'aftersales.warranty.claim'

    def _validate(self):
        """Accept or refuse the claims by the terms of their registration.

        The reasons are kept as codes, and told in the reader's language when
        shown (``validation_result``). One write per outcome, whatever the
        number of claims."""
        claims = self.filtered(lambda claim: claim.state in ('draft', 'accepted', 'refused'))
        outcomes = {}
        for claim in claims:
            codes = ','.join(claim._get_refusal_codes())
            outcomes.setdefault(codes, self.browse())
            outcomes[codes] |= claim
        for codes, batch in outcomes.items():
            batch.write({'state': 'refused' if codes else 'accepted', 'refusal_codes': codes or False})

    def _get_refusal_codes(self):
        """Why the claim cannot be accepted, as codes, in the order checked."""
        self.ensure_one()
        registration = self.registration_id
        # A serial registered to someone else is answered as an unknown one:
        # a claim must not tell who owns a serial.
        if not registration or registration.commercial_partner_id != self.commercial_partner_id \
                or (self.lot_id and registration.lot_id != self.lot_id):
            return ['not_registered']
        if registration.state == 'void':
            return ['void']
        codes = []
        term = registration.term_id
        if not term or not registration.warranty_end:
            codes.append('no_terms')
        elif self.date < registration.warranty_start:
            codes.append('not_started')
        elif self.date > registration.warranty_end:
            codes.append('expired')
        if term and not REQUIRED_COVERAGE[self.remedy] <= term._get_coverage():
            codes.append('not_covered')
        return codes

    def _get_validation_result(self):
        """The result of the checks and each reason, in the reader's language."""
        self.ensure_one()
        if self.state == 'draft':
            return False
        decision = self.is_overridden and self.env._(
            "Decided by a manager: %(reason)s", reason=self.override_reason or '',
        )
        if not self.refusal_codes:
            lines = [self.env._("Covered: the claim meets the warranty terms.")]
        else:
            lines = [self.env._("Not covered:")] + [
                f"- {self._get_refusal_message(code)}" for code in self.refusal_codes.split(',')
            ]
        return "\n".join(lines + ([decision] if decision else []))

    def _get_refusal_message(self, code):
        registration = self.registration_id
        if code == 'not_registered':
            return self.env._(
                "No registration of this unit is known for %(customer)s.",
                customer=self.commercial_partner_id.display_name,
            )
        if code == 'void':
            return self.env._("Registration %(registration)s is void.", registration=registration.name)
        if code == 'no_terms':
            return self.env._(
                "%(product)s has no warranty terms.", product=registration.product_id.display_name,
            )
        if code == 'not_started':
            return self.env._(
                "The warranty starts on %(start)s, after the claim.",
                start=format_date(self.env, registration.warranty_start),
            )
        if code == 'expired':
            return self.env._(
                "The warranty ended on %(end)s, before the claim.",
                end=format_date(self.env, registration.warranty_end),
            )
        remedy = dict(self._fields['remedy']._description_selection(self.env))[self.remedy]
        return self.env._(
            "The terms %(terms)s do not cover: %(remedy)s.", terms=registration.term_id.name, remedy=remedy,
        )
