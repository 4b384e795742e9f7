"""The promotions the till holds (the hub's ``promotions`` dataset), and the till's
``PromotionSource`` over them (``pos.ports.PromotionSource``).

The definitions are kept as the hub sent them (``kassa.promotion.v1`` JSON) and read with
``pos.pricing.definitions`` only here, when the till needs them: a definition this version
cannot read (a newer format or kind, a mistake) is skipped alone, never stopping the others,
and a till upgraded later reads it without pulling it again.  Each skipped one is logged once
per change and its reason written beside it (``promotions.problem``) for IT:
:func:`skipped_promotions` (``kassa status``).

``SqlPromotions.current()`` is called by the till worker at each new sale (the clear point:
an open sale keeps the set it started with).  It costs one small query while nothing changed
(``promotions_changes``, moved by triggers on every change of a definition) and reads the
definitions again only after a change; it is safe to call from several threads.

A pull stages its pages (:func:`stage_promotions`, with the dataset's cursor in the same
transaction) and applies them with the new cursor in one transaction (:func:`apply_promotions`).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy import exc as sa_exc

from local_db.database import Database
from local_db.reference_data import Cursor
from local_db.small_datasets import stage_page
from pos.errors import PosError
from pos.i18n import N_
from pos.pricing.promotion import Cap, Promotion, PromotionSet

log = logging.getLogger(__name__)

DATASET = "promotions"
_GENERATION = "SELECT generation FROM promotions_changes WHERE one = 1"
_STAGE = ("INSERT INTO staged_promotions (id, definition, version, deleted) VALUES (?, ?, ?, ?) "
          "ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, version = excluded.version, "
          "deleted = excluded.deleted")
_STAGE_CURSOR = ("INSERT INTO staged_cursors (dataset, cursor, snapshot, complete, origin) VALUES (?, ?, ?, ?, ?) "
                 "ON CONFLICT (dataset) DO UPDATE SET cursor = excluded.cursor, snapshot = excluded.snapshot, "
                 "complete = excluded.complete, origin = excluded.origin")
# a definition that comes again unchanged keeps its row as it is (no change for the reader)
_UPSERT = ("INSERT INTO promotions (id, definition, version) {rows} ON CONFLICT (id) DO UPDATE SET "
           "definition = excluded.definition, version = excluded.version, problem = '' "
           "WHERE promotions.definition IS NOT excluded.definition")
_APPLY = (
    "DELETE FROM promotions WHERE id IN (SELECT id FROM staged_promotions WHERE deleted = 1)",
    _UPSERT.format(rows="SELECT id, definition, version FROM staged_promotions WHERE deleted = 0 AND true"),
    "DELETE FROM staged_promotions",
    "DELETE FROM staged_cursors WHERE dataset = 'promotions'",
)
_CURSOR = ("INSERT INTO sync_cursors (dataset, cursor, snapshot, pulled_at) VALUES ('promotions', ?, ?, ?) "
           "ON CONFLICT (dataset) DO UPDATE SET cursor = excluded.cursor, snapshot = excluded.snapshot, "
           "pulled_at = excluded.pulled_at")


class SqlPromotions:
    """The ``PromotionSource`` of a till: every promotion and cap it can read, in the store's ``currency``."""

    def __init__(self, db: Database, currency: str) -> None:
        self._db = db
        self._currency = currency
        self._lock = threading.Lock()
        self._held: tuple[int, PromotionSet] | None = None  # (generation read, the set)

    def current(self) -> PromotionSet:
        """The set as the table holds it now (cached until the table changes).  Raises StorageProblem."""
        generation = int(self._db.read(lambda c: c.exec_driver_sql(_GENERATION).scalar_one(),
                                       "reading whether the promotions changed"))
        with self._lock:
            if self._held is not None and self._held[0] == generation:
                return self._held[1]
            generation, rows, version = self._db.read(_rows, "reading the promotions")
            promotion_set, problems = read_promotions([(i, d) for i, d, _p in rows], self._currency, version)
            self._held = (generation, promotion_set)
        for promotion_id, problem in sorted(problems.items()):
            log.warning("promotion %s skipped: %s", promotion_id, problem)
        log.info("promotions read: %d promotions and %d caps (version %s), %d skipped",
                 len(promotion_set.promotions), len(promotion_set.caps), version or "-", len(problems))
        changed = [(problems.get(i, ""), i) for i, _definition, was in rows if problems.get(i, "") != was]
        if changed:
            self._record(changed)
        return promotion_set

    def _record(self, changed: list[tuple[str, str]]) -> None:
        """Write the (problem, id) pairs ('' when read); a failure is only logged."""
        try:
            with self._db.writing() as conn:
                conn.exec_driver_sql("UPDATE promotions SET problem = ? WHERE id = ?", changed)
        except sa_exc.SQLAlchemyError:
            log.exception("could not record which promotions were skipped")


def _rows(conn: Connection) -> tuple[int, list[tuple[str, str, str]], str]:
    generation = int(conn.exec_driver_sql(_GENERATION).scalar_one())
    rows = [(str(i), str(d), str(p)) for i, d, p in
            conn.exec_driver_sql("SELECT id, definition, problem FROM promotions ORDER BY id")]
    cursor = conn.exec_driver_sql("SELECT cursor FROM sync_cursors WHERE dataset = 'promotions'").scalar()
    newest = conn.exec_driver_sql("SELECT max(version) FROM promotions").scalar()
    return generation, rows, str(cursor or newest or "")


def read_promotions(rows: Iterable[tuple[str, str]], currency: str,
                    version: str = "") -> tuple[PromotionSet, dict[str, str]]:
    """The set of every definition (id, JSON text) this till can read, and why each other was
    skipped (by id, a sentence in the till's language).  One bad definition never stops the others."""
    from pos.pricing.definitions import TWICE, BadDefinition, promotion_set_from_items

    promotions: list[Promotion] = []
    caps: list[Cap] = []
    seen: set[str] = set()
    problems: dict[str, str] = {}
    for promotion_id, text in rows:
        try:
            definition: Any = json.loads(text)
        except ValueError as error:
            problems[promotion_id] = NotJson(promotion=promotion_id, reason=str(error)).user_message()
            continue
        try:
            one, skipped = promotion_set_from_items([definition], currency, version)
        except Exception as error:  # noqa: BLE001 - whatever the reader raises, the others are still read
            log.exception("the promotion reader failed on %s", promotion_id)
            problems[promotion_id] = NotJson(promotion=promotion_id, reason=repr(error)[:200]).user_message()
            continue
        found = [p.promotion_id for p in one.promotions] + [c.cap_id for c in one.caps]
        if any(i in seen for i in found):
            skipped = (BadDefinition(TWICE, promotion=found[0], field="id").user_message(),)
        if skipped:
            problems[promotion_id] = " ".join(skipped)
            continue
        seen.update(found)
        promotions.extend(one.promotions)
        caps.extend(one.caps)
    return PromotionSet(tuple(promotions), tuple(caps), version), problems


class NotJson(PosError):
    message = N_("Promotion {promotion}: the till cannot read its stored definition ({reason}).")


def skipped_promotions(db: Database) -> list[tuple[str, str]]:
    """The promotions this till skipped at its last reading, each with why (for IT)."""
    rows = db.read(lambda c: c.exec_driver_sql("SELECT id, problem FROM promotions WHERE problem != '' "
                                               "ORDER BY id").fetchall(), "reading the skipped promotions")
    return [(str(i), str(p)) for i, p in rows]


def promotion_count(db: Database) -> int:
    return int(db.read(lambda c: c.exec_driver_sql("SELECT count(*) FROM promotions").scalar_one(),
                       "counting the promotions"))


# -- the pull's side -----------------------------------------------------------------------
def stage_promotions(db: Database, rows: Iterable[tuple[str, str, str, int]], *, cursor: Cursor | None = None,
                     complete: bool = False, origin: str = "") -> None:
    """Stage (id, definition JSON, version, deleted) rows and, with ``cursor``, the dataset's
    cursor, in one background transaction (the till's own writes go first)."""
    stage_page(db, dataset=DATASET, stage_rows=_STAGE, stage_cursor=_STAGE_CURSOR, rows=rows, cursor=cursor,
               complete=complete, origin=origin, doing="staging promotions")


def discard_staged_promotions(db: Database) -> None:
    """Throw away promotions staged by a pull that will not go on (its cursor is gone)."""
    db.write(lambda c: c.exec_driver_sql("DELETE FROM staged_promotions"), "discarding staged promotions")


def apply_promotions(db: Database, cursor: Cursor, pulled_at: datetime) -> int:
    """Everything staged into ``promotions``, and the dataset's ``cursor``, in one transaction.
    Returns how many staged rows were applied."""
    def apply(conn: Connection) -> int:
        staged = int(conn.exec_driver_sql("SELECT count(*) FROM staged_promotions").scalar_one())
        for statement in _APPLY:
            conn.exec_driver_sql(statement)
        conn.exec_driver_sql(_CURSOR, (cursor.cursor, cursor.snapshot, pulled_at.isoformat()))
        return staged

    return db.write(apply, "applying the hub's promotions")


def load_promotions(db: Database, definitions: Iterable[Mapping[str, Any]], version: str = "") -> int:
    """Store ``definitions`` (each with its ``id``) as the till's own, without a hub (the demo
    store): an unchanged one stays as it is.  Returns how many were given."""
    rows = [(str(d["id"]), json.dumps(d, ensure_ascii=False, sort_keys=True), version) for d in definitions]
    if rows:
        db.write(lambda c: c.exec_driver_sql(_UPSERT.format(rows="VALUES (?, ?, ?)"), rows), "storing promotions")
    return len(rows)
