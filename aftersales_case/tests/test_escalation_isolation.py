from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from ..models.aftersales_case_escalation_cron import ESCALATION_BATCH
from .escalation_common import MONDAY, RESOLUTION_MISSED, AftersalesEscalationCommon

CRON_LOGGER = 'odoo.addons.aftersales_case.models.aftersales_case_escalation_cron'


@tagged('post_install', '-at_install')
class TestEscalationIsolation(AftersalesEscalationCommon):
    """SECURITY.md CR2: a failure stays in its batch or its company, the rest
    of the run goes on, and a re-run repeats nothing."""

    def _run_cron_failing(self, method, fails):
        """Run the cron, ``method`` of the cases raising when ``fails(records, call)``.

        :return: the batches ``method`` was called with (in the test's
            environment: the cron's is closed), and the errors logged
        """
        Case = type(self.env['aftersales.case'])
        original = getattr(Case, method)
        calls = []

        def failing(records, now):
            calls.append(records.ids)
            if fails(records, len(calls)):
                raise RuntimeError("The batch cannot be handled")
            return original(records, now)

        with patch.object(Case, method, autospec=True, side_effect=failing), \
                self.assertLogs(CRON_LOGGER, level='ERROR') as logs:
            self._run_cron()  # which also asserts that the scheduled action did not fail
        return [self.env['aftersales.case'].browse(ids) for ids in calls], logs.output

    def test_failed_batch_leaves_the_other_batches_escalated(self):
        cases = self._generate_cases(3 * ESCALATION_BATCH)
        batches, errors = self._run_cron_failing('_sla_escalate', lambda records, call: call == 2)
        self.assertGreaterEqual(len(batches), 3)
        failed = batches[1]
        self.assertEqual(len(failed), ESCALATION_BATCH)
        self.assertEqual(set(failed.mapped('escalation_level')), {0})
        self.assertFalse(self._escalation_messages(failed))
        self.assertFalse(self._activities(failed, self.type_escalated))
        self.assertEqual(set((cases - failed).mapped('escalation_level')), {1})
        self.assertEqual(len(errors), 1)
        self.assertIn("Escalation step _sla_escalate failed", errors[0])

    def test_next_run_escalates_the_failed_batch_and_repeats_nothing(self):
        cases = self._generate_cases(3 * ESCALATION_BATCH)
        self._run_cron_failing('_sla_escalate', lambda records, call: call == 2)
        self._run_cron()
        self.assertEqual(
            self.env['aftersales.case']._read_group(
                [('id', 'in', cases.ids)], ['escalation_level'], ['__count'],
            ),
            [(1, 3 * ESCALATION_BATCH)],
        )
        self.assertEqual(len(self._activities(cases, self.type_escalated)), 3 * ESCALATION_BATCH)
        self.assertEqual(len(self._escalation_messages(cases)), 3 * ESCALATION_BATCH)

    def test_failing_batch_waits_for_the_next_scheduled_run(self):
        # A batch that always fails is tried once per run: the scheduler is
        # told nothing is left, and does not call the action again at once.
        cases = self._generate_cases(3 * ESCALATION_BATCH)
        poisoned = cases[ESCALATION_BATCH + 10]
        batches, errors = self._run_cron_failing('_sla_escalate', lambda records, call: poisoned in records)
        self.assertEqual(len([batch for batch in batches if poisoned in batch]), 1)
        self.assertEqual(len(errors), 1)

    def test_failing_company_leaves_the_other_companies_escalated(self):
        other_company = self.env['res.company'].create({
            'name': "Other Co", 'sequence': self.env.company.sequence + 1,
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
            user_id=self.agent.id, date_reported=MONDAY, team_id=team.id, company_id=other_company.id,
        )
        failing_company = self.env.company
        with freeze_time(RESOLUTION_MISSED):
            # The first step of this company fails outside any batch.
            _calls, errors = self._run_cron_failing(
                '_sla_refresh_status', lambda records, call: records.env.company == failing_company,
            )
        self.assertEqual(here.escalation_level, 0)
        self.assertEqual(there.escalation_level, 1)
        self.assertEqual(len(errors), 1)
        self.assertIn(f"Escalation of the cases of {failing_company.name} failed", errors[0])
