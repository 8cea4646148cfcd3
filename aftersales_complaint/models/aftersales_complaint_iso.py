from datetime import timedelta

from odoo import api, models
from odoo.fields import Domain


class AftersalesComplaint(models.Model):
    """The figures of the complaints management review (ISO 9001 §9.1.2 and
    §10.2, ISO 10002): every figure of a period from a few grouped reads,
    whatever the number of complaints."""

    _inherit = 'aftersales.complaint'

    @api.model
    def _iso_cost_field(self):
        """The monetary field the review adds up as the cost of complaints."""
        return 'amount'

    @api.model
    def _iso_costs(self, domain):
        """``[(currency, total)]`` of the cost of the complaints of ``domain``."""
        field = self._iso_cost_field()
        return [
            (currency, total)
            for currency, total in self._read_group(domain, ['currency_id'], [f'{field}:sum'])
            if total
        ]

    @api.model
    def _iso_report_groupings(self):
        """``[(title, field)]``: the breakdowns of the complaints received."""
        return [
            (self.env._("By Reason"), 'reason_id'),
            (self.env._("By Product"), 'product_ids'),
            (self.env._("By Customer"), 'commercial_partner_id'),
            (self.env._("By Supplier"), 'supplier_id'),
        ]

    @api.model
    def _iso_report_values(self, date_from, date_to, company):
        """The figures of the review of ``company``'s complaints from
        ``date_from`` to ``date_to`` (both included)."""
        # Archived complaints were handled all the same: they count.
        Complaint = self.with_context(active_test=False)
        target = company.aftersales_complaint_close_days
        received = Complaint._iso_received_domain(date_from, date_to, company)
        closed = Domain([('company_id', '=', company.id),
                         ('date_closed', '>=', date_from), ('date_closed', '<=', date_to)])
        open_at_end = Domain([
            ('company_id', '=', company.id), ('state', '!=', 'cancelled'),
            ('date_issue', '<=', date_to),
        ]) & (Domain('date_closed', '=', False) | Domain('date_closed', '>', date_to))
        [(closed_count, average, maximum)] = Complaint._read_group(
            closed, [], ['__count', 'days_to_close:avg', 'days_to_close:max'],
        )
        open_count = Complaint.search_count(open_at_end)
        return {
            'company': company,
            'date_from': date_from,
            'date_to': date_to,
            'target_days': target,
            'received': Complaint.search_count(received),
            'closed': closed_count,
            'avg_days_to_close': average or 0.0,
            'max_days_to_close': maximum or 0,
            'closed_within_target': Complaint.search_count(
                closed & Domain('days_to_close', '<=', target),
            ) if target > 0 else closed_count,
            'open_at_end': open_count,
            'overdue_at_end': Complaint.search_count(
                open_at_end & Domain('date_issue', '<', date_to - timedelta(days=target)),
            ) if target > 0 else 0,
            'repeat': Complaint.search_count(received & Domain('is_repeat', '=', True)),
            'breakdowns': Complaint._iso_breakdowns(received),
            'effectiveness': Complaint._iso_effectiveness(closed),
            'actions': Complaint.search(
                closed & (Domain('root_cause', '!=', False) | Domain('corrective_action', '!=', False)),
                order='date_closed, id',
            ),
            'costs': Complaint._iso_costs(received),
        }

    @api.model
    def _iso_received_domain(self, date_from, date_to, company):
        """The complaints received in the period; a cancelled one was recorded by mistake."""
        return Domain([
            ('company_id', '=', company.id), ('state', '!=', 'cancelled'),
            ('date_issue', '>=', date_from), ('date_issue', '<=', date_to),
        ])

    @api.model
    def _iso_breakdowns(self, domain):
        """``[{'title', 'rows': [(label, count)]}]``, most frequent first."""
        breakdowns = []
        for title, field in self._iso_report_groupings():
            groups = self._read_group(domain, [field], ['__count'])
            # Most frequent first; complaints without a value last of their count.
            groups = sorted(groups, key=lambda group: (-group[1], not group[0], group[0].display_name or ''))
            rows = [(record.display_name or self.env._("Not Set"), count) for record, count in groups]
            breakdowns.append({'title': title, 'rows': rows})
        return breakdowns

    @api.model
    def _iso_effectiveness(self, domain):
        """``[(label, count)]`` of the corrective actions by effectiveness."""
        labels = dict(self._fields['action_effective']._description_selection(self.env))
        return [
            (labels.get(value) or self.env._("Not Assessed"), count)
            for value, count in self._read_group(domain, ['action_effective'], ['__count'])
        ]
