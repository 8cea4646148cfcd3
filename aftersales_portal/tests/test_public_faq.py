from odoo import Command
from odoo.tests import tagged

from .common import AftersalesPortalCommon


@tagged('post_install', '-at_install')
class TestPublicFaq(AftersalesPortalCommon):
    """The public FAQ /aftersales/faq: published answers only, searched in full text."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Visitors browse as the public user, in its company: the test company here.
        cls.env.ref('base.public_user').sudo().write({
            'company_ids': [Command.link(cls.env.company.id)], 'company_id': cls.env.company.id,
        })
        Solution = cls.env['aftersales.solution']
        cls.published = Solution.create({
            'name': "Quibbleflex hinge squeaks", 'problem': "The wardrobe door squeaks.",
            'solution': "<p>Oil the hinge.</p>", 'is_published': True,
        })
        cls.unpublished = Solution.create({
            'name': "Internal: Quibbleflex discount policy", 'solution': "<p>Secret.</p>",
        })
        cls.archived = Solution.create({
            'name': "Old Quibbleflex manual", 'is_published': True, 'active': False,
        })
        other_company = cls.env['res.company'].create({'name': "FAQ Other Company"})
        cls.foreign = Solution.create({
            'name': "Quibbleflex in another company", 'is_published': True, 'company_id': other_company.id,
        })

    def setUp(self):
        super().setUp()
        self.authenticate(None, None)

    def test_list_shows_only_published_answers(self):
        response = self.url_open('/aftersales/faq?search=quibbleflex')
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'href="/aftersales/faq/{self.published.id}"', response.text)
        self.assertNotIn("discount policy", response.text)
        self.assertNotIn("Old Quibbleflex manual", response.text)
        self.assertNotIn("another company", response.text)

    def test_search_finds_an_answer_by_a_word(self):
        found = self.url_open('/aftersales/faq?search=squeaking wardrobe').text
        self.assertIn("Quibbleflex hinge squeaks", found)
        missed = self.url_open('/aftersales/faq?search=zeppelin').text
        self.assertNotIn("Quibbleflex hinge squeaks", missed)
        self.assertIn("No answer matches your search.", missed)

    def test_answer_page_shows_a_published_answer(self):
        response = self.url_open(f'/aftersales/faq/{self.published.id}')
        self.assertEqual(response.status_code, 200)
        self.assertIn("<p>Oil the hinge.</p>", response.text)

    def test_unpublished_archived_and_foreign_answers_are_not_found(self):
        for solution in (self.unpublished, self.archived, self.foreign):
            with self.subTest(solution=solution.name):
                response = self.url_open(f'/aftersales/faq/{solution.id}')
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(solution.name, response.text)
        self.assertEqual(self.url_open('/aftersales/faq/999999999').status_code, 404)

    def test_list_queries_do_not_grow_with_the_answers(self):
        Solution = self.env['aftersales.solution']

        def create_answers(numbers):
            Solution.create([
                {'name': f"Zeb answer {n}", 'problem': "Zebulon", 'is_published': True} for n in numbers
            ])

        create_answers(range(10))
        few = self._count_queries('/aftersales/faq')
        few_searched = self._count_queries('/aftersales/faq?search=zebulon')
        create_answers(range(10, 50))
        self.assertEqual(self._count_queries('/aftersales/faq'), few)
        self.assertEqual(self._count_queries('/aftersales/faq?search=zebulon'), few_searched)
        with self.assertQueryCount(few):
            self.url_open('/aftersales/faq').raise_for_status()
