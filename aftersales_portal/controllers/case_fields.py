"""The fields a case type lets customers fill on the portal's new case form,
read from the posted form and checked one by one."""

from datetime import datetime

import pytz

from odoo import fields
from odoo.exceptions import UserError
from odoo.http import request


def portal_case_field_values(case_type, post):
    """The values of ``case_type``'s portal fields found in ``post``; any
    other field posted is not read."""
    values = {}
    for name, label, required in case_type._get_portal_fields():
        raw = (post.get(name) or '').strip()
        if not raw:
            if required:
                raise UserError(request.env._("Fill in %(field)s.", field=label))
            continue
        values[name] = PARSERS[name](raw, label)
    return values


def _parse_date(raw, label):
    try:
        value = fields.Date.to_date(raw)
    except ValueError:
        value = None
    if not value:
        raise UserError(request.env._("Give %(field)s as a date.", field=label))
    if value < fields.Date.context_today(request.env.user):
        raise UserError(request.env._("%(field)s cannot be in the past.", field=label))
    return value


def _parse_datetime(raw, label):
    """A ``datetime-local`` input: the customer's local time, stored in UTC."""
    try:
        local = datetime.strptime(raw, '%Y-%m-%dT%H:%M')
    except ValueError:
        raise UserError(request.env._("Give %(field)s as a date and a time.", field=label)) from None
    # The time zone of the request (the browser's), else the user's, as core displays datetimes.
    value = request.env.tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)
    if value < fields.Datetime.now():
        raise UserError(request.env._("%(field)s cannot be in the past.", field=label))
    return value


def _parse_level(raw, label):
    levels = dict(request.env['aftersales.case']._fields['impact'].selection)
    if raw not in levels:
        raise UserError(request.env._("Choose %(field)s from the list.", field=label))
    return raw


PARSERS = {
    'date_deadline': _parse_date,
    'planned_start': _parse_datetime,
    'impact': _parse_level,
    'risk': _parse_level,
}
