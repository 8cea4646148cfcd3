from unittest.mock import patch

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models import aftersales_case_escalation_cron
from . import test_escalation_concurrency as concurrency

BATCH = 20  # three batches of this test's cases


@tagged('post_install', '-at_install')
class TestEscalationKilledRun(concurrency.TestEscalationConcurrency):
    """A run killed half-way (a worker restarted, out of memory) and run
    again: each case is escalated exactly once.

    Real transactions on committed data, as in the class it builds on: what
    the killed run committed stays, the batch under way is undone with its
    transaction, and the next run escalates the rest.
    """

    test_two_runs_at_once_escalate_each_case_once = None  # the parent's own test, run there

    def test_run_killed_half_way_then_run_again_escalates_each_case_once(self):
        Case = self.registry['aftersales.case']
        original, batches = Case._sla_escalate, []

        def killed_in_second_batch(records, now):
            batches.append(records.ids)
            original(records, now)
            if len(batches) == 2:
                raise KeyboardInterrupt  # not an Exception: nothing in the run catches it

        small_batches = patch.object(aftersales_case_escalation_cron, 'ESCALATION_BATCH', BATCH)
        with freeze_time(concurrency.RUN_AT), small_batches, mute_logger('odoo.sql_db'):
            with patch.object(Case, '_sla_escalate', autospec=True, side_effect=killed_in_second_batch), \
                    self.assertRaises(KeyboardInterrupt), self.registry.cursor() as cr:
                api.Environment(cr, SUPERUSER_ID, {})['aftersales.case']._cron_escalate()
            escalations = self._escalations()
            self.assertEqual({escalations[case_id] for case_id in batches[0]}, {(1, 1)}, "committed")
            self.assertEqual({escalations[case_id] for case_id in batches[1]}, {(0, 0)}, "undone")
            with self.registry.cursor() as cr:
                api.Environment(cr, SUPERUSER_ID, {})['aftersales.case']._cron_escalate()
        self.assertEqual(len(self._escalations()), concurrency.CASES)
        self.assertEqual(set(self._escalations().values()), {(1, 1)})
