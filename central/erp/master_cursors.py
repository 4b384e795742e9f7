"""Where the master-data pull read each ERP model up to (created by migration 0011_erp_outbox).

One row per ERP model: the last write (or create) time seen and that record's id.  The next
pull reads what changed since then, a few minutes back (a transaction that committed late
keeps its earlier write time); reading a record twice changes nothing at the hub, because
the catalog import gives a new version only to rows that really change.  The cursors are
written last, once what was read is stored: a pull that fails half-way is read again.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import BigInteger, Column, Connection, String, Table, delete, select

from central.database import HubDatabase
from central.erp.master_records import Cursor
from central.tables import UtcDateTime, metadata

erp_pull_cursors = Table(
    "erp_pull_cursors", metadata,
    Column("model", String(64), primary_key=True),  # the ERP's model, e.g. product.product
    Column("written_at", String(32), nullable=False),  # the ERP's timestamp as text, as it gave it
    Column("last_id", BigInteger, nullable=False),  # the id of the record written then
    Column("pulled_at", UtcDateTime, nullable=False),
)


def read_cursors(db: HubDatabase) -> dict[str, Cursor]:
    with db.reading() as conn:
        return {row.model: Cursor(row.model, row.written_at, int(row.last_id))
                for row in conn.execute(select(erp_pull_cursors))}


def save_cursors(conn: Connection, cursors: list[Cursor]) -> None:
    now = datetime.now(timezone.utc)
    for cursor in cursors:
        conn.execute(delete(erp_pull_cursors).where(erp_pull_cursors.c.model == cursor.model))
        conn.execute(erp_pull_cursors.insert().values(model=cursor.model, written_at=cursor.written_at,
                                                      last_id=cursor.last_id, pulled_at=now))


def forget_cursors(db: HubDatabase) -> None:
    """A full pull starts from nothing."""
    with db.writing() as conn:
        conn.execute(delete(erp_pull_cursors))
