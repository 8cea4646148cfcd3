from datetime import datetime

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.fields import Domain
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import AftersalesCaseCommon

# Monday 2 March 2026; the team works 9-17 UTC and must answer within 2 hours,
# warned an hour before.
MONDAY_9 = datetime(2026, 3, 2, 9, 0)
MONDAY_10_30 = datetime(2026, 3, 2, 10, 30)


@tagged('post_install', '-at_install')
class TestTeamOverview(AftersalesCaseCommon):
    """The support overview's reminders: cases about to escalate and cases
    with a new customer response, each count opening those cases."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        calendar = cls.env['resource.calendar'].create({
            'name': "UTC 9-17", 'tz': 'UTC',
            'attendance_ids': [
                Command.create({
                    'name': f"Day {day}", 'dayofweek': str(day), 'hour_from': 9, 'hour_to': 17,
                    'day_period': 'full_day',
                })
                for day in range(5)
            ],
        })
        (cls.team | cls.team_other).resource_calendar_id = calendar
        cls.env['aftersales.sla'].create({
            'name': "Answer within two hours", 'sequence': -1, 'response_hours': 2,
            'team_ids': [Command.set((cls.team | cls.team_other).ids)],
        })
        cls.env.company.aftersales_sla_margin_hours = 1
        with freeze_time(MONDAY_10_30):
            # Due at 11:00, within the hour: about to escalate.
            cls.at_risk = cls._create_case(date_reported=MONDAY_9, user_id=cls.agent.id)
            # Due at 12:30: on track.
            cls.on_track = cls._create_case(date_reported=MONDAY_10_30, user_id=cls.agent.id)
            cls.closed_at_risk = cls._create_case(date_reported=MONDAY_9, user_id=cls.agent.id)
            cls.other_team_at_risk = cls._create_case(
                date_reported=MONDAY_9, team_id=cls.team_other.id, user_id=cls.agent_other.id,
            )
            # The statuses are computed when written, at this moment.
            cls.env.flush_all()
        cls.closed_at_risk.stage_id = cls.stage_solved

    def _customer_writes(self, case):
        case.message_post(
            body="Any news?", author_id=self.customer.id,
            message_type='comment', subtype_xmlid='mail.mt_comment',
        )

    def _cases_the_link_opens(self, team, counter):
        """The cases the overview card's link around ``counter`` opens for
        ``team``: its action's domain, and the search defaults of its context
        and of the action's, as the web client applies them (the filters it
        turns on are each in a group of their own, so they all apply)."""
        Team = self.env['aftersales.team']
        kanban = self.env.ref('aftersales_case.aftersales_team_view_kanban')
        arch = etree.fromstring(Team.get_views([(kanban.id, 'kanban')])['views']['kanban']['arch'])
        [link] = arch.xpath(f"//a[.//field[@name='{counter}']]")
        action = self.env['ir.actions.act_window'].browse(int(link.get('name')))
        context = {**safe_eval(action.context), **safe_eval(link.get('context'), {'id': team.id})}
        search_view = self.env['aftersales.case'].get_views(
            [(action.search_view_id.id, 'search')])['views']['search']['arch']
        filters = {node.get('name'): node for node in etree.fromstring(search_view).iter('filter')}
        domain = Domain(safe_eval(action.domain or '[]'))
        for key, value in context.items():
            name = key.removeprefix('search_default_')
            if name == key or not value:
                continue
            if name in filters:
                domain &= Domain(safe_eval(filters[name].get('domain'), {'uid': self.env.uid}))
            else:
                domain &= Domain(name, 'in', value if isinstance(value, list) else [value])
        return self.env['aftersales.case'].search(domain)

    def test_overview_counts_open_cases_about_to_escalate(self):
        self.assertEqual(self.at_risk.sla_status, 'at_risk')
        self.assertEqual(self.on_track.sla_status, 'on_track')
        self.assertEqual(self.team.at_risk_case_count, 1)
        self.assertEqual(self.team_other.at_risk_case_count, 1)

    def test_about_to_escalate_count_opens_those_cases(self):
        self.assertEqual(self._cases_the_link_opens(self.team, 'at_risk_case_count'), self.at_risk)

    def test_overview_counts_open_cases_the_customer_answered(self):
        self._customer_writes(self.on_track)
        self._customer_writes(self.closed_at_risk)
        self.assertTrue(self.on_track.new_customer_response)
        self.team.invalidate_recordset(['new_response_case_count'])
        self.assertEqual(self.team.new_response_case_count, 1)

    def test_new_customer_response_count_opens_those_cases(self):
        self._customer_writes(self.on_track)
        self._customer_writes(self.closed_at_risk)
        self.assertEqual(self._cases_the_link_opens(self.team, 'new_response_case_count'), self.on_track)

    def test_agent_answer_takes_the_case_off_the_new_responses(self):
        self._customer_writes(self.on_track)
        self.on_track.with_user(self.agent).message_post(
            body="We are on it.", message_type='comment', subtype_xmlid='mail.mt_comment',
        )
        self.team.invalidate_recordset(['new_response_case_count'])
        self.assertEqual(self.team.new_response_case_count, 0)

    def test_agent_counts_only_the_cases_they_may_read(self):
        # The other team's agent reads none of this team's cases.
        self.assertEqual(self.team.with_user(self.agent_other).at_risk_case_count, 0)
        self.assertEqual(self.team_other.with_user(self.agent_other).at_risk_case_count, 1)
