"""Applying a chosen set of promotions to a basket: ``evaluate(lines, chosen, caps, currency)``.

The rules are docs/promotions.md's.  The chosen promotions (already valid, their combination
already allowed: the caller's job) apply in stage order (1 fixed price, 2 buy X get Y and
bundles, 3 amount off, 4 percent off, 5 spend threshold, 6 gift), within a stage by priority
then promotion id; each works on every line's net after those before it (compounding).
Every discount is whole minor units on one line, never more than the line's net.
``exclude_reduced`` leaves out lines with an overridden price and lines an earlier stage
already discounted.  Then the caps: a covered line's discounts above
``floor(max_percent * gross / 100)`` are taken back, the last applied first.
Voided lines get nothing.  A gift not in the basket becomes a ``GiftOffer``.

All arithmetic is in integer minor units; ``Money`` is built once, at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from pos.basket import BasketLine
from pos.money import Money
from pos.pricing import basket_deals, unit_deals
from pos.pricing.forgetting import make_room
from pos.pricing.lines import PricingLines
from pos.pricing.priced import GiftOffer, LineDiscount, PricedBasket, PricedLine
from pos.pricing.promotion import (AmountOff, BundlePrice, BuyGet, Cap, FixedPrice, Gift, PercentOff,
                                   Promotion, SpendThreshold)

STAGES: dict[type, int] = {FixedPrice: 1, BuyGet: 2, BundlePrice: 2, AmountOff: 3, PercentOff: 4,
                           SpendThreshold: 5, Gift: 6}
THRESHOLD_STAGE = 5


def stage_of(promotion: Promotion) -> int:
    return STAGES[type(promotion.benefit)]


def in_order(promotions: Iterable[Promotion]) -> list[Promotion]:
    """The order promotions apply in: stage, then priority (lower first), then promotion id."""
    return sorted(promotions, key=lambda p: (stage_of(p), p.priority, p.promotion_id))


def covered_lines(promotion: Promotion, lines: Sequence[BasketLine] | PricingLines) -> tuple[BasketLine, ...]:
    """The live lines ``promotion`` can discount, in the canonical order: its scope with the
    exclusions (lines with an overridden price too when ``exclude_reduced``; "an earlier stage
    discounted it" is decided only while evaluating); counted lines only for unit deals; and,
    for a gift, the gift product's lines as well.  Two promotions overlap when these meet."""
    prepared = _prepared(lines, "")
    return tuple(prepared.lines[p] for p in prepared.covered(promotion))


def evaluate(lines: Sequence[BasketLine] | PricingLines, chosen: Iterable[Promotion], caps: Iterable[Cap],
             currency: str) -> PricedBasket:
    """The basket priced by exactly the ``chosen`` promotions, then the ``caps``.

    ``lines``: the basket's lines (voided ones too) or a ``PricingLines`` made from them once
    (faster when the same basket is evaluated many times)."""
    prepared = _prepared(lines, currency)
    return evaluation(prepared, chosen, caps).priced()


def evaluation(lines: PricingLines, chosen: Iterable[Promotion], caps: Iterable[Cap],
               ordered: bool = False) -> Evaluation:
    """The same work as :func:`evaluate`, left in integers (no ``Money``, no priced lines):
    what a search needs to compare combinations quickly (``total``, ``given_ids``, ``offers``).
    ``ordered``: ``chosen`` is already ``in_order`` (a search orders its promotions once)."""
    work = Evaluation(lines)
    net, given, first = work.net, work.given, work.first_stage
    plans = lines.plans
    for promotion in (chosen if ordered else in_order(chosen)):
        plan = plans.get(id(promotion))
        if plan is None or plan[0] is not promotion:
            plan = plans[id(promotion)] = _plan(lines, promotion)
        if plan[1] is None:
            offer = work.apply(promotion)
            if offer is not None:
                work.offers.append(offer)
            continue
        _take_percent(net, given, first, promotion, plan[1], plan[2], plan[3], _PERCENT_STAGE)
    work.cap(caps)
    return work


_PERCENT_STAGE = STAGES[PercentOff]


def _plan(lines: PricingLines, promotion: Promotion) -> tuple:
    """How ``evaluation`` applies ``promotion`` to ``lines`` (the same each time: remembered by
    the lines): a percent off with no ``exclude_reduced`` as (promotion, its positions, the
    percent as a ratio); anything else (promotion, None): ``Evaluation.apply``."""
    benefit = promotion.benefit
    if type(benefit) is not PercentOff or promotion.scope.exclude_reduced:
        return promotion, None
    numerator, denominator = _ratio(benefit.percent)
    if numerator <= 0:
        return promotion, (), 0, 1  # nothing off
    return promotion, lines.in_scope(promotion.scope), numerator, denominator


_DISCOUNTS: dict[tuple[str, str, int, str], LineDiscount] = {}
DISCOUNTS_KEPT = 8192


def _discount(promotion: Promotion, amount: int, currency: str) -> LineDiscount:
    """The line discount of ``amount`` minor units (immutable, so the same one is shared:
    a search evaluates the same discounts many times)."""
    key = (promotion.promotion_id, promotion.name, amount, currency)
    found = _DISCOUNTS.get(key)
    if found is None:
        make_room(_DISCOUNTS, DISCOUNTS_KEPT)
        found = _DISCOUNTS[key] = LineDiscount(promotion.promotion_id, promotion.name,
                                               Money.from_minor(amount, currency))
    return found


def _prepared(lines: Sequence[BasketLine] | PricingLines, currency: str) -> PricingLines:
    if isinstance(lines, PricingLines):
        return lines
    if not currency:
        currency = lines[0].product.price.currency if lines else "EUR"
    return PricingLines(lines, currency)


class Evaluation:
    """One evaluation: every live line's net and the discounts given so far, by position
    (``PricingLines`` positions, in minor units), and the gifts to offer."""

    __slots__ = ("lines", "net", "given", "first_stage", "before_thresholds", "offers", "gifted")

    def __init__(self, lines: PricingLines) -> None:
        self.lines = lines
        self.net = list(lines.gross)
        self.given: list[list[list]] = [[] for _ in lines.gross]  # [[promotion, minor units], ...]
        self.first_stage = [0] * len(lines.gross)  # the first stage that discounted the line
        self.before_thresholds: tuple[int, ...] | None = None
        self.offers: list[GiftOffer] = []
        self.gifted: dict[int, int] = {}  # units made free by the gifts so far, by position

    def total(self) -> int:
        """The basket's total in minor units."""
        return sum(self.net)

    def given_ids(self) -> set[str]:
        """The ids of the promotions that took something off a line or offer a gift."""
        ids = {entry[0].promotion_id for entries in self.given for entry in entries if entry[1] > 0}
        return ids | {offer.promotion_id for offer in self.offers}

    def apply(self, promotion: Promotion) -> GiftOffer | None:
        """Give ``promotion``'s discounts; answer the gift to offer, if any."""
        benefit = promotion.benefit
        stage = STAGES[type(benefit)]
        if stage >= THRESHOLD_STAGE and self.before_thresholds is None:
            self.before_thresholds = tuple(self.net)
        positions = self.lines.in_scope(promotion.scope)
        if promotion.scope.exclude_reduced:
            first = self.first_stage
            positions = tuple(p for p in positions if not 0 < first[p] < stage)
        if isinstance(benefit, PercentOff):  # the most common first
            self._percent(promotion, benefit.percent, positions, stage)
            return None
        offer = None
        if isinstance(benefit, Gift):
            spend = None if benefit.spend is None else self.lines.minor(benefit.spend.amount)
            found, offered = basket_deals.gift(benefit.quantity, spend, self.net, self.lines.units, positions,
                                               self.lines.of_product(benefit.product_code), self.gifted)
            if offered:
                offer = GiftOffer(promotion.promotion_id, promotion.name, benefit.product_code, offered)
        elif isinstance(benefit, _PER_LINE):
            self._per_line(promotion, positions, stage)
            return None
        elif isinstance(benefit, SpendThreshold) and benefit.percent is not None:
            before = self.before_thresholds or tuple(self.net)
            if sum(before[p] for p in positions) >= self.lines.minor(benefit.spend.amount):
                self._percent(promotion, benefit.percent, positions, stage)  # met: a percent off each line
            return None
        else:
            found = self._discounts(promotion, positions)
        for position, amount in found:
            self._give(position, promotion, amount, stage)
        return offer

    def _per_line(self, promotion: Promotion, positions: Sequence[int], stage: int) -> None:
        """A percent, an amount off or a fixed price given line by line: ``_discounts`` and
        ``_give`` in one loop (the evaluation's hot path; the same integers)."""
        benefit, net, given, first = promotion.benefit, self.net, self.given, self.first_stage
        if isinstance(benefit, PercentOff):
            self._percent(promotion, benefit.percent, positions, stage)
            return
        if isinstance(benefit, AmountOff):
            off, deal = self.lines.per_quantity(benefit.amount.amount), None
        else:
            off, deal = None, self.lines.per_quantity(benefit.price.amount)  # type: ignore[union-attr]
        for p in positions:
            left = net[p]
            amount = off[p] if deal is None else left - deal[p]  # type: ignore[index]
            if amount > left:
                amount = left
            if amount > 0:
                net[p] = left - amount
                given[p].append([promotion, amount])
                if not first[p]:
                    first[p] = stage

    def _percent(self, promotion: Promotion, percent: Decimal, positions: Sequence[int], stage: int) -> None:
        """A percent off, or a spend threshold's percent once its spend is met (``_take_percent``)."""
        numerator, denominator = _ratio(percent)
        if numerator > 0:  # else nothing off (a negative percent rounds to nothing given)
            _take_percent(self.net, self.given, self.first_stage, promotion, positions, numerator, denominator, stage)

    def _discounts(self, promotion: Promotion, positions: Sequence[int]) -> list[tuple[int, int]]:
        benefit, net, lines = promotion.benefit, self.net, self.lines
        if isinstance(benefit, PercentOff):
            return basket_deals.threshold_percent(benefit.percent, net, positions)
        if isinstance(benefit, AmountOff):
            off = lines.per_quantity(benefit.amount.amount)
            return [(p, off[p]) for p in positions]
        if isinstance(benefit, FixedPrice):
            deal = lines.per_quantity(benefit.price.amount)
            return [(p, net[p] - deal[p]) for p in positions]
        if isinstance(benefit, BuyGet):
            return unit_deals.buy_get(benefit, net, lines.units, positions)
        if isinstance(benefit, BundlePrice):
            return unit_deals.bundle(benefit, net, lines.units, positions, lines.minor(benefit.price.amount))
        if isinstance(benefit, SpendThreshold):
            before = self.before_thresholds or tuple(net)
            if sum(before[p] for p in positions) < lines.minor(benefit.spend.amount):
                return []
            if benefit.percent is not None:
                return basket_deals.threshold_percent(benefit.percent, net, positions)
            if benefit.amount_off is not None:
                return basket_deals.threshold_amount(lines.minor(benefit.amount_off.amount), net, positions)
            return []
        raise TypeError(f"no stage for {type(benefit).__name__}")

    def _give(self, position: int, promotion: Promotion, amount: int, stage: int) -> None:
        amount = min(amount, self.net[position])  # never below zero: cut to the line's net
        if amount <= 0:
            return
        self.net[position] -= amount
        self.given[position].append([promotion, amount])
        if not self.first_stage[position]:
            self.first_stage[position] = stage

    def cap(self, caps: Iterable[Cap]) -> None:
        """Each covered line's discounts cut to its tightest cap, the last applied first."""
        gross, net, given = self.lines.gross, self.net, self.given
        for p, limit in self.lines.cap_limits(tuple(caps)):
            excess = gross[p] - net[p] - limit
            if excess <= 0:
                continue
            for entry in reversed(given[p]):
                back = min(excess, entry[1])
                entry[1] -= back
                excess -= back
                net[p] += back
                if excess <= 0:
                    break

    def priced(self) -> PricedBasket:
        """The answer with ``Money``: one priced line per basket line, in the basket's order."""
        currency = self.lines.currency
        basket, slots = self.lines.basket_lines, self.lines.slots
        priced: list[PricedLine | None] = [None] * len(basket)
        known = _DISCOUNTS
        for position, given in enumerate(self.given):
            slot = slots[position]
            discounts = []
            for promotion, amount in given:
                if amount > 0:
                    found = known.get((promotion.promotion_id, promotion.name, amount, currency))
                    discounts.append(_discount(promotion, amount, currency) if found is None else found)
            priced[slot] = PricedLine(basket[slot], tuple(discounts))
        if len(slots) < len(basket):  # the voided lines: nothing
            priced = [PricedLine(line) if found is None else found for line, found in zip(basket, priced)]
        return PricedBasket(currency, tuple(priced), tuple(self.offers))  # type: ignore[arg-type]


def _take_percent(net: list[int], given: list[list[list]], first: list[int], promotion: Promotion,
                  positions: Sequence[int], numerator: int, denominator: int, stage: int) -> None:
    """``round_half_up(net * numerator / denominator)`` off each line at ``positions``, never
    past its net (``numerator / denominator``: the percent over 100, positive)."""
    twice, half = 2 * numerator, 2 * denominator
    for p in positions:
        left = net[p]
        if left <= 0:
            continue
        amount = (twice * left + denominator) // half
        if amount > left:
            amount = left
        if amount > 0:
            net[p] = left - amount
            given[p].append([promotion, amount])
            if not first[p]:
                first[p] = stage


_PER_LINE = (PercentOff, AmountOff, FixedPrice)
_RATIOS: dict[Decimal, tuple[int, int]] = {}
RATIOS_KEPT = 4096


def _ratio(percent: Decimal) -> tuple[int, int]:
    """``percent / 100`` as (numerator, denominator), remembered by the percent."""
    found = _RATIOS.get(percent)
    if found is None:
        numerator, denominator = percent.as_integer_ratio()
        make_room(_RATIOS, RATIOS_KEPT)
        found = _RATIOS[percent] = (numerator, denominator * 100)
    return found


_Work = Evaluation  # the name helper code used before Evaluation was public
