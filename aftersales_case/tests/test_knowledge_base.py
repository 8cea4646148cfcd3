from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .common import AftersalesCaseCommon


class KnowledgeBaseCommon(AftersalesCaseCommon):
    """Products in a small category tree, and a helper to write answers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Searches must find the test's own answers only, whatever demo data holds.
        cls.env['aftersales.solution'].search([]).action_archive()
        Category = cls.env['product.category']
        cls.categ_furniture = Category.create({'name': "Furniture"})
        cls.categ_chairs = Category.create({'name': "Chairs", 'parent_id': cls.categ_furniture.id})
        cls.categ_lighting = Category.create({'name': "Lighting"})
        Product = cls.env['product.product']
        cls.chair = Product.create({'name': "Swivel Chair", 'categ_id': cls.categ_chairs.id})
        cls.desk = Product.create({'name': "Standing Desk", 'categ_id': cls.categ_furniture.id})
        cls.lamp = Product.create({'name': "Desk Lamp", 'categ_id': cls.categ_lighting.id})
        cls.Solution = cls.env['aftersales.solution']

    @classmethod
    def _create_solution(cls, name, **values):
        return cls.env['aftersales.solution'].create({'name': name, **values})

    def _text_search(self, text, model=None):
        return (self.Solution if model is None else model).search([('search_text', 'ilike', text)])


@tagged('post_install', '-at_install')
class TestKnowledgeBaseSearch(KnowledgeBaseCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.paper_jam = cls._create_solution(
            "Paper feed problems",
            problem="The printer jams after each page.",
            solution="<p>Open the rear <strong>tray</strong> and remove the torn sheet.</p>",
        )
        cls.toner = cls._create_solution(
            "Faded prints",
            problem="Prints come out pale on the left side.",
            solution="<p>Shake the toner cartridge, then run a cleaning cycle.</p>",
        )

    def test_multi_word_query_matches_words_in_any_order(self):
        self.assertEqual(self._text_search("jam printer"), self.paper_jam)
        self.assertEqual(self._text_search("printer jams"), self.paper_jam)
        self.assertFalse(self._text_search("printer toner"), "every word must match")

    def test_query_matches_other_forms_of_a_word(self):
        # The 'english' configuration stems: "jamming printers" finds "printer jams".
        self.assertEqual(self._text_search("jamming printers"), self.paper_jam)

    def test_query_searches_title_problem_and_answer(self):
        self.assertEqual(self._text_search("feed"), self.paper_jam)
        self.assertEqual(self._text_search("pale"), self.toner)
        self.assertEqual(self._text_search("cartridge"), self.toner)

    def test_html_tags_and_attributes_are_not_words(self):
        solution = self._create_solution(
            "Reset the router",
            solution='<p class="lead">Hold <strong>reset</strong> for ten seconds, see '
                     '<a href="https://example.com/manual">the manual</a>.</p>',
        )
        self.assertEqual(self._text_search("reset seconds"), solution)
        self.assertEqual(self._text_search("manual"), solution)
        for tag_word in ("strong", "href", "lead", "example"):
            self.assertFalse(self._text_search(tag_word), f"{tag_word!r} is markup, not text")

    def test_web_search_syntax_phrases_and_exclusions(self):
        self.assertEqual(self._text_search('"printer jams"'), self.paper_jam)
        self.assertFalse(self._text_search('"jams printer"'))
        self.assertEqual(self._text_search("prints -toner"), self.Solution.browse())
        self.assertEqual(self._text_search("tray or toner"), self.paper_jam | self.toner)

    def test_negated_text_search_excludes_matches(self):
        found = self.Solution.search([
            ('search_text', 'not ilike', 'printer'),
            ('id', 'in', (self.paper_jam | self.toner).ids),
        ])
        self.assertEqual(found, self.toner)

    def test_empty_query_restricts_nothing(self):
        self.assertEqual(
            self.Solution.search([('search_text', 'ilike', ' '), ('id', 'in', self.toner.ids)]),
            self.toner,
        )

    def test_ranking_puts_title_before_problem_before_answer(self):
        in_answer = self._create_solution("Slow network", solution="<p>Restart the modem.</p>")
        in_title = self._create_solution("Modem keeps rebooting")
        in_problem = self._create_solution("No connection", problem="The modem lights blink red.")
        ranked = self.Solution._search_ranked("modem")
        self.assertEqual(ranked, in_title | in_problem | in_answer)
        self.assertEqual(list(ranked), [in_title, in_problem, in_answer])
        self.assertEqual(self.Solution._search_ranked("modem", limit=1), in_title)
        self.assertEqual(
            self.Solution._search_ranked("modem", domain=[('id', '!=', in_title.id)]),
            in_problem | in_answer,
        )

    def test_text_search_uses_the_full_text_index(self):
        query = self.Solution._search([('search_text', 'ilike', 'printer jams')])
        self.env.cr.execute("SET enable_seqscan = off")
        self.addCleanup(self.env.cr.execute, "RESET enable_seqscan")
        self.env.cr.execute(SQL("EXPLAIN %s", query.select()))
        plan = "\n".join(line for line, in self.env.cr.fetchall())
        self.assertIn("aftersales_solution__search_text_index", plan)

    def test_answer_is_sanitized(self):
        solution = self._create_solution(
            "Scripted", solution='<p onclick="steal()">Fine</p><script>alert(1)</script>',
        )
        self.assertNotIn("script", solution.solution)
        self.assertNotIn("onclick", solution.solution)
        self.assertIn("Fine", solution.solution)

    def _flush_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking values are written before the commit

    def test_published_flag_is_off_by_default_and_tracked(self):
        self.assertFalse(self.paper_jam.is_published)
        # Records created in this transaction are not tracked until its commit.
        self._flush_tracking()
        self.paper_jam.with_context(tracking_disable=False, mail_notrack=False).is_published = True
        self._flush_tracking()
        self.assertIn(self.paper_jam, self.Solution.search([('is_published', '=', True)]))
        self.paper_jam.invalidate_recordset(['message_ids'])
        tracked = self.paper_jam.message_ids.tracking_value_ids.field_id.mapped('name')
        self.assertEqual(tracked, ['is_published'])

    def test_answer_change_is_logged_with_the_previous_version(self):
        self.paper_jam.solution = "<p>Call the technician.</p>"
        log = self.paper_jam.message_ids[:1]
        self.assertIn("The answer was updated", log.body)
        self.assertIn("torn sheet", log.body)


@tagged('post_install', '-at_install')
class TestKnowledgeBaseSuggestions(KnowledgeBaseCommon):

    def test_case_suggests_answers_for_its_products(self):
        for_chair = self._create_solution("Chair wobbles", product_ids=self.chair.ids)
        self._create_solution("Lamp flickers", product_ids=self.lamp.ids)
        case = self._create_case(product_ids=self.chair.ids)
        self.assertEqual(case.suggested_solution_ids, for_chair)

    def test_case_suggests_answers_for_its_category_and_parent_categories(self):
        furniture = self._create_solution("Missing screws", categ_ids=self.categ_furniture.ids)
        chairs = self._create_solution("Seat height", categ_ids=self.categ_chairs.ids)
        self._create_solution("Bulb type", categ_ids=self.categ_lighting.ids)
        chair_case = self._create_case(product_ids=self.chair.ids)
        self.assertEqual(chair_case.suggested_solution_ids, furniture | chairs)
        desk_case = self._create_case(product_ids=self.desk.ids)
        self.assertEqual(
            desk_case.suggested_solution_ids, furniture, "a subcategory's answer is too specific",
        )
        # A case without products but with a category.
        categ_case = self._create_case(product_categ_id=self.categ_chairs.id)
        self.assertEqual(categ_case.suggested_solution_ids, furniture | chairs)

    def test_case_without_products_gets_no_suggestion(self):
        self._create_solution("Missing screws", categ_ids=self.categ_furniture.ids)
        self.assertFalse(self._create_case().suggested_solution_ids)

    def test_suggestions_are_limited_and_most_used_first(self):
        solutions = self.Solution.browse()
        for uses in (3, 0, 9, 1, 7, 5, 2):
            solutions |= self._create_solution(
                f"Used {uses} times", product_ids=self.chair.ids, use_count=uses,
            )
        case = self._create_case(product_ids=self.chair.ids)
        self.assertEqual(case.suggested_solution_ids.mapped('use_count'), [9, 7, 5, 3, 2])

    def test_suggestions_skip_archived_and_unreadable_answers(self):
        other_company = self.env['res.company'].create({'name': "Other Company"})
        shared = self._create_solution("Shared", product_ids=self.chair.ids, company_id=False)
        self._create_solution("Archived", product_ids=self.chair.ids, active=False)
        self._create_solution("Elsewhere", product_ids=self.chair.ids, company_id=other_company.id)
        case = self._create_case(product_ids=self.chair.ids)
        self.assertEqual(case.with_user(self.agent).suggested_solution_ids, shared)

    def test_suggestions_stay_in_the_case_company(self):
        other_company = self.env['res.company'].create({'name': "Other Company"})
        shared = self._create_solution("Shared", product_ids=self.chair.ids, company_id=False)
        elsewhere = self._create_solution(
            "Elsewhere", product_ids=self.chair.ids, company_id=other_company.id,
        )
        case = self._create_case(product_ids=self.chair.ids)
        companies = self.env.company | other_company
        self.manager.company_ids = companies
        # The manager reads both companies' answers, the case is in one.
        manager_env = self.env(user=self.manager, context={'allowed_company_ids': companies.ids})
        self.assertIn(elsewhere, manager_env['aftersales.solution'].search([]))
        self.assertEqual(case.with_env(manager_env).suggested_solution_ids, shared)

    def test_suggestions_appear_on_a_new_case_before_saving(self):
        for_chair = self._create_solution("Chair wobbles", product_ids=self.chair.ids)
        with Form(self.env['aftersales.case'].with_user(self.agent)) as case_form:
            case_form.subject = "Wobbly chair"
            case_form.partner_id = self.customer
            case_form.product_ids.add(self.chair)
            self.assertEqual(case_form.suggested_solution_ids.ids, for_chair.ids)

    def test_suggestion_queries_do_not_grow_with_the_number_of_cases(self):
        for product in (self.chair, self.desk, self.lamp):
            self._create_solution(f"About {product.name}", product_ids=product.ids)
        self._create_solution("Missing screws", categ_ids=self.categ_furniture.ids)
        products = [self.chair, self.desk, self.lamp]
        cases = self.env['aftersales.case'].browse([
            self._create_case(product_ids=products[index % 3].ids).id for index in range(20)
        ])

        def queries_to_suggest(records):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            records.mapped('suggested_solution_ids')
            return self.env.cr.sql_log_count - before

        queries_to_suggest(cases.with_user(self.agent))  # warm the record rule caches
        one = queries_to_suggest(cases[:1].with_user(self.agent))
        twenty = queries_to_suggest(cases.with_user(self.agent))
        self.assertEqual(one, twenty)
        self.assertLessEqual(twenty, 8)


@tagged('post_install', '-at_install')
class TestKnowledgeBaseUse(KnowledgeBaseCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.solution = cls._create_solution(
            "Chair sinks", product_ids=cls.chair.ids,
            solution="<p>We send you a new <strong>gas cylinder</strong>.</p>",
        )
        cls.case = cls._create_case(product_ids=cls.chair.ids, contact_id=cls.contact.id)

    def _use(self, solution, case):
        return solution.with_context(aftersales_case_id=case.id).action_use_on_case()

    def test_use_opens_the_composer_on_the_case_with_the_answer(self):
        action = self._use(self.solution.with_user(self.agent), self.case)
        self.assertEqual(action['res_model'], 'mail.compose.message')
        context = action['context']
        self.assertEqual(context['default_model'], 'aftersales.case')
        self.assertEqual(context['default_res_ids'], self.case.ids)
        self.assertEqual(context['default_composition_mode'], 'comment')
        self.assertEqual(context['default_body'], self.solution.solution)
        self.assertEqual(context['default_partner_ids'], self.contact.ids)

    def test_use_counts_the_use(self):
        write_date = self.solution.write_date
        self._use(self.solution.with_user(self.agent), self.case)
        self._use(self.solution.with_user(self.agent), self.case)
        self.solution.invalidate_recordset()
        self.assertEqual(self.solution.use_count, 2)
        self.assertEqual(self.solution.write_date, write_date, "using an answer is no edit of it")

    def test_sending_the_composer_replies_to_the_customer(self):
        action = self._use(self.solution.with_user(self.agent), self.case)
        composer = Form(
            self.env['mail.compose.message'].with_user(self.agent).with_context(**action['context'])
        )
        self.assertIn("gas cylinder", composer.body)
        composer.save().action_send_mail()
        message = self.case.message_ids.filtered(lambda m: m.message_type == 'comment')[:1]
        self.assertIn("gas cylinder", message.body)
        self.assertIn(self.contact, message.partner_ids)
        self.assertEqual(message.author_id, self.agent.partner_id)

    def test_use_needs_a_case(self):
        with self.assertRaisesText(UserError, "from a case"):
            self.solution.with_user(self.agent).action_use_on_case()
        with self.assertRaisesText(UserError, "from a case"):
            self.solution.with_context(aftersales_case_id="1").action_use_on_case()

    @mute_logger('odoo.addons.base.models.ir_rule')
    def test_use_on_a_case_the_agent_cannot_read_is_refused(self):
        foreign_case = self._create_case(team_id=self.team_other.id)
        with self.assertRaises(AccessError):
            self._use(self.solution.with_user(self.agent), foreign_case)
        self.assertEqual(self.solution.use_count, 0)

    def test_case_form_shows_suggestions_and_the_knowledge_base_button(self):
        views = self.env['aftersales.case'].with_user(self.agent).get_views([(False, 'form')])
        arch = views['views']['form']['arch']
        self.assertIn('name="suggested_solution_ids"', arch)
        self.assertIn('name="action_open_knowledge_base"', arch)

    def test_case_opens_the_knowledge_base_for_itself(self):
        action = self.case.with_user(self.agent).action_open_knowledge_base()
        self.assertEqual(action['res_model'], 'aftersales.solution')
        self.assertEqual(action['context']['aftersales_case_id'], self.case.id)


@tagged('post_install', '-at_install')
class TestKnowledgeBaseAccess(KnowledgeBaseCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.solution = cls._create_solution("Chair sinks", product_ids=cls.chair.ids)

    @mute_logger('odoo.addons.base.models.ir_model')
    def test_plain_internal_user_cannot_read_solutions(self):
        with self.assertRaises(AccessError):
            self.Solution.with_user(self.internal_user).search([])
        with self.assertRaises(AccessError):
            self.solution.with_user(self.internal_user).read(['name'])

    def test_user_without_knowledge_base_access_gets_no_suggestion(self):
        case = self._create_case(product_ids=self.chair.ids)
        self.assertFalse(case.with_user(self.internal_user).suggested_solution_ids)

    def test_knowledge_base_menu_is_for_agents(self):
        menu = self.env.ref('aftersales_case.aftersales_solution_menu_faq')
        Menu = self.env['ir.ui.menu']
        self.assertIn(menu.id, Menu.with_user(self.agent)._visible_menu_ids())
        self.assertNotIn(menu.id, Menu.with_user(self.internal_user)._visible_menu_ids())

    def test_agent_creates_and_edits_solutions(self):
        solution = self.Solution.with_user(self.agent).create({
            'name': "Lamp flickers", 'product_ids': self.lamp.ids,
            'solution': "<p>Tighten the bulb.</p>",
        })
        solution.is_published = True
        self.assertTrue(solution.is_published)
        self.assertEqual(solution.company_id, self.env.company)

    @mute_logger('odoo.addons.base.models.ir_model')
    def test_only_managers_delete_solutions(self):
        with self.assertRaises(AccessError):
            self.solution.with_user(self.agent).unlink()
        self.solution.with_user(self.manager).unlink()
        self.assertFalse(self.solution.exists())

    @mute_logger('odoo.addons.base.models.ir_rule')
    def test_company_rule_hides_other_companies_solutions(self):
        other_company = self.env['res.company'].create({'name': "Other Company"})
        foreign = self._create_solution("Elsewhere", company_id=other_company.id)
        shared = self._create_solution("Everywhere", company_id=False)
        visible = self.Solution.with_user(self.agent).search([])
        self.assertIn(shared, visible)
        self.assertIn(self.solution, visible)
        self.assertNotIn(foreign, visible)
        with self.assertRaises(AccessError):
            foreign.with_user(self.agent).read(['name'])
        # Allowed in the user's companies but not active: still hidden.
        agent = new_test_user(
            self.env, login='as_kb_two_companies', groups='aftersales_case.aftersales_group_user',
            company_ids=[Command.set((self.env.company | other_company).ids)],
        )
        scoped = self.Solution.with_user(agent).with_context(
            allowed_company_ids=[self.env.company.id],
        )
        self.assertNotIn(foreign, scoped.search([]))
        self.assertIn(foreign, scoped.with_context(
            allowed_company_ids=[self.env.company.id, other_company.id],
        ).search([]))

    @mute_logger('odoo.addons.base.models.ir_rule')
    def test_text_search_applies_the_company_rule(self):
        other_company = self.env['res.company'].create({'name': "Other Company"})
        foreign = self._create_solution("Chair sinks abroad", company_id=other_company.id)
        found = self._text_search("chair sinks", self.Solution.with_user(self.agent))
        self.assertEqual(found, self.solution)
        self.assertNotIn(foreign, self.Solution.with_user(self.agent)._search_ranked("chair sinks"))
