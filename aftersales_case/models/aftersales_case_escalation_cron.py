import logging
from collections import defaultdict
from datetime import timedelta
from functools import cache

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.misc import format_datetime

_logger = logging.getLogger(__name__)

# Cases handled per committed transaction: few enough that a crash loses
# little work and row locks stay short, enough to amortise each batch's
# fixed queries.
ESCALATION_BATCH = 500
# The status refresh is one UPDATE per chunk, whatever its size.
STATUS_BATCH = 5000


class AftersalesCase(models.Model):
    """The escalation cron: statuses, warnings, escalations, cases open too long."""

    _inherit = 'aftersales.case'

    @api.model
    def _cron_escalate(self):
        """Refresh service level statuses, warn, escalate and flag, company by company.

        Each step commits its batches; when the cron's time is up, the rest is
        left to its next run, which starts where this one stopped. A company
        that fails (its configuration, a step's query) is logged and rolled
        back to its last committed batch; the next companies still run.
        """
        for company in self.env['res.company'].search([]):
            company_name = company.name
            try:
                if not self.with_company(company)._escalation_run_company():
                    return
            except Exception:
                # Core's crons do the same (base_automation): what this company
                # did since its last committed batch is undone, not the others'.
                self.env.cr.rollback()
                _logger.exception(
                    "Escalation of the cases of %s failed; the other companies were escalated.",
                    company_name,
                )

    def _escalation_run_company(self):
        """The four steps for the current company; False when the cron's time is up."""
        for step in (self._sla_refresh_status, self._sla_warn_due,
                     self._sla_escalate_due, self._flag_open_too_long):
            if not step(fields.Datetime.now()):
                return False
        return True

    def _escalation_run(self, domain, is_due, method, now):
        """Call ``method(now)`` on the cases matching ``domain``, by committed batches.

        :param is_due: ``domain`` as a predicate, to check the locked cases again
            (by default ``filtered_domain``, for domains without custom SQL)
        :return: whether every case was handled (False: the cron's time is up)
        """
        total = self.search_count(domain)
        done = last_id = 0
        while True:
            batch = self.search(domain & Domain('id', '>', last_id), limit=ESCALATION_BATCH, order='id')
            if not batch:
                # The last batch was full and said some were left: none are.
                self.env['ir.cron']._commit_progress(remaining=0)
                return True
            last_id = batch[-1].id
            batch._escalation_run_batch(domain, is_due, method, now)
            # A failed batch counts as handled: its cases stay due and the
            # next scheduled run tries them again, not this one at once.
            done += len(batch)
            full = len(batch) == ESCALATION_BATCH
            time_left = self.env['ir.cron']._commit_progress(
                len(batch), remaining=max(total - done, 1) if full else 0,
            )
            if not full:
                return True
            if not time_left:
                return False

    def _escalation_run_batch(self, domain, is_due, method, now):
        """Lock the cases of the batch ``self``, check them again, call ``method(now)``.

        In a savepoint: when the batch fails, its effects (messages,
        activities) and their record on the cases (level, escalation or
        warning moment) are undone together and logged, and the run goes on;
        when it succeeds, both are committed with the batch. Either way no
        re-run repeats an effect or misses one.
        """
        try:
            with self.env.cr.savepoint():
                # Rows an agent is writing are left to the next run; the others
                # may have changed since the search (closed, paused): check again.
                locked = self.try_lock_for_update()
                todo = locked.filtered(is_due) if is_due else locked.filtered_domain(domain)
                if todo:
                    getattr(todo, method)(now)
        except Exception:
            _logger.exception(
                "Escalation step %s failed on the cases %s to %s; the next run tries them again.",
                method, self[:1].id, self[-1:].id,
            )

    def _escalation_domain(self, sql):
        """Open running cases of the current company with a service level, and ``sql``."""
        return Domain([
            ('company_id', '=', self.env.company.id),
            ('is_closed', '=', False),
            ('sla_pause_start', '=', False),
            ('sla_id', '!=', False),
        ]) & Domain.custom(to_sql=lambda model, alias, query: sql(alias))

    def _escalation_is_running(self):
        """The Python side of ``_escalation_domain``, but ``sql``."""
        self.ensure_one()
        return self.company_id == self.env.company and not self.is_closed \
            and not self.sla_pause_start and bool(self.sla_id)

    # Step 1: statuses move on as time passes

    def _sla_refresh_status(self, now):
        """Rewrite the stored status of open cases whose deadline or margin has passed.

        The status is computed when a case is written; time alone changes it
        without a write. Plain SQL: one UPDATE per chunk, no ORM per case.
        """
        margin = timedelta(hours=self.env.company.aftersales_sla_margin_hours)
        self.flush_model()
        for status, previous, moment in (('breached', ('on_track', 'at_risk'), now),
                                         ('at_risk', ('on_track',), now + margin)):
            while True:
                ids = self._sla_update_status(status, previous, moment)
                self.browse(ids).modified(['sla_status'])
                full = len(ids) == STATUS_BATCH
                time_left = self.env['ir.cron']._commit_progress(
                    len(ids), remaining=STATUS_BATCH if full else 0,
                )
                if not full:
                    break
                if not time_left:
                    return False
        return True

    def _sla_update_status(self, status, previous, moment):
        """Set ``status`` on a chunk of open cases in ``previous`` with a deadline before ``moment``."""
        rows = self.env.execute_query(SQL(
            """
            UPDATE aftersales_case SET sla_status = %(status)s
             WHERE id IN (
                SELECT id FROM aftersales_case
                 WHERE company_id = %(company)s AND is_closed IS NOT TRUE
                   AND sla_pause_start IS NULL AND sla_status IN %(previous)s
                   AND ((date_first_response IS NULL AND sla_response_deadline < %(moment)s)
                        OR sla_resolution_deadline < %(moment)s)
                 ORDER BY id LIMIT %(limit)s
                   FOR NO KEY UPDATE SKIP LOCKED)
            RETURNING id
            """,
            status=status, company=self.env.company.id, previous=previous, moment=moment,
            limit=STATUS_BATCH,
        ))
        ids = [id_ for (id_,) in rows]
        self.invalidate_model(['sla_status'])
        return ids

    # Step 2: warn the responsible before a deadline passes

    def _sla_warn_due(self, now):
        margin = timedelta(hours=self.env.company.aftersales_sla_margin_hours)
        if not margin:
            return True
        soon = Domain.OR(
            Domain(deadline, '>=', now) & Domain(deadline, '<', now + margin)
            for deadline in ('sla_response_deadline', 'sla_resolution_deadline')
        )
        return self._escalation_run(
            soon & self._escalation_domain(lambda alias: _sla_warning_sql(alias, now, margin)),
            lambda case: case._escalation_is_running() and bool(case._sla_deadline_to_warn(now, margin)),
            '_sla_warn', now,
        )

    def _sla_warn(self, now):
        """Give the responsible of each case in ``self`` an activity: escalation is near."""
        self.write({'date_sla_warned': now})
        activity_type = self.env.ref('aftersales_case.mail_activity_type_case_at_risk')
        self._escalation_schedule(activity_type, lambda case: case.user_id or case.team_id.user_id)

    def _sla_deadline_to_warn(self, now, margin):
        """The deadline within ``margin`` of ``now`` the responsible was not warned of."""
        self.ensure_one()
        covered = self.date_sla_warned and self.date_sla_warned + margin
        upcoming = [
            deadline for deadline in (self._sla_open_response_deadline(), self.sla_resolution_deadline)
            if deadline and now <= deadline < now + margin and not (covered and deadline < covered)
        ]
        return min(upcoming, default=False)

    # Step 3: escalate the cases that missed a deadline

    def _sla_escalate_due(self, now):
        # A deadline before now, said plainly: the deadlines' indexes find the
        # few candidates among many open cases, the SQL condition decides.
        passed = Domain('sla_response_deadline', '<', now) | Domain('sla_resolution_deadline', '<', now)
        return self._escalation_run(
            passed & self._escalation_domain(lambda alias: _sla_escalation_sql(alias, now)),
            lambda case: case._escalation_is_running() and bool(case._sla_deadline_to_escalate(now)[1]),
            '_sla_escalate', now,
        )

    def _sla_escalate(self, now):
        """Escalate each case in ``self`` for the deadline it missed (a cron batch)."""
        reasons = {
            'response': self.env._("The first response deadline passed."),
            'resolution': self.env._("The resolution deadline passed."),
        }
        details = defaultdict(dict)
        missed_text = cache(self._sla_missed_text)  # cases of a batch mostly share their deadlines
        for case in self:
            kind, deadline = case._sla_deadline_to_escalate(now)
            tz = case._sla_calendar().tz or self.env.user.tz or 'UTC'
            details[kind][case.id] = missed_text(kind, deadline, tz)
        for kind, case_texts in details.items():
            self.browse(case_texts)._escalate(reasons[kind], now, details=case_texts)

    def _sla_missed_text(self, kind, deadline, tz):
        date = format_datetime(self.env, deadline, tz=tz, dt_format='short')
        if kind == 'response':
            return self.env._("the first response deadline, %(deadline)s, passed.", deadline=date)
        return self.env._("the resolution deadline, %(deadline)s, passed.", deadline=date)

    def _sla_deadline_to_escalate(self, now):
        """``(kind, deadline)``: the latest deadline missed since the last escalation."""
        self.ensure_one()
        missed = []
        if self.sla_response_deadline and self.sla_response_deadline < (self.date_first_response or now):
            missed.append((self.sla_response_deadline, 'response'))
        if self.sla_resolution_deadline and self.sla_resolution_deadline < now:
            missed.append((self.sla_resolution_deadline, 'resolution'))
        deadline, kind = max(missed, default=(False, False))
        if not deadline or (self.date_escalated and deadline <= self.date_escalated):
            return False, False
        return kind, deadline

    # Step 4: cases open longer than their type allows

    def _flag_open_too_long(self, now):
        types = self.env['aftersales.case.type'].with_context(active_test=False).search(
            [('open_limit_days', '>', 0)],
        )
        if not types:
            return True
        domain = Domain([
            ('company_id', '=', self.env.company.id),
            ('is_closed', '=', False),
            ('is_open_too_long', '=', False),
        ]) & Domain.OR(
            Domain('type_id', '=', case_type.id)
            & Domain('date_reported', '<', now - timedelta(days=case_type.open_limit_days))
            for case_type in types
        )
        return self._escalation_run(domain, None, '_flag_as_open_too_long', now)

    def _flag_as_open_too_long(self, now):
        self.write({'is_open_too_long': True})
        activity_type = self.env.ref('aftersales_case.mail_activity_type_case_open_too_long')
        self._escalation_schedule(activity_type, lambda case: case.user_id or case.team_id.user_id)


def _sla_escalation_sql(alias, now):
    """SQL: a deadline was missed after the case's last escalation."""
    column = _columns(alias)
    return SQL(
        """GREATEST(
            CASE WHEN %(response)s < COALESCE(%(first_response)s, %(now)s) THEN %(response)s END,
            CASE WHEN %(resolution)s < %(now)s THEN %(resolution)s END
        ) > COALESCE(%(escalated)s, '-infinity'::timestamp)""",
        now=now, **column,
    )


def _sla_warning_sql(alias, now, margin):
    """SQL: a deadline falls within ``margin`` of ``now`` and the responsible was not warned."""
    column = _columns(alias)
    return SQL(
        """(%(first_response)s IS NULL
            AND %(response)s >= %(now)s AND %(response)s < %(end)s
            AND %(response)s >= COALESCE(%(warned)s + %(margin)s, '-infinity'::timestamp))
        OR (%(resolution)s >= %(now)s AND %(resolution)s < %(end)s
            AND %(resolution)s >= COALESCE(%(warned)s + %(margin)s, '-infinity'::timestamp))""",
        now=now, end=now + margin, margin=margin, **column,
    )


def _columns(alias):
    return {
        'response': SQL.identifier(alias, 'sla_response_deadline'),
        'resolution': SQL.identifier(alias, 'sla_resolution_deadline'),
        'first_response': SQL.identifier(alias, 'date_first_response'),
        'escalated': SQL.identifier(alias, 'date_escalated'),
        'warned': SQL.identifier(alias, 'date_sla_warned'),
    }
