from contextlib import contextmanager

from odoo.addons.base.tests.common import BaseCommon
from odoo.tests import new_test_user


class AftersalesAssertions:
    """Assertions shared by the suite's tests."""

    @contextmanager
    def assertRaisesText(self, exception, text):
        """``assertRaises`` (which rolls the failed write back) and the message."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertIn(text, str(caught.exception))


class AftersalesCaseCommon(AftersalesAssertions, BaseCommon):
    """Two teams with an agent each, the other access levels, customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.group_agent = cls.env.ref('aftersales_case.aftersales_group_user')
        cls.group_all = cls.env.ref('aftersales_case.aftersales_group_user_all')
        cls.group_manager = cls.env.ref('aftersales_case.aftersales_group_manager')
        cls.agent = new_test_user(
            cls.env, login='as_agent', name="Agnes Agent",
            groups='aftersales_case.aftersales_group_user',
        )
        cls.agent_other = new_test_user(
            cls.env, login='as_agent_other', name="Otto Other",
            groups='aftersales_case.aftersales_group_user',
        )
        cls.agent_all = new_test_user(
            cls.env, login='as_agent_all', name="Alma All",
            groups='aftersales_case.aftersales_group_user_all',
        )
        cls.manager = new_test_user(
            cls.env, login='as_manager', name="Max Manager",
            groups='aftersales_case.aftersales_group_manager',
        )
        cls.internal_user = new_test_user(cls.env, login='as_internal', name="Ivo Internal")
        cls.team = cls.env['aftersales.team'].create({
            'name': "Desk",
            'member_ids': [cls.agent.id],
        })
        cls.team_other = cls.env['aftersales.team'].create({
            'name': "Other Desk",
            'member_ids': [cls.agent_other.id],
        })
        cls.customer = cls.env['res.partner'].create({
            'name': "Customer Co", 'is_company': True, 'email': 'info@customer.example',
        })
        cls.contact = cls.env['res.partner'].create({
            'name': "Carla Contact", 'parent_id': cls.customer.id,
            'email': 'carla@customer.example', 'phone': '+32 2 555 01 01',
        })
        cls.stage_new = cls.env.ref('aftersales_case.stage_new')
        cls.stage_progress = cls.env.ref('aftersales_case.stage_in_progress')
        cls.stage_on_hold = cls.env.ref('aftersales_case.stage_on_hold')
        cls.stage_solved = cls.env.ref('aftersales_case.stage_solved')
        cls.type_question = cls.env.ref('aftersales_case.type_question')

    @classmethod
    def _create_case(cls, **values):
        return cls.env['aftersales.case'].create({
            'subject': "The printer jams",
            'partner_id': cls.customer.id,
            'team_id': cls.team.id,
            **values,
        })
