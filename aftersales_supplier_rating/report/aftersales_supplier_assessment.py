from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools.misc import format_date


class ReportAftersalesSupplierAssessment(models.AbstractModel):
    """The supplier assessment: a vendor's complaints, cases, returns and
    repairs over a period, read from the supplier rating."""

    _name = 'report.aftersales_supplier_rating.report_supplier_assessment'
    _description = "Supplier Assessment"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        today = fields.Date.context_today(self)
        date_from = fields.Date.to_date(data.get('date_from')) or today.replace(month=1, day=1)
        date_to = fields.Date.to_date(data.get('date_to')) or today
        partners = self.env['res.partner'].browse(docids)
        return {
            'doc_ids': docids,
            'doc_model': 'res.partner',
            'docs': partners,
            'date_from': date_from,
            'date_to': date_to,
            'figures': {
                partner.id: self._get_figures(partner, date_from, date_to) for partner in partners
            },
        }

    @api.model
    def _get_figures(self, partner, date_from, date_to):
        """What the assessment shows of ``partner`` from ``date_from`` to
        ``date_to``: totals by kind, returns and repairs by month, figures
        by product and by reason. The report's access rules apply."""
        Report = self.env['aftersales.supplier.report']
        domain = [
            ('supplier_id', '=', partner.id), ('date', '>=', date_from), ('date', '<=', date_to),
        ]
        kinds = {
            kind: {'count': count, 'cost': cost, 'quantity': quantity, 'lead_time': lead_time}
            for kind, count, cost, quantity, lead_time in Report._read_group(
                domain, ['kind'], ['__count', 'cost:sum', 'quantity:sum', 'lead_time:avg'],
            )
        }
        open_counts = dict(Report._read_group([*domain, ('is_open', '=', True)], ['kind'], ['__count']))
        overall = Report._read_group(domain, [], ['cost:sum', 'lead_time:avg'])[0]
        return {
            'kinds': [
                {'kind': kind, 'label': label, 'open': open_counts.get(kind, 0),
                 **kinds.get(kind, {'count': 0, 'cost': 0.0, 'quantity': 0.0, 'lead_time': None})}
                for kind, label in Report._fields['kind']._description_selection(self.env)
            ],
            'complaint_count': kinds.get('complaint', {}).get('count', 0),
            'complaint_open_count': open_counts.get('complaint', 0),
            'cost': overall[0],
            'lead_time': overall[1],
            'months': self._get_months(Report, domain, date_from, date_to),
            'products': self._get_products(Report, domain),
            'reasons': self._get_reasons(Report, domain),
        }

    @api.model
    def _get_months(self, Report, domain, date_from, date_to):
        """Returns and repairs of each month of the period, months without any too."""
        counts = {
            (month, kind): (count, quantity)
            for month, kind, count, quantity in Report._read_group(
                [*domain, ('kind', 'in', ('return', 'repair'))], ['date:month', 'kind'],
                ['__count', 'quantity:sum'],
            )
        }
        months, month = [], date_from.replace(day=1)
        while month <= date_to:
            returns, returned = counts.get((month, 'return'), (0, 0.0))
            months.append({
                'month': month, 'label': format_date(self.env, month, date_format='MMMM yyyy'),
                'returns': returns, 'returned': returned,
                'repairs': counts.get((month, 'repair'), (0, 0.0))[0],
            })
            month += relativedelta(months=1)
        return months

    @api.model
    def _get_products(self, Report, domain):
        rows = {}
        for product, kind, count, cost in Report._read_group(
            domain, ['product_id', 'kind'], ['__count', 'cost:sum'],
        ):
            row = rows.setdefault(product, {
                'product': product, 'complaint': 0, 'case': 0, 'return': 0, 'repair': 0, 'cost': 0.0,
            })
            row[kind] += count
            row['cost'] += cost
        return sorted(rows.values(), key=lambda row: (-row['cost'], row['product'].display_name or ''))

    @api.model
    def _get_reasons(self, Report, domain):
        """Complaint and return reasons, each with how often it was given."""
        reasons = [
            {'reason': reason.display_name, 'kind': kind, 'count': count}
            for field, kind in (('complaint_reason_id', 'complaint'), ('return_reason_id', 'return'))
            for reason, count in Report._read_group(
                [*domain, (field, '!=', False)], [field], ['__count'],
            )
        ]
        return sorted(reasons, key=lambda row: (-row['count'], row['reason']))
