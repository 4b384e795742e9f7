"""Receiving a till's batch of sales (``kassa.sale.v1``, ``v2`` and ``v3``): exactly once,
in one transaction; a v2 sale's card approvals are stored with it (``sale_card_approvals``).

Each sale is answered ``accepted`` (stored now), ``duplicate`` (its ``sale_id`` was stored
before: a retry after a lost answer) or ``rejected`` with a reason.  The database's
unique constraints on ``sale_id`` and on (store, till, seq) are what make this exactly
once, not any memory of the process: two hub processes inserting the same sale at the
same moment both use ``INSERT ... ON CONFLICT DO NOTHING``, one stores it, the other
finds it stored and answers ``duplicate``.

A sale the database refuses although it passed every check (a ``DataError`` or
``IntegrityError``, or a value the driver cannot encode) must not fail the whole batch
over and over: the batch is stored again one sale per transaction, and the sale that
still fails is answered ``rejected`` (``schema``) while the others are stored.  Problems
of the database itself (``OperationalError``: unreachable, full, locked) are not about a
sale: they fail the request with 503, and the till retries the batch later.

A sale stored after unchecked returns of it (another till took its goods back offline)
reconciles them in the same transaction (``central.reconciling``); the uses of its promo
codes and its loyalty points are recorded in it too (``central.sale_followers``).

A sale with a product code the hub does not know is never refused (the customer paid): it is
stored, answered ``accepted`` with reason ``unknown_product``, and flagged for review
(``central.flagged_sales``).  Every stored sale joins the CRM feed in its transaction
(``central.event_feed``).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from central.batch_storing import first_line, store_batch
from central.card_approvals import approval_rows, sale_card_approvals
from central.database import HubDatabase
from central.event_feed import Event, append_events
from central.flagged_sales import flag_sale, unknown_codes
from central.reconciling import reconcile, waiting_for
from central.sale_followers import follow_sales
from central.sale_locks import lock_sales
from central.sale_document import SaleProblem, read_sale_and_cards
from central.stores import TillIdentity
from central.tables import sales
from central.wire_types import SEQ_MAX, text_problem
from pos.sale import Sale
from pos.store_day.tenders import CardApproval

log = logging.getLogger(__name__)

MAX_SALES = 500
@dataclass(frozen=True, slots=True)
class Candidate:
    index: int
    seq: int
    sale: Sale
    payload: str  # the document as received, as JSON text
    cards: dict[uuid.UUID, CardApproval] = field(default_factory=dict)  # kassa.sale.v2's approvals
    schema: str = "kassa.sale.v1"

    @property
    def sale_id(self) -> str:
        return str(self.sale.sale_id)


def _rejected(sale_id: str, reason: str, detail: str) -> dict[str, Any]:
    return {"sale_id": sale_id, "status": "rejected", "reason": reason, "detail": detail}


def _sale_id_of(document: Any) -> str:
    """The sale_id to answer with: the one sent, when the answer can carry it."""
    sale_id = document.get("sale_id") if isinstance(document, dict) else None
    if not isinstance(sale_id, str) or len(sale_id) > 100 or text_problem(sale_id):
        return ""
    return sale_id


def _payload(document: dict[str, Any]) -> str:
    try:
        return json.dumps(document, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except ValueError as error:  # NaN or Infinity somewhere: not JSON any reader accepts
        raise SaleProblem("schema", f"the document is not plain JSON: {error}") from None
    except RecursionError:
        raise SaleProblem("schema", "the document is nested too deeply") from None


def receive_batch(db: HubDatabase, till: TillIdentity, items: Sequence[tuple[int, Any]]) -> list[dict[str, Any]]:
    """Answers for ``(seq, sale document)`` pairs, in their order."""
    results: list[dict[str, Any] | None] = [None] * len(items)
    candidates: list[Candidate] = []
    for index, (seq, document) in enumerate(items):
        sale_id = _sale_id_of(document)
        try:
            sale, cards = read_sale_and_cards(document)
            payload = _payload(document)
        except SaleProblem as problem:
            results[index] = _rejected(sale_id, problem.reason, problem.detail)
            continue
        if not 1 <= seq <= SEQ_MAX:
            results[index] = _rejected(sale_id, "schema", f"seq: {seq} is not a receipt number (1 to {SEQ_MAX})")
        elif (sale.store_id, sale.till_id) != (till.store_id, till.till_id):
            results[index] = _rejected(sale_id, "wrong_till", f"sale of {sale.store_id}/{sale.till_id} sent by {till}")
        elif seq != sale.receipt_number:
            results[index] = _rejected(sale_id, "schema", f"seq {seq} is not the receipt number {sale.receipt_number}")
        else:
            candidates.append(Candidate(index, seq, sale, payload, cards, str(document["schema"])))
    if candidates:
        for index, answer in store_batch(db, till, candidates, "sale", _store, _refused).items():
            results[index] = answer
    return [result for result in results if result is not None]


def _refused(candidate: Candidate, error: BaseException) -> dict[str, Any]:
    kind = type(getattr(error, "orig", None) or error).__name__
    log.warning("the database refused sale %s (seq %d): %s: %s", candidate.sale_id, candidate.seq, kind,
                first_line(error))
    return _rejected(candidate.sale_id, "schema",
                     f"the hub's database cannot store this sale ({kind}: {first_line(error)[:300]})")


def _store(conn: Connection, till: TillIdentity, candidates: list[Candidate], received: datetime) -> dict[int, dict[str, Any]]:
    """Classify and insert the candidates inside one transaction; answers by index."""
    answers: dict[int, dict[str, Any]] = {}
    stored = _stored_by_id(conn, [c.sale_id for c in candidates])
    held = {row.seq: row.sale_id for row in conn.execute(
        select(sales.c.seq, sales.c.sale_id).where(
            sales.c.store_id == till.store_id, sales.c.till_id == till.till_id,
            sales.c.seq.in_(sorted({c.seq for c in candidates})))
    )}
    unknown = unknown_codes(conn, (line.product_code for c in candidates for line in c.sale.lines))
    to_insert: list[Candidate] = []
    taken_ids: set[str] = set()
    for c in sorted(candidates, key=lambda c: c.seq):  # one order for every process: no deadlocks
        owner = stored.get(c.sale_id)
        if owner is not None or c.sale_id in taken_ids or held.get(c.seq) == c.sale_id:
            # (the last: another hub process stored it between our two queries)
            answers[c.index] = _duplicate_or_foreign(c, owner, till)
        elif c.seq in held:
            answers[c.index] = _rejected(c.sale_id, "seq_conflict", f"seq {c.seq} is held by sale {held[c.seq]}")
        else:
            to_insert.append(c)
            taken_ids.add(c.sale_id)
            held[c.seq] = c.sale_id
    if to_insert:
        lock_sales(conn, [c.sale_id for c in to_insert])  # a return of one stored at this moment waits (or we do)
        inserted = set(conn.execute(
            _insert_skipping_conflicts(conn).values([_row(c, till, received) for c in to_insert])
            .returning(sales.c.sale_id)
        ).scalars())
        cards = [row for c in to_insert if c.sale_id in inserted
                 for row in approval_rows(c.sale_id, till.store_id, till.till_id, c.cards)]
        if cards:
            conn.execute(sale_card_approvals.insert().values(cards))
        reconcile(conn, waiting_for(conn, inserted))
        follow_sales(conn, [c.sale for c in to_insert if c.sale_id in inserted], till, received)
        flags = _flag_unknown_products(conn, [c for c in to_insert if c.sale_id in inserted], unknown, received)
        append_events(conn, [Event("sale", c.sale_id, c.schema, till.store_id, till.till_id, received)
                             for c in to_insert if c.sale_id in inserted])
        lost = [c for c in to_insert if c.sale_id not in inserted]
        again = _stored_by_id(conn, [c.sale_id for c in lost]) if lost else {}
        for c in to_insert:
            if c.sale_id in inserted:
                answers[c.index] = {"sale_id": c.sale_id, "status": "accepted", **flags.get(c.sale_id, {})}
            elif c.sale_id in again:  # another hub process stored it a moment ago
                answers[c.index] = _duplicate_or_foreign(c, again[c.sale_id], till)
            else:
                answers[c.index] = _rejected(c.sale_id, "seq_conflict", f"seq {c.seq} was just taken by another sale")
    return answers


def _flag_unknown_products(conn: Connection, stored: list[Candidate], unknown: set[str],
                           received: datetime) -> dict[str, dict[str, str]]:
    """Flag the stored sales with codes the hub does not know (the customer paid: never refused);
    the answer's reason and detail for each."""
    flags: dict[str, dict[str, str]] = {}
    for c in stored:
        missing = sorted({line.product_code for line in c.sale.lines if line.product_code in unknown})
        if missing:
            flag_sale(conn, c.sale_id, c.sale.store_id, c.sale.till_id, c.seq, missing, received)
            flags[c.sale_id] = {"reason": "unknown_product", "detail": (
                f"stored and flagged for review: product {', '.join(missing)[:200]} is not in the catalog "
                "(kassa-hub sales --flagged)")}
    return flags


def _insert_skipping_conflicts(conn: Connection) -> Any:
    if conn.engine.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        from sqlalchemy.dialects.postgresql import insert
    return insert(sales).on_conflict_do_nothing()


def _stored_by_id(conn: Connection, sale_ids: list[str]) -> dict[str, TillIdentity]:
    rows = conn.execute(select(sales.c.sale_id, sales.c.store_id, sales.c.till_id).where(sales.c.sale_id.in_(sale_ids)))
    return {row.sale_id: TillIdentity(row.store_id, row.till_id) for row in rows}


def _duplicate_or_foreign(c: Candidate, owner: TillIdentity | None, till: TillIdentity) -> dict[str, Any]:
    if owner is not None and owner != till:
        return _rejected(c.sale_id, "wrong_till", f"sale {c.sale_id} was stored for another till")
    return {"sale_id": c.sale_id, "status": "duplicate"}


def _row(c: Candidate, till: TillIdentity, received: datetime) -> dict[str, Any]:
    sale = c.sale
    return {
        "sale_id": c.sale_id, "store_id": till.store_id, "till_id": till.till_id, "seq": c.seq,
        "receipt_number": sale.receipt_number, "total_minor": sale.total.minor_units(),
        "currency": sale.currency, "till_completed_at": sale.completed_at, "hub_received_at": received,
        "payload": c.payload,
    }
