from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .escalation_common import (
    MONDAY,
    RESOLUTION_MISSED,
    RESPONSE_AT_RISK,
    RESPONSE_MISSED,
    AftersalesEscalationCommon,
)


@tagged('post_install', '-at_install')
class TestEscalation(AftersalesEscalationCommon):
    """SECURITY.md CR1-CR4: the escalation cron, and escalation by hand."""

    # CR1: the scheduled escalation

    def test_breached_case_is_escalated(self):
        case = self._create_case(user_id=self.agent.id, date_reported=MONDAY)
        with freeze_time(RESOLUTION_MISSED):
            self._run_cron()
        odoobot = self.env.ref('base.user_root')
        self.assertRecordValues(case, [{
            'escalation_level': 1, 'priority': '2', 'sla_status': 'breached',
            'escalated_by_id': odoobot.id, 'date_escalated': datetime(2026, 3, 2, 16, 30),
            'escalation_reason': "The resolution deadline passed.",
        }])
        self.assertIn(self.leader.partner_id, case.message_partner_ids)
        activity = self._activities(case, self.type_escalated)
        self.assertEqual(activity.user_id, self.leader)
        message = self._escalation_messages(case)
        self.assertEqual(message.author_id, odoobot.partner_id)
        self.assertIn("priority High", message.body)
        self.assertIn("the resolution deadline", message.body)

    def test_second_run_does_not_escalate_again(self):
        case = self._create_case(user_id=self.agent.id, date_reported=MONDAY)
        with freeze_time(RESOLUTION_MISSED):
            self._run_cron()
            self._run_cron()
        self.assertEqual(case.escalation_level, 1)
        self.assertEqual(len(self._activities(case, self.type_escalated)), 1)
        self.assertEqual(len(self._escalation_messages(case)), 1)

    def test_later_deadline_missed_escalates_again(self):
        case = self._create_case(user_id=self.agent.id, date_reported=MONDAY)
        with freeze_time(RESPONSE_MISSED):
            self._run_cron()
        self.assertEqual(case.escalation_reason, "The first response deadline passed.")
        with freeze_time(RESOLUTION_MISSED):
            self._run_cron()
        self.assertRecordValues(case, [{
            'escalation_level': 2, 'priority': '3',
            'escalation_reason': "The resolution deadline passed.",
        }])

    def test_priority_stops_at_urgent(self):
        case = self._create_case(user_id=self.agent.id, date_reported=MONDAY, priority='3')
        with freeze_time(RESOLUTION_MISSED):
            self._run_cron()
        self.assertRecordValues(case, [{'escalation_level': 1, 'priority': '3'}])

    def test_case_without_team_leader_gives_the_responsible_the_activity(self):
        self.team.user_id = False
        case = self._create_case(user_id=self.agent.id, date_reported=MONDAY)
        with freeze_time(RESOLUTION_MISSED):
            self._run_cron()
        self.assertEqual(self._activities(case, self.type_escalated).user_id, self.agent)

    def test_soon_to_breach_warns_the_responsible_once(self):
        case = self._create_case(user_id=self.agent.id, date_reported=MONDAY)
        with freeze_time(RESPONSE_AT_RISK):
            self._run_cron()
            self._run_cron()
        activity = self._activities(case, self.type_at_risk)
        self.assertEqual(activity.user_id, self.agent)
        self.assertEqual(case.escalation_level, 0)
        self.assertFalse(self._activities(case, self.type_escalated))

    def test_next_deadline_near_warns_again(self):
        case = self._create_case(user_id=self.agent.id, date_reported=MONDAY)
        with freeze_time(RESPONSE_AT_RISK):
            self._run_cron()
        case.date_first_response = datetime(2026, 3, 2, 9, 45)
        with freeze_time('2026-03-02 15:30:00'):  # an hour before the resolution deadline
            self._run_cron()
        self.assertEqual(len(self._activities(case, self.type_at_risk)), 2)

    def test_status_moves_on_as_time_passes(self):
        with freeze_time(MONDAY):
            case = self._create_case(user_id=self.agent.id, date_reported=MONDAY)
            self.assertEqual(case.sla_status, 'on_track')
        with freeze_time(RESPONSE_AT_RISK):
            self._run_cron()
        self.assertEqual(case.sla_status, 'at_risk')
        with freeze_time(RESPONSE_MISSED):
            self._run_cron()
        self.assertEqual(case.sla_status, 'breached')

    def test_case_open_too_long_is_flagged_once(self):
        self.type_question.open_limit_days = 3
        old_question = self._create_case(
            user_id=self.agent.id, type_id=self.type_question.id, date_reported=datetime(2026, 3, 2, 8),
        )
        recent_question = self._create_case(
            user_id=self.agent.id, type_id=self.type_question.id, date_reported=datetime(2026, 3, 5, 8),
        )
        no_limit = self._create_case(user_id=self.agent.id, date_reported=datetime(2026, 1, 5, 8))
        with freeze_time('2026-03-06 10:00:00'):
            self._run_cron()
            self._run_cron()
        self.assertEqual((old_question | recent_question | no_limit).mapped('is_open_too_long'),
                         [True, False, False])
        activity = self._activities(old_question, self.type_open_too_long)
        self.assertEqual(activity.user_id, self.agent)

    def test_paused_case_is_not_escalated(self):
        case = self._create_case(user_id=self.agent.id, date_reported=MONDAY)
        with freeze_time('2026-03-02 09:00:00'):
            case.with_user(self.agent).stage_id = self.stage_on_hold
        with freeze_time(RESOLUTION_MISSED):
            self._run_cron()
        self.assertEqual(case.escalation_level, 0)
        self.assertFalse(self._activities(case, self.type_escalated | self.type_at_risk))

    def test_closed_case_is_skipped(self):
        case = self._create_case(user_id=self.agent.id, date_reported=MONDAY)
        with freeze_time('2026-03-02 12:00:00'):
            case.with_user(self.agent).stage_id = self.stage_solved
        with freeze_time(RESOLUTION_MISSED):
            self._run_cron()
        self.assertEqual(case.escalation_level, 0)
        self.assertFalse(self._escalation_messages(case))

    # CR3: concurrent agents (CR2, failures: test_escalation_isolation)

    def test_case_closed_before_its_batch_is_locked_is_not_escalated(self):
        cases = self._generate_cases(600, user_id=self.agent.id)
        closing = cases[550]
        original = type(cases).try_lock_for_update

        def agent_closes_first(batch, **kwargs):
            # The cron's own cursor and environment: the agent's write lands
            # between the cron's search and its lock.
            case = batch.browse(closing.id)
            if case in batch and not case.is_closed:
                case.with_user(self.agent.id).stage_id = self.stage_solved.id
            return original(batch, **kwargs)

        with patch.object(type(cases), 'try_lock_for_update', autospec=True, side_effect=agent_closes_first):
            self._run_cron()
        self.assertEqual(closing.escalation_level, 0)
        self.assertFalse(self._escalation_messages(closing))
        self.assertEqual(set((cases - closing).mapped('escalation_level')), {1})

    def test_query_count_per_batch_stays_flat(self):
        counts = []
        for size in (2, 10, 100):  # the first batch warms the caches up
            cases = self._generate_cases(size, user_id=self.agent.id)
            self.env.flush_all()
            self.env.invalidate_all()
            count0 = self.cr.sql_log_count
            cases.try_lock_for_update()._sla_escalate(datetime.now())
            self.env.flush_all()
            counts.append(self.cr.sql_log_count - count0)
            self.assertEqual(set(cases.mapped('escalation_level')), {1})
        self.assertEqual(counts[1], counts[2], "one query or more per case")

    # CR4: companies

    def test_each_company_warns_with_its_own_margin(self):
        other_company = self.env['res.company'].create({
            'name': "Other Co", 'aftersales_sla_margin_hours': 4,
        })
        self.agent.company_ids |= other_company
        team = self.env['aftersales.team'].create({
            'name': "Other Co Desk", 'company_id': other_company.id,
            'resource_calendar_id': self.team.resource_calendar_id.id,
        })
        self.env['aftersales.sla'].create({
            'name': "Other Co Standard", 'company_id': other_company.id,
            'response_hours': 2, 'resolution_hours': 8,
        })
        here = self._create_case(user_id=self.agent.id, date_reported=MONDAY)
        there = self._create_case(
            user_id=self.agent.id, date_reported=MONDAY, team_id=team.id,
            company_id=other_company.id,
        )
        with freeze_time('2026-03-02 13:00:00'):  # 3.5 hours before the resolution deadline
            here.date_first_response = there.date_first_response = datetime(2026, 3, 2, 9)
            self._run_cron()
        self.assertFalse(self._activities(here, self.type_at_risk))
        self.assertEqual(self._activities(there, self.type_at_risk).user_id, self.agent)

    # Escalation by hand

    def test_agent_escalates_a_case_by_hand(self):
        case = self._create_case(user_id=self.agent.id)
        action = case.with_user(self.agent).action_open_escalate()
        with Form.from_action(self.env(user=self.agent), action) as wizard:
            wizard.reason = "The customer threatens to cancel the contract"
        wizard.record.action_escalate()
        self.assertRecordValues(case, [{
            'escalation_level': 1, 'priority': '2', 'escalated_by_id': self.agent.id,
            'escalation_reason': "The customer threatens to cancel the contract",
        }])
        self.assertTrue(case.date_escalated)
        self.assertEqual(self._escalation_messages(case).author_id, self.agent.partner_id)
        self.assertEqual(self._activities(case, self.type_escalated).user_id, self.leader)

    def test_escalation_needs_a_reason(self):
        case = self._create_case(user_id=self.agent.id)
        with self.assertRaisesText(ValidationError, "Say why the case is escalated"):
            self.env['aftersales.case.escalate'].with_user(self.agent).create({
                'case_id': case.id, 'reason': "   ",
            })

    def test_closed_case_cannot_be_escalated(self):
        case = self._create_case(user_id=self.agent.id, stage_id=self.stage_solved.id)
        wizard = self.env['aftersales.case.escalate'].with_user(self.agent).create({
            'case_id': case.id, 'reason': "Too late",
        })
        with self.assertRaisesText(UserError, "is closed: reopen it before escalating it"):
            wizard.action_escalate()
        self.assertEqual(case.escalation_level, 0)

    @mute_logger('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')
    def test_internal_user_cannot_escalate(self):
        case = self._create_case(user_id=self.agent.id)
        with self.assertRaises(AccessError):
            self.env['aftersales.case.escalate'].with_user(self.internal_user).create({
                'case_id': case.id, 'reason': "Because",
            })
        with self.assertRaises(AccessError):
            case.with_user(self.internal_user)._action_escalate("Because")
        self.assertEqual(case.escalation_level, 0)

    @mute_logger('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')
    def test_agent_cannot_escalate_another_teams_case(self):
        case = self._create_case(user_id=self.agent.id)
        with self.assertRaises(AccessError):
            wizard = self.env['aftersales.case.escalate'].with_user(self.agent_other).create({
                'case_id': case.id, 'reason': "Because",
            })
            wizard.action_escalate()
        self.assertEqual(case.escalation_level, 0)
