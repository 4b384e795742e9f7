"""Staging one page of a small dataset the till pulls whole into its own table (promotions,
promo codes): the page's rows and, with the page's cursor, the dataset's staged cursor, in one
background transaction (the till's own writes go first).  The dataset's module applies them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import exc as sa_exc

from local_db.database import Database
from local_db.problems import explain
from local_db.reference_data import Cursor


def stage_page(db: Database, *, dataset: str, stage_rows: str, stage_cursor: str, rows: Iterable[tuple[object, ...]],
               cursor: Cursor | None, complete: bool, origin: str, doing: str) -> None:
    """``stage_rows`` inserts one row; ``stage_cursor`` takes (dataset, cursor, snapshot, complete, origin)."""
    rows = list(rows)
    if not rows and cursor is None:
        return
    try:
        with db.bulk_writing(cache_kib=2048) as bulk, bulk.transaction() as conn:
            if rows:
                conn.exec_driver_sql(stage_rows, rows)
            if cursor is not None:
                conn.exec_driver_sql(stage_cursor, (dataset, cursor.cursor, cursor.snapshot, int(complete), origin))
    except sa_exc.SQLAlchemyError as error:
        raise explain(error, path=db.path, doing=doing) from error
