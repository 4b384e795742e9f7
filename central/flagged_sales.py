"""Sales flagged for review instead of refused (issue 12): the customer paid, so a sale whose
product codes the hub does not know is stored all the same, and flagged here with those codes.

* A code is known when the catalog has it (``products``, deleted or not: it was sold once),
  when someone mapped it to a catalog code (``kassa-hub map-product FROM TO``), or when it is
  a gift card's line (``GIFT-CARD``, pos.gift_cards.records): a gift card is never unknown.
* A flagged sale is *held* from the ERP while one of its codes is still unknown.  It is
  released as soon as every code is known: a catalog import or the ERP's master-data pull that
  brings the product, or a mapping.  ``held`` works that out when asked (it only reads), so
  nothing has to call back here when a product appears; ``release_known`` records the
  release (``kassa-hub sales --flagged`` and ``map-product`` call it).
* The ERP's delivery asks ``held(conn, sale_id)`` before it delivers a sale and
  ``mapped_code(conn, code)`` for each line's code.

Rejection stays for what is not a sale or not the till's to send (central/sales_intake.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import BigInteger, Column, Connection, String, Table, Text, select, update

from central.database import HubDatabase
from central.errors import AdminProblem
from central.tables import UtcDateTime, metadata, products
from pos.gift_cards.records import GIFT_CARD_CODE

flagged_sales = Table(
    "flagged_sales", metadata,
    Column("sale_id", String(36), primary_key=True),
    Column("store_id", String(64), nullable=False),
    Column("till_id", String(64), nullable=False),
    Column("receipt_number", BigInteger, nullable=False),
    Column("unknown_codes", Text, nullable=False),  # JSON list, as the sale was received
    Column("flagged_at", UtcDateTime, nullable=False),
    Column("released_at", UtcDateTime),  # NULL: held
    Column("released_how", String(300)),
)

product_code_map = Table(
    "product_code_map", metadata,
    Column("from_code", String(64), primary_key=True),  # the code the till sold
    Column("to_code", String(64), nullable=False),  # the catalog's code (the ERP receives this one)
    Column("mapped_at", UtcDateTime, nullable=False),
)


@dataclass(frozen=True, slots=True)
class FlaggedSale:
    sale_id: str
    store_id: str
    till_id: str
    receipt_number: int
    unknown_codes: tuple[str, ...]
    flagged_at: datetime

    def describe(self) -> str:
        return (f"{self.store_id}/{self.till_id} receipt {self.receipt_number} sale {self.sale_id} "
                f"flagged {self.flagged_at.isoformat(timespec='seconds')}: unknown product(s) "
                f"{', '.join(self.unknown_codes)}")


def unknown_codes(conn: Connection, codes: Iterable[str]) -> set[str]:
    """Those of ``codes`` that are neither in the catalog, nor mapped, nor a gift card."""
    wanted = sorted({code for code in codes if code != GIFT_CARD_CODE})
    if not wanted:
        return set()
    known = set(conn.execute(select(products.c.code).where(products.c.code.in_(wanted))).scalars())
    known |= set(conn.execute(select(product_code_map.c.from_code)
                              .where(product_code_map.c.from_code.in_(wanted))).scalars())
    return set(wanted) - known


def flag_sale(conn: Connection, sale_id: str, store_id: str, till_id: str, receipt_number: int,
              codes: Iterable[str], received: datetime) -> None:
    """Record a stored sale as flagged (in the transaction that stores it)."""
    conn.execute(flagged_sales.insert().values(
        sale_id=sale_id, store_id=store_id, till_id=till_id, receipt_number=receipt_number,
        unknown_codes=json.dumps(sorted(set(codes))), flagged_at=received))


def held(conn: Connection, sale_id: str) -> bool:
    """Whether the sale must wait before it goes to the ERP: flagged, and one of its codes
    still unknown (a read: a product that appeared since releases it at once)."""
    row = conn.execute(select(flagged_sales.c.unknown_codes, flagged_sales.c.released_at)
                       .where(flagged_sales.c.sale_id == sale_id)).first()
    if row is None or row.released_at is not None:
        return False
    return bool(unknown_codes(conn, json.loads(row.unknown_codes)))


def mapped_code(conn: Connection, product_code: str) -> str:
    """The catalog's code for a code a till sold: its mapping, or the code itself."""
    to = conn.execute(select(product_code_map.c.to_code)
                      .where(product_code_map.c.from_code == product_code)).scalar_one_or_none()
    return product_code if to is None else str(to)


def release_known(conn: Connection, now: datetime | None = None) -> int:
    """Mark released every held sale whose codes are all known now; how many."""
    now = now or datetime.now(timezone.utc)
    released = 0
    for row in conn.execute(select(flagged_sales.c.sale_id, flagged_sales.c.unknown_codes)
                            .where(flagged_sales.c.released_at.is_(None))).all():
        codes = json.loads(row.unknown_codes)
        if unknown_codes(conn, codes):
            continue
        how = ", ".join(f"{code} -> {mapped_code(conn, code)}" if mapped_code(conn, code) != code
                        else f"{code} in the catalog" for code in codes)
        conn.execute(update(flagged_sales).where(flagged_sales.c.sale_id == row.sale_id)
                     .values(released_at=now, released_how=how[:300]))
        released += 1
    return released


def flagged(db: HubDatabase, store_id: str | None = None) -> list[FlaggedSale]:
    """The sales still held, oldest first (those whose codes became known are released first)."""
    with db.writing() as conn:
        release_known(conn)
        query = select(flagged_sales).where(flagged_sales.c.released_at.is_(None))
        if store_id is not None:
            query = query.where(flagged_sales.c.store_id == store_id)
        rows = conn.execute(query.order_by(flagged_sales.c.flagged_at, flagged_sales.c.store_id,
                                           flagged_sales.c.till_id, flagged_sales.c.receipt_number)).all()
    return [FlaggedSale(r.sale_id, r.store_id, r.till_id, r.receipt_number, tuple(json.loads(r.unknown_codes)),
                        r.flagged_at) for r in rows]


def map_product(db: HubDatabase, from_code: str, to_code: str) -> int:
    """Map a code the tills sold to a catalog product; the flagged sales it releases, counted."""
    from_code, to_code = from_code.strip(), to_code.strip()
    if not from_code or not to_code or from_code == to_code:
        raise AdminProblem("map-product needs two different product codes: FROM (as the till sold it) and TO")
    if GIFT_CARD_CODE in (from_code, to_code):
        raise AdminProblem(f"{GIFT_CARD_CODE} is a gift card's line, not a product: it is never mapped")
    if len(from_code) > 64:
        raise AdminProblem(f"{from_code[:20]}...: a product code has at most 64 characters")
    with db.writing() as conn:
        deleted = conn.execute(select(products.c.deleted).where(products.c.code == to_code)).scalar_one_or_none()
        if deleted is None or deleted:
            raise AdminProblem(f"product {to_code} is not in the hub's catalog: import it first, or map to another")
        if conn.execute(select(products.c.code).where(products.c.code == from_code)).first() is not None:
            raise AdminProblem(f"product {from_code} is in the catalog already: it needs no mapping")
        values = {"to_code": to_code, "mapped_at": datetime.now(timezone.utc)}
        changed = conn.execute(update(product_code_map).where(product_code_map.c.from_code == from_code)
                               .values(**values)).rowcount
        if not changed:
            conn.execute(product_code_map.insert().values(from_code=from_code, **values))
        return release_known(conn)
