"""A spend threshold or spend gift proved harmless (``pos.pricing.harmless``) has a settled
condition: never met, it gives nothing; always met, it is evaluated with a spend of 0 (so a
percent threshold is per-line).  What the scorer evaluates for each promotion, and the mode
its answers are remembered under (docs/promotions.md, "The best-deal search")."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from pos.money import Money
from pos.pricing.forgetting import make_room
from pos.pricing.lines import PricingLines
from pos.pricing.promotion import AmountOff, FixedPrice, Gift, PercentOff, Promotion, SpendThreshold


def mode(promotion: Promotion, effective: Promotion | None) -> int:
    """0: evaluated as it is; 1: a threshold left out (never met); 2: a threshold always met."""
    if effective is None:
        return 1
    return 0 if effective is promotion else 2


def settled(promotion: Promotion, prepared: PricingLines, harmless: Collection[str]) -> tuple[Promotion | None, bool]:
    """What to evaluate for ``promotion`` (None: it can give nothing here), and whether it is
    then per-line."""
    benefit = promotion.benefit
    if isinstance(benefit, (PercentOff, AmountOff, FixedPrice)):
        return promotion, True
    if not isinstance(benefit, (SpendThreshold, Gift)) or benefit.spend is None \
            or promotion.promotion_id not in harmless:
        return promotion, False
    spend = benefit.spend
    gross = sum(prepared.gross[p] for p in prepared.covered(promotion))
    if gross < prepared.minor(spend.amount):
        return None, True
    return _without_spend(promotion), isinstance(benefit, SpendThreshold) and benefit.amount_off is None


_WITHOUT_SPEND: dict[int, tuple[Promotion, Promotion]] = {}  # by the promotion's identity (kept alive here)
WITHOUT_SPEND_KEPT = 4096


def _without_spend(promotion: Promotion) -> Promotion:
    """``promotion`` with a spend of 0, the same object each time (made once: every reprice asks)."""
    found = _WITHOUT_SPEND.get(id(promotion))
    if found is None or found[0] is not promotion:
        make_room(_WITHOUT_SPEND, WITHOUT_SPEND_KEPT)
        benefit = promotion.benefit
        assert isinstance(benefit, (SpendThreshold, Gift)) and benefit.spend is not None
        no_spend = Money.from_minor(0, benefit.spend.currency)
        found = _WITHOUT_SPEND[id(promotion)] = (promotion, replace(promotion, benefit=replace(benefit, spend=no_spend)))
    return found[1]
