from odoo import Command, fields
from odoo.tests import Form, new_test_user

from .common import AftersalesRmaCommon


class AftersalesRmaCreateCommon(AftersalesRmaCommon):
    """Two teams and their agents, and the return wizard driven as its buttons open it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dozen = cls.env.ref('uom.product_uom_dozen')
        cls.reason_defective = cls.env['aftersales.rma.reason'].create({
            'name': "Broken on arrival", 'default_resolution': 'replace',
        })
        cls.agent_other = new_test_user(
            cls.env, login='rma_agent_other', company_id=cls.company.id,
            groups='aftersales_case.aftersales_group_user,base.group_user',
        )
        cls.team = cls.env['aftersales.team'].create({
            'name': "Returns Desk", 'member_ids': [Command.link(cls.agent.id)],
        })
        cls.team_other = cls.env['aftersales.team'].create({
            'name': "Other Desk", 'member_ids': [Command.link(cls.agent_other.id)],
        })

    # Helpers

    def _open_wizard(self, record, user=None):
        """The wizard as its button opens it, in a Form, as ``user``."""
        record = record.with_user(user) if user else record
        if record._name == 'aftersales.case':
            action = record.action_create_aftersales_rma()
        else:
            action = record.action_aftersales_return()
        return Form.from_action(record.env, action)

    def _proposed(self, form):
        """``[(product, lot, returnable)]`` of a wizard's lines, once saved (as the
        web client saves a wizard before its button runs)."""
        wizard = form.save()
        return [(line.product_id, line.lot_id, line.qty_returnable) for line in wizard.line_ids]

    def _set_quantities(self, form, quantities):
        """Fill the quantity to return of the lines, by ``{(product, lot): qty}``."""
        for index in range(len(form.line_ids)):
            with form.line_ids.edit(index) as line:
                line.product_uom_qty = quantities.get((line.product_id, line.lot_id), 0.0)

    def _confirm(self, form):
        wizard = form.save()
        action = wizard.action_create_rma()
        return self.env['aftersales.rma'].browse(action['res_id'])

    def _posted_invoice(self, lines, partner=None):
        """A customer invoice of ``[(product, qty)]`` made directly, posted."""
        invoice = self.env['account.move'].create({
            'move_type': 'out_invoice',
            'partner_id': (partner or self.customer).id,
            'invoice_date': fields.Date.today(),
            'invoice_line_ids': [
                Command.create({'product_id': product.id, 'quantity': qty, 'price_unit': product.lst_price})
                for product, qty in lines
            ],
        })
        invoice.action_post()
        return invoice

    def _create_case(self, team=None, **values):
        return self.env['aftersales.case'].create({
            'subject': "Returned goods",
            'partner_id': self.customer.id,
            'team_id': (team or self.team).id,
            **values,
        })
