from odoo import Command
from odoo.tests import new_test_user, tagged, users, warmup

from .common import AftersalesCaseCommon

ACTIVITY_SPEC = {
    'activity_ids': {},
    'activity_exception_decoration': {},
    'activity_exception_icon': {},
    'activity_state': {},
    'activity_summary': {},
    'activity_type_icon': {},
    'activity_type_id': {'fields': {'display_name': {}}},
}
NAME = {'fields': {'display_name': {}}}
TAGS = {'fields': {'display_name': {}, 'color': {}}}
# What aftersales_case_view_list asks for (company_id is hidden from agents
# outside base.group_multi_company), its widgets' dependencies included.
LIST_SPEC = {
    'priority': {}, 'name': {}, 'subject': {}, 'partner_id': NAME, 'type_id': NAME,
    'team_id': NAME, 'user_id': NAME, 'origin_id': NAME, 'tag_ids': TAGS, 'date_reported': {},
    'date_deadline': {}, 'lead_time': {}, 'stage_id': NAME, 'is_closed': {},
    'new_customer_response': {}, **ACTIVITY_SPEC,
}
# What a card of aftersales_case_view_kanban shows.
KANBAN_SPEC = {
    'stage_id': NAME, 'is_closed': {}, 'new_customer_response': {}, 'color': {}, 'subject': {},
    'name': {}, 'partner_id': NAME, 'type_id': NAME, 'tag_ids': TAGS, 'date_deadline': {},
    'priority': {}, 'user_id': NAME, **ACTIVITY_SPEC,
}
KANBAN_PROGRESS_BAR = {
    'field': 'priority', 'colors': {'3': 'danger', '2': 'warning', '1': 'info', '0': '200'},
}
# The case form's customer panel.
PANEL_SPEC = {
    'customer_user_id': NAME, 'customer_team_id': NAME, 'customer_payment_term_id': NAME,
    'customer_invoice_address_id': {**NAME, 'context': {'show_address': True}},
    'customer_delivery_address_id': {**NAME, 'context': {'show_address': True}},
    'customer_show_credit_limit': {}, 'customer_open_case_count': {},
}
PANEL_CREDIT_SPEC = {**PANEL_SPEC, 'customer_credit': {}, 'customer_credit_limit': {}}

# Measured counts: the same for 80 and 160 cases, each case of its own customer,
# with the whole suite installed (the returns module adds its counters to the
# panel: 12 and 13 with this module alone).
LIST_QUERIES = 18
KANBAN_QUERIES = 20
PANEL_QUERIES = 13
PANEL_CREDIT_QUERIES = 15


@tagged('post_install', '-at_install')
class TestCasePerformance(AftersalesCaseCommon):
    """List, kanban and customer panel cost the same for 80 and for 160 cases."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env, login='as_perf_accountant', name="Paula Perf",
            groups='aftersales_case.aftersales_group_user,account.group_account_invoice',
        )
        cls.team.member_ids = [Command.link(cls.accountant.id)]
        salesman = new_test_user(
            cls.env, login='as_perf_salesman', groups='sales_team.group_sale_salesman',
        )
        cls.env['crm.team'].create({
            'name': "Perf Territory", 'member_ids': [Command.link(salesman.id)],
        })
        payment_term = cls.env['account.payment.term'].create({'name': "Net 30 (perf)"})
        customers = cls.env['res.partner'].create([{
            'name': f"Perf Customer {index}",
            'is_company': True,
            'user_id': salesman.id,
            'property_payment_term_id': payment_term.id,
            'child_ids': [
                Command.create({'name': "Contact", 'email': f'contact{index}@perf.example'}),
                Command.create({'name': "Billing", 'type': 'invoice'}),
                Command.create({'name': "Dock", 'type': 'delivery'}),
            ],
        } for index in range(160)])
        tags = cls.env['aftersales.case.tag'].create([
            {'name': "Perf A"}, {'name': "Perf B", 'color': 3},
        ])
        stages = cls.stage_new | cls.stage_progress | cls.stage_on_hold
        cls.cases = cls.env['aftersales.case'].create([{
            'subject': f"Perf case {index}",
            'partner_id': customer.child_ids[0].id,
            'team_id': cls.team.id,
            'user_id': (cls.agent | cls.accountant)[index % 2].id,
            'stage_id': stages[index % 4 % 3].id,
            'type_id': cls.type_question.id,
            'priority': str(index % 4),
            'tag_ids': [Command.set(tags[:1 + index % 2].ids)],
            'date_deadline': '2030-01-01' if index % 3 else False,
        } for index, customer in enumerate(customers)])
        for case in cls.cases[::3]:
            case.activity_schedule('mail.mail_activity_data_todo', user_id=cls.agent.id)
        # A quarter closed, in the folded "Closed" column the kanban leaves shut.
        cls.cases[3::4].stage_id = cls.env.ref('aftersales_case.stage_closed')

    def _cases(self, count):
        return self.env['aftersales.case'].browse(self.cases[:count].ids)

    def _read_list(self, count):
        cases = self._cases(count)
        result = cases.web_search_read([('id', 'in', cases.ids)], LIST_SPEC, limit=count)
        self.assertEqual(len(result['records']), count)

    def _read_kanban(self, count):
        domain = [('id', 'in', self.cases[:count].ids)]
        # As the kanban asks: with the empty stage columns and their fold state.
        Case = self.env['aftersales.case'].with_context(read_group_expand=True)
        result = Case.web_read_group(
            domain, ['stage_id'], auto_unfold=True,
            unfold_read_specification=KANBAN_SPEC, unfold_read_default_limit=40,
        )
        # The folded closing stage stays closed: the open stages show their cases.
        shown = sum(len(group.get('__records', [])) for group in result['groups'])
        self.assertEqual(shown, count * 3 // 4)
        Case.read_progress_bar(domain, 'stage_id', KANBAN_PROGRESS_BAR)

    def _read_panel(self, count, specification):
        values = self._cases(count).web_read(specification)
        self.assertEqual(len(values), count)
        self.assertTrue(all(v['customer_invoice_address_id'] for v in values))

    # List

    @users('as_agent')
    @warmup
    def test_list_of_80_cases(self):
        with self.assertQueryCount(as_agent=LIST_QUERIES):
            self._read_list(80)

    @users('as_agent')
    @warmup
    def test_list_of_160_cases(self):
        with self.assertQueryCount(as_agent=LIST_QUERIES):
            self._read_list(160)

    # Kanban grouped by stage

    @users('as_agent')
    @warmup
    def test_kanban_of_80_cases(self):
        with self.assertQueryCount(as_agent=KANBAN_QUERIES):
            self._read_kanban(80)

    @users('as_agent')
    @warmup
    def test_kanban_of_160_cases(self):
        with self.assertQueryCount(as_agent=KANBAN_QUERIES):
            self._read_kanban(160)

    # Customer panel

    @users('as_agent')
    @warmup
    def test_customer_panel_of_80_cases(self):
        with self.assertQueryCount(as_agent=PANEL_QUERIES):
            self._read_panel(80, PANEL_SPEC)

    @users('as_agent')
    @warmup
    def test_customer_panel_of_160_cases(self):
        with self.assertQueryCount(as_agent=PANEL_QUERIES):
            self._read_panel(160, PANEL_SPEC)

    @users('as_perf_accountant')
    @warmup
    def test_customer_panel_with_credit_of_80_cases(self):
        with self.assertQueryCount(as_perf_accountant=PANEL_CREDIT_QUERIES):
            self._read_panel(80, PANEL_CREDIT_SPEC)

    @users('as_perf_accountant')
    @warmup
    def test_customer_panel_with_credit_of_160_cases(self):
        with self.assertQueryCount(as_perf_accountant=PANEL_CREDIT_QUERIES):
            self._read_panel(160, PANEL_CREDIT_SPEC)
