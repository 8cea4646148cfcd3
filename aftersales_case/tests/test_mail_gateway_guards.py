from odoo import Command
from odoo.tests import RecordCapturer, new_test_user, tagged
from odoo.tools import mute_logger

from .mail_common import AftersalesMailCommon
from .mail_templates import attachment_part

# Queries to open a case from an unknown sender's e-mail on a team assigning
# to the least loaded member: routing and loop guard, contact, case and its
# assignment (the team's row locked and touched), chatter, the scheduled
# action woken. Then, to acknowledge it in that action: the pending case
# locked and its mark cleared, a savepoint, its limits (one count), the
# e-mail queued, the case written.
# Measured: the same with 10 cases and 2 members as with 100 cases and 12
# members, with the whole suite installed.
QUERY_COUNT = 87
ACKNOWLEDGEMENT_QUERY_COUNT = 35


@tagged('post_install', '-at_install')
class TestMailGatewayGuards(AftersalesMailCommon):
    """SECURITY.md EM3 to EM5: loops, huge and hostile e-mails."""

    @mute_logger('odoo.addons.mail.models.mail_thread')
    def test_loop_sender_gets_at_most_twenty_cases(self):
        # Core's _detect_loop_sender: models with a _primary_email refuse a
        # sender's e-mail once it opened mail.gateway.loop.threshold (20)
        # records in mail.gateway.loop.minutes (120).
        cases = self.env['aftersales.case']
        for index in range(25):
            cases |= self._receive(subject=f"Out of office {index}")
        self.assertEqual(len(cases), 20)
        # Of which the first five are acknowledged: the default limit per address.
        acknowledgements = self._mails_to(self.contact).filtered(
            lambda mail: mail.model == 'aftersales.case'
        )
        self.assertEqual(len(acknowledgements), 5)
        # The five refused e-mails are answered by core's "too many e-mails" notice.
        refusals = self._new_mails.filtered(
            lambda mail: not mail.model and mail.subject.startswith("Re: Out of office")
        )
        self.assertEqual(len(refusals), 5)

    def test_script_in_body_is_sanitized(self):
        case = self._receive(body=(
            '<p>Hi</p><script>alert("case")</script>'
            '<img src="x" onerror="alert(1)"/><a href="javascript:alert(2)">link</a>'
        ))
        for html in (case.description, self._emails(case).body):
            self.assertIn("Hi", html)
            self.assertNotIn("<script", html)
            self.assertNotIn("onerror", html)
            self.assertNotIn("javascript:", html)

    def test_huge_subject_is_truncated(self):
        case = self._receive(subject="A" * 1024 * 1024)
        self.assertEqual(len(case.subject), 250)
        self.assertLessEqual(len(self._emails(case).subject), 250)
        self.assertLessEqual(len(self._mails_to(self.contact).subject), 300)

    def test_thousands_of_cc_create_no_partner(self):
        cc = ", ".join(f"person{index}@cc.example" for index in range(5000))
        with RecordCapturer(self.env['res.partner'], []) as capture:
            case = self._receive(cc=cc, email_from='"Nina New" <nina@new.example>')
        self.assertEqual(capture.records.mapped('email'), ['nina@new.example'])
        self.assertTrue(case)

    def test_cc_beyond_the_limit_is_dropped_with_a_note(self):
        # The default limit is 50 addresses, of 5,000 as in SECURITY.md EM4.
        cc = ", ".join(f"person{index}@cc.example" for index in range(5000))
        case = self._receive(cc=cc)
        self.assertEqual(len(case.email_cc.split(",")), 50)
        self.assertIn('person49@cc.example', case.email_cc)
        self.assertNotIn('person50@cc.example', case.email_cc)
        email = self._emails(case)
        self.assertEqual(len(email.incoming_email_cc.split(",")), 50)
        self.assertIn("4950 more Cc addresses were not kept.", email.body)

    def test_cc_of_replies_stops_at_the_limit(self):
        self.env['ir.config_parameter'].set_param('aftersales_case.mail_cc_max_count', 3)
        case = self._receive(cc='ann@cc.example, bob@cc.example')
        self._reply(case, cc='bob@cc.example, cid@cc.example, dan@cc.example, eve@cc.example')
        self.assertEqual(
            sorted(address.strip() for address in case.email_cc.split(",")),
            ['ann@cc.example', 'bob@cc.example', 'cid@cc.example'],
        )
        self.assertIn("2 more Cc addresses were not kept.", self._emails(case)[0].body)

    def test_oversize_attachment_is_dropped_with_a_note(self):
        # The default limit is 25 MB: a 30 MB attachment, as in SECURITY.md EM4.
        case = self._receive(attachments=(
            attachment_part('photo.jpg', b'x' * 512)
            + attachment_part('dump.bin', b'x' * 30 * 1024 * 1024)
        ))
        email = self._emails(case)
        self.assertEqual(email.attachment_ids.mapped('name'), ['photo.jpg'])
        self.assertIn("dump.bin", email.body)
        self.assertIn("25.00 Mb", email.body)

    def test_attachment_size_limit_is_a_system_parameter(self):
        self.env['ir.config_parameter'].set_param('aftersales_case.mail_attachment_max_size', 1024)
        case = self._receive(attachments=attachment_part('photo.jpg', b'x' * 2048))
        email = self._emails(case)
        self.assertFalse(email.attachment_ids)
        self.assertIn("photo.jpg", email.body)

    def test_attachments_beyond_the_count_are_dropped_with_a_note(self):
        self.env['ir.config_parameter'].set_param('aftersales_case.mail_attachment_max_count', 2)
        case = self._receive(attachments="".join(
            attachment_part(f'photo{index}.jpg', b'x' * 100) for index in range(1, 4)
        ))
        email = self._emails(case)
        self.assertEqual(sorted(email.attachment_ids.mapped('name')), ['photo1.jpg', 'photo2.jpg'])
        self.assertIn("Attachments beyond 2 files", email.body)
        self.assertIn("photo3.jpg", email.body)

    def test_attachments_beyond_the_total_size_are_dropped_with_a_note(self):
        self.env['ir.config_parameter'].set_param('aftersales_case.mail_attachment_max_total_size', 3000)
        case = self._receive(attachments=(
            attachment_part('first.pdf', b'x' * 2000) + attachment_part('second.pdf', b'x' * 2000)
            + attachment_part('small.txt', b'x' * 500)
        ))
        email = self._emails(case)
        self.assertEqual(sorted(email.attachment_ids.mapped('name')), ['first.pdf', 'small.txt'])
        self.assertIn("second.pdf", email.body)

    def test_thousand_attachments_name_twenty_in_the_note(self):
        case = self._receive(attachments="".join(
            attachment_part(f'file{index}.txt', b'x') for index in range(1000)
        ))
        email = self._emails(case)
        self.assertEqual(len(email.attachment_ids), 50)
        self.assertIn("file69.txt and 930 more", email.body)

    def test_query_count_of_a_case_from_email_does_not_grow(self):
        self.team.write({'assignment_method': 'balanced', 'member_ids': [
            Command.link(self.agent_all.id),
        ]})
        for count, members in ((10, 2), (100, 12)):
            with self.subTest(cases=count, members=members):
                self._grow_desk(count, members)
                self._receive(email_from=f'warmup{count}@new.example')
                email = self._email(email_from=f'measured{count}@new.example')
                with self.assertQueryCount(QUERY_COUNT):  # flushes: runs the precommit
                    case_id = self._process(email)
                case = self.env['aftersales.case'].browse(case_id)
                self.assertEqual(case.partner_id.email, f'measured{count}@new.example')
                self.assertTrue(case.user_id)
                self.assertTrue(case.acknowledgement_pending)
                with self.assertQueryCount(ACKNOWLEDGEMENT_QUERY_COUNT):
                    self._send_acknowledgements()
                self.assertTrue(self._mails_to(case.partner_id))

    def _grow_desk(self, case_count, member_count):
        existing = self.env['aftersales.case'].search_count([('team_id', '=', self.team.id)])
        for index in range(len(self.team.member_ids), member_count):
            self.team.member_ids |= new_test_user(
                self.env, login=f'as_member_{index}',
                groups='aftersales_case.aftersales_group_user',
            )
        self.env['aftersales.case'].create([{
            'subject': f"Older case {index}", 'partner_id': self.customer.id,
            'team_id': self.team.id,
        } for index in range(existing, case_count)])
