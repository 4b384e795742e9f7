"""The manager's read side of the journal (ui/manager/): this till's shifts, a search over its
sales and returns, the documents the hub has not acknowledged yet, and a day's figures.

Read only: every query is parameterised SQL in one read transaction (a consistent snapshot)
and bounded (``limit``; a result says when there was ``more``).  Called on the till worker.

A shift's documents are those whose outbox rows lie between its opening's row and its
closing's (the order of the till's transactions, as ``SqlStoreDay`` decides it), plus its Z
report, written just after its closing.  Moments are compared as instants (SQLite's
``julianday`` reads the stored ISO 8601 times with their offsets).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any, TypeVar

from sqlalchemy import Connection
from sqlalchemy import exc as sa_exc

from local_db.database import Database
from local_db.problems import explain
from local_db.store_day_journal import shift_document_id
from pos.money import Money

T = TypeVar("T")

MAX_RESULTS = 200  # rows a search shows at most
MAX_UNSENT = 500  # unsent documents listed at most (the counts are always whole)
MAX_SHIFTS = 200  # shifts in the history
MAX_DAY_DOCUMENTS = 20_000  # sales and returns read for one day's figures
SALE, RETURN = "sale", "return"
TENDERS = ("cash", "card", "exchange_credit")


@dataclass(frozen=True, slots=True)
class JournalQuery:
    """What the manager looks for; every field left empty matches everything."""

    number: int | None = None  # a receipt number (the sale and its returns) or a return number
    since: datetime | None = None  # aware; from this moment on
    until: datetime | None = None  # aware; before this moment
    amount: Money | None = None  # the receipt's total (with or without the cash rounding)
    cashier: str = ""  # a cashier's code, or part of their name (any case)
    tender: str | None = None  # cash, card or exchange_credit
    kinds: frozenset[str] = frozenset({SALE, RETURN})
    shift_id: uuid.UUID | None = None  # only this shift's documents
    limit: int = MAX_RESULTS


@dataclass(frozen=True, slots=True)
class JournalEntry:
    kind: str  # "sale" or "return"
    document_id: uuid.UUID  # the sale_id or return_id
    number: int  # the receipt number, or the return number
    at: datetime
    cashier: str  # the name
    amount: Money  # what the customer paid (a sale's due) or got back (a return's refunds)
    tenders: tuple[str, ...]
    sent: bool  # the hub acknowledged it
    quarantined: bool
    original_receipt: int = 0  # a return's receipt (0: without receipt)


@dataclass(frozen=True, slots=True)
class Found:
    entries: tuple[JournalEntry, ...]
    more: bool  # more matched than ``limit``: narrow the search


@dataclass(frozen=True, slots=True)
class ShiftEntry:
    shift_id: uuid.UUID
    opened_by: str  # the name (the code when the cashier is gone)
    opened_at: datetime
    opening_float: Money
    closed_by: str  # "" while open
    closed_at: datetime | None
    z_number: int  # 0 while open
    counted: Money | None
    expected: Money | None
    variance: Money | None  # counted - expected: negative is short
    sales_count: int
    returns_count: int
    waiting: int  # its documents not sent yet
    quarantined: int  # its documents the hub refused

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True, slots=True)
class UnsentDocument:
    row_id: int
    document_id: uuid.UUID
    kind: str  # the schema: kassa.sale.v1, kassa.return.v1...
    series: str  # receipt, return, cash_movement, z_report, shift, approval, sale_cancelled
    number: int  # 0 in a series without numbers
    created_at: datetime
    attempts: int
    last_problem: str  # the last sending problem, or the hub's reason for a quarantine
    quarantined_at: datetime | None
    shift_id: uuid.UUID | None  # the shift it was written in (None: before any shift)


@dataclass(frozen=True, slots=True)
class Unsent:
    documents: tuple[UnsentDocument, ...]
    waiting: int  # all of them, even beyond ``limit``
    quarantined: int
    more: bool


@dataclass(frozen=True, slots=True)
class HourFigure:
    hour: int  # 0..23 on the shop's clock
    sales_count: int
    sales: Money
    returns: Money


@dataclass(frozen=True, slots=True)
class CashierFigure:
    name: str
    sales_count: int
    sales: Money
    returns: Money


@dataclass(frozen=True, slots=True)
class TenderFigure:
    method: str
    taken: Money
    refunded: Money

    @property
    def net(self) -> Money:
        return self.taken - self.refunded


@dataclass(frozen=True, slots=True)
class DayFigures:
    currency: str
    by_hour: tuple[HourFigure, ...]  # the hours with a sale or a return, in order
    by_cashier: tuple[CashierFigure, ...]  # by name
    by_tender: tuple[TenderFigure, ...]  # cash, card, exchange credit, then any other
    sales_count: int
    sales: Money  # what customers paid (dues)
    returns_count: int
    returns: Money  # what they got back
    complete: bool  # False: more than MAX_DAY_DOCUMENTS documents, the figures cover the first ones

    @property
    def net(self) -> Money:
        return self.sales - self.returns


_Range = tuple[int, int | None, uuid.UUID]  # opened row, closed row (None: open), shift id


class JournalSearch:
    """The manager's queries over one till's journal; each call is one read transaction."""

    def __init__(self, db: Database, till_id: str, currency: str) -> None:
        self.db = db
        self.till_id = till_id
        self.currency = currency

    # -- the search ----------------------------------------------------------------------
    def search(self, query: JournalQuery) -> Found:
        limit = max(1, min(query.limit, MAX_RESULTS))

        def read(conn: Connection) -> Found:
            rows = self._shift_rows(conn, query.shift_id) if query.shift_id is not None else None
            entries: list[JournalEntry] = []
            more = False
            if SALE in query.kinds:
                found = self._sales(conn, query, rows, limit + 1)
                more |= len(found) > limit
                entries += found
            if RETURN in query.kinds:
                found = self._returns(conn, query, rows, limit + 1)
                more |= len(found) > limit
                entries += found
            entries.sort(key=lambda e: (e.at, e.kind, e.number), reverse=True)
            return Found(tuple(entries[:limit]), more or len(entries) > limit)

        return self._read(read, "searching the journal")

    def _sales(self, conn: Connection, query: JournalQuery, rows: tuple[int, int] | None,
               limit: int) -> list[JournalEntry]:
        where, params = ["s.till_id = ?"], [self.till_id]
        if query.number is not None:
            where.append("s.receipt_number = ?")
            params.append(query.number)
        self._moments("s.completed_at", query, where, params)
        if query.amount is not None:
            minor = _minor_or_none(query.amount)
            where.append("(s.total_minor = ? OR s.total_minor + s.rounding_minor = ?)")
            params += [minor, minor]
        if query.cashier.strip():
            codes = self._cashier_codes(conn, query.cashier, "SELECT DISTINCT cashier_id, cashier_name FROM sales "
                                        "WHERE till_id = ?")
            where.append(f"s.cashier_id IN ({_marks(codes)})")
            params += codes
        if query.tender is not None:
            where.append("EXISTS (SELECT 1 FROM sale_payments p WHERE p.sale_id = s.sale_id AND p.method = ?)")
            params.append(query.tender)
        if rows is not None:
            where.append("o.row_id >= ? AND o.row_id <= ?")
            params += list(rows)
        sql = ("SELECT s.sale_id, s.receipt_number, s.completed_at, s.cashier_name, s.currency, "
               "s.total_minor + s.rounding_minor, o.acked_at IS NOT NULL, "
               "o.acked_at IS NULL AND o.quarantined_at IS NOT NULL, "
               "(SELECT group_concat(method, ' ') FROM (SELECT DISTINCT method FROM sale_payments p "
               " WHERE p.sale_id = s.sale_id ORDER BY method)) "
               "FROM sales s LEFT JOIN outbox o ON o.document_id = s.sale_id "
               f"WHERE {' AND '.join(where)} ORDER BY julianday(s.completed_at) DESC, s.receipt_number DESC LIMIT ?")
        return [JournalEntry(SALE, uuid.UUID(i), int(n), datetime.fromisoformat(at), str(name),
                             Money.from_minor(int(due), currency), tuple(str(tenders or "").split()), bool(sent),
                             bool(held))
                for i, n, at, name, currency, due, sent, held, tenders
                in conn.exec_driver_sql(sql, (*params, limit))]

    def _returns(self, conn: Connection, query: JournalQuery, rows: tuple[int, int] | None,
                 limit: int) -> list[JournalEntry]:
        where, params = ["r.till_id = ?"], [self.till_id]
        if query.number is not None:
            where.append("(r.return_number = ? OR json_extract(r.body, '$.original_receipt_number') = ?)")
            params += [query.number, query.number]
        self._moments("r.returned_at", query, where, params)
        if query.amount is not None:
            minor = _minor_or_none(query.amount)
            where.append("(r.total_minor = ? OR r.total_minor + r.rounding_minor = ?)")
            params += [minor, minor]
        if query.cashier.strip():
            codes = self._cashier_codes(conn, query.cashier, "SELECT DISTINCT json_extract(body, '$.cashier.id'), "
                                        "json_extract(body, '$.cashier.name') FROM returns WHERE till_id = ?")
            where.append(f"json_extract(r.body, '$.cashier.id') IN ({_marks(codes)})")
            params += codes
        if query.tender is not None:
            where.append("EXISTS (SELECT 1 FROM refunds f WHERE f.return_id = r.return_id AND f.method = ?)")
            params.append(query.tender)
        if rows is not None:
            where.append("o.row_id >= ? AND o.row_id <= ?")
            params += list(rows)
        sql = ("SELECT r.return_id, r.return_number, r.returned_at, json_extract(r.body, '$.cashier.name'), "
               "r.currency, (SELECT COALESCE(sum(f.amount_minor), 0) FROM refunds f WHERE f.return_id = r.return_id), "
               "o.acked_at IS NOT NULL, o.acked_at IS NULL AND o.quarantined_at IS NOT NULL, "
               "(SELECT group_concat(method, ' ') FROM (SELECT DISTINCT method FROM refunds f "
               " WHERE f.return_id = r.return_id ORDER BY method)), "
               "COALESCE(json_extract(r.body, '$.original_receipt_number'), 0) "
               "FROM returns r LEFT JOIN outbox o ON o.document_id = r.return_id "
               f"WHERE {' AND '.join(where)} ORDER BY julianday(r.returned_at) DESC, r.return_number DESC LIMIT ?")
        return [JournalEntry(RETURN, uuid.UUID(i), int(n), datetime.fromisoformat(at), str(name or ""),
                             Money.from_minor(int(paid), currency), tuple(str(tenders or "").split()), bool(sent),
                             bool(held), int(receipt or 0))
                for i, n, at, name, currency, paid, sent, held, tenders, receipt
                in conn.exec_driver_sql(sql, (*params, limit))]

    @staticmethod
    def _moments(column: str, query: JournalQuery, where: list[str], params: list[Any]) -> None:
        if query.since is not None:
            where.append(f"julianday({column}) >= julianday(?)")
            params.append(_instant(query.since))
        if query.until is not None:
            where.append(f"julianday({column}) < julianday(?)")
            params.append(_instant(query.until))

    def _cashier_codes(self, conn: Connection, typed: str, sql: str) -> list[str]:
        """The codes of the cashiers whose code is ``typed`` or whose name holds it, in any case
        (SQLite's own LIKE folds only ASCII letters: Олена must find олена too)."""
        wanted = typed.strip().casefold()
        known = conn.exec_driver_sql(sql, (self.till_id,)).fetchall()
        return sorted({str(code) for code, name in known
                       if code is not None and (str(code).casefold() == wanted or wanted in str(name or "").casefold())})

    # -- shifts --------------------------------------------------------------------------
    def shifts(self, limit: int = MAX_SHIFTS) -> tuple[ShiftEntry, ...]:
        """This till's shifts, the newest first."""

        def read(conn: Connection) -> tuple[ShiftEntry, ...]:
            names = dict(conn.exec_driver_sql("SELECT code, name FROM cashiers").fetchall())
            opened = conn.exec_driver_sql(
                "SELECT shift_id, body FROM shifts WHERE till_id = ? AND event = 'opened' "
                "ORDER BY julianday(at) DESC, recorded_at DESC LIMIT ?",
                (self.till_id, max(1, min(limit, MAX_SHIFTS)))).fetchall()
            return tuple(self._shift(conn, uuid.UUID(i), json.loads(body), names) for i, body in opened)

        return self._read(read, "reading the shifts")

    def _shift(self, conn: Connection, shift_id: uuid.UUID, body: dict[str, Any], names: dict[str, str]) -> ShiftEntry:
        currency = str(body["currency"])
        closing = conn.exec_driver_sql("SELECT body FROM shifts WHERE shift_id = ? AND event = 'closed'",
                                       (str(shift_id),)).scalar()
        closed = json.loads(closing) if closing is not None else None
        z_number = conn.exec_driver_sql("SELECT z_number FROM z_reports WHERE shift_id = ?", (str(shift_id),)).scalar()
        first, last = self._shift_rows(conn, shift_id)
        sales, returns = conn.exec_driver_sql(
            "SELECT count(CASE WHEN series = 'receipt' THEN 1 END), count(CASE WHEN series = 'return' THEN 1 END) "
            "FROM outbox WHERE row_id >= ? AND row_id <= ?", (first, last)).one()
        waiting, held = conn.exec_driver_sql(
            "SELECT count(CASE WHEN quarantined_at IS NULL THEN 1 END), count(quarantined_at) FROM outbox "
            "WHERE acked_at IS NULL AND ((row_id >= ? AND row_id <= ?) OR document_id = ?)",
            (first, last, str(shift_id))).one()

        def money(key: str) -> Money | None:
            return None if closed is None else Money.of(str(closed[key]), currency)

        return ShiftEntry(
            shift_id, names.get(body["by"], str(body["by"])), datetime.fromisoformat(body["at"]),
            Money.of(str(body["float_total"]), currency),
            "" if closed is None else names.get(closed["by"], str(closed["by"])),
            None if closed is None else datetime.fromisoformat(closed["at"]), int(z_number or 0),
            money("counted_total"), money("expected"), money("variance"), int(sales), int(returns), int(waiting),
            int(held))

    def _shift_rows(self, conn: Connection, shift_id: uuid.UUID) -> tuple[int, int]:
        """The outbox rows of a shift's opening and closing (the last row there is, while open)."""
        def row(event: str) -> int | None:
            found = conn.exec_driver_sql("SELECT row_id FROM outbox WHERE document_id = ?",
                                         (str(shift_document_id(shift_id, event)),)).scalar()
            return None if found is None else int(found)

        first = row("opened")
        if first is None:
            return (0, -1)  # matches nothing
        return (first, row("closed") or 1 << 62)

    def _ranges(self, conn: Connection) -> list[_Range]:
        ranges: list[_Range] = []
        for (text,) in conn.exec_driver_sql(
                "SELECT shift_id FROM shifts WHERE till_id = ? AND event = 'opened'", (self.till_id,)):
            shift_id = uuid.UUID(text)
            first, last = self._shift_rows(conn, shift_id)
            if first:
                ranges.append((first, None if last == 1 << 62 else last, shift_id))
        return sorted(ranges, key=lambda r: r[0])

    # -- the unsent documents --------------------------------------------------------------
    def unsent(self, shift_id: uuid.UUID | None = None, limit: int = MAX_UNSENT) -> Unsent:
        """Every document the hub has not acknowledged (waiting and quarantined), in the order
        written; with ``shift_id``, only that shift's."""

        def read(conn: Connection) -> Unsent:
            ranges = self._ranges(conn)
            where, params = ["acked_at IS NULL"], []
            if shift_id is not None:
                first, last = self._shift_rows(conn, shift_id)
                where.append("((row_id >= ? AND row_id <= ?) OR document_id = ?)")
                params += [first, last, str(shift_id)]
            clause = " AND ".join(where)
            waiting, held = conn.exec_driver_sql(
                f"SELECT count(CASE WHEN quarantined_at IS NULL THEN 1 END), count(quarantined_at) FROM outbox "
                f"WHERE {clause}", tuple(params)).one()
            rows = conn.exec_driver_sql(
                "SELECT row_id, document_id, kind, series, number, created_at, attempts, "
                "COALESCE(quarantine_reason, last_error, ''), quarantined_at "
                f"FROM outbox WHERE {clause} ORDER BY row_id LIMIT ?", (*params, max(1, min(limit, MAX_UNSENT)))
            ).fetchall()
            documents = tuple(
                UnsentDocument(int(r), uuid.UUID(d), str(k), str(s), int(n), datetime.fromisoformat(c), int(a),
                               str(p), None if q is None else datetime.fromisoformat(q),
                               _shift_of(int(r), str(s), uuid.UUID(d), ranges))
                for r, d, k, s, n, c, a, p, q in rows)
            return Unsent(documents, int(waiting), int(held), int(waiting) + int(held) > len(documents))

        return self._read(read, "reading the unsent documents")

    # -- a day's figures -------------------------------------------------------------------
    def day_figures(self, since: datetime, until: datetime, zone: tzinfo) -> DayFigures:
        """Sales and returns from ``since`` until ``until`` by hour (on ``zone``'s clock), by
        cashier and by tender.  Amounts are added in minor units: exact."""

        def read(conn: Connection) -> DayFigures:
            bounds = (self.till_id, _instant(since), _instant(until))
            sales = conn.exec_driver_sql(
                "SELECT sale_id, completed_at, cashier_name, total_minor + rounding_minor FROM sales "
                "WHERE till_id = ? AND julianday(completed_at) >= julianday(?) AND julianday(completed_at) < julianday(?) "
                "ORDER BY julianday(completed_at) LIMIT ?", (*bounds, MAX_DAY_DOCUMENTS + 1)).fetchall()
            returns = conn.exec_driver_sql(
                "SELECT r.return_id, r.returned_at, json_extract(r.body, '$.cashier.name'), "
                "(SELECT COALESCE(sum(f.amount_minor), 0) FROM refunds f WHERE f.return_id = r.return_id) "
                "FROM returns r WHERE r.till_id = ? AND julianday(r.returned_at) >= julianday(?) "
                "AND julianday(r.returned_at) < julianday(?) ORDER BY julianday(r.returned_at) LIMIT ?",
                (*bounds, MAX_DAY_DOCUMENTS + 1)).fetchall()
            complete = len(sales) <= MAX_DAY_DOCUMENTS and len(returns) <= MAX_DAY_DOCUMENTS
            sales, returns = sales[:MAX_DAY_DOCUMENTS], returns[:MAX_DAY_DOCUMENTS]
            taken = _by_method(conn, "SELECT p.method, sum(p.amount_minor) FROM sale_payments p JOIN sales s "
                               "ON s.sale_id = p.sale_id WHERE s.sale_id IN ({}) GROUP BY p.method",
                               [str(r[0]) for r in sales])
            refunded = _by_method(conn, "SELECT f.method, sum(f.amount_minor) FROM refunds f "
                                  "WHERE f.return_id IN ({}) GROUP BY f.method", [str(r[0]) for r in returns])
            return self._figures(sales, returns, taken, refunded, zone, complete)

        return self._read(read, "reading the day's figures")

    def _figures(self, sales: list[Any], returns: list[Any], taken: dict[str, int], refunded: dict[str, int],
                 zone: tzinfo, complete: bool) -> DayFigures:
        hours: dict[int, list[int]] = {}  # hour: [sales count, sales minor, returns minor]
        people: dict[str, list[int]] = {}
        for _id, at, name, due in sales:
            hour = hours.setdefault(datetime.fromisoformat(at).astimezone(zone).hour, [0, 0, 0])
            person = people.setdefault(str(name), [0, 0, 0])
            for figure in (hour, person):
                figure[0] += 1
                figure[1] += int(due)
        for _id, at, name, paid in returns:
            hours.setdefault(datetime.fromisoformat(at).astimezone(zone).hour, [0, 0, 0])[2] += int(paid)
            people.setdefault(str(name or ""), [0, 0, 0])[2] += int(paid)
        m = self._money
        methods = sorted(taken.keys() | refunded.keys(), key=lambda t: (TENDERS.index(t) if t in TENDERS else 9, t))
        return DayFigures(
            self.currency,
            tuple(HourFigure(h, c, m(s), m(r)) for h, (c, s, r) in sorted(hours.items())),
            tuple(CashierFigure(n, c, m(s), m(r)) for n, (c, s, r) in sorted(people.items(), key=lambda p: p[0].casefold())),
            tuple(TenderFigure(t, m(taken.get(t, 0)), m(refunded.get(t, 0))) for t in methods),
            len(sales), m(sum(int(r[3]) for r in sales)), len(returns), m(sum(int(r[3]) for r in returns)), complete)

    # -- helpers -----------------------------------------------------------------------------
    def _money(self, minor: int) -> Money:
        return Money.from_minor(minor, self.currency)

    def _read(self, work: Callable[[Connection], T], doing: str) -> T:
        try:
            with self.db.reading() as conn:
                return work(conn)
        except sa_exc.SQLAlchemyError as error:
            raise explain(error, path=self.db.path, doing=doing) from error


def _instant(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("a search moment must carry its time zone")
    return moment.isoformat()


def _minor_or_none(amount: Money) -> int | None:
    """An amount with more decimals than the currency has matches no receipt."""
    try:
        return amount.minor_units()
    except ValueError:
        return None


def _marks(values: Iterable[object]) -> str:
    return ",".join("?" for _ in values) or "NULL"  # IN (NULL) matches nothing


def _by_method(conn: Connection, sql: str, ids: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for method, minor in conn.exec_driver_sql(sql.format(_marks(chunk)), tuple(chunk)):
            found[str(method)] = found.get(str(method), 0) + int(minor)
    return found


def _shift_of(row_id: int, series: str, document_id: uuid.UUID, ranges: list[_Range]) -> uuid.UUID | None:
    if series == "z_report":
        return document_id  # a Z report's id is its shift's id (written just after the closing)
    for first, last, shift_id in ranges:
        if first <= row_id and (last is None or row_id <= last):
            return shift_id
    return None
