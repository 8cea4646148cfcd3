from datetime import datetime

from odoo import models
from odoo.tools import html2plaintext


class StockLot(models.Model):
    """The after-sales history of a serial/lot: every case, return, repair
    and supplier shipment it went through, for the History report."""

    _inherit = 'stock.lot'

    def action_aftersales_print_history(self):
        return self.env.ref('aftersales_repair.action_report_lot_history').report_action(self)

    def _aftersales_history_events(self):
        """Events of the serial as ``{date, kind, reference, description, record}``
        in date order. Other modules add theirs by extending this method.
        Read with the user's own rights: what he may not read is left out."""
        self.ensure_one()
        repairs = self._aftersales_history_read('repair.order', [('lot_id', '=', self.id)])
        lines = self._aftersales_history_read('aftersales.rma.line', [('lot_id', '=', self.id)])
        # Cases have no serial of their own: they are the ones its returns and repairs came from.
        case_ids = repairs.aftersales_case_id.ids + lines.rma_id.case_id.ids
        cases = self._aftersales_history_read('aftersales.case', [('id', 'in', case_ids)])
        pickings = self._aftersales_history_read('stock.picking', [
            ('aftersales_repair_id', 'in', repairs.ids), ('state', '!=', 'cancel'),
        ])
        events = (
            self._aftersales_history_case_events(cases)
            + self._aftersales_history_rma_events(lines)
            + self._aftersales_history_repair_events(repairs)
            + self._aftersales_history_picking_events(pickings)
        )
        return self._aftersales_history_sorted(events)

    def _aftersales_history_read(self, model, domain):
        """Records of ``model`` the user may read (rights and record rules)."""
        records = self.env[model]
        if not records.has_access('read'):
            return records
        return records.search(domain)

    def _aftersales_history_sorted(self, events):
        return sorted(events, key=lambda e: (e['date'] or datetime.min, e['reference'] or ''))

    def _aftersales_history_case_events(self, cases):
        return [{
            'date': case.date_reported, 'kind': self.env._("Case"), 'reference': case.name,
            'description': case.subject, 'record': case,
        } for case in cases]

    def _aftersales_history_rma_events(self, lines):
        return [{
            'date': line.date, 'kind': self.env._("Return"), 'reference': line.rma_id.name,
            'description': self.env._(
                "%(reason)s, %(resolution)s",
                reason=line.reason_id.display_name or self.env._("no reason given"),
                resolution=line._resolution_label(),
            ),
            'record': line,
        } for line in lines]

    def _aftersales_history_repair_events(self, repairs):
        events = []
        for repair in repairs:
            # What was done and how it was solved: the solution asked for next time.
            parts = [repair._aftersales_state_label()]
            if repair.aftersales_operation_ids:
                parts.append(self.env._(
                    "operations: %(operations)s",
                    operations=", ".join(repair.aftersales_operation_ids.mapped('name')),
                ))
            notes = html2plaintext(repair.internal_notes or '').strip()
            if notes:
                parts.append(self.env._("solution: %(notes)s", notes=notes))
            events.append({
                'date': repair.aftersales_date_in, 'kind': self.env._("Repair"),
                'reference': repair.name, 'description': "; ".join(parts), 'record': repair,
            })
        return events

    def _aftersales_history_picking_events(self, pickings):
        return [{
            'date': picking.date_done or picking.scheduled_date,
            'kind': self.env._("Supplier Shipment"),
            'reference': picking.name,
            'description': (
                self.env._("Sent to %(supplier)s", supplier=picking.partner_id.display_name)
                if picking.picking_type_code == 'outgoing'
                else self.env._("Received from %(supplier)s", supplier=picking.partner_id.display_name)
            ),
            'record': picking,
        } for picking in pickings]
