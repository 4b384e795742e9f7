"""The one global version of the hub's reference data.

Every change to products, barcodes, prices, taxes or cashiers takes the next version,
inside the transaction that makes the change, with the counter row locked (``SELECT ...
FOR UPDATE`` on PostgreSQL; SQLite has one writer at a time anyway).  So versions commit
in order: a till that has seen version N has seen every change up to N, and ``after=N``
resumes a pull exactly.
"""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from central.tables import catalog_version

_ROW = catalog_version.c.id == 1


class VersionClock:
    """Hands out versions inside one write transaction; :meth:`save` writes the last one."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self.first = conn.execute(select(catalog_version.c.version).where(_ROW).with_for_update()).scalar_one()
        self.last = self.first

    def next(self) -> int:
        self.last += 1
        return self.last

    def save(self) -> None:
        if self.last != self.first:
            self._conn.execute(update(catalog_version).where(_ROW).values(version=self.last))

    def __enter__(self) -> VersionClock:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            self.save()


def current_version(conn: Connection) -> int:
    return int(conn.execute(select(catalog_version.c.version).where(_ROW)).scalar_one())
