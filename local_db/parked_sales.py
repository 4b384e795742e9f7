"""Parked sales (``pos.store_day.parking.ParkedSales``) over the ``parked_sales`` table
(migration 0008): each parked basket as its ``kassa.basket.v1`` snapshot, with who parked it,
when, its item count and total for the recall list.

Parking writes the row and deletes the open basket's snapshot in one transaction; recalling
deletes the row and writes the open basket's snapshot in one transaction: a basket is always
in exactly one place on disk, and a parked sale can be recalled once only.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Connection
from sqlalchemy import exc as sa_exc

from local_db.database import Database
from local_db.problems import explain
from pos.errors import StorageProblem
from pos.money import Money
from pos.store_day.parking import ParkedSale, ParkedSaleGone

log = logging.getLogger(__name__)

SAVE_OPEN_BASKET = (
    "INSERT INTO open_basket (slot, snapshot, saved_at) VALUES (1, ?, ?) "
    "ON CONFLICT (slot) DO UPDATE SET snapshot = excluded.snapshot, saved_at = excluded.saved_at"
)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


class SqlParkedSales:
    def __init__(self, db: Database) -> None:
        self.db = db

    def park(self, parked: ParkedSale, snapshot: dict[str, Any]) -> None:
        try:
            total = parked.total.minor_units()
        except ValueError:
            raise StorageProblem(reason=f"{parked.total} is not a whole number of minor units") from None

        def work(conn: Connection) -> None:
            conn.exec_driver_sql(
                "INSERT INTO parked_sales (basket_id, cashier_id, parked_at, item_count, total, body) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (str(parked.basket_id), parked.cashier_id, parked.parked_at.isoformat(), str(parked.item_count),
                 total, json.dumps(snapshot, ensure_ascii=False)),
            )
            conn.exec_driver_sql("DELETE FROM open_basket")

        self._write(work, f"parking sale {parked.basket_id}")

    def parked(self) -> list[ParkedSale]:
        rows = self.db.read(lambda c: c.exec_driver_sql(
            "SELECT basket_id, cashier_id, parked_at, item_count, total, body FROM parked_sales "
            "ORDER BY parked_at, basket_id").all(), "reading the parked sales")
        found = []
        for row in rows:
            try:
                found.append(_parked(*row))
            except (ValueError, TypeError, KeyError, InvalidOperation) as error:
                log.error("parked sale %s cannot be listed (it stays parked): %s", row[0], error)
        return found

    def snapshot(self, basket_id: uuid.UUID) -> dict[str, Any] | None:
        body = self.db.read(lambda c: c.exec_driver_sql(
            "SELECT body FROM parked_sales WHERE basket_id = ?", (str(basket_id),)).scalar(), "reading a parked sale")
        if body is None:
            return None
        try:
            snapshot = json.loads(body)
        except ValueError:
            snapshot = None
        return snapshot if isinstance(snapshot, dict) else {}

    def recall(self, basket_id: uuid.UUID, open_snapshot: dict[str, Any]) -> None:
        def work(conn: Connection) -> None:
            gone = conn.exec_driver_sql("DELETE FROM parked_sales WHERE basket_id = ?", (str(basket_id),)).rowcount
            if not gone:
                raise ParkedSaleGone()
            conn.exec_driver_sql(SAVE_OPEN_BASKET, (json.dumps(open_snapshot, ensure_ascii=False), _now()))

        self._write(work, f"recalling parked sale {basket_id}")

    def count(self) -> int:
        return int(self.db.read(lambda c: c.exec_driver_sql("SELECT COUNT(*) FROM parked_sales").scalar_one(),
                                "counting the parked sales"))

    def _write(self, work: Any, doing: str) -> None:
        try:
            with self.db.writing() as conn:
                work(conn)
        except sa_exc.SQLAlchemyError as error:
            raise explain(error, path=self.db.path, doing=doing) from error


def _parked(basket_id: str, cashier_id: str, parked_at: str, item_count: str, total: int, body: str) -> ParkedSale:
    snapshot = json.loads(body)
    who = snapshot.get("cashier") or {}
    return ParkedSale(uuid.UUID(basket_id), cashier_id, str(who.get("name", cashier_id)),
                      datetime.fromisoformat(parked_at), Decimal(item_count),
                      Money.from_minor(int(total), str(snapshot["currency"])))
