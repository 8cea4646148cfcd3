"""Helpers shared by the suite's modules."""

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
