"""Which promotions and caps apply to this sale now: their validity against the context.

Rules (docs/promotions.md), every one in the store's local wall-clock time (``context.now``):

- ``starts <= now < ends`` (either end may be open);
- ``weekdays``: ISO days (1 = Monday) of ``now``'s own date;
- ``hours`` (from, to): ``from <= time < to``; a window whose ``to`` is before its ``from``
  runs over midnight (22:00-02:00); ``from == to`` is an empty window (never valid);
- ``stores``, ``channels``: the context's store and channel must be among them;
- ``tiers``, ``segments``, ``customer_groups``: an identified customer whose tier, segment,
  group is among them (no customer: not valid);
- ``birthday``: an identified customer with a birthday within 7 days before to 7 days after
  ``now``'s date, across a year's end; 29 February counts as 28 February in other years;
- ``needs_code``: a promo code unlocked this promotion (its id is in ``context.unlocked``).

Empty sets mean "any".  Nothing here reads a clock or a setting.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, time

from pos.pricing.priced import PricingContext
from pos.pricing.promotion import Cap, Promotion, PromotionSet, Validity

BIRTHDAY_DAYS = 7  # the birthday window: this many days before and after the birthday


def is_valid(validity: Validity, context: PricingContext, item_id: str = "") -> bool:
    """Every rule of ``validity`` holds for ``context``; ``item_id`` is the promotion's (or
    cap's) id, which ``needs_code`` looks for in ``context.unlocked`` (no id: not unlocked)."""
    now = context.now
    if validity.starts is not None and now < validity.starts:
        return False
    if validity.ends is not None and now >= validity.ends:
        return False
    if validity.weekdays and now.isoweekday() not in validity.weekdays:
        return False
    if validity.hours is not None and not within_hours(now.time(), *validity.hours):
        return False
    if validity.stores and context.store_id not in validity.stores:
        return False
    if validity.channels and context.channel not in validity.channels:
        return False
    if validity.needs_code and (not item_id or item_id not in context.unlocked):
        return False
    return _customer_fits(validity, context)


def is_active(item: Promotion | Cap, context: PricingContext) -> bool:
    """The promotion or cap applies to this sale now (its validity, its promo code)."""
    item_id = item.promotion_id if isinstance(item, Promotion) else item.cap_id
    return is_valid(item.validity, context, item_id)


def active_promotions(promotions: PromotionSet | Iterable[Promotion], context: PricingContext) -> tuple[Promotion, ...]:
    """The promotions valid for ``context``, in the set's order."""
    items = promotions.promotions if isinstance(promotions, PromotionSet) else promotions
    return tuple(p for p in items if is_active(p, context))


def active_caps(caps: PromotionSet | Iterable[Cap], context: PricingContext) -> tuple[Cap, ...]:
    """The caps valid for ``context``, in the set's order."""
    items = caps.caps if isinstance(caps, PromotionSet) else caps
    return tuple(c for c in items if is_active(c, context))


def within_hours(at: time, start: time, end: time) -> bool:
    """``start <= at < end``; over midnight when ``end < start``; empty when they are equal."""
    if start < end:
        return start <= at < end
    if end < start:
        return at >= start or at < end
    return False


def in_birthday_window(birthday: date, today: date, days: int = BIRTHDAY_DAYS) -> bool:
    """``today`` is at most ``days`` days before or after the birthday in some year (the
    birthday of last year, this year or next year, so the window crosses a year's end)."""
    for year in (today.year - 1, today.year, today.year + 1):
        if abs((birthday_in(birthday, year) - today).days) <= days:
            return True
    return False


def birthday_in(birthday: date, year: int) -> date:
    """The birthday's date in ``year``: 29 February is 28 February in a year without it."""
    if birthday.month == 2 and birthday.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return birthday.replace(year=year)


def _customer_fits(validity: Validity, context: PricingContext) -> bool:
    customer = context.customer
    needs_customer = validity.tiers or validity.segments or validity.customer_groups or validity.birthday
    if not needs_customer:
        return True
    if customer is None:
        return False
    if validity.tiers and customer.tier not in validity.tiers:
        return False
    if validity.segments and customer.segment not in validity.segments:
        return False
    if validity.customer_groups and customer.group not in validity.customer_groups:
        return False
    if validity.birthday and (customer.birthday is None
                              or not in_birthday_window(customer.birthday, context.now.date())):
        return False
    return True
