"""The sale journal of one till in SQLite: pos.ports.SaleJournal, PrintQueue and
OpenBasketStore in one class, like tests.fakes.MemoryJournal.

``record_sale`` is one ``BEGIN IMMEDIATE`` transaction, committed with
``synchronous=FULL``: the next gapless receipt number, the sale with its lines, payments
and taxes, an outbox row (the ``kassa.sale.v1`` message for the hub), a print job, and the
removal of the open basket.  Either all of it is on disk when the call returns, or none
of it is and a StorageProblem says why.  Each call takes its own pooled connection, so
the till worker and the printer worker can use one SqlJournal at the same time.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection
from sqlalchemy import exc as sa_exc

from local_db.database import Database
from local_db.journal_check import journal_check
from local_db.outbox import add_message, waiting_count
from local_db.problems import explain
from local_db.sale_rows import SaleRows, read_sale, sale_rows, write_sale
from pos.codec import sale_to_dict
from pos.errors import StorageProblem
from pos.ports import PrintJob
from pos.sale import Sale
from pos.store_day.tenders import CardApproval

__all__ = ["SqlJournal", "journal_check"]

log = logging.getLogger(__name__)

MAX_ERROR_TEXT = 500

_NEXT_NUMBER = (
    "SELECT COALESCE((SELECT next_receipt_number FROM till_counter WHERE till_id = ?), "
    "(SELECT COALESCE(MAX(receipt_number), 0) + 1 FROM sales WHERE till_id = ?))"
)
_START_COUNTER = (
    "INSERT INTO till_counter (till_id, next_receipt_number) "
    "SELECT ?, COALESCE(MAX(receipt_number), 0) + 1 FROM sales WHERE till_id = ? "
    "ON CONFLICT (till_id) DO NOTHING"
)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


class SqlJournal:
    def __init__(self, db: Database, till_id: str) -> None:
        self.db = db
        self.till_id = till_id

    # -- SaleJournal -------------------------------------------------------------------
    def record_sale(self, sale: Sale) -> Sale:
        if sale.till_id != self.till_id:
            raise StorageProblem(reason=f"sale {sale.sale_id} belongs to till {sale.till_id}, this is till {self.till_id}")
        now = _now()
        rows = sale_rows(sale, recorded_at=now)  # checks every amount before taking the lock
        try:
            with self.db.writing() as conn:
                return self.record_sale_in(conn, sale, rows, now)
        except sa_exc.SQLAlchemyError as error:
            raise explain(error, path=self.db.path, doing=f"recording sale {sale.sale_id}") from error

    def record_sale_in(self, conn: Connection, sale: Sale, rows: SaleRows, now: str,
                       cards: Mapping[uuid.UUID, CardApproval] | None = None) -> Sale:
        """``record_sale``'s work inside the caller's write transaction (an exchange records
        its return in the same one): the sale as numbered, or as recorded before.  With card
        approvals (``cards``) its outbox message is ``kassa.sale.v2``, carrying them."""
        recorded = read_sale(conn, sale.sale_id)
        if recorded is not None:
            log.info("sale %s was already recorded as receipt %d", sale.sale_id, recorded.receipt_number)
            return recorded
        number = self._take_receipt_number(conn)
        numbered = replace(sale, receipt_number=number)
        write_sale(conn, rows, number)
        form = sale_to_dict(numbered, cards)
        add_message(conn, sale.sale_id, form["schema"], json.dumps(form, ensure_ascii=False), now)
        conn.exec_driver_sql(
            "INSERT INTO print_jobs (sale_id, is_copy, created_at) VALUES (?, 0, ?)", (str(sale.sale_id), now)
        )
        conn.exec_driver_sql("DELETE FROM open_basket")
        return numbered

    def _take_receipt_number(self, conn: Connection) -> int:
        conn.exec_driver_sql(_START_COUNTER, (self.till_id, self.till_id))
        number = int(
            conn.exec_driver_sql(
                "SELECT next_receipt_number FROM till_counter WHERE till_id = ?", (self.till_id,)
            ).scalar_one()
        )
        conn.exec_driver_sql(
            "UPDATE till_counter SET next_receipt_number = ? WHERE till_id = ?", (number + 1, self.till_id)
        )
        return number

    def get_sale(self, sale_id: uuid.UUID) -> Sale | None:
        return self.db.read(lambda conn: read_sale(conn, sale_id), "reading a sale")

    def sale_by_receipt_number(self, receipt_number: int) -> Sale | None:
        def read(conn: Connection) -> Sale | None:
            found = conn.exec_driver_sql(
                "SELECT sale_id FROM sales WHERE till_id = ? AND receipt_number = ?", (self.till_id, receipt_number)
            ).scalar()
            return None if found is None else read_sale(conn, uuid.UUID(found))

        return self.db.read(read, "reading a sale")

    def recent_sales(self, limit: int = 20) -> list[Sale]:
        def read(conn: Connection) -> list[Sale]:
            ids = conn.exec_driver_sql(
                "SELECT sale_id FROM sales WHERE till_id = ? ORDER BY receipt_number DESC LIMIT ?",
                (self.till_id, max(0, limit)),
            ).scalars().all()
            return [s for s in (read_sale(conn, uuid.UUID(i)) for i in ids) if s is not None]

        return self.db.read(read, "reading recent sales")

    def next_receipt_number(self) -> int:
        return self.db.read(
            lambda conn: int(conn.exec_driver_sql(_NEXT_NUMBER, (self.till_id, self.till_id)).scalar_one()),
            "reading the receipt counter",
        )

    def unsent_count(self) -> int:
        """Documents (sales, returns, shift events...) waiting to be sent, as the outbox counts
        them (quarantined ones are not waiting)."""
        return self.db.read(waiting_count, "counting unsent sales")

    # -- PrintQueue --------------------------------------------------------------------
    def pending_jobs(self) -> list[PrintJob]:
        rows = self.db.read(
            lambda conn: conn.exec_driver_sql(
                "SELECT job_id, sale_id, is_copy, attempts FROM print_jobs WHERE printed_at IS NULL ORDER BY job_id"
            ).fetchall(),
            "reading the print queue",
        )
        return [PrintJob(int(j), uuid.UUID(s), bool(c), int(a)) for j, s, c, a in rows]

    def mark_printed(self, job_id: int) -> None:
        self._write(
            "UPDATE print_jobs SET printed_at = ? WHERE job_id = ? AND printed_at IS NULL",
            (_now(), job_id), "marking a receipt printed",
        )

    def mark_failed(self, job_id: int, reason: str) -> None:
        """The job stays queued, with one more attempt and the printer's last complaint."""
        self._write(
            "UPDATE print_jobs SET attempts = attempts + 1, last_error = ? WHERE job_id = ? AND printed_at IS NULL",
            (reason[:MAX_ERROR_TEXT], job_id), "noting a printing problem",
        )

    def enqueue_copy(self, sale_id: uuid.UUID) -> None:
        try:
            self._write(
                "INSERT INTO print_jobs (sale_id, is_copy, created_at) VALUES (?, 1, ?)",
                (str(sale_id), _now()), "queueing a receipt copy",
            )
        except StorageProblem as problem:
            if isinstance(problem.__cause__, sa_exc.IntegrityError):
                raise StorageProblem(reason=f"there is no sale {sale_id} to print a copy of") from problem
            raise

    # -- OpenBasketStore ---------------------------------------------------------------
    def save_basket(self, snapshot: dict[str, Any]) -> None:
        self._write(
            "INSERT INTO open_basket (slot, snapshot, saved_at) VALUES (1, ?, ?) "
            "ON CONFLICT (slot) DO UPDATE SET snapshot = excluded.snapshot, saved_at = excluded.saved_at",
            (json.dumps(snapshot, ensure_ascii=False), _now()), "saving the open sale",
        )

    def load_basket(self) -> dict[str, Any] | None:
        text = self.db.read(
            lambda conn: conn.exec_driver_sql("SELECT snapshot FROM open_basket WHERE slot = 1").scalar(),
            "reading the open sale",
        )
        if text is None:
            return None
        try:
            snapshot = json.loads(text)
        except ValueError:
            log.error("the saved open basket is not valid JSON; starting a new one")
            return None
        return snapshot if isinstance(snapshot, dict) else None

    def discard_basket(self) -> None:
        self._write("DELETE FROM open_basket", (), "discarding the open sale")

    # -- helpers -----------------------------------------------------------------------
    def _write(self, sql: str, params: tuple[Any, ...], doing: str) -> None:
        self.db.write(lambda conn: conn.exec_driver_sql(sql, params), doing)
