from email.utils import make_msgid

from odoo.exceptions import AccessError
from odoo.tests import RecordCapturer, tagged
from odoo.tools import mute_logger

from .mail_common import AftersalesMailCommon


@tagged('post_install', '-at_install')
class TestMailGateway(AftersalesMailCommon):

    # New cases

    def test_email_opens_a_case_for_the_senders_company(self):
        case = self._receive()
        self.assertEqual(len(case), 1)
        self.assertEqual(case.team_id, self.team)
        self.assertEqual(case.partner_id, self.customer)
        self.assertEqual(case.contact_id, self.contact)
        self.assertEqual(case.origin_id, self.env.ref('aftersales_case.origin_email'))
        self.assertEqual(case.subject, "The printer jams")
        self.assertIn("jams on every second page", case.description)
        self.assertTrue(case.name.startswith('CASE/'))
        self.assertEqual(case.stage_id, self.stage_new)

    def test_email_is_the_cases_first_message_by_the_sender(self):
        case = self._receive()
        email = self._emails(case)
        self.assertEqual(len(email), 1)
        self.assertEqual(email.author_id, self.contact)
        self.assertEqual(email.subtype_id, self.env.ref('aftersales_case.mt_case_new'))
        self.assertFalse(case.new_customer_response)

    def test_sender_is_suggested_to_the_agent_answering(self):
        case = self._receive()
        suggested = case.with_user(self.agent)._message_get_suggested_recipients(
            reply_discussion=True,
        )
        self.assertIn(self.contact.id, [recipient['partner_id'] for recipient in suggested])

    def test_sender_of_no_company_is_the_customer(self):
        person = self.env['res.partner'].create({
            'name': "Paul Private", 'email': 'paul@private.example',
        })
        case = self._receive(email_from='paul@private.example')
        self.assertEqual(case.partner_id, person)
        self.assertFalse(case.contact_id)

    def test_unknown_sender_becomes_a_contact(self):
        with RecordCapturer(self.env['res.partner'], []) as capture:
            case = self._receive(email_from='"Nina New" <Nina.New@Example.COM>')
        self.assertEqual(len(capture.records), 1)
        self.assertRecordValues(capture.records, [{
            'name': "Nina New", 'email_normalized': 'nina.new@example.com',
        }])
        self.assertEqual(case.partner_id, capture.records)
        self.assertFalse(case.contact_id)

    def test_existing_contact_is_matched_by_address_whatever_the_letter_case(self):
        with RecordCapturer(self.env['res.partner'], []) as capture:
            case = self._receive(email_from='"C. Contact" <CARLA@Customer.Example>')
        self.assertFalse(capture.records)
        self.assertEqual(case.contact_id, self.contact)
        self.assertEqual(case.partner_id, self.customer)

    def test_agent_forwarding_an_email_is_not_the_customer(self):
        case = self._receive(email_from=self.agent.email_formatted)
        self.assertFalse(case.partner_id)
        self.assertFalse(case.contact_id)
        self.assertFalse(self._mails_to(self.agent.partner_id))

    def test_message_id_seen_before_opens_no_second_case(self):
        msg_id = make_msgid()
        first = self._receive(msg_id=msg_id)
        again = self._receive(subject="The printer jams again", msg_id=msg_id)
        self.assertEqual(len(first), 1)
        self.assertFalse(again)

    # Acknowledgement

    def test_sender_gets_an_acknowledgement_with_the_reference(self):
        case = self._receive()
        mail = self._mails_to(self.contact)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.subject, f"[{case.name}] The printer jams")
        self.assertIn(case.name, mail.body_html)
        self.assertNotIn(self.customer, mail.recipient_ids)

    def test_acknowledgement_answers_are_routed_to_the_team_alias(self):
        self._receive()
        self.assertIn(self.desk_email, self._mails_to(self.contact).reply_to)

    def test_acknowledgement_is_in_the_customers_language(self):
        self.env['res.lang']._activate_lang('fr_FR')
        self.customer.lang = 'fr_FR'
        self.template_ack.with_context(lang='fr_FR').subject = "Demande {{ object.name }}"
        case = self._receive()
        self.assertEqual(self._mails_to(self.contact).subject, f"Demande {case.name}")

    def test_auto_submitted_sender_gets_no_acknowledgement(self):
        case = self._receive(extra="Auto-Submitted: auto-replied\n")
        self.assertEqual(len(case), 1)
        self.assertFalse(self._mails_to(self.contact))

    def test_bulk_sender_gets_no_acknowledgement(self):
        case = self._receive(extra="Precedence: bulk\n")
        self.assertEqual(len(case), 1)
        self.assertFalse(self._mails_to(self.contact))

    def test_mailer_daemon_opens_no_case(self):
        cases = self._receive(
            subject="Undelivered Mail Returned to Sender",
            email_from=f'MAILER-DAEMON <mailer-daemon@{self.alias_domain}>',
        )
        self.assertFalse(cases)
        self.assertFalse(self._new_mails)

    # Replies

    def test_reply_lands_on_the_case(self):
        case = self._receive()
        new_cases = self._reply(case)
        self.assertFalse(new_cases)
        reply = self._emails(case)[0]
        self.assertIn("It still jams", reply.body)
        self.assertEqual(reply.author_id, self.contact)

    def test_customer_reply_flags_the_case(self):
        case = self._receive()
        self._reply(case)
        self.assertTrue(case.new_customer_response)

    def test_customer_reply_reopens_a_closed_case(self):
        case = self._receive()
        case.write({'user_id': self.agent.id, 'stage_id': self.stage_solved.id})
        self.assertTrue(case.is_closed)
        self._reply(case)
        self.assertEqual(case.stage_id, self.stage_new)
        self.assertFalse(case.is_closed)
        self.assertFalse(case.date_closed)
        self.assertTrue(case.new_customer_response)

    def test_cc_of_a_reply_on_a_closed_case_is_kept(self):
        case = self._receive()
        case.write({'user_id': self.agent.id, 'stage_id': self.stage_solved.id})
        self._reply(case, cc='boss@customer.example')
        self.assertIn('boss@customer.example', case.email_cc)

    def test_agent_email_on_a_closed_case_keeps_it_closed(self):
        case = self._receive()
        case.write({'user_id': self.agent.id, 'stage_id': self.stage_solved.id})
        self._reply(case, email_from=self.agent.email_formatted, cc='boss@customer.example')
        self.assertEqual(case.stage_id, self.stage_solved)
        self.assertEqual(self._emails(case)[0].author_id, self.agent.partner_id)
        self.assertIn('boss@customer.example', case.email_cc)

    def test_agent_answer_clears_the_flag_and_dates_the_first_response(self):
        case = self._receive()
        self._reply(case)
        case.with_user(self.agent).message_post(
            body="Please restart it.", message_type='comment', subtype_xmlid='mail.mt_comment',
        )
        self.assertFalse(case.new_customer_response)
        self.assertTrue(case.date_first_response)

    def test_agent_answer_to_the_customer_reaches_them(self):
        case = self._receive()
        case.with_user(self.agent).message_post(
            body="Please restart it.", message_type='comment', subtype_xmlid='mail.mt_comment',
            partner_ids=self.contact.ids,
        )
        self.env.cr.flush()
        self.assertTrue(self._mails_to(self.contact).filtered(
            lambda mail: "Please restart it." in mail.body_html
        ))

    def test_first_response_date_is_kept_on_later_answers(self):
        case = self._receive()
        case.with_user(self.agent).message_post(
            body="First answer", message_type='comment', subtype_xmlid='mail.mt_comment',
        )
        first = case.date_first_response
        case.date_first_response = first.replace(year=first.year - 1)
        case.with_user(self.agent).message_post(
            body="Second answer", message_type='comment', subtype_xmlid='mail.mt_comment',
        )
        self.assertEqual(case.date_first_response, first.replace(year=first.year - 1))

    def test_agent_of_another_team_cannot_answer(self):
        case = self._receive()
        self._reply(case)
        with mute_logger('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule'), \
                self.assertRaises(AccessError):
            case.with_user(self.agent_other).message_post(
                body="Not my desk.", message_type='comment', subtype_xmlid='mail.mt_comment',
            )
        self.assertTrue(case.new_customer_response)
        self.assertFalse(case.date_first_response)

    def test_agent_note_keeps_the_flag(self):
        case = self._receive()
        self._reply(case)
        case.with_user(self.agent).message_post(
            body="Asked the supplier.", message_type='comment', subtype_xmlid='mail.mt_note',
        )
        self.assertTrue(case.new_customer_response)
        self.assertFalse(case.date_first_response)

    def test_acknowledgement_is_not_an_answer(self):
        case = self._receive()
        self.assertTrue(self._mails_to(self.contact))
        self.assertFalse(case.date_first_response)

    # Stage templates

    def test_stage_template_is_sent_to_the_customer(self):
        template = self.env['mail.template'].create({
            'name': "Case in progress",
            'model_id': self.env['ir.model']._get_id('aftersales.case'),
            'subject': "We are on it: {{ object.name }}",
            'use_default_to': False,
            'partner_to': "{{ (object.contact_id or object.partner_id).id }}",
            'body_html': "<p>An agent is working on your case.</p>",
        })
        self.stage_progress.template_id = template
        case = self._receive()
        case.write({'user_id': self.agent.id, 'stage_id': self.stage_progress.id})
        self.env.cr.flush()
        self.assertEqual(
            self._mails_to(self.contact).filtered(lambda m: m.subject.startswith("We are on it")).subject,
            f"We are on it: {case.name}",
        )
