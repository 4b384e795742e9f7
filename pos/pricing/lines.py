"""The basket's lines made ready for pricing, once per basket: the live lines in the
canonical order, each line's gross in minor units, its quantity, and which lines each
scope covers (cached, so a search that evaluates many combinations does the work once).

The canonical order (docs/promotions.md) is by product code, unit price, quantity and line
id: every rule that depends on an order (allocation ties, unit grouping ties) uses it, so a
result never depends on the order of scanning.  Voided lines take no part at all.
"""

from __future__ import annotations

import bisect
import operator
import weakref
from collections.abc import Sequence
from decimal import Decimal
from itertools import compress

from pos.basket import BasketLine
from pos.gift_cards.records import GIFT_CARD_CODE
from pos.money import exponent
from pos.pricing.allocation import half_up, half_up_ratio
from pos.pricing.forgetting import make_room
from pos.pricing.promotion import BundlePrice, BuyGet, Cap, Gift, Promotion, Scope


class PricingLines:
    """The live (not voided) lines of a basket in the canonical order; positions 0..n-1.

    ``slots[p]``: the line's index in the basket's own order; ``gross[p]``: price times
    quantity rounded, in minor units; ``units[p]``: whole units of a counted line, 0 for a
    weighed one (weighed lines take no part in unit deals)."""

    __slots__ = ("basket_lines", "currency", "scale", "slots", "lines", "gross", "units", "quantities", "_scopes",
                 "_codes", "_amounts", "_index", "_cards", "_before", "_within", "_sets", "_limits",
                 "plans", "__weakref__")

    def __init__(self, lines: Sequence[BasketLine], currency: str, follow: bool = False) -> None:
        """``follow``: a whole basket, repriced after each scan.  When it is the basket made ready
        before with one line more, its scopes are that one's with the new line placed
        (``in_scope``), not resolved again; it is kept for the next scan's in turn."""
        self.basket_lines = tuple(lines)
        self.currency = currency
        self.scale = exponent(currency)
        live = [i for i, line in enumerate(self.basket_lines) if not line.voided]
        facts = [_facts(self.basket_lines[i], self.scale) for i in live]
        order = sorted(range(len(live)), key=lambda k: facts[k][2])  # the canonical order
        self.slots = tuple(live[k] for k in order)
        facts = [facts[k] for k in order]
        self.lines = tuple(f[0] for f in facts)
        self.gross = tuple(f[3] for f in facts)
        self.units = tuple(f[4] for f in facts)
        self.quantities = tuple(f[5] for f in facts)
        self._scopes: dict[tuple[int, object], tuple[Scope, tuple[int, ...]]] = {}  # by scope, (honoured, or units)
        self._codes: dict[str, tuple[int, ...]] = {}
        self._amounts: dict[Decimal, tuple[int, ...]] = {}
        self._index: tuple[dict[str, list[int]], ...] | None = None
        # gift card lines (money, never discounted: ``Scope.covers``), left out of every scope
        self._cards = frozenset(p for p, line in enumerate(self.lines) if line.product.code == GIFT_CARD_CODE)
        self._before: tuple[PricingLines, int] | None = _after_scan(self) if follow else None
        self._within: tuple[weakref.ref[PricingLines], tuple[int, ...]] | None = None
        self._sets: dict[tuple[int, bool], tuple[Scope, frozenset[int]]] = {}  # a scope's positions as a set
        self._limits: dict[tuple[int, ...], tuple[tuple[Cap, ...], tuple[tuple[int, int], ...]]] = {}
        self.plans: dict[int, tuple] = {}  # how ``stages.evaluation`` applies each promotion here, by identity

    @classmethod
    def part(cls, whole: PricingLines, positions: tuple[int, ...]) -> PricingLines:
        """The lines at ``positions`` (ascending) of ``whole``, made ready from it: their order,
        grosses and units are its, and a scope's lines are found among its (while it lives)."""
        part = cls.__new__(cls)
        part.basket_lines = part.lines = tuple(whole.lines[p] for p in positions)
        part.currency, part.scale = whole.currency, whole.scale
        part.slots = tuple(range(len(positions)))
        part.gross = tuple(whole.gross[p] for p in positions)
        part.units = tuple(whole.units[p] for p in positions)
        part.quantities = tuple(whole.quantities[p] for p in positions)
        part._scopes, part._codes, part._amounts, part._index, part._sets, part._limits = {}, {}, {}, None, {}, {}
        part.plans = {}
        part._cards = frozenset(k for k, p in enumerate(positions) if p in whole._cards)
        part._before, part._within = None, (weakref.ref(whole), positions)
        return part

    def after_scan(self) -> tuple[PricingLines, int] | None:
        """The basket made ready before that this one is with one line more (``follow``), and
        that line's position (read once: the next scan's basket may cut it)."""
        return self._before

    def within(self, position: int) -> int:
        """The position in the basket it was made from (``part``) of the line at ``position``."""
        return position if self._within is None else self._within[1][position]

    def appended(self) -> tuple[PricingLines, int, int] | None:
        """When this basket is the one made ready before (``follow``) with one line added at
        the end of the basket: that one, the new line's position and its index in the basket
        (every other line keeps its own)."""
        link = self._before  # read once (``in_scope``)
        if link is None:
            return None
        before, new = link
        count = len(before.basket_lines)
        if count + 1 != len(self.basket_lines) \
                or not all(map(operator.is_, before.basket_lines, self.basket_lines)):
            return None
        return before, new, count

    def cap_limits(self, caps: tuple[Cap, ...]) -> tuple[tuple[int, int], ...]:
        """(position, the most its discounts may come to) of each line the ``caps`` cover: the
        tightest ``floor(max_percent * gross / 100)`` (remembered for these caps)."""
        key = tuple(map(id, caps))
        found = self._limits.get(key)
        if found is None or not all(map(operator.is_, found[0], caps)):
            limits: dict[int, int] = {}
            for cap in caps:
                numerator, denominator = max(cap.max_percent, Decimal(0)).as_integer_ratio()
                denominator *= 100
                for p in self.in_scope(cap.scope, honour_reduced=False):
                    limit = self.gross[p] * numerator // denominator
                    limits[p] = min(limit, limits.get(p, limit))
            found = self._limits[key] = (caps, tuple(limits.items()))
        return found[1]

    def minor(self, amount: Decimal) -> int:
        """An amount of the currency in minor units, rounded half up."""
        return half_up(amount.scaleb(self.scale))

    def per_quantity(self, amount: Decimal) -> tuple[int, ...]:
        """``amount`` (per unit, per kilogram) times each line's quantity, in minor units rounded
        half up: ``round_half_up(amount * quantity)``, one entry per position (remembered)."""
        found = self._amounts.get(amount)
        if found is None:
            numerator, denominator = amount.scaleb(self.scale).as_integer_ratio()
            found = self._amounts[amount] = tuple(half_up_ratio(numerator * q, denominator * d)
                                                  for q, d in self.quantities)
        return found

    def in_scope(self, scope: Scope, honour_reduced: bool = True) -> tuple[int, ...]:
        """Positions of the lines ``scope`` covers, its product, brand and category exclusions
        honoured, and lines with an overridden price left out when ``exclude_reduced`` (and
        ``honour_reduced``: a cap covers its lines whatever their price)."""
        key = (id(scope), honour_reduced and scope.exclude_reduced)
        cached = self._scopes.get(key)
        if cached is not None and cached[0] is scope:
            return cached[1]
        link = self._before  # read once: the next scan's basket may cut it (``_after_scan``)
        before = link and link[0]._scopes.get(key)
        whole = self._within and self._within[0]()
        if link and before and before[0] is scope:  # the scan before's, the new line placed
            positions = self._with_new_line(scope, key[1], before[1], link[1])
        elif whole is not None:  # a part: the whole's lines that are among its own
            within = self._within[1]  # type: ignore[index]
            positions = tuple(compress(range(len(within)), map(whole._in_scope_set(scope, key).__contains__, within)))
        else:
            positions = self._covered_by(scope)
            if key[1]:
                positions = tuple(p for p in positions if not self.lines[p].price_overridden)
        self._scopes[key] = (scope, positions)
        return positions

    def _in_scope_set(self, scope: Scope, key: tuple[int, bool]) -> frozenset[int]:
        """``in_scope``'s positions as a set (``key``: its cache key), made once for all the
        parts of these lines."""
        found = self._sets.get(key)
        if found is None or found[0] is not scope:
            found = self._sets[key] = (scope, frozenset(self.in_scope(scope, key[1])))
        return found[1]

    def _with_new_line(self, scope: Scope, honour_reduced: bool, before: tuple[int, ...], new: int
                       ) -> tuple[int, ...]:
        """``before`` (positions in the basket without the new line) moved past the new line's
        position ``new``, and that position when ``scope`` covers the new line."""
        k = bisect.bisect_left(before, new)  # those from ``new`` on move one place on
        line = self.lines[new]
        placed = (new,) if scope.covers(line.product) and not (honour_reduced and line.price_overridden) else ()
        return before[:k] + placed + tuple(map(_ONE_MORE, before[k:]))

    def _covered_by(self, scope: Scope) -> tuple[int, ...]:
        """``scope.covers`` over the lines, through the indexes when the scope names few things;
        a gift card line never (the early answers leave them out as ``Scope.covers`` does)."""
        excludes = scope.exclude_products or scope.exclude_brands or scope.exclude_categories
        if scope.everything and not excludes:
            if self._cards:
                return tuple(p for p in range(len(self.lines)) if p not in self._cards)
            return tuple(range(len(self.lines)))
        named = len(scope.products) + len(scope.brands) + len(scope.categories)
        if scope.everything or named > len(self.lines):
            return tuple(p for p, line in enumerate(self.lines) if scope.covers(line.product))
        if self._index is None:
            self._index = _indexes(self.lines)
        by_code, by_brand, by_category = self._index
        found: set[int] = set()
        for names, index in ((scope.products, by_code), (scope.brands, by_brand), (scope.categories, by_category)):
            for name in names:
                found.update(index.get(name, ()))
        if not excludes:
            return tuple(sorted(found - self._cards))
        return tuple(p for p in sorted(found) if scope.covers(self.lines[p].product))

    def of_product(self, code: str) -> tuple[int, ...]:
        """Positions of the counted lines of product ``code`` (a gift is given in whole units;
        never a gift card: it is money)."""
        cached = self._codes.get(code)
        if cached is None:
            cached = tuple(p for p, line in enumerate(self.lines)
                           if line.product.code == code and self.units[p] and p not in self._cards)
            self._codes[code] = cached
        return cached

    def covered(self, promotion: Promotion) -> tuple[int, ...]:
        """Positions of the lines ``promotion`` can discount (see ``stages.covered_lines``)."""
        benefit = promotion.benefit
        if isinstance(benefit, (BuyGet, BundlePrice)):
            key = (id(promotion.scope), "units")
            found = self._scopes.get(key)
            if found is None or found[0] is not promotion.scope:
                positions = self.in_scope(promotion.scope)
                found = self._scopes[key] = (promotion.scope,
                                             tuple(compress(positions, map(self.units.__getitem__, positions))))
            return found[1]
        positions = self.in_scope(promotion.scope)
        if isinstance(benefit, Gift):
            return tuple(sorted(set(positions) | set(self.of_product(benefit.product_code))))
        return positions


def _indexes(lines: Sequence[BasketLine]) -> tuple[dict[str, list[int]], ...]:
    """Positions by product code, by brand, by category."""
    by_code: dict[str, list[int]] = {}
    by_brand: dict[str, list[int]] = {}
    by_category: dict[str, list[int]] = {}
    for p, line in enumerate(lines):
        by_code.setdefault(line.product.code, []).append(p)
        by_brand.setdefault(line.product.brand, []).append(p)
        by_category.setdefault(line.product.category, []).append(p)
    return by_code, by_brand, by_category


_ONE_MORE = (1).__add__
_SCANNED: list[PricingLines] = []  # the baskets made ready last (``follow``), the newest last
SCANNED_KEPT = 4


def _after_scan(prepared: PricingLines) -> tuple[PricingLines, int] | None:
    """The basket made ready before that is ``prepared`` without one line, and that line's
    position; ``prepared`` kept in its turn (the one before it forgets its own before, so
    none is kept alive longer)."""
    found = None
    for before in reversed(_SCANNED[:]):  # a copy: another thread may add to it
        if len(before.lines) + 1 != len(prepared.lines) or before.currency != prepared.currency:
            continue
        same = list(map(operator.is_, before.lines, prepared.lines))
        new = same.index(False) if False in same else len(before.lines)
        if all(map(operator.is_, before.lines[new:], prepared.lines[new + 1:])):
            found = (before, new)
            break
    if found is not None:
        found[0]._before = None
    _SCANNED.append(prepared)
    del _SCANNED[:-SCANNED_KEPT]
    return found


FACTS_KEPT = 4096  # lines' facts remembered across reprices (a scan changes one line; the oldest forgotten first)
_FACTS: dict[int, tuple] = {}


def _facts(line: BasketLine, scale: int) -> tuple:
    """(line, scale, canonical key, gross in minor units, whole units, quantity as a ratio) of a
    live line, remembered by the line's identity (lines are frozen; the entry keeps it alive):
    after a scan only the new or changed line is worked out again."""
    found = _FACTS.get(id(line))
    if found is None or found[0] is not line or found[1] != scale:
        quantity = line.quantity
        units = 0 if line.product.sold_by_weight or quantity != quantity.to_integral_value() else int(quantity)
        found = (line, scale, _canonical(line), half_up((line.product.price.amount * quantity).scaleb(scale)), units,
                 quantity.as_integer_ratio())
        make_room(_FACTS, FACTS_KEPT)
        _FACTS[id(line)] = found
    return found


def _canonical(line: BasketLine) -> tuple[str, Decimal, Decimal, object]:
    return (line.product.code, line.product.price.amount, line.quantity, line.line_id)
