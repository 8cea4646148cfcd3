from collections import defaultdict

from odoo import Command
from odoo.addons.aftersales_rma.tests.common import AftersalesRmaAccessCommon
from odoo.tests import new_test_user


class AftersalesRepairCommon(AftersalesRmaAccessCommon):
    """Returns to repair, a technician of the returns desk and a repair manager."""

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.quick_ref(
            'aftersales_repair.aftersales_repair_group_manager'
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.aftersales_repair_auto_create = False
        cls.technician = new_test_user(
            cls.env, login='repair_technician', company_id=cls.company.id,
            groups='aftersales_repair.aftersales_repair_group_technician,stock.group_production_lot',
        )
        cls.repair_manager = new_test_user(
            cls.env, login='repair_manager', company_id=cls.company.id,
            groups='aftersales_repair.aftersales_repair_group_manager,stock.group_production_lot',
        )
        cls.team.member_ids = [Command.link(cls.technician.id)]

    def _received_repair_rma(self, lines, serials=None):
        """A return for repair of a delivered order of ``[(product, qty, lot)]``,
        approved and received."""
        ordered = defaultdict(float)
        for product, qty, _lot in lines:
            ordered[product] += qty
        order = self._deliver_order(list(ordered.items()), serials=serials)
        rma = self._create_rma(
            order, [(product, qty, 'repair', lot) for product, qty, lot in lines],
            team_id=self.team.id,
        )
        rma.action_approve()
        self._receive(rma)
        return rma

    def _repair(self, repair):
        """Confirm, start and end ``repair`` as the technician."""
        repair = repair.with_user(self.technician)
        repair.action_validate()
        repair.action_repair_start()
        repair.action_repair_end()
        self.assertEqual(repair.state, 'done')

    def _validate_delivery(self, rma):
        """Validate the return's open deliveries as the warehouse does."""
        deliveries = rma.picking_ids.filtered(
            lambda p: p.picking_type_code == 'outgoing' and p.state not in ('done', 'cancel')
        )
        for move in deliveries.move_ids:
            if move.product_id.tracking == 'serial':
                move.lot_ids = move.aftersales_rma_line_id.lot_id or move.lot_ids
            else:
                move.quantity = move.product_uom_qty
        deliveries.move_ids.picked = True
        deliveries.with_user(self.warehouse_user).button_validate()
        return deliveries
