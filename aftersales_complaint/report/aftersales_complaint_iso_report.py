from odoo import api, models


class ReportAftersalesComplaintIso(models.AbstractModel):
    _name = 'report.aftersales_complaint.report_complaint_iso'
    _description = "Complaints Management Review Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        # Reading the wizards checks the rights: only complaint managers have any.
        reviews = self.env['aftersales.complaint.iso.report'].browse(docids)
        Complaint = self.env['aftersales.complaint']
        return {
            'doc_ids': docids,
            'doc_model': 'aftersales.complaint.iso.report',
            'docs': reviews,
            'review_values': {
                review.id: Complaint._iso_report_values(review.date_from, review.date_to, review.company_id)
                for review in reviews
            },
        }
