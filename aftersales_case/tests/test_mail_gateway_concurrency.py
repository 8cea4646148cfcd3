import threading
import uuid
from email.utils import make_msgid

from psycopg2 import IntegrityError

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger

from .mail_templates import BODY, MAIL_TEMPLATE


@tagged('post_install', '-at_install')
class TestMailGatewayConcurrency(BaseCase):
    """CC3: the same inbound e-mail delivered twice at once opens one case.

    Each delivery runs in a transaction of its own, as two fetchmail runs or
    a mail server's retry would; what they commit is deleted again when the
    class ends.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.suffix = uuid.uuid4().hex[:8]
        cls.sender = f'sender-{cls.suffix}@customer.example'
        cls.addClassCleanup(cls._remove_data)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cls.partner_id = env['res.partner'].create({
                'name': f"Sender {cls.suffix}", 'email': cls.sender,
            }).id

    @classmethod
    def _remove_data(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cases = env['aftersales.case'].with_context(active_test=False).search([
                ('subject', 'ilike', cls.suffix),
            ])
            env['mail.message'].search([
                '|', '&', ('model', '=', 'aftersales.case'), ('res_id', 'in', cases.ids),
                ('subject', 'ilike', cls.suffix),
            ]).unlink()
            cases.unlink()
            env['res.partner'].browse(cls.partner_id).unlink()

    def setUp(self):
        super().setUp()
        self.subject = f"Concurrent delivery {self.suffix} {uuid.uuid4().hex[:6]}"

    def _email(self, msg_id):
        return MAIL_TEMPLATE.format(
            to='desk@customer-service.example', cc='', email_from=self.sender, subject=self.subject,
            date='Sun, 06 Dec 2026 10:00:00 +0000', msg_id=msg_id, references='',
            return_path=self.sender, extra='', body=BODY, attachments='',
        )

    def _deliver(self, email):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {'mail_notify_force_send': False})
            return env['mail.thread'].message_process('aftersales.case', email)

    def _cases(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cases = env['aftersales.case'].search([('subject', '=', self.subject)])
            return [(case.email_message_id, case.partner_id.id) for case in cases]

    def test_same_email_delivered_twice_at_once_opens_one_case(self):
        msg_id = make_msgid()
        email = self._email(msg_id)
        barrier = threading.Barrier(2)
        outcomes = {}

        def deliver(name):
            barrier.wait(timeout=10)
            try:
                outcomes[name] = self._deliver(email)
            except IntegrityError as error:
                outcomes[name] = error

        threads = [threading.Thread(target=deliver, args=(n,), name=f'delivery-{n}') for n in (1, 2)]
        with mute_logger('odoo.sql_db'):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        self.assertFalse(any(thread.is_alive() for thread in threads))
        self.assertEqual(self._cases(), [(msg_id, self.partner_id)])
        errors = [outcome for outcome in outcomes.values() if isinstance(outcome, IntegrityError)]
        self.assertEqual(len(errors), 1, outcomes)
        self.assertIn('email_message_uniq', str(errors[0]))
        # The failed delivery is retried later: core knows the e-mail by then.
        self.assertFalse(self._deliver(email))
        self.assertEqual(len(self._cases()), 1)

    def test_the_same_email_once_more_opens_no_second_case(self):
        msg_id = make_msgid()
        self._deliver(self._email(msg_id))
        self.assertFalse(self._deliver(self._email(msg_id)))
        self.assertEqual(len(self._cases()), 1)
