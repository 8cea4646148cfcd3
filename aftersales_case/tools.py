"""Helpers shared by the suite's modules."""

import uuid
from contextlib import contextmanager

from odoo.tools import SQL


def lock_rows(records, touch=False):
    """Lock ``records``' rows until the end of the transaction, waiting for them.

    ``FOR NO KEY UPDATE`` (other rows may still reference them) in id order,
    so that two transactions locking overlapping sets cannot deadlock. Under
    REPEATABLE READ, a row *updated* by a transaction that committed meanwhile
    makes this raise a serialization failure, which Odoo retries: the retry
    then sees the other transaction's result.

    A row the other transaction only locked is handed over silently, and a
    check made after it would still read the old snapshot (write skew). Pass
    ``touch`` before re-checking something the rows stand for (the quantity
    left on an order line, the state of a document): a no-op update marks
    them written, so whoever comes second is retried on a fresh snapshot.
    """
    ids = sorted({id_ for id_ in records._ids if isinstance(id_, int)})
    if not ids:
        return
    records.env.flush_all()
    records.env.execute_query(SQL(
        "SELECT id FROM %s WHERE id IN %s ORDER BY id FOR NO KEY UPDATE",
        SQL.identifier(records._table), tuple(ids),
    ))
    if touch:
        records.env.execute_query(SQL(
            "UPDATE %s SET write_date = write_date WHERE id IN %s",
            SQL.identifier(records._table), tuple(ids),
        ))
    records.invalidate_recordset()


def process_in_committed_batches(model, domain, process, batch_size):
    """Call ``process(batch)`` on the records of ``model`` matching ``domain``,
    ``batch_size`` at a time in id order, committing each batch with the
    scheduled action's progress, until none is left or the action's time is up.

    ``process`` must take its batch out of ``domain`` (clear the mark that
    put it there): a run killed between batches and restarted then does each
    record once. Rows another worker holds are skipped, left to it.
    """
    while True:
        batch = model.search(domain, limit=batch_size, order='id').try_lock_for_update()
        process(batch)
        remaining = model.search_count(domain) if len(batch) == batch_size else 0
        time_left = model.env['ir.cron']._commit_progress(len(batch), remaining=remaining)
        if not batch or not remaining or not time_left:
            return


@contextmanager
def renewing_access_tokens(records, partner_field='partner_id', contact_fields=()):
    """Renew the access token of those of ``records`` whose customer changes within the block.

    A token is a bearer credential made for the customer a document had when
    it was shared (``portal.mixin``): once the partner in ``partner_field``,
    or the commercial partner of it or of the partners in ``contact_fields``,
    is another one, the links the former customer holds must open nothing.
    A fresh token rather than none: core signs the links it sends
    (``_sign_token``) with the token, and an empty one signs alike for every
    document. Records without a token were never shared and keep none.

    Wrap the write that may change the customer, or a partner's company::

        with renewing_access_tokens(self, contact_fields=('contact_id',)):
            super().write(vals)
    """
    shared = records.filtered('access_token')
    before = {record: _token_holders(record, partner_field, contact_fields) for record in shared}
    yield
    for record, holders in before.items():
        if _token_holders(record, partner_field, contact_fields) != holders:
            record.access_token = str(uuid.uuid4())


def _token_holders(record, partner_field, contact_fields):
    """The customer of ``record`` and the companies of it and its contacts."""
    partners = record[partner_field].union(*(record[field] for field in contact_fields))
    return record[partner_field] | partners.commercial_partner_id
