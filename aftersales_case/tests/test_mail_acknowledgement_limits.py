from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .mail_common import AftersalesMailCommon

NOON = datetime(2026, 3, 2, 12, 0)


@tagged('post_install', '-at_install')
class TestMailAcknowledgementLimits(AftersalesMailCommon):
    """Forged senders cannot turn the desk into a relay: acknowledgements are
    limited per address and per domain within a sliding window, while every
    e-mail still opens its case."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.set_param = cls.env['ir.config_parameter'].set_param
        cls.set_param('aftersales_case.mail_ack_max_per_address', 2)
        cls.set_param('aftersales_case.mail_ack_max_per_domain', 3)
        cls.set_param('aftersales_case.mail_ack_window_minutes', 60)

    def _acknowledgements(self, cases):
        return self._new_mails.filtered(
            lambda mail: mail.model == 'aftersales.case' and mail.res_id in cases.ids
        )

    def _withheld_notes(self, case):
        return case.message_ids.filtered(
            lambda message: "No acknowledgement was sent" in (message.body or '')
        )

    def test_address_gets_no_more_acknowledgements_than_its_limit(self):
        cases = self.env['aftersales.case']
        for index in range(3):
            cases |= self._receive(subject=f"Spam {index}", email_from='victim@target.example')
        self.assertEqual(len(cases), 3)
        self.assertEqual(set(self._acknowledgements(cases).mapped('res_id')), set(cases[:2].ids))
        self.assertFalse(self._withheld_notes(cases[:2]))
        self.assertIn("2 were sent to this address in the last 60 minutes",
                      self._withheld_notes(cases[2]).body)

    def test_domain_gets_no_more_acknowledgements_than_its_limit(self):
        cases = self.env['aftersales.case']
        for index in range(4):
            cases |= self._receive(subject=f"Spam {index}", email_from=f'victim{index}@target.example')
        self.assertEqual(len(cases), 4)
        self.assertEqual(len(self._acknowledgements(cases)), 3)
        self.assertIn("3 were sent to addresses at target.example",
                      self._withheld_notes(cases[3]).body)
        # Another domain is counted apart.
        other = self._receive(email_from='someone@other.example')
        self.assertEqual(len(self._acknowledgements(other)), 1)

    def test_window_slides(self):
        with freeze_time(NOON):
            first = self._receive(subject="First", email_from='victim@target.example')
            second = self._receive(subject="Second", email_from='victim@target.example')
        with freeze_time(NOON + timedelta(minutes=30)):
            withheld = self._receive(subject="Third", email_from='victim@target.example')
        with freeze_time(NOON + timedelta(minutes=61)):
            answered = self._receive(subject="Fourth", email_from='victim@target.example')
        self.assertEqual(len(self._acknowledgements(first | second)), 2)
        self.assertFalse(self._acknowledgements(withheld))
        self.assertEqual(len(self._acknowledgements(answered)), 1)

    def test_known_contact_is_limited_too(self):
        self.set_param('aftersales_case.mail_ack_max_per_address', 1)
        cases = self._receive(subject="One") | self._receive(subject="Two")
        self.assertEqual(cases.contact_id, self.contact)
        self.assertEqual(len(self._acknowledgements(cases)), 1)
        self.assertTrue(self._withheld_notes(cases[1]))

    def test_acknowledgement_is_recorded_on_the_case(self):
        with freeze_time(NOON):
            case = self._receive(email_from='Nina@New.Example')
        self.assertRecordValues(case, [{
            'date_acknowledged': NOON, 'acknowledged_email': 'nina@new.example',
        }])

    def test_limits_are_counted_in_one_query(self):
        case = self._receive(email_from='victim@target.example')
        case._acknowledgement_refusal('victim@target.example')  # the parameters are cached
        with self.assertQueryCount(1):
            self.assertFalse(case._acknowledgement_refusal('victim@target.example'))

    def test_domain_wildcards_count_only_their_own_domain(self):
        self.set_param('aftersales_case.mail_ack_max_per_domain', 1)
        self._receive(email_from='victim@tar_get.example')
        other = self._receive(email_from='victim@tarxget.example')
        self.assertEqual(len(self._acknowledgements(other)), 1)
