from functools import cache

from odoo import fields, models
from odoo.exceptions import UserError

from .aftersales_case import PRIORITIES

TOP_PRIORITY = PRIORITIES[-1][0]


class AftersalesCase(models.Model):
    _inherit = 'aftersales.case'

    escalation_level = fields.Integer(
        readonly=True, copy=False, aggregator='max',
        help="How many times the case was escalated, by hand or for a missed service level.",
    )
    escalated_by_id = fields.Many2one('res.users', readonly=True, copy=False)
    date_escalated = fields.Datetime(
        string="Escalated On", readonly=True, copy=False,
        help="A service level deadline missed after this moment escalates the case again.",
    )
    escalation_reason = fields.Text(readonly=True, copy=False)
    date_sla_warned = fields.Datetime(
        string="Escalation Warning Sent On", readonly=True, copy=False,
        help="When the responsible was last told the case would soon be escalated.",
    )
    is_open_too_long = fields.Boolean(
        string="Open Too Long", readonly=True, copy=False,
        help="The case stayed open longer than its type allows.",
    )

    # Actions

    def action_open_escalate(self):
        self.ensure_one()
        self._check_escalable()
        return {
            'type': 'ir.actions.act_window',
            'name': self.env._("Escalate"),
            'res_model': 'aftersales.case.escalate',
            'view_mode': 'form',
            'target': 'new',
            'context': {'default_case_id': self.id},
        }

    def _action_escalate(self, reason):
        """Escalate the cases by hand, for ``reason``."""
        self._check_escalable()
        self.check_access('write')
        self._escalate(reason, fields.Datetime.now(), notify=True)

    def _check_escalable(self):
        closed = self.filtered('is_closed')
        if closed:
            raise UserError(self.env._(
                "Case %(cases)s is closed: reopen it before escalating it.",
                cases=", ".join(closed.mapped('display_name')),
            ))

    # Escalation

    def _escalate(self, reason, now, details=None, notify=False):
        """Raise the level and priority of the cases in ``self``, and call their team leader.

        :param reason: why, kept on the cases
        :param details: ``{case id: text}`` for the chatter instead of ``reason``
        :param notify: e-mail the leaders about their activity (not in bulk runs)
        """
        if not self:
            return
        details = details or {}
        for (level, priority), cases in self.grouped(lambda c: (c.escalation_level, c.priority)).items():
            cases._escalation_write(cases._prepare_escalation_vals(level, priority, reason, now))
        labels = dict(self._fields['priority']._description_selection(self.env))

        @cache  # cases of a batch mostly share one text: translate each once
        def body(level, priority, text):
            return self.env._(
                "Escalated to level %(level)s, priority %(priority)s: %(reason)s",
                level=level, priority=labels[priority], reason=text,
            )

        self._message_log_batch({
            case.id: body(case.escalation_level, case.priority, details.get(case.id, reason))
            for case in self
        })
        self._escalation_call_leaders(reason, notify)

    def _prepare_escalation_vals(self, level, priority, reason, now):
        return {
            'escalation_level': level + 1,
            'priority': str(min(int(priority or 0) + 1, int(TOP_PRIORITY))),
            'escalated_by_id': self.env.uid,
            'date_escalated': now,
            'escalation_reason': reason,
        }

    def _escalation_write(self, vals):
        """Write ``vals``; plan the deadlines again only where the priority changed the policy.

        The deadlines depend on the priority through the policy alone, and
        planning them reads the calendar: where the policy stays, they stay.
        """
        deadlines = [self._fields['sla_response_deadline'], self._fields['sla_resolution_deadline']]
        pending = {field: self.env.records_to_compute(field) for field in deadlines}
        policies = {case.id: case.sla_id for case in self}
        # The chatter message tells the new priority: no tracking message too.
        self.with_context(mail_notrack=True).write(vals)
        kept = self.filtered(lambda case: case.sla_id == policies[case.id])
        for field in deadlines:
            self.env.remove_to_compute(field, kept - pending[field])

    def _escalation_call_leaders(self, reason, notify):
        """Give each team leader (else the responsible) an activity on their escalated cases.

        Creating the activity makes its user follow the case.
        """
        activity_type = self.env.ref('aftersales_case.mail_activity_type_case_escalated')
        self._escalation_schedule(
            activity_type, lambda case: case.team_id.user_id or case.user_id,
            note=reason if notify else False,
        )

    def _escalation_schedule(self, activity_type, get_user, note=False):
        """One activity of ``activity_type`` per case, for ``get_user(case)`` if any.

        Without a note, the activity is a bulk one: its summary says it all and
        its user gets no e-mail (one per case would flood them).
        """
        today = fields.Date.context_today(self)
        vals_list = [
            case._prepare_escalation_activity_vals(activity_type, user, note, today)
            for case in self
            if (user := get_user(case))
        ]
        self.env['mail.activity'].with_context(mail_activity_quick_update=not note).create(vals_list)

    def _prepare_escalation_activity_vals(self, activity_type, user, note, date_deadline):
        self.ensure_one()
        return {
            'res_model_id': self.env['ir.model']._get_id(self._name),
            'res_id': self.id,
            'activity_type_id': activity_type.id,
            'summary': activity_type.summary,
            'note': note,
            'user_id': user.id,
            'date_deadline': date_deadline,
            'automated': True,
        }
