"""Helpers shared by the suite's modules."""

from odoo.tools import SQL


def lock_rows(records):
    """Lock ``records``' rows until the end of the transaction, waiting for them.

    ``FOR NO KEY UPDATE`` (other rows may still reference them) in id order,
    so that two transactions locking overlapping sets cannot deadlock. Under
    REPEATABLE READ, a row changed by a transaction that committed meanwhile
    makes this raise a serialization failure, which Odoo retries: the retry
    then sees the other transaction's result. Use it before re-checking a
    quantity or a state that a concurrent transaction could change (write
    skew is not prevented by REPEATABLE READ alone).
    """
    ids = sorted({id_ for id_ in records._ids if isinstance(id_, int)})
    if not ids:
        return
    records.env.flush_all()
    records.env.execute_query(SQL(
        "SELECT id FROM %s WHERE id IN %s ORDER BY id FOR NO KEY UPDATE",
        SQL.identifier(records._table), tuple(ids),
    ))
    records.invalidate_recordset()
