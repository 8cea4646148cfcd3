"""The e-mail gateway tests' base: a team reachable by e-mail, mails fed as fetchmail does."""

from email.utils import make_msgid
from unittest.mock import patch

from odoo.addons.mail.tests.common import MockEmail
from odoo.tests import RecordCapturer

from .common import AftersalesCaseCommon
from .mail_templates import BODY, MAIL_TEMPLATE

CARLA = '"Carla Contact" <carla@customer.example>'


class AftersalesMailCommon(AftersalesCaseCommon, MockEmail):
    """The Desk team reachable at desk@test.mycompany.com, e-mails fed as fetchmail does."""

    @classmethod
    def default_env_context(cls):
        # The gateway is chatter: keep tracking, creation logs and followers.
        return {'no_reset_password': True}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._init_mail_gateway()
        cls.team.write({'alias_name': 'desk', 'alias_domain_id': cls.mail_alias_domain.id})
        cls.desk_email = f'desk@{cls.alias_domain}'
        cls.template_ack = cls.env.ref('aftersales_case.mail_template_case_acknowledgement')

    def setUp(self):
        super().setUp()
        self.enterContext(self.mock_mail_gateway())

    def _email(self, subject="The printer jams", email_from=CARLA, body=BODY, *,
               attachments='', **kwargs):
        """An RFC 822 e-mail to the Desk's alias."""
        return self.format(
            MAIL_TEMPLATE, to=kwargs.pop('to', self.desk_email), subject=subject,
            email_from=email_from, msg_id=kwargs.pop('msg_id', None) or make_msgid(),
            body=body, attachments=attachments, **kwargs,
        )

    def _process(self, email):
        # fetchmail processes e-mails as superuser
        return self.env['mail.thread'].sudo().message_process(None, email)

    def _receive(self, *args, **kwargs):
        """Feed an e-mail (see ``_email``) to the gateway, run the end of its
        transaction (tracking) and then the scheduled action that sends the
        acknowledgements; return the cases it opened."""
        email = self._email(*args, **kwargs)
        with RecordCapturer(self.env['aftersales.case'], []) as capture:
            self._process(email)
            self.env.cr.flush()
        self._send_acknowledgements()
        return capture.records

    def _send_acknowledgements(self, **kwargs):
        """Run the acknowledgements' scheduled action; its commits are counted, not made."""
        commits = []
        with patch.object(self.env.cr, 'commit', lambda: commits.append(True)):
            self.env['aftersales.case']._cron_send_acknowledgements(**kwargs)
        return len(commits)

    def _reply(self, case, email_from=CARLA, body="<p>It still jams.</p>", **kwargs):
        """Answer, as a mail client does, the last e-mail the customer got or sent."""
        last = case.message_ids.filtered(
            lambda message: message.message_type in ('email', 'comment', 'auto_comment')
        )[:1]
        return self._receive(
            subject=f"Re: {case.subject}", email_from=email_from, body=body,
            references=last.message_id, **kwargs,
        )

    def _mails_to(self, partner):
        return self._new_mails.filtered(lambda mail: partner in mail.recipient_ids)

    @staticmethod
    def _emails(case):
        """The e-mails received on ``case``, newest first."""
        return case.message_ids.filtered(lambda message: message.message_type == 'email')
