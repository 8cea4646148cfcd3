"""The record forms added for repairs, warranty and complaints open in a real
browser for the least-privileged group that uses them, and for a manager.

The click-everywhere test opens menus, views and filters but no record:
a form whose buttons, smart buttons or fields fail for a group only shows
when a record is opened, which this test does.
"""

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

# Opens the record's form, waits for it, then fails on an error dialog; a
# console error or an uncaught exception fails the test by itself.
FORM_CHECK = """
(async () => {
    const env = odoo.__WOWL_DEBUG__.root.env;
    await env.services.action.doAction({
        type: "ir.actions.act_window",
        res_model: "%(model)s",
        res_id: %(res_id)s,
        views: [[false, "form"]],
    });
    for (let wait = 0; !document.querySelector(".o_form_view .o_form_sheet") && wait < 200; wait++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (!document.querySelector(".o_form_view .o_form_sheet")) {
        throw new Error("The form of %(model)s did not open");
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    if (document.querySelector(".o_error_dialog, .o_dialog .modal-body .o_error_detail")) {
        throw new Error("The form of %(model)s shows an error");
    }
    console.log("test successful");
})();
"""


@tagged('post_install', '-at_install')
class TestFormsInBrowser(HttpCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env['res.partner'].create({'name': "Forms Customer", 'email': 'forms@example.com'})
        cls.users = {
            name: new_test_user(cls.env, login=f'forms_{name}', groups=groups)
            for name, groups in {
                'complaint_agent': 'aftersales_complaint.aftersales_complaint_group_user',
                'complaint_manager': 'aftersales_complaint.aftersales_complaint_group_manager',
                'warranty_user': 'aftersales_warranty.aftersales_warranty_group_user',
                'warranty_manager': 'aftersales_warranty.aftersales_warranty_group_manager',
                'technician': 'aftersales_repair.aftersales_repair_group_technician',
                'repair_manager': 'aftersales_repair.aftersales_repair_group_manager',
            }.items()
        }

    def _open_form(self, record, *logins):
        for login in logins:
            with self.subTest(model=record._name, login=login):
                self.browser_js(
                    '/odoo', FORM_CHECK % {'model': record._name, 'res_id': record.id},
                    ready='odoo.isReady', login=login, timeout=120,
                )

    def test_complaint_form(self):
        complaint = self.env['aftersales.complaint'].create({
            'title': "The desk came late", 'partner_id': self.customer.id,
            'description': "<p>Two weeks late.</p>", 'user_id': self.users['complaint_agent'].id,
        })
        complaint.action_register()
        self._open_form(complaint, 'forms_complaint_agent', 'forms_complaint_manager')

    def test_contract_and_maintenance_forms(self):
        product = self.env['product.product'].create({'name': "Forms Contract Fee", 'type': 'service'})
        contract = self.env['aftersales.warranty.contract'].create({
            'partner_id': self.customer.id, 'product_id': product.id, 'fee': 30.0,
            'date_end': fields.Date.add(fields.Date.today(), years=1),
        })
        contract.action_confirm()
        equipment_type = self.env['aftersales.warranty.equipment.type'].create({'name': "Forms Till"})
        maintenance = self.env['aftersales.warranty.maintenance'].create({
            'name': "Forms yearly service", 'equipment_type_id': equipment_type.id,
            'date_next': fields.Date.add(fields.Date.today(), months=1),
        })
        self._open_form(contract, 'forms_warranty_user', 'forms_warranty_manager')
        self._open_form(maintenance, 'forms_warranty_user', 'forms_warranty_manager')

    def test_serial_form_with_its_history_button(self):
        product = self.env['product.product'].create({
            'name': "Forms Register", 'is_storable': True, 'tracking': 'serial',
        })
        lot = self.env['stock.lot'].create({'name': "FORMS-0001", 'product_id': product.id})
        self._open_form(lot, 'forms_technician', 'forms_repair_manager')
