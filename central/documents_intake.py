"""Receiving a till's store-day documents (POST /v1/documents): exactly once, in one
transaction, with the same rules as sales (central/sales_intake.py).

Each document is answered ``accepted``, ``duplicate`` (its document_id was stored before
with the same body: a retry) or ``rejected`` with a reason:

* ``schema`` - the envelope or the body is not a readable document, or its sums do not add
  up (central/document_checks.py), or the database refused its values;
* ``wrong_till`` - the body, or the stored document with that id, is another till's;
* ``conflict`` - that document_id is stored with another body (ids are forever);
* ``number_conflict`` - another document holds that number of the till's series;
* ``other_store`` - a return of a sale that another store sold;
* ``not_in_sale`` - a return of a line the sale does not have (or voided);
* ``over_return`` - more of a line would be back than was sold, across every till's returns.

The hub is the arbiter of returns: a return of a sale the hub holds is checked against that
sale and every return stored before it, inside the transaction that stores it, with the
sale's row locked (PostgreSQL: ``SELECT ... FOR UPDATE``; SQLite has one writer), so two
tills returning the same line at once cannot both get it.  A return of a sale the hub does
not hold yet is accepted (the till may push that sale later, and the goods are back in the
shop already): it is answered ``accepted`` with reason ``sale_unknown``, stored with that
flag (``documents.flag``), and its lines count against the sale from then on (the arbiter,
``GET /v1/sales/{id}/returned``, counts them once the sale is there).

An unchecked return (``kassa.return.v2``: another till's sale taken back offline, goods
scanned, no sold line named) is never rejected for what it returns: it is stored and
reconciled against its sale in the same transaction (``central/reconciling.py``), or when
the sale arrives; it is answered ``accepted`` (reason ``sale_unknown`` while the hub does not
hold the sale) with a detail saying how it was reconciled.  A checked return is checked
against the sold lines less the other CHECKED returns; the unchecked ones are then worked out
again, so a checked return never loses to an unchecked one.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select

from central.batch_storing import first_line, store_batch
from central.customer_registrations import merge_registration
from central.database import HubDatabase
from central.event_feed import Event, append_events
from central.document_checks import Checked, DocumentProblem, check_document
from central.stores import TillIdentity
from central.reconciling import UNRECONCILED, reconcile, store_unchecked, waiting_for
from central.loyalty_ledger import take_back_for_returns
from central.gift_card_refunds import credit_returns as credit_gift_cards
from central.sale_locks import lock_sales
from central.tables import documents, returned_lines, sales, shift_events, z_reports
from central.wire_types import text_problem

log = logging.getLogger(__name__)

MAX_DOCUMENTS = 500
SALE_UNKNOWN = "sale_unknown"


@dataclass(frozen=True, slots=True)
class Envelope:
    schema: Any
    document_id: Any
    series: Any
    number: int
    body: Any


def _rejected(document_id: str, reason: str, detail: str) -> dict[str, Any]:
    return {"document_id": document_id, "status": "rejected", "reason": reason, "detail": detail}


def _id_to_answer(document_id: Any) -> str:
    if not isinstance(document_id, str) or len(document_id) > 100 or text_problem(document_id):
        return ""
    return document_id


def receive_documents(db: HubDatabase, till: TillIdentity, items: Sequence[Envelope]) -> list[dict[str, Any]]:
    """Answers for the documents, in their order."""
    results: list[dict[str, Any] | None] = [None] * len(items)
    candidates: list[Checked] = []
    for index, item in enumerate(items):
        try:
            candidates.append(check_document(index, item.document_id, item.schema, item.series, item.number,
                                             item.body, till))
        except DocumentProblem as problem:
            results[index] = _rejected(_id_to_answer(item.document_id), problem.reason, problem.detail)
    if candidates:
        for index, answer in store_batch(db, till, candidates, "document", _store, _refused).items():
            results[index] = answer
    return [result for result in results if result is not None]


def _refused(c: Checked, error: BaseException) -> dict[str, Any]:
    kind = type(getattr(error, "orig", None) or error).__name__
    log.warning("the database refused document %s (%s): %s: %s", c.document_id, c.schema, kind, first_line(error))
    return _rejected(c.document_id, "schema",
                     f"the hub's database cannot store this document ({kind}: {first_line(error)[:300]})")


@dataclass
class _Sold:
    """A sale the hub holds, for the returns of one batch: its store, its lines, and how
    much of each is back (stored returns plus those accepted earlier in the batch)."""

    store_id: str
    lines: dict[str, Decimal]  # sold line id -> quantity (voided lines left out)
    back: dict[str, Decimal]


def _store(conn: Connection, till: TillIdentity, candidates: list[Checked],
           received: datetime) -> dict[int, dict[str, Any]]:
    answers: dict[int, dict[str, Any]] = {}
    stored = {row.document_id: row for row in conn.execute(
        select(documents.c.document_id, documents.c.store_id, documents.c.till_id, documents.c.schema,
               documents.c.number, documents.c.body)
        .where(documents.c.document_id.in_([c.document_id for c in candidates])))}
    numbered = [c for c in candidates if c.number is not None]
    held: dict[tuple[str, int], str] = {}
    if numbered:
        held = {(row.series, row.number): row.document_id for row in conn.execute(
            select(documents.c.series, documents.c.number, documents.c.document_id).where(
                documents.c.store_id == till.store_id, documents.c.till_id == till.till_id,
                documents.c.number.in_(sorted({c.number for c in numbered if c.number is not None}))))}
    sold = _sales_of(conn, candidates)
    to_insert: list[tuple[Checked, str | None]] = []
    taken: dict[str, Checked] = {}
    for c in candidates:
        row = stored.get(c.document_id)
        if row is not None or c.document_id in taken:
            answers[c.index] = _duplicate_or_not(c, row, taken.get(c.document_id), till)
            continue
        if c.number is not None and held.get((c.series, c.number), c.document_id) != c.document_id:
            answers[c.index] = _rejected(c.document_id, "number_conflict",
                                         f"{c.series} {c.number} is held by document {held[(c.series, c.number)]}")
            continue
        problem, flag = _returns_problem(c, sold, till)
        if problem is not None:
            answers[c.index] = problem
            continue
        to_insert.append((c, flag))
        taken[c.document_id] = c
        if c.number is not None:
            held[(c.series, c.number)] = c.document_id
    if to_insert:
        _insert(conn, till, to_insert, received, answers)
    return answers


def _sales_of(conn: Connection, candidates: list[Checked]) -> dict[str, _Sold]:
    """The sales the batch's returns return, locked in one order (no deadlocks), with how
    much of each line is back already."""
    sale_ids = sorted({str(r.original_sale_id) for c in candidates if (r := c.returned) and r.original_sale_id})
    # a sale stored at this moment (returned, or named by an unchecked return): wait for it, then see it
    lock_sales(conn, [*sale_ids, *(str(r.unchecked_sale_id) for c in candidates
                                   if (r := c.returned) and r.unchecked_sale_id)])
    if not sale_ids:
        return {}
    query = select(sales.c.sale_id, sales.c.store_id, sales.c.payload).where(sales.c.sale_id.in_(sale_ids))
    if conn.engine.dialect.name != "sqlite":
        query = query.order_by(sales.c.sale_id).with_for_update()
    found: dict[str, _Sold] = {}
    for row in conn.execute(query):
        lines = {line["line_id"]: Decimal(line["quantity"]) for line in json.loads(row.payload)["lines"]
                 if not line.get("voided")}
        found[row.sale_id] = _Sold(row.store_id, lines, {})
    for row in conn.execute(select(returned_lines.c.sale_id, returned_lines.c.sold_line_id, returned_lines.c.quantity)
                            .where(returned_lines.c.sale_id.in_(list(found)), returned_lines.c.unchecked.is_(False))):
        back = found[row.sale_id].back
        back[row.sold_line_id] = back.get(row.sold_line_id, Decimal(0)) + Decimal(row.quantity)
    return found


def _returns_problem(c: Checked, sold: dict[str, _Sold],
                     till: TillIdentity) -> tuple[dict[str, Any] | None, str | None]:
    """(a rejection, None) or (None, the flag to store): the arbiter's word on a return."""
    r = c.returned
    if r is None or r.original_sale_id is None:  # an unchecked return is reconciled once stored
        return None, None
    sale = sold.get(str(r.original_sale_id))
    if sale is None:
        return None, SALE_UNKNOWN
    if sale.store_id != till.store_id:
        return _rejected(c.document_id, "other_store",
                         f"sale {r.original_sale_id} was sold in another store: return it there"), None
    for line in r.lines:
        key = str(line.sold_line_id)
        if key not in sale.lines:
            return _rejected(c.document_id, "not_in_sale",
                             f"line {key} ({line.name[:80]}) is not a sold line of sale {r.original_sale_id}"), None
        back = sale.back.get(key, Decimal(0))
        if back + line.quantity > sale.lines[key]:
            left = max(sale.lines[key] - back, Decimal(0))
            return _rejected(c.document_id, "over_return",
                             f"{line.name[:80]}: {line.quantity} cannot be returned, only {left} of "
                             f"{sale.lines[key]} sold is left (the rest is back already)"), None
    for line in r.lines:
        key = str(line.sold_line_id)
        sale.back[key] = sale.back.get(key, Decimal(0)) + line.quantity
    return None, None


def _duplicate_or_not(c: Checked, row: Any, earlier: Checked | None, till: TillIdentity) -> dict[str, Any]:
    if row is not None:
        if (row.store_id, row.till_id) != (till.store_id, till.till_id):
            return _rejected(c.document_id, "wrong_till", f"document {c.document_id} was stored for another till")
        same = row.schema == c.schema and row.number == c.number and json.loads(row.body) == c.body
    else:
        same = earlier is not None and earlier.schema == c.schema and earlier.number == c.number \
            and earlier.body == c.body
    if same:
        return {"document_id": c.document_id, "status": "duplicate"}
    return _rejected(c.document_id, "conflict",
                     f"document {c.document_id} is stored with another body: a document_id is never reused")


def _insert_skipping_conflicts(conn: Connection) -> Any:
    if conn.engine.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        from sqlalchemy.dialects.postgresql import insert
    return insert(documents).on_conflict_do_nothing()


def _insert(conn: Connection, till: TillIdentity, to_insert: list[tuple[Checked, str | None]], received: datetime,
            answers: dict[int, dict[str, Any]]) -> None:
    touched: set[str] = set()  # the sales of the returns stored: their unchecked returns are reconciled again
    rows = [{"document_id": c.document_id, "schema": c.schema, "store_id": till.store_id, "till_id": till.till_id,
             "series": c.series, "number": c.number, "body": c.payload, "flag": flag, "received_at": received}
            for c, flag in to_insert]
    inserted = set(conn.execute(_insert_skipping_conflicts(conn).values(rows).returning(documents.c.document_id))
                   .scalars())
    lost = [c.document_id for c, _ in to_insert if c.document_id not in inserted]
    again = {row.document_id: row for row in conn.execute(
        select(documents.c.document_id, documents.c.store_id, documents.c.till_id, documents.c.schema,
               documents.c.number, documents.c.body).where(documents.c.document_id.in_(lost)))} if lost else {}
    for c, flag in to_insert:
        if c.document_id in again:  # another hub process stored it a moment ago
            answers[c.index] = _duplicate_or_not(c, again[c.document_id], None, till)
            continue
        if c.document_id not in inserted:
            answers[c.index] = _rejected(c.document_id, "number_conflict",
                                         f"{c.series} {c.number} was just taken by another document")
            continue
        touched.update(_insert_parts(conn, till, c, received))
        answers[c.index] = {"document_id": c.document_id, "status": "accepted"}
        if c.series == "customer":  # merged by phone number: the answer says how
            answers[c.index].update(merge_registration(conn, till, c.read, received))
        if flag == SALE_UNKNOWN:
            answers[c.index].update(reason=SALE_UNKNOWN, detail=(
                f"the hub does not hold sale {c.body.get('original_sale_id')} yet: the return is stored and "
                "counted against the sale when it arrives"))
    append_events(conn, [Event(c.series, c.document_id, c.schema, till.store_id, till.till_id, received)  # CRM feed
                         for c, _ in to_insert if c.document_id in inserted])
    flags = reconcile(conn, waiting_for(conn, touched)) if touched else {}
    take_back_for_returns(conn, [c.document_id for c, _ in to_insert  # loyalty points, pro rata
                                 if c.returned is not None and c.document_id in inserted], received)
    credit_gift_cards(conn, [c.document_id for c, _ in to_insert  # refunds back onto gift cards
                             if c.returned is not None and c.document_id in inserted], received)
    for c, _ in to_insert:
        r = c.returned
        if (r is not None and r.unchecked_sale_id is not None and c.document_id in flags
                and answers[c.index]["status"] == "accepted"):
            answers[c.index].update(_unchecked_answer(flags[c.document_id], str(r.unchecked_sale_id)))


def _unchecked_answer(flag: str, sale_id: str) -> dict[str, str]:
    if flag == SALE_UNKNOWN:
        return {"reason": SALE_UNKNOWN, "detail": f"the hub does not hold sale {sale_id} yet: the unchecked return "
                                                  "is stored and reconciled against the sale when it arrives"}
    if flag == UNRECONCILED:
        return {"detail": f"stored, but not all of it matches what is left of sale {sale_id}: a manager must check it "
                          "(kassa-hub returns --unreconciled)"}
    return {"detail": f"reconciled against sale {sale_id}"}


def _insert_parts(conn: Connection, till: TillIdentity, c: Checked, received: datetime) -> list[str]:
    """The parts the hub answers about: returned lines, unchecked lines, shift events, Z
    reports; the sale a return returns."""
    r = c.returned
    if r is not None and r.unchecked_sale_id is not None:
        return [store_unchecked(conn, till, c.document_id, r, received)]
    if r is not None and r.original_sale_id is not None:
        conn.execute(returned_lines.insert().values([
            {"return_id": c.document_id, "line_id": str(line.line_id), "store_id": till.store_id,
             "till_id": till.till_id, "sale_id": str(r.original_sale_id), "sold_line_id": str(line.sold_line_id),
             "quantity": str(line.quantity), "refunded_minor": line.total.minor_units(), "currency": r.currency}
            for line in r.lines]))
        return [str(r.original_sale_id)]
    if c.series == "shift":
        body = c.body
        conn.execute(shift_events.insert().values(
            shift_id=body["shift_id"], event=body["event"], store_id=till.store_id, till_id=till.till_id,
            by=body["by"], at=datetime.fromisoformat(body["at"]), document_id=c.document_id))
    elif c.series == "z_report":
        z = c.read
        conn.execute(z_reports.insert().values(
            document_id=c.document_id, store_id=till.store_id, till_id=till.till_id, z_number=z.z_number,
            shift_id=str(z.shift_id), currency=z.currency, sales_count=z.sales_count,
            sales_total_minor=z.sales_total.minor_units(), returns_count=z.returns_count,
            returns_total_minor=z.returns_total.minor_units(), expected_cash_minor=z.expected_cash.minor_units(),
            received_at=received))
    return []
