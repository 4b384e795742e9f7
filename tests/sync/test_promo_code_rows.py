"""The promo_codes dataset's items as the till stages them: a good item becomes the book's row,
anything else is a ValueError naming the code and the field (the page is then unusable and
nothing of the pull is applied), never another exception."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.promo_code_rows import promo_code_row


def item(**kw: object) -> dict[str, object]:
    return {"code": "WINTER10", "promotion_ids": ["P-WINTER"], "starts": "2026-12-01T00:00:00", "ends": None,
            "minimum": "500.00", "uses_allowed": 1, "uses_known": 0, "per_customer": None, "customer_uses": {},
            "phone_hash": "", "pin_hash": "", "deleted": False, **kw}


def test_a_good_item_is_the_books_row() -> None:
    assert promo_code_row(item(customer_uses={"C-2": 1, "C-1": 2})) == (
        "WINTER10", '["P-WINTER"]', "2026-12-01T00:00:00", None, "500.00", 1, 0, None, '{"C-1": 2, "C-2": 1}',
        "", "", 0)


@pytest.mark.parametrize(("bad", "says"), [
    ({"code": "winter10"}, "not written as the till keeps codes"),
    ({"code": "WIN!TER"}, "is not a promo code"),
    ({"uses_allowed": 0}, "uses_allowed"),
    ({"uses_known": -1}, "uses_known"),
    ({"uses_known": "1"}, "uses_known"),
    ({"minimum": "lots"}, "minimum 'lots' is not an amount"),
    ({"minimum": "-1"}, "minimum '-1' is not an amount"),
    ({"starts": "next week"}, "starts 'next week' is not a date-time"),
    ({"ends": "2026-12-31T00:00:00+02:00"}, "must be the store's local time"),
    ({"promotion_ids": "P-WINTER"}, "promotion_ids"),
    ({"deleted": "no"}, "deleted"),
])
def test_an_item_that_is_not_one_is_refused_naming_the_field(bad: dict[str, object], says: str) -> None:
    with pytest.raises(ValueError, match="promo code") as raised:
        promo_code_row(item(**bad))
    assert says in str(raised.value)


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                         max_size=3), max_leaves=8)


@given(st.dictionaries(st.sampled_from(sorted(item())), json_values, max_size=12))
def test_any_item_from_a_hub_is_a_row_or_a_value_error(changes: dict[str, object]) -> None:
    try:
        row = promo_code_row(item(**changes))
    except ValueError:
        return
    assert len(row) == 12 and isinstance(json.loads(row[1]), list)
