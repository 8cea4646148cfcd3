from odoo.tests import tagged

from .mail_common import CARLA, AftersalesMailCommon

AUTO_REPLY = "Auto-Submitted: auto-replied\nX-Autoreply: yes\n"


@tagged('post_install', '-at_install')
class TestMailGatewayReplies(AftersalesMailCommon):
    """Who may reopen a closed case by e-mail, and what an agent's e-mail is."""

    def _closed_case(self):
        case = self._receive()
        case.write({'user_id': self.agent.id, 'stage_id': self.stage_solved.id})
        self.assertTrue(case.is_closed)
        return case

    # Robots

    def test_out_of_office_reply_leaves_a_closed_case_closed(self):
        case = self._closed_case()
        self._reply(case, body="<p>Back on Monday.</p>", extra=AUTO_REPLY)
        self.assertEqual(case.stage_id, self.stage_solved)
        self.assertFalse(case.new_customer_response)

    def test_out_of_office_reply_is_logged_as_a_note(self):
        case = self._receive()
        self._reply(case, body="<p>Back on Monday.</p>", extra=AUTO_REPLY)
        reply = self._emails(case)[0]
        self.assertIn("Back on Monday.", reply.body)
        self.assertTrue(reply.is_internal)
        self.assertFalse(case.new_customer_response)

    def test_bounce_from_the_customers_server_leaves_a_closed_case_closed(self):
        # Not a delivery report core recognises (no multipart/report, not
        # from mailer-daemon): a postmaster, an empty return path.
        case = self._closed_case()
        self._reply(
            case, email_from='"Mail Delivery System" <postmaster@customer.example>',
            body="<p>Mailbox full.</p>", return_path='<>',
            extra="X-Failed-Recipients: carla@customer.example\n",
        )
        self.assertEqual(case.stage_id, self.stage_solved)
        self.assertIn("Mailbox full.", self._emails(case)[0].body)

    def test_reply_with_an_empty_return_path_is_automatic(self):
        case = self._closed_case()
        self._reply(case, return_path='<>')
        self.assertEqual(case.stage_id, self.stage_solved)

    # Strangers

    def test_unknown_sender_leaves_a_closed_case_closed(self):
        case = self._closed_case()
        self._reply(case, email_from='"Mallory" <mallory@elsewhere.example>')
        self.assertEqual(case.stage_id, self.stage_solved)
        self.assertIn("It still jams", self._emails(case)[0].body)

    def test_contact_of_another_customer_leaves_a_closed_case_closed(self):
        self.env['res.partner'].create({
            'name': "Olga Other", 'email': 'olga@other.example',
            'parent_id': self.env['res.partner'].create({'name': "Other Co", 'is_company': True}).id,
        })
        case = self._closed_case()
        self._reply(case, email_from='olga@other.example')
        self.assertEqual(case.stage_id, self.stage_solved)

    # The customer's side

    def test_contact_person_reply_reopens_a_closed_case(self):
        case = self._closed_case()
        self._reply(case, email_from=CARLA)
        self.assertFalse(case.is_closed)

    def test_colleague_at_the_customer_reopens_a_closed_case(self):
        self.env['res.partner'].create({
            'name': "Colin Colleague", 'email': 'colin@customer.example',
            'parent_id': self.customer.id,
        })
        case = self._closed_case()
        self._reply(case, email_from='colin@customer.example')
        self.assertFalse(case.is_closed)

    def test_outside_follower_reopens_a_closed_case(self):
        reseller = self.env['res.partner'].create({
            'name': "Rita Reseller", 'email': 'rita@reseller.example',
        })
        case = self._closed_case()
        case.message_subscribe(partner_ids=reseller.ids)
        self._reply(case, email_from='rita@reseller.example')
        self.assertFalse(case.is_closed)

    # Agents

    def test_email_from_an_agents_address_is_not_a_first_response(self):
        # Anyone can put an agent's address in From; the gateway then names
        # the agent as the author. Only an answer posted in Odoo counts.
        case = self._receive()
        self._reply(case, email_from=self.agent.email_formatted, body="<p>Solved, bye.</p>")
        self.assertEqual(self._emails(case)[0].author_id, self.agent.partner_id)
        self.assertFalse(case.date_first_response)

    def test_email_from_an_agents_address_keeps_the_customer_response_flag(self):
        case = self._receive()
        self._reply(case)
        self._reply(case, email_from=self.agent.email_formatted, body="<p>Solved, bye.</p>")
        self.assertTrue(case.new_customer_response)
