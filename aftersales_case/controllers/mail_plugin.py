from odoo import fields, http
from odoo.addons.mail_plugin.controllers import mail_plugin
from odoo.exceptions import AccessError
from odoo.http import request
from odoo.tools import html2plaintext

from ..models.aftersales_case_mail import SUBJECT_MAX_LENGTH

# How many of a sender's cases the plugin's contact panel lists.
CASES_SHOWN = 5
# Ids beyond PostgreSQL's integer would fail in SQL: they are unknown ids.
PG_MAX_INT = 2**31
# How much of a raw (HTML, folded) subject is read for a plain subject of
# SUBJECT_MAX_LENGTH characters.
RAW_SUBJECT_FACTOR = 10


class MailPluginController(mail_plugin.MailPluginController):
    """Cases in the Outlook and Gmail plugins, as crm_mail_plugin does for leads.

    The contact panel's cases, logging on cases and the module's translations
    are offered only to users who may create cases, so the plugin hides the
    section from everybody else. Everything runs as the plugin's user: access
    rights and record rules decide which cases they see and may create.
    """

    @http.route('/mail_plugin/case/create', type='jsonrpc', auth='outlook', cors='*')
    def aftersales_case_create(self, partner_id, email_body, email_subject):
        """Open a case for the sender of an e-mail, the e-mail as its description."""
        partner = self._aftersales_readable_partner(partner_id)
        if not partner:
            # Unknown and unreadable partners answer alike: ids cannot be probed.
            return {'error': 'partner_not_found'}
        Case = request.env['aftersales.case'].with_company(partner.company_id)
        case = Case.create(self._prepare_aftersales_case_vals(partner, email_subject, email_body))
        return {'case_id': case.id, 'name': case.display_name}

    # Helpers

    def _aftersales_readable_partner(self, partner_id):
        """The partner the client named, if it exists and the user may read it."""
        Partner = request.env['res.partner']
        try:
            partner_id = int(partner_id)
        except (TypeError, ValueError):
            return Partner
        if not 0 < partner_id < PG_MAX_INT:
            return Partner
        partner = Partner.browse(partner_id).exists()
        try:
            partner.check_access('read')
        except AccessError:
            return Partner
        return partner

    def _prepare_aftersales_case_vals(self, partner, email_subject, email_body):
        # A subject is one line: the plugin may send HTML or folded headers.
        # It is cut to the case's limit, as the gateway cuts an e-mail's: the
        # sender wrote it, and the agent opening the case could not fix it.
        # What is parsed is bounded first: markup and spaces shrink, text does not.
        raw = (email_subject or "")[:SUBJECT_MAX_LENGTH * RAW_SUBJECT_FACTOR]
        subject = " ".join(html2plaintext(raw).split()) \
            or request.env._("E-mail from %(name)s", name=partner.display_name)
        origin = request.env.ref('aftersales_case.origin_email', raise_if_not_found=False)
        return {
            'subject': subject[:SUBJECT_MAX_LENGTH],
            'partner_id': partner.id,
            'description': email_body,
            'origin_id': origin.id if origin else False,
        }

    def _fetch_partner_aftersales_cases(self, partner, limit=CASES_SHOWN):
        """The sender's latest cases, open ones first, for the contact panel.

        A company sees the cases of all its contacts; a person those about
        them, as customer or as contact person.
        """
        cases = request.env['aftersales.case'].search(
            ['|', ('partner_id', 'child_of', partner.id), ('contact_id', '=', partner.id)],
            order='is_closed, date_reported desc, id desc', limit=limit,
        )
        return [{
            'case_id': case.id,
            'name': case.name,
            'subject': case.subject,
            'stage': case.stage_id.name or "",
            'is_closed': case.is_closed,
            'user': case.user_id.name or "",
            'date_reported': fields.Datetime.to_string(case.date_reported),
        } for case in cases]

    # Overrides of mail_plugin

    def _get_contact_data(self, partner):
        """Add the ``cases`` key only for users who may create cases."""
        contact_values = super()._get_contact_data(partner)
        if not request.env['aftersales.case'].has_access('create'):
            return contact_values
        contact_values['cases'] = self._fetch_partner_aftersales_cases(partner) if partner else []
        return contact_values

    def _mail_content_logging_models_whitelist(self):
        models_whitelist = super()._mail_content_logging_models_whitelist()
        if not request.env['aftersales.case'].has_access('create'):
            return models_whitelist
        return [*models_whitelist, 'aftersales.case']

    def _translation_modules_whitelist(self):
        modules_whitelist = super()._translation_modules_whitelist()
        if not request.env['aftersales.case'].has_access('create'):
            return modules_whitelist
        return [*modules_whitelist, 'aftersales_case']
