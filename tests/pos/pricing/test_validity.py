"""When, where and for whom a promotion applies (pos.pricing.eligibility), rule by rule."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from pos.pricing.eligibility import active_caps, active_promotions, in_birthday_window, is_active, is_valid
from pos.pricing.priced import PricingContext
from pos.pricing.promotion import Cap, CustomerFacts, PercentOff, PromotionSet, Scope, Validity
from tests.pos.pricing.shop import promo

WEDNESDAY_NOON = datetime(2026, 12, 2, 12, 0)  # ISO weekday 3
GOLD_ANNA = CustomerFacts("c1", tier="gold", segment="families", group="staff", birthday=date(1990, 12, 5))


def at(now: datetime = WEDNESDAY_NOON, **kw) -> PricingContext:
    return PricingContext(now=now, **kw)


ROWS = [
    # name, validity, context, valid?
    ("no rule at all", Validity(), at(), True),
    ("at the start of the window", Validity(starts=WEDNESDAY_NOON), at(), True),
    ("a minute before the start", Validity(starts=datetime(2026, 12, 2, 12, 1)), at(), False),
    ("at the end of the window (end excluded)", Validity(ends=WEDNESDAY_NOON), at(), False),
    ("a minute before the end", Validity(ends=datetime(2026, 12, 2, 12, 1)), at(), True),
    ("on one of its weekdays", Validity(weekdays=frozenset({3, 6})), at(), True),
    ("not on its weekdays", Validity(weekdays=frozenset({1, 2, 4, 5, 6, 7})), at(), False),
    ("within the hours", Validity(hours=(time(9), time(12, 1))), at(), True),
    ("at the end of the hours (end excluded)", Validity(hours=(time(9), time(12))), at(), False),
    ("at the start of the hours", Validity(hours=(time(12), time(13))), at(), True),
    ("hours over midnight, late", Validity(hours=(time(22), time(2))), at(datetime(2026, 12, 2, 23, 30)), True),
    ("hours over midnight, early", Validity(hours=(time(22), time(2))), at(datetime(2026, 12, 3, 1, 59)), True),
    ("hours over midnight, at noon", Validity(hours=(time(22), time(2))), at(), False),
    ("hours from and to the same time are empty", Validity(hours=(time(12), time(12))), at(), False),
    ("in one of its stores", Validity(stores=frozenset({"kyiv-1"})), at(store_id="kyiv-1"), True),
    ("in another store", Validity(stores=frozenset({"kyiv-1"})), at(store_id="baku-2"), False),
    ("in its channel", Validity(channels=frozenset({"store"})), at(), True),
    ("in another channel", Validity(channels=frozenset({"web"})), at(), False),
    ("the customer's tier", Validity(tiers=frozenset({"gold", "vip"})), at(customer=GOLD_ANNA), True),
    ("another tier", Validity(tiers=frozenset({"vip"})), at(customer=GOLD_ANNA), False),
    ("a tier with no customer identified", Validity(tiers=frozenset({"gold"})), at(), False),
    ("the customer's segment", Validity(segments=frozenset({"families"})), at(customer=GOLD_ANNA), True),
    ("another segment", Validity(segments=frozenset({"students"})), at(customer=GOLD_ANNA), False),
    ("the customer's group", Validity(customer_groups=frozenset({"staff"})), at(customer=GOLD_ANNA), True),
    ("another group", Validity(customer_groups=frozenset({"public"})), at(customer=GOLD_ANNA), False),
    ("birthday in 3 days", Validity(birthday=True), at(customer=GOLD_ANNA), True),
    ("birthday with no customer", Validity(birthday=True), at(), False),
    ("birthday not known", Validity(birthday=True), at(customer=CustomerFacts("c2")), False),
    ("birthday offer for the customer's group only",
     Validity(birthday=True, customer_groups=frozenset({"public"})), at(customer=GOLD_ANNA), False),
    ("a promo code it needs, not given", Validity(needs_code=True), at(), False),
]


@pytest.mark.parametrize(("validity", "context", "valid"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_each_validity_rule(validity, context, valid):
    assert is_valid(validity, context, "p") is valid
    assert is_active(promo("p", PercentOff(1), validity=validity), context) is valid


BIRTHDAYS = [
    # name, birthday, today, within the 7 days before to 7 days after?
    ("on the day", date(1990, 6, 15), date(2026, 6, 15), True),
    ("7 days before", date(1990, 6, 15), date(2026, 6, 8), True),
    ("8 days before", date(1990, 6, 15), date(2026, 6, 7), False),
    ("7 days after", date(1990, 6, 15), date(2026, 6, 22), True),
    ("8 days after", date(1990, 6, 15), date(2026, 6, 23), False),
    ("born 3 January, on 28 December (across the year's end)", date(1990, 1, 3), date(2026, 12, 28), True),
    ("born 29 December, on 4 January (across the year's end)", date(1990, 12, 29), date(2027, 1, 4), True),
    ("born 29 December, on 6 January", date(1990, 12, 29), date(2027, 1, 6), False),
    ("born 29 February, on 7 March of a common year (28 Feb + 7)", date(2000, 2, 29), date(2026, 3, 7), True),
    ("born 29 February, on 8 March of a common year", date(2000, 2, 29), date(2026, 3, 8), False),
    ("born 29 February, on 21 February of a common year (28 Feb - 7)", date(2000, 2, 29), date(2026, 2, 21), True),
    ("born 29 February, on 7 March of a leap year (29 Feb + 7)", date(2000, 2, 29), date(2028, 3, 7), True),
    ("born 29 February, on 22 February of a leap year (29 Feb - 7)", date(2000, 2, 29), date(2028, 2, 22), True),
    ("born 29 February, on 21 February of a leap year", date(2000, 2, 29), date(2028, 2, 21), False),
]


@pytest.mark.parametrize(("birthday", "today", "within"), [r[1:] for r in BIRTHDAYS], ids=[r[0] for r in BIRTHDAYS])
def test_the_birthday_window(birthday, today, within):
    assert in_birthday_window(birthday, today) is within


def test_a_promo_code_unlocks_only_the_promotions_it_names():
    needs = promo("code10", PercentOff(10), validity=Validity(needs_code=True))
    other = promo("code20", PercentOff(20), validity=Validity(needs_code=True))
    context = at(unlocked=frozenset({"code10"}))
    assert is_active(needs, context) and not is_active(other, context)
    assert not is_valid(Validity(needs_code=True), context)  # no id: nothing unlocked it


def test_active_promotions_and_caps_keep_the_valid_ones_in_the_sets_order():
    weekend = Validity(weekdays=frozenset({6, 7}))
    promotions = (promo("b", PercentOff(5)), promo("weekend", PercentOff(9), validity=weekend), promo("a", PercentOff(1)))
    caps = (Cap("lux", "Lux", Scope(), 10, weekend), Cap("all", "All", Scope(), 50))
    catalogue = PromotionSet(promotions, caps)
    assert [p.promotion_id for p in active_promotions(catalogue, at())] == ["b", "a"]
    assert [c.cap_id for c in active_caps(catalogue, at())] == ["all"]
    assert [c.cap_id for c in active_caps(catalogue, at(datetime(2026, 12, 5, 10)))] == ["lux", "all"]


def test_a_cap_that_needs_a_code_is_active_only_when_its_id_was_unlocked():
    coded = Cap("c", "C", Scope(), 10, Validity(needs_code=True))
    assert not is_active(coded, at()) and is_active(coded, at(unlocked=frozenset({"c"})))
