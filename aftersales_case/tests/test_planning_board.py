from datetime import datetime

from lxml import etree

from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import AftersalesCaseCommon

# The week the board shows: Monday 2 to Sunday 8 March 2026.
WEEK_START = datetime(2026, 3, 2)
WEEK_END = datetime(2026, 3, 8, 23, 59, 59)


@tagged('post_install', '-at_install')
class TestPlanningBoard(AftersalesCaseCommon):
    """The Planning Board (After-Sales > Cases > Planning Board): what it lists, and for whom.

    The board is read as the web client's calendar reads it: the action's
    default filters, the calendar's date fields, the week shown, and the
    user's access rules.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.type_work_order = cls.env.ref('aftersales_case.type_work_order')
        cls.action = cls.env['ir.actions.act_window']._for_xml_id(
            'aftersales_case.aftersales_case_action_planning',
        )

    def _work_order(self, start, end, **values):
        return self._create_case(**{
            'subject': "Install the chairs", 'type_id': self.type_work_order.id,
            'user_id': self.agent.id, 'planned_start': start, 'planned_end': end, **values,
        })

    def _board(self, user, start=WEEK_START, end=WEEK_END):
        """The cases the board shows ``user`` between ``start`` and ``end``."""
        Case = self.env['aftersales.case'].with_user(user)
        views = Case.get_views([(False, 'calendar'), (self.action['search_view_id'][0], 'search')])
        calendar = etree.fromstring(views['views']['calendar']['arch'])
        search = etree.fromstring(views['views']['search']['arch'])
        context = safe_eval(self.action['context'])
        # The default filters of the action that filter (the others group).
        domain = Domain.AND(
            safe_eval(search.xpath(f"//filter[@name='{name.removeprefix('search_default_')}']")[0]
                      .get('domain'), {'uid': user.id})
            for name in context
            if name.startswith('search_default_')
            and search.xpath(f"//filter[@name='{name.removeprefix('search_default_')}']/@domain")
        )
        # As the calendar asks for a range (web's calendar_model computeRangeDomain).
        domain &= Domain(calendar.get('date_start'), '<=', end)
        domain &= Domain(calendar.get('date_stop'), '>=', start)
        return Case.search(domain)

    def test_board_opens_as_a_calendar_of_the_planned_dates(self):
        self.assertEqual(self.action['view_mode'].split(',')[0], 'calendar')
        arch = self.env['aftersales.case'].get_views([(False, 'calendar')])['views']['calendar']['arch']
        calendar = etree.fromstring(arch)
        self.assertEqual(
            (calendar.get('date_start'), calendar.get('date_stop'), calendar.get('color')),
            ('planned_start', 'planned_end', 'user_id'),
        )

    def test_board_lists_the_open_cases_planned_in_the_week(self):
        this_week = self._work_order(datetime(2026, 3, 3, 8), datetime(2026, 3, 3, 11))
        across_weeks = self._work_order(datetime(2026, 2, 27, 8), datetime(2026, 3, 2, 11))
        next_week = self._work_order(datetime(2026, 3, 10, 8), datetime(2026, 3, 10, 11))
        unplanned = self._create_case(user_id=self.agent.id)
        self.assertEqual(self._board(self.agent_all) & (this_week | across_weeks | next_week | unplanned),
                         this_week | across_weeks)

    def test_closed_case_leaves_the_board(self):
        done = self._work_order(datetime(2026, 3, 3, 8), datetime(2026, 3, 3, 11))
        done.stage_id = self.stage_solved
        self.assertNotIn(done, self._board(self.agent_all))

    def test_agent_sees_their_teams_planned_cases_only(self):
        ours = self._work_order(datetime(2026, 3, 3, 8), datetime(2026, 3, 3, 11))
        theirs = self._work_order(
            datetime(2026, 3, 4, 8), datetime(2026, 3, 4, 11),
            team_id=self.team_other.id, user_id=self.agent_other.id,
        )
        self.assertEqual(self._board(self.agent) & (ours | theirs), ours)
        self.assertEqual(self._board(self.agent_other) & (ours | theirs), theirs)
        self.assertEqual(self._board(self.agent_all) & (ours | theirs), ours | theirs)

    def test_agent_replans_a_case_by_dragging_it(self):
        case = self._work_order(datetime(2026, 3, 3, 8), datetime(2026, 3, 3, 11))
        # Dragging to another day writes both dates, as the calendar does.
        case.with_user(self.agent).write({
            'planned_start': datetime(2026, 3, 5, 8), 'planned_end': datetime(2026, 3, 5, 11),
        })
        self.assertIn(case, self._board(self.agent, datetime(2026, 3, 5), datetime(2026, 3, 5, 23)))
        self.assertNotIn(case, self._board(self.agent, datetime(2026, 3, 3), datetime(2026, 3, 3, 23)))

    @mute_logger('odoo.addons.base.models.ir_model', 'odoo.addons.base.models.ir_rule')
    def test_user_without_after_sales_rights_has_no_board(self):
        self._work_order(datetime(2026, 3, 3, 8), datetime(2026, 3, 3, 11))
        with self.assertRaises(AccessError):
            self._board(self.internal_user)

    def test_visit_planned_without_an_end_is_on_the_board_for_an_hour(self):
        case = self._create_case(
            subject="Measure the office", type_id=self.type_work_order.id, user_id=self.agent.id,
            planned_start=datetime(2026, 3, 4, 9),
        )
        self.assertEqual(case.planned_end, datetime(2026, 3, 4, 10))
        self.assertIn(case, self._board(self.env.user))
        case.planned_start = datetime(2026, 3, 5, 14)
        self.assertEqual(case.planned_end, datetime(2026, 3, 5, 15), "moved after its old end")
