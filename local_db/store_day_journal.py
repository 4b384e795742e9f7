"""The store's day documents in the till's journal (issue 9; the domain is ``pos.store_day``).

Each document is ONE ``BEGIN IMMEDIATE`` transaction, committed with ``synchronous=FULL``
before the call returns: its rows, its gapless number where its series has one (the
counters beside the receipt counter in ``till_counter``) and its outbox row (its JSON form
from ``pos.store_day.forms``, the body the hub receives).  Either all of it is on disk or
none of it is.

| call                   | document(s)                         | series, number        |
|------------------------|-------------------------------------|-----------------------|
| ``open_shift``         | kassa.shift.v1 (opened)             | shift, 0              |
| ``record_cash_movement`` | kassa.cash_movement.v1            | cash_movement, 1...   |
| ``record_approval``    | kassa.approval.v1                   | approval, 0           |
| ``record_cancelled_sale`` | kassa.sale_cancelled.v1          | sale_cancelled, 0     |
| ``record_paid_sale``   | a sale with its card approvals (kassa.sale.v2; v1 without) | receipt (the sale's) |
| ``record_return``      | kassa.return.v1 (v2: an unchecked return of another till's sale) | return, 1... |
| ``record_exchange``    | a return and a sale, together       | return and receipt    |
| ``close_shift``        | kassa.shift.v1 (closed) + kassa.z_report.v1 | shift 0, z_report 1... |

A shift's documents are those this till recorded after the shift opened, in outbox row
order (its cash movements by ``shift_id``); ``close_shift`` recomputes the Z from them and refuses, with
the figures, when ``reconcile`` finds a total the documents do not bear out.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import Connection
from sqlalchemy import exc as sa_exc

from local_db.database import Database
from local_db.journal import SqlJournal
from local_db.outbox import DocumentRow, add_document, documents_between, row_of, unacknowledged_number
from local_db.problems import explain
from local_db.sale_rows import read_sale, sale_rows
from pos.errors import PosError, StorageProblem
from pos.i18n import N_
from pos.money import Money
from pos.sale import Sale
from pos.store_day import forms
from pos.store_day.approval import ApprovalRecord
from pos.store_day.drawer import Denominations, count_from_data
from pos.store_day.report import CancelledSale, DayDocuments, ReportKind, ShiftReport, compute_report, reconcile
from pos.store_day.returns import ReturnDocument, ReturnTooMuch
from pos.store_day.shift import CashMovement, Shift, ShiftClose
from pos.store_day.tenders import EXCHANGE_CREDIT, CardApproval

log = logging.getLogger(__name__)

T = TypeVar("T")

RETURN_SERIES = "return"
CASH_MOVEMENT_SERIES = "cash_movement"
Z_SERIES = "z_report"
APPROVAL_SERIES = "approval"
CANCELLED_SERIES = "sale_cancelled"
SHIFT_SERIES = "shift"
_COUNTERS = {RETURN_SERIES: "next_return_number", CASH_MOVEMENT_SERIES: "next_cash_movement_number",
             Z_SERIES: "next_z_number"}


class ApprovalAlreadyUsed(PosError):
    message = N_("This manager approval was already used: ask the manager to approve again.")


class ShiftNotRecorded(PosError):
    message = N_("This shift is not open in the journal: open a shift first.")


class ShiftAlreadyClosed(PosError):
    message = N_("This shift is already closed.")


class ZDoesNotReconcile(PosError):
    message = N_("The Z report does not agree with the journal ({figures}); the shift stays open. Tell IT.")


def shift_document_id(shift_id: uuid.UUID, event: str) -> uuid.UUID:
    """The hub's key of a shift's opening or closing (the wire contract): uuid5(shift_id, event)."""
    return uuid.uuid5(shift_id, event)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def _json(form: dict[str, Any]) -> str:
    return json.dumps(form, ensure_ascii=False)


def _minor(money: Money) -> int:
    try:
        return money.minor_units()
    except ValueError:
        raise StorageProblem(reason=f"{money} is not a whole number of minor units") from None


class SqlStoreDay:
    """The store's day documents of one till; each call takes its own pooled connection."""

    def __init__(self, db: Database, till_id: str) -> None:
        self.db = db
        self.till_id = till_id
        self.sales = SqlJournal(db, till_id)

    # -- shifts ------------------------------------------------------------------------
    def open_shift(self, shift: Shift) -> None:
        """Record the shift's opening with its float (once: the same shift again changes nothing)."""
        self._check_till(shift.till_id, "shift", shift.shift_id)
        form = forms.shift_opened_to_dict(shift)

        def work(conn: Connection, now: str) -> None:
            if self._shift_event(conn, shift.shift_id, "opened"):
                return
            conn.exec_driver_sql(
                "INSERT INTO shifts (shift_id, event, till_id, by_whom, at, recorded_at, body) "
                "VALUES (?, 'opened', ?, ?, ?, ?, ?)",
                (str(shift.shift_id), self.till_id, shift.opened_by, shift.opened_at.isoformat(), now, _json(form)),
            )
            self._outbox(conn, shift_document_id(shift.shift_id, "opened"), form, SHIFT_SERIES, 0, now)

        self._write(work, f"recording the opening of shift {shift.shift_id}")

    def open_shift_id(self) -> uuid.UUID | None:
        """The shift of this till opened and not closed, if any (the newest)."""
        found = self.db.read(lambda c: c.exec_driver_sql(
            "SELECT o.shift_id FROM shifts o WHERE o.event = 'opened' AND o.till_id = ? AND NOT EXISTS "
            "(SELECT 1 FROM shifts c WHERE c.shift_id = o.shift_id AND c.event = 'closed') "
            "ORDER BY o.recorded_at DESC LIMIT 1", (self.till_id,)).scalar(), "reading the open shift")
        return None if found is None else uuid.UUID(found)

    def current_shift(self, denominations: Denominations) -> Shift | None:
        """The open shift of this till rebuilt from the journal (after a restart), with its
        cash movements; None when no shift is open."""
        shift_id = self.open_shift_id()
        if shift_id is None:
            return None

        def read(conn: Connection) -> Shift:
            opened = self._shift_event(conn, shift_id, "opened")
            assert opened is not None
            body = json.loads(opened[1])
            movements = [forms.cash_movement_from_dict(json.loads(b)) for b in conn.exec_driver_sql(
                "SELECT body FROM cash_movements WHERE shift_id = ? ORDER BY number", (str(shift_id),)).scalars()]
            return Shift(shift_id, body["store_id"], body["till_id"], body["currency"], body["by"],
                         datetime.fromisoformat(body["at"]), count_from_data(denominations, body["float"]),
                         movements=movements)

        return self.db.read(read, "reading the open shift")

    def record_cash_movement(self, movement: CashMovement) -> CashMovement:
        """The movement with its number (cash in or out of the open shift)."""
        _minor(movement.amount)

        def work(conn: Connection, now: str) -> CashMovement:
            done = conn.exec_driver_sql("SELECT body FROM cash_movements WHERE movement_id = ?",
                                        (str(movement.movement_id),)).scalar()
            if done is not None:
                return forms.cash_movement_from_dict(json.loads(done))
            self._require_open(conn, movement.shift_id)
            numbered = replace(movement, number=self._take_number(conn, CASH_MOVEMENT_SERIES))
            form = forms.cash_movement_to_dict(numbered)
            conn.exec_driver_sql(
                "INSERT INTO cash_movements (movement_id, shift_id, till_id, number, direction, amount_minor, "
                "currency, at, recorded_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (str(numbered.movement_id), str(numbered.shift_id), self.till_id, numbered.number,
                 numbered.direction, _minor(numbered.amount), numbered.amount.currency, numbered.at.isoformat(),
                 now, _json(form)),
            )
            self._outbox(conn, numbered.movement_id, form, CASH_MOVEMENT_SERIES, numbered.number, now)
            return numbered

        return self._write(work, f"recording cash movement {movement.movement_id}")

    # -- approvals and cancelled sales ---------------------------------------------------
    def record_approval(self, approval: ApprovalRecord) -> None:
        """Record a spent approval; the same approval again is refused (ApprovalAlreadyUsed)."""
        form = forms.approval_to_dict(approval)

        def work(conn: Connection, now: str) -> None:
            if conn.exec_driver_sql("SELECT 1 FROM approvals WHERE approval_id = ?",
                                    (str(approval.approval_id),)).first():
                raise ApprovalAlreadyUsed()
            conn.exec_driver_sql(
                "INSERT INTO approvals (approval_id, action, amount_minor, sale_id, requested_by, approved_by, "
                "approved_at, recorded_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (str(approval.approval_id), approval.action.value,
                 None if approval.amount is None else _minor(approval.amount),
                 None if approval.sale_id is None else str(approval.sale_id), approval.requested_by,
                 approval.approved_by, approval.approved_at.isoformat(), now, _json(form)),
            )
            self._outbox(conn, approval.approval_id, form, APPROVAL_SERIES, 0, now)

        self._write(work, f"recording approval {approval.approval_id}")

    def spent_approvals(self) -> list[uuid.UUID]:
        """Every approval recorded (``ApprovalDesk.starting_from`` refuses them after a restart)."""
        ids = self.db.read(lambda c: c.exec_driver_sql("SELECT approval_id FROM approvals").scalars().all(),
                           "reading the approvals")
        return [uuid.UUID(i) for i in ids]

    def record_cancelled_sale(self, cancelled: CancelledSale) -> None:
        """Record a whole sale cancelled before payment (once)."""
        form = forms.cancelled_sale_to_dict(cancelled)

        def work(conn: Connection, now: str) -> None:
            if conn.exec_driver_sql("SELECT 1 FROM cancelled_sales WHERE sale_id = ?",
                                    (str(cancelled.sale_id),)).first():
                return
            if read_sale(conn, cancelled.sale_id) is not None:
                raise StorageProblem(reason=f"sale {cancelled.sale_id} was paid; it cannot be cancelled")
            conn.exec_driver_sql(
                "INSERT INTO cancelled_sales (sale_id, cashier_id, cancelled_at, total_minor, recorded_at, body) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (str(cancelled.sale_id), cancelled.cashier_id, cancelled.cancelled_at.isoformat(),
                 _minor(cancelled.total), now, _json(form)),
            )
            conn.exec_driver_sql("DELETE FROM open_basket")
            self._outbox(conn, cancelled.sale_id, form, CANCELLED_SERIES, 0, now)

        self._write(work, f"recording the cancelled sale {cancelled.sale_id}")

    # -- sales, returns, exchanges -------------------------------------------------------
    def record_paid_sale(self, sale: Sale, cards: Mapping[uuid.UUID, CardApproval] | None = None) -> Sale:
        """A sale (as ``SqlJournal.record_sale``) with the card approvals of its payments."""
        rows = sale_rows(sale, recorded_at=_now())
        self._check_till(sale.till_id, "sale", sale.sale_id)

        def work(conn: Connection, now: str) -> Sale:
            recorded = self.sales.record_sale_in(conn, sale, rows, now, cards)
            self._card_approvals(conn, sale.sale_id, cards or {})
            return recorded

        return self._write(work, f"recording sale {sale.sale_id}")

    def record_return(self, returned: ReturnDocument) -> ReturnDocument:
        """The return with its number; refused (ReturnTooMuch) beyond what this journal's sale has left."""
        self._check_till(returned.till_id, "return", returned.return_id)
        if returned.exchange_sale_id is not None:
            raise StorageProblem(reason=f"return {returned.return_id} is part of an exchange: record it with its sale")
        return self._write(lambda conn, now: self._return_in(conn, returned, now),
                           f"recording return {returned.return_id}")

    def record_exchange(self, returned: ReturnDocument, sale: Sale,
                        cards: Mapping[uuid.UUID, CardApproval] | None = None) -> tuple[ReturnDocument, Sale]:
        """An exchange: the return and the new sale it pays for, numbered and recorded together."""
        self._check_till(returned.till_id, "return", returned.return_id)
        if returned.exchange_sale_id != sale.sale_id:
            raise StorageProblem(
                reason=f"return {returned.return_id} does not name sale {sale.sale_id} as its exchange")
        credit = sum((f.payment.amount.amount for f in returned.refunds if f.payment.method == EXCHANGE_CREDIT),
                     Decimal(0))
        paid = sum((p.amount.amount for p in sale.payments if p.method == EXCHANGE_CREDIT), Decimal(0))
        if credit != paid:
            raise StorageProblem(reason=f"exchange {returned.return_id} credits {credit} but its sale takes {paid}")
        rows = sale_rows(sale, recorded_at=_now())

        def work(conn: Connection, now: str) -> tuple[ReturnDocument, Sale]:
            done = self._recorded_return(conn, returned.return_id)
            if done is not None:
                recorded = read_sale(conn, sale.sale_id)
                assert recorded is not None
                return done, recorded
            new_sale = self.sales.record_sale_in(conn, sale, rows, now, cards)
            self._card_approvals(conn, sale.sale_id, cards or {})
            return self._return_in(conn, returned, now), new_sale

        return self._write(work, f"recording exchange {returned.return_id}")

    def already_returned(self, sale_id: uuid.UUID) -> dict[uuid.UUID, Decimal]:
        """Per sold line of ``sale_id``, the quantity this journal's returns gave back."""
        return self.db.read(lambda c: _returned(c, sale_id), "reading the returns of a sale")

    def already_refunded(self, sale_id: uuid.UUID) -> dict[uuid.UUID, Money]:
        """Per payment of ``sale_id``, what this journal's returns paid back to it."""

        def read(conn: Connection) -> dict[uuid.UUID, Money]:
            rows = conn.exec_driver_sql(
                "SELECT f.original_payment_id, sum(f.amount_minor), r.currency FROM refunds f "
                "JOIN returns r ON r.return_id = f.return_id WHERE r.original_sale_id = ? "
                "AND f.original_payment_id IS NOT NULL GROUP BY f.original_payment_id, r.currency", (str(sale_id),))
            return {uuid.UUID(p): Money.from_minor(int(m), c) for p, m, c in rows}

        return self.db.read(read, "reading the refunds of a sale")

    def get_return(self, return_id: uuid.UUID) -> ReturnDocument | None:
        return self.db.read(lambda c: self._recorded_return(c, return_id), "reading a return")

    def card_approval(self, payment_id: uuid.UUID) -> CardApproval | None:
        row = self.db.read(lambda c: c.exec_driver_sql(
            "SELECT approval_code, masked_reference, terminal_reference FROM card_approvals WHERE payment_id = ?",
            (str(payment_id),)).first(), "reading a card approval")
        return None if row is None else CardApproval(*row)

    # -- the shift's close and its Z ---------------------------------------------------
    def day_documents(self, shift: Shift) -> DayDocuments:
        return self.db.read(lambda c: self._documents(c, shift), "reading the shift's documents")

    def unsent_z_number(self) -> int | None:
        """The newest Z report the hub has not acknowledged yet (``Shift.begin_close``)."""
        return self.db.read(lambda c: unacknowledged_number(c, Z_SERIES), "reading the outbox")

    def close_shift(self, shift: Shift, closed: ShiftClose, report: ShiftReport) -> ShiftReport:
        """Record the shift's closing and its Z report (numbered), after checking that
        ``report`` is what this journal's documents of the shift make and that it
        reconciles with them; otherwise ZDoesNotReconcile with the figures, nothing recorded."""
        self._check_till(shift.till_id, "shift", shift.shift_id)
        if report.kind is not ReportKind.Z or report.shift_id != shift.shift_id:
            raise StorageProblem(reason=f"the report is not the Z report of shift {shift.shift_id}")

        def work(conn: Connection, now: str) -> ShiftReport:
            done = conn.exec_driver_sql("SELECT body FROM z_reports WHERE shift_id = ?",
                                        (str(shift.shift_id),)).scalar()
            if done is not None:
                return forms.z_report_from_dict(json.loads(done))
            self._require_open(conn, shift.shift_id)
            docs = self._documents(conn, shift)
            mismatches: list[Any] = list(reconcile(report, docs))
            recomputed = compute_report(ReportKind.Z, docs)
            differ = [name for name in ShiftReport.__dataclass_fields__
                      if name != "z_number" and getattr(recomputed, name) != getattr(report, name)]
            if differ:
                mismatches.append(f"the report is not what the journal's documents make ({', '.join(differ)})")
            if mismatches:
                figures = "; ".join(m if isinstance(m, str) else f"{m.what}: {m.in_report} in the report, "
                                    f"{m.from_documents} in the journal" for m in mismatches)
                log.error("Z report of shift %s does not reconcile: %s", shift.shift_id, figures)
                raise ZDoesNotReconcile(figures=figures)
            numbered = replace(report, z_number=self._take_number(conn, Z_SERIES))
            closing = forms.shift_closed_to_dict(shift, closed)
            conn.exec_driver_sql(
                "INSERT INTO shifts (shift_id, event, till_id, by_whom, at, recorded_at, body) "
                "VALUES (?, 'closed', ?, ?, ?, ?, ?)",
                (str(shift.shift_id), self.till_id, closed.closed_by, closed.closed_at.isoformat(), now,
                 _json(closing)),
            )
            self._outbox(conn, shift_document_id(shift.shift_id, "closed"), closing, SHIFT_SERIES, 0, now)
            z_form = forms.z_report_to_dict(numbered)
            conn.exec_driver_sql(
                "INSERT INTO z_reports (shift_id, till_id, z_number, recorded_at, body) VALUES (?, ?, ?, ?, ?)",
                (str(shift.shift_id), self.till_id, numbered.z_number, now, _json(z_form)),
            )
            self._outbox(conn, shift.shift_id, z_form, Z_SERIES, numbered.z_number, now)
            return numbered

        return self._write(work, f"closing shift {shift.shift_id}")

    def z_report(self, shift_id: uuid.UUID) -> ShiftReport | None:
        body = self.db.read(lambda c: c.exec_driver_sql(
            "SELECT body FROM z_reports WHERE shift_id = ?", (str(shift_id),)).scalar(), "reading a Z report")
        return None if body is None else forms.z_report_from_dict(json.loads(body))

    # -- helpers -----------------------------------------------------------------------
    def _write(self, work: Callable[[Connection, str], T], doing: str) -> T:
        try:
            with self.db.writing() as conn:
                return work(conn, _now())
        except sa_exc.SQLAlchemyError as error:
            raise explain(error, path=self.db.path, doing=doing) from error

    def _check_till(self, till_id: str, what: str, key: uuid.UUID) -> None:
        if till_id != self.till_id:
            raise StorageProblem(reason=f"{what} {key} belongs to till {till_id}, this is till {self.till_id}")

    def _take_number(self, conn: Connection, series: str) -> int:
        column = _COUNTERS[series]
        conn.exec_driver_sql(
            "INSERT INTO till_counter (till_id, next_receipt_number) "
            "SELECT ?, COALESCE(MAX(receipt_number), 0) + 1 FROM sales WHERE till_id = ? "
            "ON CONFLICT (till_id) DO NOTHING", (self.till_id, self.till_id))
        number = int(conn.exec_driver_sql(f"SELECT {column} FROM till_counter WHERE till_id = ?",
                                          (self.till_id,)).scalar_one())
        conn.exec_driver_sql(f"UPDATE till_counter SET {column} = ? WHERE till_id = ?", (number + 1, self.till_id))
        return number

    def _outbox(self, conn: Connection, document_id: uuid.UUID, form: dict[str, Any], series: str, number: int,
                now: str) -> None:
        add_document(conn, DocumentRow(document_id, str(form["schema"]), series, number, _json(form)), now)

    @staticmethod
    def _shift_event(conn: Connection, shift_id: uuid.UUID, event: str) -> tuple[str, str] | None:
        row = conn.exec_driver_sql("SELECT recorded_at, body FROM shifts WHERE shift_id = ? AND event = ?",
                                   (str(shift_id), event)).first()
        return None if row is None else (str(row[0]), str(row[1]))

    def _require_open(self, conn: Connection, shift_id: uuid.UUID) -> str:
        opened = self._shift_event(conn, shift_id, "opened")
        if opened is None:
            raise ShiftNotRecorded()
        if self._shift_event(conn, shift_id, "closed") is not None:
            raise ShiftAlreadyClosed()
        return opened[0]

    def _card_approvals(self, conn: Connection, document_id: uuid.UUID,
                        cards: Mapping[uuid.UUID, CardApproval]) -> None:
        for payment_id, card in cards.items():
            conn.exec_driver_sql(
                "INSERT INTO card_approvals (payment_id, document_id, approval_code, masked_reference, "
                "terminal_reference) VALUES (?, ?, ?, ?, ?) ON CONFLICT (payment_id) DO NOTHING",
                (str(payment_id), str(document_id), card.approval_code, card.masked_reference,
                 card.terminal_reference),
            )

    @staticmethod
    def _recorded_return(conn: Connection, return_id: uuid.UUID) -> ReturnDocument | None:
        body = conn.exec_driver_sql("SELECT body FROM returns WHERE return_id = ?", (str(return_id),)).scalar()
        return None if body is None else forms.return_from_dict(json.loads(body))

    def _return_in(self, conn: Connection, returned: ReturnDocument, now: str) -> ReturnDocument:
        done = self._recorded_return(conn, returned.return_id)
        if done is not None:
            return done
        _check_against_sale(conn, returned)
        numbered = replace(returned, return_number=self._take_number(conn, RETURN_SERIES))
        form = forms.return_to_dict(numbered)
        rid = str(numbered.return_id)
        conn.exec_driver_sql(
            "INSERT INTO returns (return_id, till_id, return_number, original_sale_id, exchange_sale_id, "
            "returned_at, currency, total_minor, rounding_minor, recorded_at, body) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (rid, self.till_id, numbered.return_number, _text(numbered.original_sale_id),
             _text(numbered.exchange_sale_id), numbered.returned_at.isoformat(), numbered.currency,
             _minor(numbered.total), _minor(numbered.rounding), now, _json(form)),
        )
        for n, line in enumerate(numbered.lines):
            conn.exec_driver_sql(
                "INSERT INTO return_lines (return_id, position, line_id, sold_line_id, quantity, total_minor) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (rid, n, str(line.line_id), _text(line.sold_line_id), str(line.quantity), _minor(line.total)),
            )
        for n, refund in enumerate(numbered.refunds):
            conn.exec_driver_sql(
                "INSERT INTO refunds (return_id, position, payment_id, method, amount_minor, original_payment_id) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (rid, n, str(refund.payment.payment_id), refund.payment.method, _minor(refund.payment.amount),
                 _text(refund.original_payment_id)),
            )
        self._card_approvals(conn, numbered.return_id,
                             {f.payment.payment_id: f.card for f in numbered.refunds if f.card is not None})
        self._outbox(conn, numbered.return_id, form, RETURN_SERIES, numbered.return_number, now)
        return numbered

    def _documents(self, conn: Connection, shift: Shift) -> DayDocuments:
        """The shift's documents: those whose outbox rows come after its opening's row (and
        before its closing's): the outbox row order is the order of the transactions, which
        a clock (coarse on some systems, or set back) cannot be trusted for."""
        since = row_of(conn, shift_document_id(shift.shift_id, "opened"))
        if since is None:
            raise ShiftNotRecorded()
        until = row_of(conn, shift_document_id(shift.shift_id, "closed"))

        def bodies(table: str, key: str, series: str) -> list[Any]:
            found = []
            for document_id in documents_between(conn, series, since, until):
                body = conn.exec_driver_sql(f"SELECT body FROM {table} WHERE {key} = ?", (document_id,)).scalar()
                if body is not None:
                    found.append(json.loads(body))
            return found

        sale_ids = documents_between(conn, "receipt", since, until)
        sales = tuple(s for s in (read_sale(conn, uuid.UUID(i)) for i in sale_ids)
                      if s is not None and s.till_id == self.till_id)
        returns = tuple(r for r in map(forms.return_from_dict, bodies("returns", "return_id", RETURN_SERIES))
                        if r.till_id == self.till_id)
        cancelled = tuple(map(forms.cancelled_sale_from_dict, bodies("cancelled_sales", "sale_id", CANCELLED_SERIES)))
        movements = tuple(forms.cash_movement_from_dict(json.loads(b)) for b in conn.exec_driver_sql(
            "SELECT body FROM cash_movements WHERE shift_id = ? ORDER BY number", (str(shift.shift_id),)).scalars())
        return DayDocuments(shift.shift_id, shift.currency, shift.opening_float.total, sales, returns, cancelled,
                            movements)


def _text(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)


def _returned(conn: Connection, sale_id: uuid.UUID) -> dict[uuid.UUID, Decimal]:
    done: dict[uuid.UUID, Decimal] = {}
    for line_id, quantity in conn.exec_driver_sql(
        "SELECT l.sold_line_id, l.quantity FROM return_lines l JOIN returns r ON r.return_id = l.return_id "
        "WHERE r.original_sale_id = ? AND l.sold_line_id IS NOT NULL", (str(sale_id),)):
        key = uuid.UUID(line_id)
        done[key] = done.get(key, Decimal(0)) + Decimal(quantity)
    return done


def _check_against_sale(conn: Connection, returned: ReturnDocument) -> None:
    """For a sale in this journal: no line returned beyond what was sold (across all its returns).
    An unchecked return (another till's sale, the hub away) names no sold line: the hub reconciles it."""
    if returned.unchecked_sale_id is not None and (
            returned.original_sale_id is not None or any(line.sold_line_id for line in returned.lines)):
        raise StorageProblem(reason=f"return {returned.return_id} is unchecked but names sold lines")
    if returned.original_sale_id is None:
        return
    sale = read_sale(conn, returned.original_sale_id)
    if sale is None:
        return  # another till's sale: the hub is the arbiter (checked before, by the caller)
    sold = {line.line_id: line for line in sale.lines if not line.voided}
    before = _returned(conn, sale.sale_id)
    asking: dict[uuid.UUID, Decimal] = {}
    for line in returned.lines:
        if line.sold_line_id is None:
            continue
        if line.sold_line_id not in sold:
            raise StorageProblem(reason=f"line {line.sold_line_id} is not a line of sale {sale.sale_id}")
        asking[line.sold_line_id] = asking.get(line.sold_line_id, Decimal(0)) + line.quantity
    for line_id, quantity in asking.items():
        left = sold[line_id].quantity - before.get(line_id, Decimal(0))
        if quantity > left:
            raise ReturnTooMuch(name=sold[line_id].name, asked=quantity, left=left)
