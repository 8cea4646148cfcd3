import re
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import AftersalesPortalCommon


@tagged('post_install', '-at_install')
class TestPortalCaseFields(AftersalesPortalCommon):
    """Per case type, the fields customers fill on the portal; nothing else."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.type_visit = cls.env['aftersales.case.type'].create({
            'name': "Service Visit", 'kind': 'work_order', 'portal_visible': True,
            'team_id': cls.portal_team.id,
            'field_ids': [
                Command.create({'field_name': 'date_deadline', 'portal_editable': True, 'required': True}),
                Command.create({'field_name': 'impact', 'portal_editable': True}),
                Command.create({'field_name': 'planned_start', 'portal_editable': True}),
                Command.create({'field_name': 'risk'}),
                Command.create({'field_name': 'product_ids', 'required': True}),
            ],
        })
        cls.tomorrow = fields.Date.today() + timedelta(days=1)
        # The product a customer may name: one of their confirmed orders'.
        order = cls.env['sale.order'].create({
            'partner_id': cls.customer_company.id,
            'order_line': [Command.create({'product_id': cls.product_order.id, 'product_uom_qty': 1})],
        })
        order.action_confirm()

    def _post(self, case_type, **data):
        self._login(self.portal_user)
        return self.url_open('/my/cases/new', data={
            'csrf_token': self._csrf(), 'type_id': case_type.id, 'subject': "Boiler service",
            'description': "Yearly service.", 'product_id': self.product_order.id, **data,
        })

    def _cases(self):
        return self.env['aftersales.case'].search([('subject', '=', "Boiler service")])

    def test_form_asks_the_types_portal_fields_only(self):
        self._login(self.portal_user)
        page = self.url_open(f'/my/cases/new?type_id={self.type_visit.id}').text
        for name in ('date_deadline', 'impact', 'planned_start'):
            self.assertIn(f'id="aftersales_case_{name}"', page)
        self.assertNotIn('id="aftersales_case_risk"', page, "Risk is shown to agents, not asked")
        page = self.url_open(f'/my/cases/new?type_id={self.type_visible.id}').text
        self.assertNotIn('id="aftersales_case_date_deadline"', page)

    def test_filled_fields_reach_the_case(self):
        self._post(self.type_visit, date_deadline=str(self.tomorrow), impact='high',
                   planned_start=f'{self.tomorrow}T09:30')
        case = self._cases()
        self.assertRecordValues(case, [{
            'type_id': self.type_visit.id, 'date_deadline': self.tomorrow, 'impact': 'high',
            'product_ids': self.product_order.ids,
        }])
        self.assertEqual(case.planned_start.date(), self.tomorrow)

    def test_fields_the_type_does_not_allow_are_not_written(self):
        self._post(self.type_visit, date_deadline=str(self.tomorrow), risk='high', cost='999')
        self._post(self.type_visible, date_deadline=str(self.tomorrow), impact='high')
        cases = self._cases()
        self.assertEqual(len(cases), 2)
        self.assertEqual(cases.mapped('risk'), [False, False])
        self.assertEqual(cases.mapped('cost'), [0.0, 0.0])
        question = cases.filtered(lambda case: case.type_id == self.type_visible)
        self.assertFalse(question.date_deadline)
        self.assertFalse(question.impact)

    def test_bad_values_are_refused_and_nothing_is_created(self):
        yesterday = fields.Date.today() - timedelta(days=1)
        for data, message in (
            ({}, "Fill in Deadline"),
            ({'date_deadline': 'next week'}, "as a date"),
            ({'date_deadline': str(yesterday)}, "cannot be in the past"),
            ({'date_deadline': str(self.tomorrow), 'impact': 'catastrophic'}, "from the list"),
            ({'date_deadline': str(self.tomorrow), 'planned_start': 'soon'}, "a date and a time"),
            ({'date_deadline': str(self.tomorrow), 'product_id': ''}, "Choose the product"),
        ):
            with self.subTest(data=data):
                response = self._post(self.type_visit, **data)
                errors = re.findall(r'alert-danger" role="alert">([^<]*)<', response.text)
                self.assertEqual(len(errors), 1, errors)
                self.assertIn(message, errors[0])
                self.assertFalse(self._cases())

    def test_only_fields_the_form_can_ask_are_filled_on_the_portal(self):
        with self.assertRaisesRegex(ValidationError, "cannot fill Cost"):
            self.type_visit.field_ids = [Command.create({'field_name': 'cost', 'portal_editable': True})]

    def test_a_portal_type_cannot_require_what_customers_cannot_fill(self):
        with self.assertRaisesRegex(ValidationError, "Root Cause"):
            self.type_visit.field_ids = [Command.create({'field_name': 'root_cause', 'required': True})]
        risk = self.type_visit.field_ids.filtered(lambda line: line.field_name == 'risk')
        with self.assertRaisesRegex(ValidationError, "Risk"):
            risk.required = True
        self.type_hidden.field_ids = [Command.create({'field_name': 'root_cause', 'required': True})]
        with self.assertRaisesRegex(ValidationError, "Root Cause"):
            self.type_hidden.portal_visible = True
