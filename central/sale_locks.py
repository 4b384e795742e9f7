"""One lock per sale id, held to the end of the transaction, so a sale and a return of it stored at
the same moment by two hub processes see each other (PostgreSQL's READ COMMITTED: without it, neither
transaction sees the other's uncommitted row, both commit, and the return is never reconciled, its
points never taken back, its gift card never credited).  Whoever takes the lock second waits for the
first to commit, then reads its rows.  Locks are taken in sale id order, so two batches never
deadlock on them.  SQLite has one writer at a time: nothing to do."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, text

_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(sale_id, 0)) "
             "FROM (SELECT unnest(CAST(:ids AS text[])) AS sale_id ORDER BY 1) AS wanted")


def lock_sales(conn: Connection, sale_ids: Iterable[str]) -> None:
    wanted = sorted(set(sale_ids))
    if not wanted or conn.engine.dialect.name == "sqlite":
        return
    conn.execute(_LOCK, {"ids": wanted})
