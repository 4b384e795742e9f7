"""Points a sale earns, and what points are worth.

Rounding, written down once: a sale earns ``floor(whole units * rate)`` points, where the whole
units are what the customer paid in money (the total after discounts, less what points paid)
with the cents dropped: 99.99 at 1.5 points per unit earns floor(99 * 1.5) = 148.  A sale of
nothing, or one paid wholly with points, earns 0; the customer never earns a part of a point.
Gift card lines earn nothing (the money on the card earns when it is spent on goods): their
totals are left out of what the customer paid.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_FLOOR, Decimal

from pos.gift_cards.records import GIFT_CARD_CODE
from pos.loyalty.rules import LoyaltyRules
from pos.money import Money, money_sum
from pos.sale import Sale

POINTS = "points"  # the payment method of points paid as a tender


def earn(paid: Money, tier: str, rules: LoyaltyRules) -> int:
    """Points earned on ``paid`` (money, after discounts) by a customer of ``tier``."""
    if paid.amount <= 0:
        return 0
    units = paid.amount.to_integral_value(rounding=ROUND_FLOOR)
    return int((units * rules.rate(tier)).to_integral_value(rounding=ROUND_FLOOR))


def points_value(points: int, rules: LoyaltyRules, currency: str) -> Money:
    """What ``points`` pay (a whole amount: the point value has at most 2 places)."""
    return Money.of(Decimal(points) * rules.point_value, currency)


def points_in(amount: Money, rules: LoyaltyRules) -> int:
    """The points a points payment of ``amount`` stands for."""
    return int((amount.amount / rules.point_value).to_integral_value(rounding=ROUND_FLOOR))


def with_points(sale: Sale, rules: LoyaltyRules | None, tier: str) -> Sale:
    """The sale with the points it earns and those its "points" payments spent (only with a
    customer and rules; the points payments are counted back from their amounts)."""
    if not sale.customer_id or rules is None:
        return sale
    paid_with_points = money_sum([p.amount for p in sale.payments if p.method == POINTS], sale.currency)
    redeemed = points_in(paid_with_points, rules)
    gift_cards = money_sum([l.total for l in sale.lines if l.product_code == GIFT_CARD_CODE and not l.voided],
                           sale.currency)
    earning = sale.total - paid_with_points - gift_cards
    return replace(sale, points_earned=earn(earning, tier, rules), points_redeemed=redeemed)
