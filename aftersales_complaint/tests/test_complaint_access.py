from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged, users, warmup

from .common import AftersalesComplaintCommon


@tagged('post_install', '-at_install')
class TestComplaintAccess(AftersalesComplaintCommon):

    def test_agent_handles_complaints(self):
        complaint = self._create_complaint().with_user(self.agent)
        complaint.action_register()
        complaint.comment = "Called back the customer."
        self.assertEqual(complaint.state, 'registered')

    def test_agent_cannot_post(self):
        complaint = self._to_state(self._create_complaint(), 'fulfilled')
        with self.assertRaisesText(UserError, f"Only complaint managers can post complaint {complaint.name}"):
            complaint.with_user(self.agent).action_post()
        self.assertEqual(complaint.state, 'fulfilled')

    def test_agent_writing_the_state_directly_meets_the_step_rules(self):
        """An external client writing ``state`` skips no step and no rule."""
        complaint = self._create_complaint(description=False).with_user(self.agent)
        with self.assertRaisesText(UserError, "cannot be registered without a description"):
            complaint.write({'state': 'registered'})
        with self.assertRaisesText(UserError, "cannot take this step while it is Draft"):
            complaint.write({'state': 'fulfilled'})
        with self.assertRaisesText(UserError, "Only complaint managers can post"):
            complaint.write({'state': 'posted'})
        with self.assertRaisesText(UserError, "is not a state of a complaint"):
            complaint.write({'state': 'closed'})
        complaint.description = "<p>The desk came two weeks late.</p>"
        complaint.write({'state': 'registered'})
        with self.assertRaisesText(UserError, "has no action plan"):
            complaint.write({'state': 'planned'})
        self.assertEqual(complaint.state, 'registered')

    def test_agent_cannot_create_a_complaint_past_draft(self):
        with self.assertRaisesText(UserError, "A complaint starts as a draft"):
            self.env['aftersales.complaint'].with_user(self.agent).create({
                'title': "Posted at once", 'partner_id': self.customer.id,
                'user_id': self.agent.id, 'state': 'posted',
            })

    def test_agent_cannot_delete(self):
        complaint = self._create_complaint()
        with self.assertRaises(AccessError):
            complaint.with_user(self.agent).unlink()

    def test_agent_reads_reasons_manager_writes(self):
        with self.assertRaises(AccessError):
            self.env['aftersales.complaint.reason'].with_user(self.agent).create({'name': "Rude driver"})
        reasons = self.env['aftersales.complaint.reason']
        reason = reasons.with_user(self.manager).create({'name': "Rude driver"})
        self.assertEqual(reason.with_user(self.agent).name, "Rude driver")

    def test_user_without_complaint_group_cannot_read(self):
        complaint = self._create_complaint()
        for user in (self.case_user, new_test_user(self.env, login='cmp_internal')):
            with self.assertRaises(AccessError):
                complaint.with_user(user).read(['title'])

    def test_other_company_complaint_invisible(self):
        other_company = self.setup_other_company()['company']
        foreign = self.env['aftersales.complaint'].create({
            'title': "Elsewhere", 'company_id': other_company.id,
            'partner_id': self.partner_b.id,
        })
        own = self._create_complaint()
        visible = self.env['aftersales.complaint'].with_user(self.agent).search([])
        self.assertIn(own, visible)
        self.assertNotIn(foreign, visible)
        with self.assertRaises(AccessError):
            foreign.with_user(self.agent).read(['title'])


@tagged('post_install', '-at_install')
class TestComplaintCountQueries(AftersalesComplaintCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partners = cls.env['res.partner'].create([{'name': f"Customer {n}"} for n in range(5)])
        for partner in cls.partners:
            cls._create_complaint(partner_id=partner.id)
        cls.env.ref('base.user_admin').group_ids |= cls.env.ref(
            'aftersales_complaint.aftersales_complaint_group_manager')

    def _count(self, partners):
        partners = partners.with_user(self.env.user)
        partners.invalidate_recordset()
        return partners.mapped('aftersales_complaint_count')

    @users('admin')
    @warmup
    def test_partner_count_flat_in_partners(self):
        with self.assertQueryCount(admin=3):
            self._count(self.partners[:1])
        with self.assertQueryCount(admin=3):
            self._count(self.partners)
