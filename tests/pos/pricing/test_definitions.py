"""kassa.promotion.v1: every kind reads as the promotion it describes and writes back the same;
every wrong field is refused naming the promotion and the field; whatever JSON arrives, only
BadDefinition comes out; a till skips (and reports) what it cannot read and keeps the rest."""

from __future__ import annotations

import copy
import json
import os
from datetime import datetime, time
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.money import Money
from pos.pricing.definitions import (
    BadDefinition,
    definition_from_dict,
    definition_to_dict,
    promotion_set_from_items,
)
from pos.pricing.promotion import (
    AmountOff,
    BundlePrice,
    BuyGet,
    Cap,
    Combination,
    FixedPrice,
    Gift,
    PercentOff,
    Promotion,
    Scope,
    SpendThreshold,
    Validity,
)

EXAMPLES = 1000 if os.environ.get("KASSA_SOAK") else 150
EXAMPLE = {"format": "kassa.promotion.v1", "id": "P-DAIRY-10", "name": "Dairy -10 %",
           "kind": "percent_off", "percent": "10",
           "scope": {"products": [], "brands": [], "categories": ["Dairy"],
                     "exclude": {"products": [], "brands": [], "categories": []}, "exclude_reduced": False},
           "validity": {"starts": "2026-12-01T00:00", "ends": "2027-01-01T00:00", "weekdays": [1, 2, 3, 4, 5],
                        "hours": ["17:00", "19:00"], "stores": [], "channels": [], "tiers": [], "segments": [],
                        "customer_groups": [], "birthday": False, "needs_code": False},
           "combination": "stackable", "priority": 0}


def uah(text: str) -> Money:
    return Money.of(text, "UAH")


def minimal(kind: str, **fields: Any) -> dict[str, Any]:
    return {"format": "kassa.promotion.v1", "id": "P1", "name": "Offer", "kind": kind, **fields}


def test_the_documented_example_reads_as_dairy_ten_percent_off_on_weekday_evenings_and_writes_back_the_same() -> None:
    promotion = definition_from_dict(EXAMPLE, "UAH")
    assert promotion == Promotion(
        "P-DAIRY-10", "Dairy -10 %", PercentOff(Decimal(10)), Scope(categories=frozenset({"Dairy"})),
        Validity(starts=datetime(2026, 12, 1), ends=datetime(2027, 1, 1), weekdays=frozenset({1, 2, 3, 4, 5}),
                 hours=(time(17), time(19))))
    assert definition_to_dict(promotion) == EXAMPLE


@pytest.mark.parametrize(("fields", "benefit"), [
    (minimal("percent_off", percent="12.5"), PercentOff(Decimal("12.5"))),
    (minimal("percent_off", percent=10), PercentOff(Decimal(10))),  # a whole JSON number is a percent too
    (minimal("amount_off", amount="5.00"), AmountOff(uah("5.00"))),
    (minimal("fixed_price", price="19.90"), FixedPrice(uah("19.90"))),
    (minimal("fixed_price", price="0"), FixedPrice(uah("0"))),
    (minimal("buy_get", buy=2, get=1), BuyGet(2, 1, Decimal(100))),  # 3 for 2
    (minimal("buy_get", buy=1, get=1, percent="50"), BuyGet(1, 1, Decimal(50))),  # second at half price
    (minimal("bundle", size=3, price="100"), BundlePrice(3, uah("100"))),
    (minimal("spend_threshold", spend="500", amount_off="50"), SpendThreshold(uah("500"), amount_off=uah("50"))),
    (minimal("spend_threshold", spend="500", percent="5"), SpendThreshold(uah("500"), percent=Decimal(5))),
    (minimal("gift", product="GIFT-1"), Gift("GIFT-1")),
    (minimal("gift", product="GIFT-1", quantity=2, spend="300"), Gift("GIFT-1", 2, uah("300"))),
])
def test_each_kind_reads_with_the_defaults_of_every_field_it_leaves_out(fields: dict[str, Any], benefit: Any) -> None:
    promotion = definition_from_dict(fields, "UAH")
    assert promotion == Promotion("P1", "Offer", benefit)
    assert definition_from_dict(definition_to_dict(promotion), "UAH") == promotion


def test_a_cap_reads_as_a_cap_and_takes_no_combination_or_priority() -> None:
    fields = minimal("cap", max_percent="10", scope={"brands": ["Lux"]})
    assert definition_from_dict(fields, "UAH") == Cap("P1", "Offer", Scope(brands=frozenset({"Lux"})), Decimal(10))
    assert definition_from_dict(minimal("cap", max_percent=0), "UAH").max_percent == 0
    with pytest.raises(BadDefinition, match="combination is not a field"):
        definition_from_dict({**fields, "combination": "exclusive"}, "UAH")


def wrong(path: str, value: Any, base: dict[str, Any] = EXAMPLE) -> dict[str, Any]:
    """``base`` with the field at ``path`` (dots) set to ``value``, or removed when value is ...."""
    changed = copy.deepcopy(base)
    *parents, last = path.split(".")
    inner = changed
    for key in parents:
        inner = inner[key]
    if value is ...:
        del inner[last]
    else:
        inner[last] = value
    return changed


@pytest.mark.parametrize(("definition", "field", "says"), [
    (wrong("percent", "-10"), "percent", "more than 0 and at most 100 percent, not “-10”"),
    (wrong("percent", "101"), "percent", "at most 100 percent"),
    (wrong("percent", "0"), "percent", "more than 0"),
    (wrong("percent", 10.5), "percent", "fraction written as a JSON number"),
    (wrong("percent", "1e2"), "percent", "decimal number written as a text"),
    (wrong("percent", ...), "percent", "is missing"),
    (minimal("cap", max_percent="-1"), "max_percent", "from 0 to 100 percent, not “-1”"),
    (wrong("validity.starts", "2026-13-01T00:00"), "validity.starts", "like 2026-12-01T00:00"),
    (wrong("validity.starts", "1 December"), "validity.starts", "like 2026-12-01T00:00"),
    (wrong("validity.starts", "2026-12-01T00:00+02:00"), "validity.starts", "has a time zone"),
    (wrong("validity.ends", "2026-11-01T00:00"), "validity.ends", "must be after validity.starts"),
    (wrong("validity.ends", "2026-12-01T00:00"), "validity.ends", "must be after validity.starts"),
    (wrong("validity.hours", ["17:00", "7pm"]), "validity.hours", "two different times"),
    (wrong("validity.hours", ["17:00", "24:00"]), "validity.hours", "two different times"),
    (wrong("validity.hours", ["17:00", "17:00"]), "validity.hours", "two different times"),
    (wrong("validity.hours", ["17:00"]), "validity.hours", "two different times"),
    (wrong("validity.weekdays", [1, 8]), "validity.weekdays.1", "from 1 (Monday) to 7 (Sunday), not 8"),
    (wrong("validity.weekdays", [0]), "validity.weekdays.0", "from 1 (Monday) to 7 (Sunday)"),
    (wrong("validity.birthday", "yes"), "validity.birthday", "true or false"),
    (wrong("validity.colour", "red"), "validity.colour", "not a field"),
    (wrong("scope.categories", "Dairy"), "scope.categories", "list of at most"),
    (wrong("scope.exclude.brands", [""]), "scope.exclude.brands.0", "text of 1 to 100 characters"),
    (wrong("combination", "best"), "combination", "one of exclusive, best_of, stackable, not “best”"),
    (wrong("priority", "1"), "priority", "whole number"),
    (wrong("discount", "5"), "discount", "not a field of this kind"),
    (wrong("name", ""), "name", "text of 1 to 80 characters"),
    (wrong("id", "bad id"), "id", "1 to 64 letters"),
    (wrong("kind", "points"), "kind", "not one this version of Kassa knows"),
    (wrong("format", "kassa.promotion.v2"), "format", "not one this version of Kassa reads"),
    (minimal("amount_off", amount="5.001"), "amount", "more decimal places than UAH has: “5.001”"),
    (minimal("amount_off", amount="-5"), "amount", "more than zero"),
    (minimal("fixed_price", price="-1"), "price", "must not be below zero"),
    (minimal("buy_get", buy=0, get=1), "buy", "whole number from 1 to 1000, not 0"),
    (minimal("buy_get", buy=2, get="1"), "get", "whole number from 1 to 1000"),
    (minimal("buy_get", buy=2, get=True), "get", "whole number from 1 to 1000, not true"),
    (minimal("bundle", size=1.5, price="10"), "size", "whole number"),
    (minimal("spend_threshold", spend="100", amount_off="5", percent="5"), "amount_off", "exactly one of"),
    (minimal("spend_threshold", spend="100"), "amount_off", "exactly one of"),
    (minimal("gift", product="G", quantity=0), "quantity", "whole number from 1"),
])
def test_a_wrong_field_is_refused_naming_the_promotion_the_field_and_what_is_wrong(
        definition: dict[str, Any], field: str, says: str) -> None:
    with pytest.raises(BadDefinition) as refused:
        definition_from_dict(definition, "UAH")
    assert refused.value.fields["promotion"] == ("?" if field == "id" else definition["id"])
    assert refused.value.fields["field"] == field and says in str(refused.value), str(refused.value)


def test_a_definition_without_a_readable_id_is_named_by_its_position() -> None:
    for broken in ({"format": "kassa.promotion.v1"}, {**EXAMPLE, "id": 7}, [EXAMPLE]):
        with pytest.raises(BadDefinition, match="^Promotion #3: "):
            definition_from_dict(broken, "UAH", position=3)


# -- round trip and fuzz -------------------------------------------------------------------------------
names = st.text(st.characters(codec="utf-8", categories=("L", "N", "P"), include_characters=" "), min_size=1, max_size=20).filter(
    lambda t: t == t.strip())
name_sets = st.frozensets(names, max_size=3)
ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,20}", fullmatch=True)
percents = st.decimals(min_value=Decimal("0.01"), max_value=100, places=2)
amounts = st.integers(1, 10**9).map(lambda minor: Money.from_minor(minor, "UAH"))
units = st.integers(1, 1000)
moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1)).map(
    lambda m: m.replace(microsecond=0))
clocks = st.times().map(lambda t: time(t.hour, t.minute))
scopes = st.builds(Scope, name_sets, name_sets, name_sets, name_sets, name_sets, name_sets, st.booleans())
validities = st.builds(
    lambda window, **rest: Validity(starts=window[0], ends=window[1], **rest),
    window=st.one_of(st.tuples(st.none(), st.none()), st.tuples(moments, st.none()), st.tuples(st.none(), moments),
                     st.tuples(moments, moments).filter(lambda w: w[0] < w[1])),
    weekdays=st.frozensets(st.integers(1, 7)),
    hours=st.none() | st.tuples(clocks, clocks).filter(lambda h: h[0] != h[1]),
    stores=name_sets, channels=name_sets, tiers=name_sets, segments=name_sets, customer_groups=name_sets,
    birthday=st.booleans(), needs_code=st.booleans())
benefits = st.one_of(
    st.builds(PercentOff, percents), st.builds(AmountOff, amounts), st.builds(FixedPrice, amounts),
    st.builds(BuyGet, units, units, percents), st.builds(BundlePrice, units, amounts),
    st.builds(SpendThreshold, amounts, amounts, st.none()), st.builds(SpendThreshold, amounts, st.none(), percents),
    st.builds(Gift, names, units, st.none() | amounts))
promotions = st.builds(Promotion, ids, names, benefits, scopes, validities, st.sampled_from(Combination),
                       st.integers(-1000, 1000))
caps = st.builds(Cap, ids, names, scopes, st.decimals(min_value=0, max_value=100, places=1), validities)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.one_of(promotions, caps))
def test_any_promotion_or_cap_goes_through_json_and_back_unchanged(promotion: Promotion | Cap) -> None:
    written = json.loads(json.dumps(definition_to_dict(promotion)))
    assert definition_from_dict(written, "UAH") == promotion
    assert definition_to_dict(definition_from_dict(written, "UAH")) == written


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20)
FIELDS = ["id", "name", "kind", "format", "percent", "scope", "scope.categories", "scope.exclude",
          "scope.exclude.products", "validity", "validity.starts", "validity.ends", "validity.hours",
          "validity.weekdays", "validity.stores", "combination", "priority"]


@settings(max_examples=EXAMPLES * 2, deadline=None)
@given(whole=json_values, field=st.sampled_from(FIELDS), value=json_values)
def test_whatever_json_arrives_only_bad_definition_comes_out(whole: Any, field: str, value: Any) -> None:
    for arriving in (whole, wrong(field, value), {**EXAMPLE, "kind": "buy_get", "buy": value, "get": 1}):
        try:
            read = definition_from_dict(arriving, "UAH")
        except BadDefinition as error:
            assert error.fields["promotion"] and str(error)
        else:
            assert definition_from_dict(definition_to_dict(read), "UAH") == read


# -- what a till does with the pulled definitions --------------------------------------------------
def test_a_till_skips_what_it_cannot_read_says_which_and_keeps_the_others() -> None:
    newer = {**minimal("points_multiplier", factor="2"), "id": "P-POINTS"}
    future = {**EXAMPLE, "id": "P-V2", "format": "kassa.promotion.v2"}
    bad = wrong("percent", "-5") | {"id": "P-NEG"}
    cap = minimal("cap", max_percent="10") | {"id": "C-LUX"}
    items = [EXAMPLE, newer, future, bad, cap, {**EXAMPLE, "name": "again"}, "not a definition",
             {"id": "P-GONE", "definition": None, "deleted": True},
             {"id": "P-ITEM", "definition": {**EXAMPLE, "id": "P-ITEM"}, "deleted": False}]
    found, skipped = promotion_set_from_items(items, "UAH", version="42")
    assert [p.promotion_id for p in found.promotions] == ["P-DAIRY-10", "P-ITEM"]
    assert [c.cap_id for c in found.caps] == ["C-LUX"] and found.version == "42"
    assert len(skipped) == 5
    for sentence, says in zip(skipped, ["P-POINTS: kind “points_multiplier”", "P-V2: format “kassa.promotion.v2”",
                                        "P-NEG: percent", "P-DAIRY-10: a second definition",
                                        "#7: a definition must be a JSON object"], strict=True):
        assert sentence.startswith("Promotion ") and says in sentence, sentence


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(json_values, max_size=5))
def test_no_pulled_item_whatever_it_holds_stops_the_till_from_taking_the_others(items: list[Any]) -> None:
    found, skipped = promotion_set_from_items([*items, EXAMPLE], "UAH")
    assert "P-DAIRY-10" in {p.promotion_id for p in found.promotions}
    assert all(isinstance(sentence, str) and sentence for sentence in skipped)
