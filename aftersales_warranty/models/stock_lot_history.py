from odoo import fields, models
from odoo.tools import format_date


class StockLot(models.Model):
    """The serial's warranty in its after-sales history: its registrations,
    its claims and the maintenance visits planned for it."""

    _inherit = 'stock.lot'

    def _aftersales_history_events(self):
        events = super()._aftersales_history_events()
        registrations = self._aftersales_history_read('aftersales.warranty', [('lot_id', '=', self.id)])
        claims = self._aftersales_history_read('aftersales.warranty.claim', [('lot_id', '=', self.id)])
        # The visit's schedule is for warranty users only: without read access
        # to the schedules, the visits are not asked for at all.
        visits = self.env['aftersales.case']
        if self.env['aftersales.warranty.maintenance'].has_access('read'):
            listed = {e['record'] for e in events if e['record']._name == 'aftersales.case'}
            visits = self._aftersales_history_read('aftersales.case', [
                ('aftersales_lot_id', '=', self.id), ('aftersales_maintenance_id', '!=', False),
                ('id', 'not in', [case.id for case in listed]),
            ])
        events += (
            self._aftersales_history_registration_events(registrations)
            + self._aftersales_history_claim_events(claims)
            + self._aftersales_history_visit_events(visits)
        )
        return self._aftersales_history_sorted(events)

    def _aftersales_history_label(self, record, field_name):
        """The label of a selection value in the reader's language."""
        return dict(record._fields[field_name]._description_selection(self.env)).get(record[field_name], '')

    def _aftersales_history_registration_events(self, registrations):
        return [{
            # Registrations and claims are dated by day, the other events by the minute.
            'date': fields.Datetime.to_datetime(
                registration.warranty_start or registration.registration_date
            ),
            'kind': self.env._("Warranty Registration"),
            'reference': registration.name,
            'description': self.env._(
                "%(customer)s, in warranty until %(end)s, %(state)s",
                customer=registration.partner_id.display_name,
                end=format_date(self.env, registration.warranty_end) or "-",
                state=self._aftersales_history_label(registration, 'state'),
            ),
            'record': registration,
        } for registration in registrations]

    def _aftersales_history_claim_events(self, claims):
        return [{
            'date': fields.Datetime.to_datetime(claim.date),
            'kind': self.env._("Warranty Claim"),
            'reference': claim.name,
            'description': self.env._(
                "%(state)s, %(remedy)s, cause: %(cause)s",
                state=self._aftersales_history_label(claim, 'state'),
                remedy=self._aftersales_history_label(claim, 'remedy'),
                cause=claim.root_cause_id.display_name or self.env._("not known"),
            ),
            'record': claim,
        } for claim in claims]

    def _aftersales_history_visit_events(self, visits):
        return [{
            'date': visit.planned_start or fields.Datetime.to_datetime(visit.aftersales_maintenance_date),
            'kind': self.env._("Maintenance Visit"),
            'reference': visit.name,
            'description': self.env._(
                "%(maintenance)s, %(stage)s",
                maintenance=visit.aftersales_maintenance_id.display_name,
                stage=visit.stage_id.display_name,
            ),
            'record': visit,
        } for visit in visits]
