from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import AftersalesCaseCommon

PANEL_FIELDS = [
    'customer_user_id', 'customer_team_id', 'customer_payment_term_id',
    'customer_invoice_address_id', 'customer_delivery_address_id', 'customer_open_case_count',
]


@tagged('post_install', '-at_install')
class TestCustomerPanel(AftersalesCaseCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env, login='as_salesman', name="Sam Salesman",
            groups='sales_team.group_sale_salesman',
        )
        cls.sales_team = cls.env['crm.team'].create({
            'name': "North Territory", 'member_ids': [Command.link(cls.salesman.id)],
        })
        cls.payment_term = cls.env['account.payment.term'].create({'name': "Net 45 (panel)"})
        cls.invoice_address = cls.env['res.partner'].create({
            'name': "Accounts Payable", 'type': 'invoice', 'parent_id': cls.customer.id,
        })
        cls.delivery_address = cls.env['res.partner'].create({
            'name': "Warehouse Gate 3", 'type': 'delivery', 'parent_id': cls.customer.id,
        })
        cls.customer.write({
            'user_id': cls.salesman.id,
            'property_payment_term_id': cls.payment_term.id,
            'ref': 'CUST-0042',
            'phone': '+32 2 555 99 00',
        })
        cls.accountant = new_test_user(
            cls.env, login='as_accountant', name="Aline Accountant",
            groups='aftersales_case.aftersales_group_user,account.group_account_invoice',
        )
        cls.team.member_ids = [Command.link(cls.accountant.id)]
        cls.other_customer = cls.env['res.partner'].create({
            'name': "Elsewhere Ltd", 'is_company': True, 'email': 'hello@elsewhere.example',
        })

    def _close(self, case):
        case.stage_id = self.stage_solved
        return case

    def _form_fields(self, user):
        """The case fields the web client loads with the form view for ``user``."""
        views = self.env['aftersales.case'].with_user(user).get_views([(False, 'form')])
        return views['models']['aftersales.case']['fields']

    # Values

    def test_panel_shows_the_commercial_partners_sales_data(self):
        case = self._create_case(partner_id=self.contact.id)
        self.assertRecordValues(case, [{
            'customer_user_id': self.salesman.id,
            'customer_team_id': self.sales_team.id,
            'customer_payment_term_id': self.payment_term.id,
        }])

    def test_panel_addresses_are_the_customers_invoice_and_delivery_addresses(self):
        case = self._create_case(partner_id=self.contact.id)
        expected = self.customer.address_get(['invoice', 'delivery'])
        self.assertEqual(case.customer_invoice_address_id.id, expected['invoice'])
        self.assertEqual(case.customer_delivery_address_id, self.delivery_address)
        self.assertEqual(case.customer_invoice_address_id, self.invoice_address)

    def test_panel_addresses_fall_back_on_the_customer_itself(self):
        case = self._create_case(partner_id=self.other_customer.id)
        self.assertEqual(case.customer_invoice_address_id, self.other_customer)
        self.assertEqual(case.customer_delivery_address_id, self.other_customer)

    def test_case_without_customer_has_an_empty_panel(self):
        case = self._create_case(partner_id=False)
        self.assertRecordValues(case, [{
            'customer_user_id': False, 'customer_payment_term_id': False,
            'customer_invoice_address_id': False, 'customer_open_case_count': 0,
        }])

    def test_payment_terms_are_read_in_the_cases_company(self):
        company_b = self.env['res.company'].create({'name': "After-Sales B"})
        term_b = self.env['account.payment.term'].create({
            'name': "Net 60 (B)", 'company_id': company_b.id,
        })
        self.customer.with_company(company_b).property_payment_term_id = term_b
        case_b = self._create_case(company_id=company_b.id, team_id=False)
        # Read from company A's environment: the value is still company B's.
        self.assertNotEqual(self.env.company, company_b)
        self.assertEqual(case_b.customer_payment_term_id, term_b)
        self.assertEqual(self._create_case().customer_payment_term_id, self.payment_term)

    def test_credit_and_credit_limit_equal_the_partners_for_an_accountant(self):
        self.env.company.account_use_credit_limit = True
        self.customer.credit_limit = 5000.0
        invoice = self.env['account.move'].create({
            'move_type': 'out_invoice',
            'partner_id': self.contact.id,
            'invoice_line_ids': [Command.create({
                'name': "Printer drum", 'quantity': 1, 'price_unit': 250.0, 'tax_ids': [],
            })],
        })
        invoice.action_post()
        case = self._create_case(partner_id=self.contact.id).with_user(self.accountant)
        customer = self.customer.with_user(self.accountant)
        self.assertEqual(customer.credit, 250.0)
        self.assertRecordValues(case, [{
            'customer_credit': customer.credit,
            'customer_credit_limit': customer.credit_limit,
            'customer_show_credit_limit': True,
        }])

    # Counts

    def test_open_case_count_counts_the_customers_open_cases(self):
        first = self._create_case(partner_id=self.contact.id)
        self._create_case()
        self._close(self._create_case(user_id=self.agent.id))
        self._create_case(partner_id=self.other_customer.id)
        self.assertEqual(first.customer_open_case_count, 2)

    def test_open_case_count_follows_the_users_access(self):
        case = self._create_case()
        self._create_case(team_id=self.team_other.id)
        self.assertEqual(case.customer_open_case_count, 2)
        self.assertEqual(case.with_user(self.agent).customer_open_case_count, 1)

    def test_counts_are_one_dict_per_counter_for_all_customers(self):
        cases = self._create_case() | self._create_case(partner_id=self.other_customer.id)
        counts = cases._get_customer_counts()
        # Other modules of the suite add their own counters next to this one.
        self.assertEqual(counts['customer_open_case_count'], {
            self.customer.id: 1, self.other_customer.id: 1,
        })
        self.assertTrue(all(isinstance(per_customer, dict) for per_customer in counts.values()))

    def test_open_cases_button_lists_the_customers_open_cases(self):
        case = self._create_case(partner_id=self.contact.id)
        other = self._create_case()
        self._close(self._create_case(user_id=self.agent.id))
        action = case.with_user(self.agent).action_view_customer_open_cases()
        self.assertEqual(action['res_model'], 'aftersales.case')
        self.assertEqual(action['context']['search_default_filter_open'], 1)
        found = self.env['aftersales.case'].with_user(self.agent).search(
            action['domain'] + [('is_closed', '=', False)]
        )
        self.assertEqual(found, case | other)

    # Access

    def test_agent_without_accounting_rights_opens_the_case_form(self):
        case = self._create_case(partner_id=self.contact.id)
        form = Form(case.with_user(self.agent))
        self.assertEqual(form.customer_user_id, self.salesman)
        self.assertEqual(form.customer_open_case_count, 1)
        self.assertNotIn('customer_credit', form._view['fields'])

    def test_agent_reads_the_forms_fields_without_access_error(self):
        form_fields = self._form_fields(self.agent)
        case = self._create_case(partner_id=self.contact.id).with_user(self.agent)
        values = case.web_read({name: {} for name in form_fields})[0]
        self.assertEqual(values['customer_payment_term_id'], self.payment_term.id)
        self.assertNotIn('customer_credit', values)
        self.assertNotIn('customer_credit_limit', values)

    @mute_logger('odoo.addons.base.models.ir_model')
    def test_agent_cannot_read_the_customers_credit(self):
        case = self._create_case().with_user(self.agent)
        with self.assertRaises(AccessError):
            case.read(['customer_credit'])
        with self.assertRaises(AccessError):
            case.read(['customer_credit_limit'])

    def test_accountant_agent_gets_the_credit_fields_in_the_form(self):
        form_fields = self._form_fields(self.accountant)
        self.assertIn('customer_credit', form_fields)
        self.assertIn('customer_credit_limit', form_fields)


@tagged('post_install', '-at_install')
class TestCustomerLookup(AftersalesCaseCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write({'ref': 'CUST-0042', 'phone': '+32 2 555 99 00'})
        cls.case_company = cls._create_case()
        cls.case_contact = cls._create_case(partner_id=cls.contact.id)
        cls.stranger = cls.env['res.partner'].create({
            'name': "Elsewhere Ltd", 'email': 'hello@elsewhere.example',
            'phone': '+44 20 7946 0000',
        })
        cls.case_stranger = cls._create_case(partner_id=cls.stranger.id)
        cls.lookup_action = cls.env.ref('aftersales_case.aftersales_case_action_lookup')

    def _customer_domain(self, term):
        """The domain the lookup's search view builds when ``term`` is typed as a customer."""
        arch = self.env['aftersales.case'].with_user(self.agent).get_view(
            self.lookup_action.search_view_id.id, 'search',
        )['arch']
        field = etree.fromstring(arch).xpath("//field[@name='partner_id']")[0]
        return safe_eval(field.get('filter_domain'), {'self': term})

    def _lookup(self, term):
        return self.env['aftersales.case'].with_user(self.agent).search(self._customer_domain(term))

    def test_lookup_by_company_name_finds_its_contacts_cases(self):
        self.assertEqual(self._lookup("customer co"), self.case_company | self.case_contact)

    def test_lookup_by_contact_name(self):
        self.assertEqual(self._lookup("Carla"), self.case_contact)

    def test_lookup_by_email(self):
        self.assertEqual(self._lookup("carla@customer.example"), self.case_contact)
        self.assertEqual(self._lookup("hello@elsewhere"), self.case_stranger)

    def test_lookup_by_part_of_a_phone_number(self):
        self.assertEqual(self._lookup("555 01 01"), self.case_contact)
        self.assertEqual(self._lookup("555 99 00"), self.case_company | self.case_contact)

    def test_lookup_by_customer_reference(self):
        self.assertEqual(self._lookup("CUST-0042"), self.case_company | self.case_contact)

    def test_lookup_finds_nothing_for_an_unknown_customer(self):
        self.assertFalse(self._lookup("Nobody Anywhere"))

    def test_lookup_action_groups_the_agents_cases_by_customer(self):
        action = self.env['ir.actions.act_window'].with_user(self.agent)._for_xml_id(
            'aftersales_case.aftersales_case_action_lookup'
        )
        context = safe_eval(action['context'])
        arch = self.env['aftersales.case'].with_user(self.agent).get_view(
            action['search_view_id'][0], 'search',
        )['arch']
        group_filter = etree.fromstring(arch).xpath("//filter[@name='groupby_partner']")[0]
        self.assertTrue(context['search_default_groupby_partner'])
        groupby = safe_eval(group_filter.get('context'))['group_by']
        result = self.env['aftersales.case'].with_user(self.agent).web_read_group(
            self._customer_domain("customer co"), [groupby], aggregates=['__count'],
        )
        self.assertEqual(
            [(group[groupby][0], group['__count']) for group in result['groups']],
            [(self.customer.id, 2)],
        )
