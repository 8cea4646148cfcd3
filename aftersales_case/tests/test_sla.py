from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import AftersalesCaseCommon


@tagged('post_install', '-at_install')
class TestSla(AftersalesCaseCommon):
    """Deadlines in working hours: weekends, holidays, time zones, pauses."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.brussels = cls._create_calendar("Brussels 9-17", 'Europe/Brussels')
        cls.new_york = cls._create_calendar("New York 9-17", 'America/New_York')
        cls.team.resource_calendar_id = cls.brussels
        cls.team_other.resource_calendar_id = cls.new_york
        cls.sla = cls.env['aftersales.sla'].create({
            'name': "Standard",
            'response_hours': 2,
            'resolution_hours': 8,
        })
        cls.env.company.aftersales_sla_margin_hours = 1

    @classmethod
    def _create_calendar(cls, name, tz):
        return cls.env['resource.calendar'].create({
            'name': name,
            'tz': tz,
            'attendance_ids': [
                Command.create({
                    'name': f"Day {day}", 'dayofweek': str(day), 'hour_from': 9, 'hour_to': 17,
                    'day_period': 'full_day',
                })
                for day in range(5)
            ],
        })

    def _holiday(self, calendar, date_from, date_to):
        """A public holiday: a leave of the calendar for no resource (UTC bounds)."""
        self.env['resource.calendar.leaves'].create({
            'name': "Holiday", 'calendar_id': calendar.id, 'resource_id': False,
            'date_from': date_from, 'date_to': date_to,
        })

    def test_deadline_skips_the_weekend(self):
        # Friday 15:00 in Brussels (UTC+1): 2 hours on Friday, 6 on Monday.
        case = self._create_case(date_reported=datetime(2026, 3, 6, 14, 0))
        self.assertEqual(case.sla_id, self.sla)
        self.assertEqual(case.sla_response_deadline, datetime(2026, 3, 6, 16, 0))
        self.assertEqual(case.sla_resolution_deadline, datetime(2026, 3, 9, 14, 0))

    def test_deadline_skips_a_holiday(self):
        # Monday 9 March, midnight to midnight in Brussels (UTC+1).
        self._holiday(self.brussels, datetime(2026, 3, 8, 23, 0), datetime(2026, 3, 9, 22, 59))
        case = self._create_case(date_reported=datetime(2026, 3, 6, 14, 0))
        self.assertEqual(case.sla_resolution_deadline, datetime(2026, 3, 10, 14, 0))

    def test_deadline_in_another_time_zone_across_a_dst_change(self):
        # Friday 6 March 15:00 in New York is 20:00 UTC (EST); clocks move on
        # Sunday 8 March, so Monday 15:00 is 19:00 UTC (EDT).
        case = self._create_case(team_id=self.team_other.id, date_reported=datetime(2026, 3, 6, 20, 0))
        self.assertEqual(case.sla_resolution_deadline, datetime(2026, 3, 9, 19, 0))

    def test_report_outside_working_hours_starts_the_next_morning(self):
        # Saturday: the clock starts on Monday 09:00 Brussels (08:00 UTC).
        case = self._create_case(date_reported=datetime(2026, 3, 7, 10, 0))
        self.assertEqual(case.sla_response_deadline, datetime(2026, 3, 9, 10, 0))
        self.assertEqual(case.sla_resolution_deadline, datetime(2026, 3, 9, 16, 0))

    def test_on_hold_stops_the_clock(self):
        case = self._create_case(user_id=self.agent.id, date_reported=datetime(2026, 3, 9, 8, 0))
        self.assertEqual(case.sla_resolution_deadline, datetime(2026, 3, 9, 16, 0))
        with freeze_time('2026-03-09 10:00:00'):
            case.stage_id = self.stage_on_hold
        self.assertEqual(case.sla_pause_start, datetime(2026, 3, 9, 10, 0))
        with freeze_time('2026-03-09 13:00:00'):
            case.stage_id = self.stage_progress
        self.assertEqual(case.sla_paused_hours, 3.0)
        self.assertFalse(case.sla_pause_start)
        # Eleven working hours from Monday 09:00 Brussels: the whole Monday,
        # then Tuesday 09:00-12:00 Brussels, 11:00 UTC.
        self.assertEqual(case.sla_resolution_deadline, datetime(2026, 3, 10, 11, 0))

    def test_pause_over_the_weekend_counts_working_hours_only(self):
        case = self._create_case(user_id=self.agent.id, date_reported=datetime(2026, 3, 6, 8, 0))
        with freeze_time('2026-03-06 15:00:00'):  # Friday 16:00 Brussels
            case.stage_id = self.stage_on_hold
        with freeze_time('2026-03-09 09:00:00'):  # Monday 10:00 Brussels
            case.stage_id = self.stage_progress
        self.assertEqual(case.sla_paused_hours, 2.0)

    def test_status_goes_from_on_track_to_at_risk_to_breached(self):
        with freeze_time('2026-03-09 08:00:00'):
            case = self._create_case(date_reported=datetime(2026, 3, 9, 8, 0))
            self.assertEqual(case.sla_status, 'on_track')
        self.assertEqual(case._sla_status_at(datetime(2026, 3, 9, 9, 30), _hours(1)), 'at_risk')
        self.assertEqual(case._sla_status_at(datetime(2026, 3, 9, 10, 30), _hours(1)), 'breached')

    def test_answer_in_time_leaves_only_the_resolution_deadline(self):
        case = self._create_case(date_reported=datetime(2026, 3, 9, 8, 0))
        case.date_first_response = datetime(2026, 3, 9, 9, 0)
        self.assertEqual(case._sla_status_at(datetime(2026, 3, 9, 11, 0), _hours(1)), 'on_track')

    def test_closing_in_time_is_met_and_late_is_breached(self):
        on_time = self._create_case(user_id=self.agent.id, date_reported=datetime(2026, 3, 9, 8, 0))
        late = self._create_case(user_id=self.agent.id, date_reported=datetime(2026, 3, 9, 8, 0))
        with freeze_time('2026-03-09 12:00:00'):
            on_time.write({'date_first_response': datetime(2026, 3, 9, 9, 0)})
            on_time.stage_id = self.stage_solved
        with freeze_time('2026-03-10 10:00:00'):
            late.write({'date_first_response': datetime(2026, 3, 9, 9, 0)})
            late.stage_id = self.stage_solved
        self.assertEqual(on_time.sla_status, 'met')
        self.assertEqual(on_time.sla_delay_hours, -4.0)
        self.assertEqual(late.sla_status, 'breached')
        self.assertEqual(late.sla_delay_hours, 2.0)  # Monday 17:00 to Tuesday 11:00 Brussels

    def test_priority_type_or_team_change_recomputes_the_deadlines(self):
        urgent = self.env['aftersales.sla'].create({
            'name': "Urgent", 'sequence': 1, 'priority': '3', 'resolution_hours': 2,
        })
        case = self._create_case(date_reported=datetime(2026, 3, 9, 8, 0))
        self.assertEqual(case.sla_id, self.sla)
        case.priority = '3'
        self.assertEqual(case.sla_id, urgent)
        self.assertEqual(case.sla_resolution_deadline, datetime(2026, 3, 9, 10, 0))
        case.team_id = self.team_other  # New York: 09:00 EDT is 13:00 UTC
        self.assertEqual(case.sla_resolution_deadline, datetime(2026, 3, 9, 15, 0))

    def test_policy_for_a_customer_tag_and_a_type(self):
        gold = self.env['res.partner.category'].create({'name': "Gold"})
        policy = self.env['aftersales.sla'].create({
            'name': "Gold questions", 'sequence': 1, 'response_hours': 1,
            'partner_category_ids': [gold.id], 'type_ids': [self.type_question.id],
        })
        case = self._create_case(type_id=self.type_question.id)
        self.assertEqual(case.sla_id, self.sla)
        self.customer.category_id = gold
        self.assertEqual(case.sla_id, policy)

    def test_policy_needs_a_target(self):
        with self.assertRaisesText(ValidationError, "needs a response or a resolution target"):
            self.env['aftersales.sla'].create({'name': "Empty"})


def _hours(hours):
    return timedelta(hours=hours)
