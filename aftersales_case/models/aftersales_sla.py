import bisect
from datetime import timedelta, timezone

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .aftersales_case import PRIORITIES


class AftersalesSla(models.Model):
    _name = 'aftersales.sla'
    _description = "After-Sales Service Level"
    _order = 'sequence, id'
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10, help="When several policies apply to a case, the first one counts.",
    )
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        'res.company', required=True, index=True, default=lambda self: self.env.company,
    )
    team_ids = fields.Many2many('aftersales.team', string="Teams", check_company=True,
                                help="Empty: every team.")
    type_ids = fields.Many2many('aftersales.case.type', string="Case Types", help="Empty: every type.")
    priority = fields.Selection(
        PRIORITIES, string="Minimum Priority",
        help="The policy applies to cases of this priority or higher; empty: every priority.",
    )
    partner_ids = fields.Many2many(
        'res.partner', string="Customers", help="Empty: every customer. Contacts count with their company.",
    )
    partner_category_ids = fields.Many2many(
        'res.partner.category', string="Customer Tags", help="Empty: whatever the customer's tags.",
    )
    response_hours = fields.Float(
        string="First Response Within", help="Working hours on the team's calendar; 0: no target.",
    )
    resolution_hours = fields.Float(
        string="Resolution Within", help="Working hours on the team's calendar; 0: no target.",
    )
    pause_stage_ids = fields.Many2many(
        'aftersales.case.stage', string="Paused In",
        help="Stages that stop the clock; on-hold stages always do.",
    )

    _hours_positive = models.Constraint(
        'CHECK (response_hours >= 0 AND resolution_hours >= 0)',
        "Service level targets cannot be negative.",
    )

    @api.constrains('name', 'response_hours', 'resolution_hours')
    def _check_targets(self):
        for sla in self:
            if not sla.response_hours and not sla.resolution_hours:
                raise ValidationError(self.env._(
                    "Service level %(sla)s needs a response or a resolution target.", sla=sla.name,
                ))

    def _matches(self, case):
        """Whether this policy applies to ``case``."""
        self.ensure_one()
        customer = case.commercial_partner_id
        return (
            self.company_id == case.company_id
            and (not self.team_ids or case.team_id in self.team_ids)
            and (not self.type_ids or case.type_id in self.type_ids)
            and (not self.priority or case.priority >= self.priority)
            and (not self.partner_ids or customer in self.partner_ids
                 or case.partner_id in self.partner_ids)
            and (not self.partner_category_ids
                 or self.partner_category_ids & (customer.category_id | case.partner_id.category_id))
        )

    def _is_paused_in(self, stage):
        self.ensure_one()
        return stage.is_on_hold or stage in self.pause_stage_ids


class WorkingTime:
    """Plans working hours on one calendar for many start times at once.

    The calendar's work intervals (attendances less public holidays, in the
    calendar's time zone) are read once for the whole span, then each start
    walks them: no query per case. Datetimes are naive UTC, as stored.
    """

    def __init__(self, calendar):
        self.calendar = calendar
        self.starts, self.stops, self.cumulated = [], [], []
        self.begin = self.end = None

    def _load(self, begin, end):
        intervals = self.calendar._work_intervals_batch(
            begin.replace(tzinfo=timezone.utc), end.replace(tzinfo=timezone.utc),
        )[False]
        self.starts, self.stops, self.cumulated, total = [], [], [], 0.0
        for aware_start, aware_stop, _meta in intervals:
            start, stop = _naive_utc(aware_start), _naive_utc(aware_stop)
            self.starts.append(start)
            self.stops.append(stop)
            total += (stop - start).total_seconds() / 3600.0
            self.cumulated.append(total)
        self.begin, self.end = begin, end

    def prepare(self, starts, hours):
        """Read the intervals for all of ``starts`` at once, ``hours`` ahead."""
        starts = [start for start in starts if start]
        if starts:
            weeks = max(2, int(hours // 20) + 2)
            self._load(min(starts), max(starts) + timedelta(weeks=weeks))

    def plan(self, start, hours):
        """The datetime ``hours`` working hours after ``start`` (naive UTC)."""
        if not hours:
            return start
        weeks = max(2, int(hours // 20) + 2)
        end = start + timedelta(weeks=weeks)
        for _attempt in range(6):
            if self.begin is None or start < self.begin or end > self.end:
                # Read well ahead: the next starts are likely a little later.
                self._load(min(start, self.begin or start),
                           max(end, self.end or end) + timedelta(weeks=weeks))
            found = self._walk(start, hours)
            if found:
                return found
            end += timedelta(weeks=weeks * 4)  # holidays ate the window: look further
        return False

    def hours_between(self, start, stop):
        """Working hours from ``start`` to ``stop``."""
        if stop <= start:
            return 0.0
        if self.begin is None or start < self.begin or stop > self.end:
            self._load(min(start, self.begin or start),
                       max(stop, self.end or stop) + timedelta(weeks=2))
        return self._position(stop) - self._position(start)

    def _position(self, moment):
        """Working hours from the loaded span's beginning to ``moment``."""
        index = bisect.bisect_right(self.starts, moment) - 1
        if index < 0:
            return 0.0
        before = self.cumulated[index - 1] if index else 0.0
        inside = min(moment, self.stops[index]) - self.starts[index]
        return before + max(0.0, inside.total_seconds() / 3600.0)

    def _walk(self, start, hours):
        target = self._position(start) + hours
        index = bisect.bisect_left(self.cumulated, target - 1e-9)
        if index >= len(self.cumulated):
            return False
        overshoot = self.cumulated[index] - target
        return self.stops[index] - timedelta(hours=overshoot)


def _naive_utc(moment):
    return moment.astimezone(timezone.utc).replace(tzinfo=None)
