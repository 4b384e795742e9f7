"""Head office's promotions (the ``promotions`` dataset): definitions in ``kassa.promotion.v1``
(``pos.pricing.definitions``, docs/promotions.md "The definition format"), checked all or
nothing before any is stored, with the tills' own reader and against the catalog.

``set_promotions`` takes a list of definitions (``kassa-hub set-promotions FILE.json``,
``PUT /v1/promotions``): every problem of every definition is listed, one line each naming
the promotion and the field, and nothing changes; else each definition is stored in its full
form, a changed or new one with the next global version (``central.versions``), an
unchanged one keeping its version.  ``full=True`` also removes the stored ones the list
lacks.  The checks across definitions (``check_definitions``: names the catalog lacks, ids
twice, overlapping exclusive groups) see the stored definitions that stay, too.  It all
happens in one transaction holding the version counter, so two admins never interleave.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, func, select, update

from central.database import HubDatabase
from central.errors import AdminProblem, HubError
from central.promotion_tables import promotions
from central.tables import prices, products
from central.versions import VersionClock
from pos.pricing.definitions import BadDefinition, check_definitions, definition_from_dict, definition_to_dict
from pos.pricing.promotion import Cap, Gift, Promotion

MAX_DEFINITIONS = 2000
DEFAULT_CURRENCY = "UAH"
DATASET_FIELDS = ("id", "definition", "deleted")
DATASET_COLUMNS = ("promotion_id", "definition", "deleted")


class BadPromotions(HubError):
    """Definitions refused, nothing stored: ``problems`` holds one line per problem."""

    status, code = 400, "bad_definitions"

    def __init__(self, problems: Sequence[str]) -> None:
        shown = "; ".join(problems[:20]) + (f"; and {len(problems) - 20} more" if len(problems) > 20 else "")
        super().__init__(f"{len(problems)} problem(s), nothing changed: {shown}")
        self.problems = list(problems)


@dataclass(frozen=True, slots=True)
class PromotionsSaved:
    saved: list[tuple[str, int]] = field(default_factory=list)  # (id, version): new or changed
    unchanged: list[str] = field(default_factory=list)
    removed: list[tuple[str, int]] = field(default_factory=list)

    def describe(self) -> list[str]:
        lines = [f"saved {promotion_id} (version {version})" for promotion_id, version in self.saved]
        lines += [f"removed {promotion_id} (version {version})" for promotion_id, version in self.removed]
        lines.append(f"{len(self.saved)} saved, {len(self.unchanged)} unchanged, {len(self.removed)} removed; "
                     "the tills take them at their next pull")
        return lines


def dataset_item(row: Sequence[Any]) -> Sequence[Any]:
    """A stored row as the dataset's item: the definition as a JSON object (null once removed)."""
    promotion_id, definition, deleted = row
    return promotion_id, None if deleted else json.loads(definition), bool(deleted)


def _id(d: Promotion | Cap) -> str:
    return d.cap_id if isinstance(d, Cap) else d.promotion_id


def chain_currency(conn: Connection) -> str:
    """The currency of the chain's prices (the one most of them have), by which amounts are
    checked; the default before any price is imported."""
    found = conn.execute(select(prices.c.currency).where(prices.c.deleted.is_(False)).group_by(prices.c.currency)
                         .order_by(func.count().desc(), prices.c.currency).limit(1)).scalar()
    return str(found) if found else DEFAULT_CURRENCY


def read_definitions(items: Any, currency: str) -> tuple[list[Promotion | Cap], list[str]]:
    """Each readable definition of ``items`` (a JSON list) and each problem of the others."""
    if not isinstance(items, list):
        return [], ["the definitions must be a JSON list of objects, one per promotion"]
    if len(items) > MAX_DEFINITIONS:
        return [], [f"{len(items)} definitions; at most {MAX_DEFINITIONS} at once"]
    read: list[Promotion | Cap] = []
    problems: list[str] = []
    for position, item in enumerate(items, 1):
        try:
            read.append(definition_from_dict(item, currency, position=position))
        except BadDefinition as error:
            problems.append(str(error))
    return read, problems


class _Catalog:
    """Which of the names the definitions use the catalog has (looked up, never all loaded)."""

    def __init__(self, conn: Connection, defs: Iterable[Promotion | Cap]) -> None:
        wanted: dict[str, set[str]] = {"code": set(), "brand": set(), "category": set()}
        for d in defs:
            s = d.scope
            wanted["code"] |= s.products | s.exclude_products
            wanted["brand"] |= s.brands | s.exclude_brands
            wanted["category"] |= s.categories | s.exclude_categories
            if isinstance(d, Promotion) and isinstance(d.benefit, Gift):
                wanted["code"].add(d.benefit.product_code)
        self.known = {column: self._present(conn, products, column, names) for column, names in wanted.items()}

    @staticmethod
    def _present(conn: Connection, table: Table, column: str, names: set[str]) -> set[str]:
        found: set[str] = set()
        ordered = sorted(names)
        for start in range(0, len(ordered), 500):
            chunk = ordered[start:start + 500]
            found |= set(conn.execute(select(table.c[column]).distinct()
                                      .where(table.c[column].in_(chunk), table.c.deleted.is_(False))).scalars())
        return found


def _stored(conn: Connection) -> dict[str, tuple[str, bool]]:
    rows = conn.execute(select(promotions.c.promotion_id, promotions.c.definition, promotions.c.deleted)).all()
    return {row.promotion_id: (row.definition, bool(row.deleted)) for row in rows}


def _readable(stored: dict[str, tuple[str, bool]], currency: str) -> list[Promotion | Cap]:
    kept = []
    for text, deleted in stored.values():
        if not deleted:
            try:
                kept.append(definition_from_dict(json.loads(text), currency))
            except (BadDefinition, ValueError):
                continue  # stored by another version: the tills judge it themselves
    return kept


def set_promotions(db: HubDatabase, items: Any, *, full: bool = False) -> PromotionsSaved:
    """Check ``items`` (a list of definitions) and store them all, or BadPromotions (module docstring)."""
    with db.writing() as conn, VersionClock(conn) as clock:
        currency = chain_currency(conn)
        read, problems = read_definitions(items, currency)
        stored = _stored(conn)
        catalog = _Catalog(conn, read)
        given = [item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)] \
            if isinstance(items, list) else []
        problems += check_definitions(read, ids=given, product_exists=catalog.known["code"].__contains__,
                                      brand_exists=catalog.known["brand"].__contains__,
                                      category_exists=catalog.known["category"].__contains__,
                                      alongside=[] if full else _readable(stored, currency))
        if problems:
            raise BadPromotions(problems)
        result = PromotionsSaved()
        for d in read:
            text = json.dumps(definition_to_dict(d), ensure_ascii=False, separators=(",", ":"))
            before = stored.get(_id(d))
            if before == (text, False):
                result.unchanged.append(_id(d))
                continue
            values = dict(definition=text, deleted=False, version=clock.next())
            if before is None:
                conn.execute(promotions.insert().values(promotion_id=_id(d), **values))
            else:
                conn.execute(update(promotions).where(promotions.c.promotion_id == _id(d)).values(**values))
            result.saved.append((_id(d), clock.last))
        if full:
            named = {_id(d) for d in read}
            for promotion_id in sorted(i for i, (_text, deleted) in stored.items() if not deleted and i not in named):
                result.removed.append((promotion_id, _remove(conn, clock, promotion_id)))
        return result


def store_promotions(db: HubDatabase, definitions: Sequence[dict[str, Any]]) -> PromotionsSaved:
    """The demo hub's promotion set (shell/demo_hub.py): checked and stored as ``set_promotions``."""
    return set_promotions(db, list(definitions))


def _remove(conn: Connection, clock: VersionClock, promotion_id: str) -> int:
    version = clock.next()
    conn.execute(update(promotions).where(promotions.c.promotion_id == promotion_id)
                 .values(deleted=True, version=version))
    return version


def remove_promotion(db: HubDatabase, promotion_id: str) -> str:
    """The tills drop ``promotion_id`` at their next pull."""
    with db.writing() as conn, VersionClock(conn) as clock:
        found = conn.execute(select(promotions.c.deleted).where(promotions.c.promotion_id == promotion_id)).first()
        if found is None:
            raise AdminProblem(f"no promotion {promotion_id[:64]!r}; kassa-hub promotions lists them")
        if found.deleted:
            return f"promotion {promotion_id} was already removed"
        return f"removed {promotion_id} (version {_remove(conn, clock, promotion_id)}); the tills drop it at their next pull"


@dataclass(frozen=True, slots=True)
class StoredPromotion:
    promotion_id: str
    version: int
    deleted: bool
    definition: dict[str, Any]

    def describe(self) -> str:
        d = self.definition
        what = d.get("kind", "?")
        state = "removed" if self.deleted else "active"
        return f"{self.promotion_id:<24} v{self.version:<8} {state:<8} {what:<16} {d.get('name', '')}"


def listed_promotions(db: HubDatabase, *, removed: bool = False) -> list[StoredPromotion]:
    with db.reading() as conn:
        query = select(promotions).order_by(promotions.c.promotion_id)
        if not removed:
            query = query.where(promotions.c.deleted.is_(False))
        rows = conn.execute(query).all()
    return [StoredPromotion(r.promotion_id, r.version, bool(r.deleted), json.loads(r.definition)) for r in rows]
