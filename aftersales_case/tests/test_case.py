from datetime import datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import AftersalesCaseCommon


@tagged('post_install', '-at_install')
class TestCase(AftersalesCaseCommon):

    def test_reference_comes_from_the_sequence(self):
        first, second = self._create_case(), self._create_case()
        self.assertTrue(first.name.startswith('CASE/'))
        self.assertNotEqual(first.name, second.name)

    def test_new_case_starts_in_the_first_stage(self):
        case = self._create_case()
        self.assertEqual(case.stage_id, self.stage_new)
        self.assertFalse(case.is_closed)

    def test_email_phone_and_reporter_come_from_the_contact(self):
        case = self._create_case(contact_id=self.contact.id)
        self.assertEqual(case.email, 'carla@customer.example')
        self.assertEqual(case.phone, '+32 2 555 01 01')
        self.assertEqual(case.reporter_id, self.contact)
        self.assertEqual(case.commercial_partner_id, self.customer)

    def test_prospect_without_customer_rank_is_allowed(self):
        prospect = self.env['res.partner'].create({'name': "Walk-in End User"})
        case = self._create_case(partner_id=prospect.id)
        self.assertEqual(case.partner_id, prospect)

    def test_supplier_and_category_default_from_the_product(self):
        vendor = self.env['res.partner'].create({'name': "Vendor Ltd"})
        category = self.env['product.category'].create({'name': "Printers"})
        product = self.env['product.product'].create({
            'name': "Printer", 'categ_id': category.id,
            'seller_ids': [Command.create({'partner_id': vendor.id, 'price': 10})],
        })
        case = self._create_case(product_ids=[product.id])
        self.assertEqual(case.supplier_id, vendor)
        self.assertEqual(case.product_categ_id, category)

    def test_responsible_is_required_past_the_first_stage(self):
        case = self._create_case()
        with self.assertRaisesText(ValidationError, "needs a responsible"):
            case.stage_id = self.stage_progress
        case.write({'user_id': self.agent.id, 'stage_id': self.stage_progress.id})
        self.assertEqual(case.stage_id, self.stage_progress)

    def test_stage_of_another_team_is_refused(self):
        private_stage = self.env['aftersales.case.stage'].create({
            'name': "Waiting for Parts", 'sequence': 15, 'team_ids': [self.team_other.id],
        })
        case = self._create_case(user_id=self.agent.id)
        with self.assertRaisesText(ValidationError, "does not belong to team"):
            case.stage_id = private_stage

    @freeze_time('2026-03-02 09:00:00')
    def test_closing_sets_the_date_and_the_lead_time(self):
        case = self._create_case(user_id=self.agent.id, date_reported=datetime(2026, 3, 1, 9))
        case.stage_id = self.stage_solved
        self.assertTrue(case.is_closed)
        self.assertEqual(case.date_closed, datetime(2026, 3, 2, 9))
        self.assertEqual(case.lead_time, 24.0)

    def test_closed_case_is_read_only_until_reopened(self):
        case = self._create_case(user_id=self.agent.id)
        case.stage_id = self.stage_solved
        with self.assertRaisesText(UserError, "is closed: reopen it"):
            case.subject = "Changed after closing"
        case.action_reopen()
        self.assertEqual(case.stage_id, self.stage_new)
        self.assertFalse(case.date_closed)
        case.subject = "Changed after reopening"
        self.assertEqual(case.subject, "Changed after reopening")

    def test_closed_case_cannot_be_deleted(self):
        case = self._create_case(user_id=self.agent.id)
        case.stage_id = self.stage_solved
        with self.assertRaisesText(UserError, "archive them instead"):
            case.unlink()

    def test_type_hides_and_requires_its_fields(self):
        case_type = self.env['aftersales.case.type'].create({
            'name': "Site Inspection",
            'field_ids': [
                Command.create({'field_name': 'risk', 'required': True}),
                Command.create({'field_name': 'impact'}),
            ],
        })
        with self.assertRaisesText(ValidationError, "needs: Risk"):
            self._create_case(type_id=case_type.id)
        case = self._create_case(type_id=case_type.id, risk='high')
        self.assertIn(' supplier_id ', case.hidden_field_names)
        self.assertNotIn(' impact ', case.hidden_field_names)
        self.assertEqual(case.required_field_names, ' risk ')

    def test_type_without_field_lines_shows_every_optional_field(self):
        case_type = self.env['aftersales.case.type'].create({'name': "Anything"})
        case = self._create_case(type_id=case_type.id)
        self.assertEqual(case.hidden_field_names.strip(), '')

    def test_type_stage_set_restricts_the_stages(self):
        case_type = self.env['aftersales.case.type'].create({
            'name': "Quick Question",
            'stage_ids': [self.stage_progress.id, self.stage_solved.id],
        })
        case = self._create_case(type_id=case_type.id, user_id=self.agent.id)
        self.assertEqual(case.stage_id, self.stage_progress)

    def test_blank_subject_is_refused(self):
        with self.assertRaisesText(ValidationError, "needs a subject"):
            self._create_case(subject="   ")

    def test_subject_over_the_limit_is_refused_on_create(self):
        Case = self.env['aftersales.case'].with_user(self.agent)
        values = {'partner_id': self.customer.id, 'team_id': self.team.id}
        self.assertEqual(len(Case.create({**values, 'subject': "S" * 250}).subject), 250)
        with self.assertRaisesText(ValidationError, "holds at most 250 characters; this one has 100000"):
            Case.create({**values, 'subject': "S" * 100000})

    def test_subject_over_the_limit_is_refused_on_write(self):
        case = self._create_case().with_user(self.agent)
        with self.assertRaisesText(ValidationError, "holds at most 250 characters; this one has 251"):
            case.write({'subject': "S" * 251})
        self.assertEqual(case.subject, "The printer jams")

    @mute_logger('odoo.sql_db')
    def test_negative_cost_and_reversed_planning_are_refused(self):
        with self.assertRaises(IntegrityError):
            self._create_case(cost=-5)
        with self.assertRaises(IntegrityError):
            self._create_case(
                planned_start=datetime(2026, 3, 2), planned_end=datetime(2026, 3, 1),
            )

    @mute_logger('odoo.sql_db')
    def test_partner_with_cases_cannot_be_deleted(self):
        self._create_case(partner_id=self.contact.id)
        with self.assertRaises(IntegrityError):
            self.contact.unlink()

    def test_partner_button_counts_the_company_and_its_contacts(self):
        self._create_case()
        self._create_case(partner_id=self.contact.id)
        self.assertEqual(self.customer.aftersales_case_count, 2)
        action = self.customer.action_view_aftersales_cases()
        self.assertEqual(self.env['aftersales.case'].search_count(action['domain']), 2)

    def test_stage_change_is_tracked_in_the_chatter(self):
        case = self._create_case(user_id=self.agent.id).with_context(
            tracking_disable=False, mail_notrack=False,
        )
        # Drop what the set-up queued with tracking disabled.
        self.env.cr.precommit.clear()
        case.stage_id = self.stage_progress
        self.env.cr.precommit.run()  # tracking is written just before commit
        tracked = case.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == 'stage_id'
        )
        self.assertEqual(tracked.new_value_char, self.stage_progress.name)
