"""The hub's checks of promotion definitions across one another and against the catalog,
before any is stored (``check_definitions``): names the catalog lacks, an id used twice,
overlapping exclusive groups, and a gift that is the gift card product (a gift card is money,
not goods: no promotion gives one away).

Two exclusive promotions of the same priority group overlap when some line could be covered
by both at some moment: their scopes are not disjoint and their validities can both hold at
once.  Scopes are judged by their own terms, without the catalog: ``products: [A]`` and
``products: [B]`` are disjoint (a line is one product), as are ``categories: [Dairy]`` and
``categories: [Bakery]``, or the whole assortment and a brand it excludes; a brand and a
category are taken to meet (some product may have both).  A gift's product counts as covered.
Validities are judged exactly: the date windows, and within them the weekdays and the daily
hours; the stores, channels, tiers, segments and customer groups when both name some.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta

from pos.gift_cards.records import GIFT_CARD_CODE
from pos.i18n import N_
from pos.pricing.definition_fields import BadDefinition, show
from pos.pricing.promotion import Cap, Combination, Gift, Promotion, Scope, Validity

UNKNOWN_PRODUCT = N_("Promotion {promotion}: {field} names product {value}, which the catalog does not have.")
UNKNOWN_BRAND = N_("Promotion {promotion}: {field} names brand {value}, which no product of the catalog has.")
UNKNOWN_CATEGORY = N_("Promotion {promotion}: {field} names category {value}, which no product of the catalog has.")
GIFT_CARD_GIFT = N_("Promotion {promotion}: {field} is the gift card product {value}: a gift card is money, "
                    "and no promotion gives it away.")
DUPLICATE = N_("Promotion {promotion}: more than one definition has this id.")
OVERLAP = N_("Promotions {promotion} and {other} overlap: both are exclusive in priority group {priority} and can "
             "cover the same line at the same time (overlapping exclusive groups).")

Exists = Callable[[str], bool]
Definition = Promotion | Cap
_DAY = 24 * 3600
_WEEK_AND_A_DAY = timedelta(days=8)


def _id(d: Definition) -> str:
    return d.cap_id if isinstance(d, Cap) else d.promotion_id


def _message(message: str, **fields: object) -> str:
    return BadDefinition(message, **fields).user_message()


def check_definitions(defs: Sequence[Definition], *, product_exists: Exists, brand_exists: Exists,
                      category_exists: Exists, alongside: Iterable[Definition] = (),
                      ids: Iterable[str] | None = None) -> list[str]:
    """Every problem of ``defs`` as one sentence each (none: they may be stored).  ``alongside``:
    the definitions already stored that stay (those with an id in ``defs`` are replaced by it),
    checked for overlaps with ``defs``.  ``ids``: every id given, the unreadable definitions'
    too, for the duplicate check (default: the ids of ``defs``)."""
    problems: list[str] = []
    counted: dict[str, int] = {}
    for i in (_id(d) for d in defs) if ids is None else ids:
        counted[i] = counted.get(i, 0) + 1
    problems += [_message(DUPLICATE, promotion=i, field="id") for i, n in counted.items() if n > 1]
    for d in defs:
        problems += _unknown_names(d, product_exists, brand_exists, category_exists)
    staying = [d for d in alongside if _id(d) not in counted]
    exclusive = [d for d in defs if isinstance(d, Promotion) and d.combination is Combination.EXCLUSIVE]
    others = [d for d in staying if isinstance(d, Promotion) and d.combination is Combination.EXCLUSIVE]
    for n, first in enumerate(exclusive):
        for second in [*exclusive[n + 1:], *others]:
            if first.priority == second.priority and overlap(first, second):
                problems.append(_message(OVERLAP, promotion=first.promotion_id, other=second.promotion_id,
                                         priority=first.priority))
    return problems


def _unknown_names(d: Definition, product_exists: Exists, brand_exists: Exists, category_exists: Exists) -> list[str]:
    s = d.scope
    looked = [("scope.products", s.products, product_exists, UNKNOWN_PRODUCT),
              ("scope.brands", s.brands, brand_exists, UNKNOWN_BRAND),
              ("scope.categories", s.categories, category_exists, UNKNOWN_CATEGORY),
              ("scope.exclude.products", s.exclude_products, product_exists, UNKNOWN_PRODUCT),
              ("scope.exclude.brands", s.exclude_brands, brand_exists, UNKNOWN_BRAND),
              ("scope.exclude.categories", s.exclude_categories, category_exists, UNKNOWN_CATEGORY)]
    refused = []
    if isinstance(d, Promotion) and isinstance(d.benefit, Gift):
        if d.benefit.product_code == GIFT_CARD_CODE:
            refused.append(_message(GIFT_CARD_GIFT, promotion=_id(d), field="product", value=show(GIFT_CARD_CODE)))
        else:
            looked.append(("product", frozenset([d.benefit.product_code]), product_exists, UNKNOWN_PRODUCT))
    return [_message(message, promotion=_id(d), field=field, value=show(name))
            for field, names, exists, message in looked for name in sorted(names) if not exists(name)] + refused


# -- overlaps ---------------------------------------------------------------------------------------
def overlap(first: Promotion, second: Promotion) -> bool:
    """Some line may be covered by both at some moment (module docstring)."""
    return _scopes_meet(first, second) and _validities_meet(first.validity, second.validity)


def _terms(p: Promotion) -> list[tuple[str, str]]:
    s = p.scope
    terms = [("all", "")] if s.everything else [
        *(("product", v) for v in s.products), *(("brand", v) for v in s.brands),
        *(("category", v) for v in s.categories)]
    if isinstance(p.benefit, Gift):
        terms.append(("product", p.benefit.product_code))
    return terms


def _excluded(scope: Scope, term: tuple[str, str]) -> bool:
    dimension, value = term
    return value in {"product": scope.exclude_products, "brand": scope.exclude_brands,
                     "category": scope.exclude_categories, "all": frozenset()}[dimension]


def _scopes_meet(first: Promotion, second: Promotion) -> bool:
    for a in _terms(first):
        for b in _terms(second):
            apart = (a[0] == b[0] != "all" and a[1] != b[1]) or _excluded(second.scope, a) \
                or _excluded(first.scope, b)
            if not apart:
                return True
    return False


def _validities_meet(a: Validity, b: Validity) -> bool:
    for mine, theirs in ((a.stores, b.stores), (a.channels, b.channels), (a.tiers, b.tiers),
                         (a.segments, b.segments), (a.customer_groups, b.customer_groups), (a.weekdays, b.weekdays)):
        if mine and theirs and not mine & theirs:
            return False
    starts = max((t for t in (a.starts, b.starts) if t is not None), default=None)
    ends = min((t for t in (a.ends, b.ends) if t is not None), default=None)
    if starts is not None and ends is not None:
        if ends <= starts:
            return False
        if ends - starts < _WEEK_AND_A_DAY:  # a short window: look at each of its days
            return _some_day_meets(a, b, starts, ends)
    days = (a.weekdays or frozenset(range(1, 8))) & (b.weekdays or frozenset(range(1, 8)))
    return bool(days) and bool(_meet(_seconds(a.hours), _seconds(b.hours)))


def _some_day_meets(a: Validity, b: Validity, starts: datetime, ends: datetime) -> bool:
    day = datetime.combine(starts.date(), time())
    while day < ends:
        weekday = day.isoweekday()
        if (not a.weekdays or weekday in a.weekdays) and (not b.weekdays or weekday in b.weekdays):
            window = [(max(0, int((starts - day).total_seconds())), min(_DAY, int((ends - day).total_seconds())))]
            if _meet(_meet(window, _seconds(a.hours)), _seconds(b.hours)):
                return True
        if day.date() == date.max:
            return False
        day += timedelta(days=1)
    return False


def _seconds(hours: tuple[time, time] | None) -> list[tuple[int, int]]:
    """A daily window as intervals of seconds of the day (across midnight: two)."""
    if hours is None:
        return [(0, _DAY)]
    start, end = (t.hour * 3600 + t.minute * 60 for t in hours)
    return [(start, end)] if start < end else [(start, _DAY), (0, end)]


def _meet(first: list[tuple[int, int]], second: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(max(a, c), min(b, d)) for a, b in first for c, d in second if max(a, c) < min(b, d)]
