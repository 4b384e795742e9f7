"""A promotion as head office defines it: conditions (which lines, when, for whom) kept apart
from the benefit (what the customer gets), plus how it combines with the others.

Definitions arrive as JSON (``pos.pricing.definitions``) and become these frozen objects;
the engine (``pos.pricing.engine``) never sees JSON.  Money amounts are in the store's
currency; date-times are the store's local wall-clock time (naive), weekdays ISO (1 = Monday).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from pos.catalog import Product
from pos.gift_cards.records import GIFT_CARD_CODE
from pos.money import Money


class Combination(enum.Enum):
    """How a promotion lives with the others on the same line (docs/promotions.md).

    EXCLUSIVE: no other chosen promotion covers a line it covers.  BEST_OF: at most one promotion of the
    same priority group on a line, the one the search finds best for the customer.
    STACKABLE: compounds with every other stackable or best-of promotion.
    """

    EXCLUSIVE = "exclusive"
    BEST_OF = "best_of"
    STACKABLE = "stackable"


@dataclass(frozen=True, slots=True)
class Scope:
    """Which lines a promotion looks at: the whole assortment, or any of ``products``,
    ``brands``, ``categories``; minus the exclusions.  ``exclude_reduced`` leaves out lines
    whose price the cashier overrode and lines an earlier stage already discounted."""

    products: frozenset[str] = frozenset()
    brands: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    exclude_products: frozenset[str] = frozenset()
    exclude_brands: frozenset[str] = frozenset()
    exclude_categories: frozenset[str] = frozenset()
    exclude_reduced: bool = False

    @property
    def everything(self) -> bool:
        return not (self.products or self.brands or self.categories)

    def covers(self, product: Product) -> bool:
        if product.code == GIFT_CARD_CODE:  # a gift card is money, never discounted
            return False
        if (product.code in self.exclude_products or product.brand in self.exclude_brands
                or product.category in self.exclude_categories):
            return False
        return self.everything or (product.code in self.products or product.brand in self.brands
                                   or product.category in self.categories)


@dataclass(frozen=True, slots=True)
class Validity:
    """When, where and for whom a promotion applies.  Empty sets mean "any".

    ``starts``/``ends``: local date-times, ``ends`` excluded.  ``hours``: a daily window
    (from, to), ``to`` excluded.  ``birthday``: only within 7 days before to 7 days after the
    identified customer's birthday.  ``needs_code``: only when a promo code unlocked it
    (``PricingContext.unlocked``)."""

    starts: datetime | None = None
    ends: datetime | None = None
    weekdays: frozenset[int] = frozenset()
    hours: tuple[time, time] | None = None
    stores: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()
    tiers: frozenset[str] = frozenset()
    segments: frozenset[str] = frozenset()
    customer_groups: frozenset[str] = frozenset()
    birthday: bool = False
    needs_code: bool = False


# -- benefits: what the customer gets ------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PercentOff:
    """``percent`` off each covered line (a stage-4 discount: after prices and amounts)."""

    percent: Decimal


@dataclass(frozen=True, slots=True)
class AmountOff:
    """``amount`` off each covered unit (per kilogram for weighed goods), never below zero."""

    amount: Money


@dataclass(frozen=True, slots=True)
class FixedPrice:
    """Covered items at ``price`` per unit (per kilogram for weighed goods) when that is lower."""

    price: Money


@dataclass(frozen=True, slots=True)
class BuyGet:
    """Buy ``buy``, get ``get`` at ``percent`` off, per group of ``buy + get`` covered units
    across the covered lines (mix and match), the cheapest units of each group reduced.
    3 for 2: buy 2 get 1 at 100; second at half price: buy 1 get 1 at 50.  Counted units only."""

    buy: int
    get: int
    percent: Decimal = Decimal(100)


@dataclass(frozen=True, slots=True)
class BundlePrice:
    """Any ``size`` covered units for ``price`` together, per group (mix and match)."""

    size: int
    price: Money


@dataclass(frozen=True, slots=True)
class SpendThreshold:
    """Spend at least ``spend`` on the covered lines (after item discounts), get ``amount_off``
    or ``percent`` off them (exactly one of the two); spread over the lines to the cent."""

    spend: Money
    amount_off: Money | None = None
    percent: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Gift:
    """A gift with purchase: ``quantity`` units of ``product_code`` free when the covered lines
    come to ``spend`` (any covered line at all when ``spend`` is None).  When the gift is not in
    the basket, the priced basket offers it (``PricedBasket.offers``)."""

    product_code: str
    quantity: int = 1
    spend: Money | None = None


Benefit = PercentOff | AmountOff | FixedPrice | BuyGet | BundlePrice | SpendThreshold | Gift


@dataclass(frozen=True, slots=True)
class Promotion:
    promotion_id: str
    name: str  # as the screen and the receipt say it
    benefit: Benefit
    scope: Scope = field(default_factory=Scope)
    validity: Validity = field(default_factory=Validity)
    combination: Combination = Combination.STACKABLE
    priority: int = 0  # the priority group (BEST_OF competes inside it); lower applies first


@dataclass(frozen=True, slots=True)
class Cap:
    """A technical promotion: the discount on each covered line never exceeds ``max_percent``
    of the line's price before discounts, whatever else applies.  Caps always win."""

    cap_id: str
    name: str
    scope: Scope
    max_percent: Decimal
    validity: Validity = field(default_factory=Validity)


@dataclass(frozen=True, slots=True)
class CustomerFacts:
    """What pricing needs to know of the identified customer (computed centrally)."""

    customer_id: str
    tier: str = ""
    segment: str = ""
    group: str = ""
    birthday: date | None = None


@dataclass(frozen=True, slots=True)
class PromotionSet:
    """Every promotion and cap the till knows (active or not: the engine checks validity)."""

    promotions: tuple[Promotion, ...] = ()
    caps: tuple[Cap, ...] = ()
    version: str = ""  # the dataset version the till holds, for the log and the sale record
