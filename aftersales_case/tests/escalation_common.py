"""The escalation tests' base: a team on a Brussels calendar, a service level, the cron."""

from datetime import datetime

from odoo import Command
from odoo.tests import new_test_user

from .common import AftersalesCaseCommon

# Monday 2 March 2026, 09:00 in Brussels: the team's working day starts.
MONDAY = datetime(2026, 3, 2, 8, 0)
# With 2 hours to answer and 8 to resolve, and a one-hour margin.
RESPONSE_AT_RISK = '2026-03-02 09:30:00'
RESPONSE_MISSED = '2026-03-02 10:30:00'
RESOLUTION_MISSED = '2026-03-02 16:30:00'
# Generated cases: reported long ago, every deadline missed.
LONG_AGO = datetime(2020, 1, 6, 8, 0)


class AftersalesEscalationCommon(AftersalesCaseCommon):
    """A team led by Lea on Brussels working hours, a 2 h / 8 h service level,
    a one-hour warning margin, and the escalation cron."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leader = new_test_user(
            cls.env, login='as_leader', name="Lea Leader",
            groups='aftersales_case.aftersales_group_user_all',
        )
        cls.team.user_id = cls.leader
        cls.team.resource_calendar_id = cls.env['resource.calendar'].create({
            'name': "Brussels 9-17",
            'tz': 'Europe/Brussels',
            'company_id': False,  # shared by both companies' teams
            'attendance_ids': [
                Command.create({
                    'name': f"Day {day}", 'dayofweek': str(day), 'hour_from': 9, 'hour_to': 17,
                    'day_period': 'full_day',
                })
                for day in range(5)
            ],
        })
        cls.sla = cls.env['aftersales.sla'].create({
            'name': "Standard", 'response_hours': 2, 'resolution_hours': 8,
        })
        cls.env.company.aftersales_sla_margin_hours = 1
        cls.cron = cls.env.ref('aftersales_case.ir_cron_aftersales_case_escalate')
        cls.type_escalated = cls.env.ref('aftersales_case.mail_activity_type_case_escalated')
        cls.type_at_risk = cls.env.ref('aftersales_case.mail_activity_type_case_at_risk')
        cls.type_open_too_long = cls.env.ref('aftersales_case.mail_activity_type_case_open_too_long')

    def _run_cron(self):
        """Run the scheduled action as the scheduler does; its commits become savepoints."""
        with self.enter_registry_test_mode():
            result = self.cron.method_direct_trigger()
        self.assertIs(result, True, "the scheduled action failed")

    def _activities(self, cases, activity_type):
        return self.env['mail.activity'].search([
            ('res_model', '=', 'aftersales.case'), ('res_id', 'in', cases.ids),
            ('activity_type_id', 'in', activity_type.ids),
        ])

    def _escalation_messages(self, cases):
        return self.env['mail.message'].search([
            ('model', '=', 'aftersales.case'), ('res_id', 'in', cases.ids),
            ('body', 'ilike', 'Escalated to level'),
        ])

    def _generate_cases(self, count, **values):
        """``count`` cases whose deadlines all passed, in one create."""
        return self.env['aftersales.case'].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True,
        ).create([{
            'name': f"GEN/{index:05d}",
            'subject': "Generated",
            'partner_id': self.customer.id,
            'team_id': self.team.id,
            'date_reported': LONG_AGO,
            **values,
        } for index in range(count)])

