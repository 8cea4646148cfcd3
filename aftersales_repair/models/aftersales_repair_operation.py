from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class AftersalesRepairOperation(models.Model):
    """A service operation of a repair (reception, testing, replacing a
    component, sending to the supplier, leaving service...): a service
    product gives its unit, standard time and price; a technician carries it
    out through statuses, each change logged, and the log times it."""

    _name = 'aftersales.repair.operation'
    _inherit = ['aftersales.repair.charge']
    _description = "Repair Operation"
    _order = 'repair_id, sequence, id'

    repair_state = fields.Selection(related='repair_id.state', string="Repair Status")
    repair_product_id = fields.Many2one(
        related='repair_id.product_id', string="Product Repaired", store=True, index=True,
    )
    partner_id = fields.Many2one(related='repair_id.partner_id', string="Customer")
    product_id = fields.Many2one(string="Operation")
    standard_minutes = fields.Float(
        string="Standard Time (min)", digits=(16, 1), compute='_compute_from_product',
        store=True, readonly=False, precompute=True, help="Standard time of one unit, in minutes.",
    )
    technician_id = fields.Many2one(
        'res.users', index=True, default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    status_id = fields.Many2one(
        'aftersales.repair.status', index=True, ondelete='restrict',
        group_expand='_read_group_status_id', copy=False,
    )
    status_log_ids = fields.One2many(
        'aftersales.repair.status.log', 'operation_id', string="Status History", copy=False,
    )
    date_start = fields.Datetime(
        string="Started On", compute='_compute_timing', store=True,
        help="When the first status was set.",
    )
    date_end = fields.Datetime(
        string="Ended On", compute='_compute_timing', store=True,
        help="When a final status was set, while the operation stays at it.",
    )
    is_done = fields.Boolean(string="Finished", compute='_compute_timing', store=True, index=True)
    duration = fields.Float(
        string="Execution Time (min)", digits=(16, 1), compute='_compute_timing', store=True,
        aggregator='sum', help="Minutes from each start to the final status that ended it.",
    )
    standard_duration = fields.Float(
        string="Standard Total (min)", digits=(16, 1), compute='_compute_standard_duration',
        store=True, aggregator='sum',
    )
    duration_variance = fields.Float(
        string="Over Standard (min)", digits=(16, 1), compute='_compute_standard_duration',
        store=True, aggregator='sum',
        help="Execution time less standard time, once finished: above zero took longer.",
    )

    # Compute methods

    def _compute_from_product(self):  # pylint: disable=missing-return
        super()._compute_from_product()
        for operation in self:
            operation.standard_minutes = operation.product_id.aftersales_standard_minutes

    @api.depends('status_log_ids.date', 'status_log_ids.is_final')
    def _compute_timing(self):
        for operation in self:
            logs = operation.status_log_ids.sorted(lambda log: (log.date, log.id))
            started = end = None
            minutes = 0.0
            for log in logs:
                if log.is_final:
                    if started:
                        minutes += (log.date - started).total_seconds() / 60.0
                        started = None
                    # A final status set again while ended does not move the end.
                    end = end or log.date
                else:
                    started = started or log.date
                    end = None
            operation.date_start = logs[:1].date
            operation.date_end = end
            operation.is_done = bool(end)
            operation.duration = minutes

    @api.depends('standard_minutes', 'quantity', 'duration', 'is_done')
    def _compute_standard_duration(self):
        for operation in self:
            operation.standard_duration = operation.standard_minutes * operation.quantity
            operation.duration_variance = (
                operation.duration - operation.standard_duration if operation.is_done else 0.0
            )

    # Constraints

    @api.constrains('standard_minutes')
    def _check_standard_minutes(self):
        for operation in self:
            if operation.standard_minutes < 0:
                raise ValidationError(self.env._(
                    "Operation %(operation)s: a standard time cannot be negative.",
                    operation=operation.name,
                ))

    @api.model
    def _read_group_status_id(self, statuses, domain):
        """The workshop board shows every status, with operations or not."""
        return statuses.search([], order=statuses._order)

    # CRUD methods

    @api.model_create_multi
    def create(self, vals_list):
        operations = super().create(vals_list)
        operations.filtered('status_id')._log_status()
        return operations

    def write(self, vals):
        changed = self.browse()
        if 'status_id' in vals:
            changed = self.filtered(lambda op: op.status_id.id != vals['status_id'])
            changed._check_status_changeable()
        result = super().write(vals)
        changed.filtered('status_id')._log_status()
        return result

    # Actions

    def action_view_status_log(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id(
            'aftersales_repair.aftersales_repair_status_log_action',
        )
        action['domain'] = [('operation_id', '=', self.id)]
        action['display_name'] = self.env._("History of %(operation)s", operation=self.name)
        return action

    def action_view_manuals(self):
        return self._action_view_documents('manual', self.env._("Manuals"))

    def action_view_procedures(self):
        return self._action_view_documents('procedure', self.env._("Procedures"))

    def _action_view_documents(self, kind, title):
        """The product documents of that kind, of the product repaired and of the operation."""
        self.ensure_one()
        products = self.repair_product_id | self.product_id
        action = self.env['ir.actions.act_window']._for_xml_id(
            'aftersales_repair.product_document_action_service',
        )
        action['display_name'] = self.env._("%(title)s: %(products)s", title=title,
                                            products=", ".join(products.mapped('display_name')))
        action['domain'] = [('aftersales_kind', '=', kind), '|', '&',
                            ('res_model', '=', 'product.template'),
                            ('res_id', 'in', products.product_tmpl_id.ids), '&',
                            ('res_model', '=', 'product.product'), ('res_id', 'in', products.ids)]
        action['context'] = {'create': False}
        return action

    # Business methods

    def _check_status_changeable(self):
        cancelled = self.filtered(lambda op: op.repair_id.state == 'cancel')
        if cancelled:
            raise UserError(self.env._(
                "Repair %(repair)s is cancelled: its operations keep their status.",
                repair=cancelled[0].repair_id.name,
            ))

    def _log_status(self):
        self.env['aftersales.repair.status.log'].create([
            operation._prepare_status_log_vals() for operation in self
        ])

    def _prepare_status_log_vals(self):
        self.ensure_one()
        return {
            'operation_id': self.id,
            'status_id': self.status_id.id,
            'is_final': self.status_id.is_final,
        }
