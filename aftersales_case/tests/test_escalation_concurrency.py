import threading
from datetime import datetime

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger

# A moment no other case of the database has reached: the runs commit for
# real, and must find no case but this test's.
LONG_AGO = datetime(2000, 1, 10, 8, 0)  # a Monday
RUN_AT = '2000-06-01 12:00:00'
CASES = 60


@tagged('post_install', '-at_install')
class TestEscalationConcurrency(BaseCase):
    """The escalation run started twice at once (the scheduler and a
    manager's *Run Manually*, two cron workers): each case is escalated once.

    Two real transactions on committed data, deleted again when the class
    ends. A run locks its batch with SKIP LOCKED and checks it again: it
    passes over the cases the other run holds; a case the other run has
    escalated and committed since its snapshot fails to serialise (Odoo's
    REPEATABLE READ), and its batch, rolled back to its savepoint, is left
    to the next run. The test holds the outcome, whichever of the two
    stops the second escalation.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.addClassCleanup(cls._remove_data)
        with cls.registry.cursor() as cr:
            cls._create_data(api.Environment(cr, SUPERUSER_ID, {}))

    @classmethod
    def _create_data(cls, env):
        calendar = env['resource.calendar'].create({
            'name': "Twice 9-17", 'tz': 'Europe/Brussels', 'company_id': False,
            'attendance_ids': [
                Command.create({
                    'name': f"Day {day}", 'dayofweek': str(day), 'hour_from': 9, 'hour_to': 17,
                    'day_period': 'full_day',
                })
                for day in range(5)
            ],
        })
        team = env['aftersales.team'].create({'name': "Twice Desk", 'resource_calendar_id': calendar.id})
        sla = env['aftersales.sla'].create({
            'name': "Twice Standard", 'sequence': -1, 'team_ids': [Command.set(team.ids)],
            'response_hours': 2, 'resolution_hours': 8,
        })
        customer = env['res.partner'].create({'name': "Twice Customer"})
        cases = env['aftersales.case'].create([{
            'subject': f"Escalated once {n}", 'partner_id': customer.id, 'team_id': team.id,
            'date_reported': LONG_AGO,
        } for n in range(CASES)])
        cls.case_ids = cases.ids
        cls.data = {
            'aftersales.case': cases.ids, 'aftersales.sla': sla.ids, 'aftersales.team': team.ids,
            'res.partner': customer.ids, 'resource.calendar': calendar.ids,
        }

    @classmethod
    def _remove_data(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env['mail.message'].search([
                ('model', '=', 'aftersales.case'), ('res_id', 'in', cls.case_ids),
            ]).unlink()
            env['mail.activity'].search([
                ('res_model', '=', 'aftersales.case'), ('res_id', 'in', cls.case_ids),
            ]).unlink()
            for model, ids in cls.data.items():
                env[model].browse(ids).unlink()

    def _run_escalation(self, barrier):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env['aftersales.case'].search_count([])  # the snapshot starts here
            barrier.wait(timeout=10)
            env['aftersales.case']._cron_escalate()

    def _escalations(self):
        """Per case: its level and the number of escalation notes it got."""
        with self.registry.cursor() as cr:
            cr.execute("""
                SELECT c.id, COALESCE(c.escalation_level, 0),
                       (SELECT count(*) FROM mail_message m
                         WHERE m.model = 'aftersales.case' AND m.res_id = c.id
                           AND m.body::text LIKE '%%Escalated to level%%')
                  FROM aftersales_case c WHERE c.id IN %s
            """, [tuple(self.case_ids)])
            return {case_id: (level, notes) for case_id, level, notes in cr.fetchall()}

    def test_two_runs_at_once_escalate_each_case_once(self):
        barrier = threading.Barrier(2)
        threads = [
            threading.Thread(target=self._run_escalation, args=(barrier,), name=f'escalation-{n}')
            for n in (1, 2)
        ]
        with freeze_time(RUN_AT), mute_logger('odoo.sql_db', 'odoo.addons.aftersales_case.models.'
                                                          'aftersales_case_escalation_cron'):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        self.assertFalse(any(thread.is_alive() for thread in threads))
        escalations = self._escalations()
        twice = {case_id: figures for case_id, figures in escalations.items() if figures[0] > 1}
        self.assertFalse(twice, "no case escalated twice")
        # What a run left to the next one is escalated then, and once.
        with freeze_time(RUN_AT), self.registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})['aftersales.case']._cron_escalate()
        self.assertEqual(set(self._escalations().values()), {(1, 1)})
