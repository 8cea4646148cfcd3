from datetime import datetime

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged

# The run is made at a moment no other case of the database has reached: it
# commits for real, and must find no case but this test's.
LONG_AGO = datetime(2000, 1, 3, 8, 0)  # a Monday
RUN_AT = '2000-06-01 12:00:00'


@tagged('post_install', '-at_install')
class TestEscalationLocks(BaseCase):
    """SECURITY.md CR3: a case an agent is writing is skipped, then escalated
    by the next run.

    Two real transactions: the agent's, which holds the case's row, and the
    cron's. The data is committed (each sees only what is committed) and
    deleted again when the class ends.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.addClassCleanup(cls._remove_data)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cls._create_data(env)

    @classmethod
    def _create_data(cls, env):
        calendar = env['resource.calendar'].create({
            'name': "Locks 9-17", 'tz': 'Europe/Brussels', 'company_id': False,
            'attendance_ids': [
                Command.create({
                    'name': f"Day {day}", 'dayofweek': str(day), 'hour_from': 9, 'hour_to': 17,
                    'day_period': 'full_day',
                })
                for day in range(5)
            ],
        })
        team = env['aftersales.team'].create({'name': "Locks Desk", 'resource_calendar_id': calendar.id})
        sla = env['aftersales.sla'].create({
            'name': "Locks Standard", 'sequence': -1, 'team_ids': [Command.set(team.ids)],
            'response_hours': 2, 'resolution_hours': 8,
        })
        customer = env['res.partner'].create({'name': "Locks Customer"})
        case = env['aftersales.case'].create({
            'subject': "Locked by an agent", 'partner_id': customer.id, 'team_id': team.id,
            'date_reported': LONG_AGO,
        })
        cls.case_id = case.id
        cls.data = {
            'aftersales.case': case.ids, 'aftersales.sla': sla.ids, 'aftersales.team': team.ids,
            'res.partner': customer.ids, 'resource.calendar': calendar.ids,
        }

    @classmethod
    def _remove_data(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            for model, ids in cls.data.items():
                env[model].browse(ids).unlink()

    def _run_escalation(self):
        with freeze_time(RUN_AT), self.registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})['aftersales.case']._cron_escalate()

    def _escalation_level(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT COALESCE(escalation_level, 0) FROM aftersales_case WHERE id = %s", [self.case_id],
            )
            return cr.fetchone()[0]

    def test_case_locked_by_an_agent_is_skipped_then_escalated_next_run(self):
        with self.registry.cursor() as agent_cr:
            # The agent's write holds the row until their transaction ends.
            agent_cr.execute(
                "UPDATE aftersales_case SET write_date = write_date WHERE id = %s", [self.case_id],
            )
            self._run_escalation()
            self.assertEqual(self._escalation_level(), 0)
            agent_cr.rollback()
        self._run_escalation()
        self.assertEqual(self._escalation_level(), 1)
