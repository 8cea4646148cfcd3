from odoo.tests import new_test_user, tagged

from .mail_common import AftersalesMailCommon


@tagged('post_install', '-at_install')
class TestTeamNotification(AftersalesMailCommon):
    """Who is told of a new case in a team.

    Following a team brings its subtype "Case Opened" by default: a case
    created in the team makes its followers follow the case, and its first
    message (the creation note, or the customer's e-mail) reaches those who
    kept "Case Opened", by e-mail or in Odoo as each prefers. A case moved to the team makes them
    follow it without telling them (the move is a tracked note, as core's
    projects and pipelines do); the member it is assigned to is told.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mt_case_new = cls.env.ref('aftersales_case.mt_case_new')
        cls.by_email = new_test_user(
            cls.env, login='as_follower_email', name="Emma Email", email='emma@test.mycompany.com',
            groups='aftersales_case.aftersales_group_user_all', notification_type='email',
        )
        cls.in_odoo = new_test_user(
            cls.env, login='as_follower_inbox', name="Ines Inbox", email='ines@test.mycompany.com',
            groups='aftersales_case.aftersales_group_user_all', notification_type='inbox',
        )
        cls.discussions_only = new_test_user(
            cls.env, login='as_follower_quiet', name="Quentin Quiet", email='quentin@test.mycompany.com',
            groups='aftersales_case.aftersales_group_user_all', notification_type='email',
        )
        cls.team.message_subscribe(partner_ids=(cls.by_email | cls.in_odoo).partner_id.ids)
        cls.team.message_subscribe(
            partner_ids=cls.discussions_only.partner_id.ids,
            subtype_ids=cls.env.ref('mail.mt_comment').ids,
        )

    def _told(self, case):
        """``{partner: how}`` for the notifications of the case's "Case Opened" messages."""
        messages = case.message_ids.filtered(lambda message: message.subtype_id == self.mt_case_new)
        return {
            notification.res_partner_id: notification.notification_type
            for notification in messages.notification_ids
        }

    def test_team_followers_follow_the_new_case_with_their_subtypes(self):
        case = self._create_case()
        subtypes = {follower.partner_id: follower.subtype_ids for follower in case.message_follower_ids}
        self.assertIn(self.mt_case_new, subtypes[self.by_email.partner_id])
        self.assertIn(self.mt_case_new, subtypes[self.in_odoo.partner_id])
        self.assertEqual(subtypes[self.discussions_only.partner_id], self.env.ref('mail.mt_comment'))

    def test_case_created_in_the_team_tells_its_followers(self):
        case = self.env['aftersales.case'].with_user(self.agent).create({
            'subject': "The printer jams", 'partner_id': self.customer.id, 'team_id': self.team.id,
        })
        self.env.cr.flush()
        self.assertEqual(self._told(case), {
            self.by_email.partner_id: 'email', self.in_odoo.partner_id: 'inbox',
        })
        mail = self._mails_to(self.by_email.partner_id)
        self.assertEqual(len(mail), 1)
        self.assertIn(case.name, mail.subject)
        self.assertFalse(
            self._mails_to(self.in_odoo.partner_id) | self._mails_to(self.discussions_only.partner_id)
            | self._mails_to(self.customer),
        )

    def test_case_opened_by_email_tells_the_team_with_the_email(self):
        case = self._receive()
        self.assertEqual(self._told(case), {
            self.by_email.partner_id: 'email', self.in_odoo.partner_id: 'inbox',
        })
        mail = self._mails_to(self.by_email.partner_id).filtered(lambda m: m.model == 'aftersales.case')
        self.assertIn("jams on every second page", mail.body_html)

    def test_case_moved_to_the_team_makes_its_followers_follow_it_untold(self):
        case = self._create_case(team_id=self.team_other.id)
        self.env.cr.flush()
        self._new_mails = self.env['mail.mail'].sudo()
        case.with_user(self.agent_all).team_id = self.team
        self.env.cr.flush()
        self.assertLessEqual((self.by_email | self.in_odoo).partner_id, case.message_partner_ids)
        self.assertFalse(self._told(case))
        self.assertFalse(self._mails_to(self.by_email.partner_id))
        move = case.message_ids.filtered(lambda message: message.tracking_value_ids)[:1]
        self.assertIn('team_id', move.tracking_value_ids.field_id.mapped('name'))
        self.assertTrue(move.subtype_id.internal)

    def test_case_moved_to_a_round_robin_team_tells_its_new_responsible(self):
        self.team.write({'assignment_method': 'round_robin'})
        case = self._create_case(team_id=self.team_other.id)
        self.env.cr.flush()
        case.with_user(self.agent_all).team_id = self.team
        self.env.cr.flush()
        self.assertEqual(case.user_id, self.agent)
        self.assertTrue(self._mails_to(self.agent.partner_id).filtered(
            lambda mail: case.name in (mail.subject or '')
        ))
