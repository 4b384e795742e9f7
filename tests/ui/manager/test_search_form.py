"""What a manager types into the journal search: read into a query, or refused naming the field's
text and how to type it; never anything else, whatever is typed (fuzzed)."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from local_db.journal_search import RETURN, SALE
from pos.errors import PosError
from pos.money import Money
from ui.manager.search_form import DatesBackwards, NotADate, NotAReceiptNumber, SearchFields, TooLong, read_query

KYIV = ZoneInfo("Europe/Kyiv")
TODAY = date(2026, 12, 2)
EXAMPLES = 3000 if os.environ.get("KASSA_SOAK") else 150


def read(**typed: str) -> object:
    return read_query(SearchFields(**typed), currency="UAH", zone=KYIV, today=TODAY, ui_locale="uk")


def test_empty_fields_ask_for_everything():
    query = read()
    assert (query.number, query.since, query.until, query.amount, query.cashier) == (None, None, None, None, "")
    assert query.kinds == frozenset({SALE, RETURN})


def test_days_are_whole_days_on_the_shops_clock_in_each_way_of_writing_them():
    query = read(first_day="1.12", last_day="2026-12-02")
    assert query.since == datetime(2026, 12, 1, tzinfo=KYIV)
    assert query.until == datetime(2026, 12, 3, tzinfo=KYIV)
    assert query.since.astimezone(UTC) == datetime(2026, 11, 30, 22, tzinfo=UTC)
    assert read(first_day="01.12.2025").since == datetime(2025, 12, 1, tzinfo=KYIV)
    assert read(first_day="12/1").since == read(first_day="12/1/2026").since == datetime(2026, 12, 1, tzinfo=KYIV)


def test_an_amount_is_read_as_the_cashier_types_it_and_a_number_as_digits():
    query = read(amount="1 092,78", number=" 62 ", cashier=" Олена ", kind=RETURN, tender="card")
    assert query.amount == Money(Decimal("1092.78"), "UAH") and query.number == 62
    assert query.cashier == "Олена" and query.kinds == frozenset({RETURN}) and query.tender == "card"


@pytest.mark.parametrize("typed, refusal", [
    ({"number": "12a"}, NotAReceiptNumber),
    ({"number": "-3"}, NotAReceiptNumber),
    ({"number": "0"}, NotAReceiptNumber),
    ({"number": "１２"}, NotAReceiptNumber),  # full-width digits are not what a receipt prints
    ({"first_day": "31.02.2026"}, NotADate),
    ({"last_day": "yesterday"}, NotADate),
    ({"first_day": "2026-13-01"}, NotADate),
    ({"first_day": "13/1"}, NotADate),  # month/day: there is no 13th month
    ({"first_day": "3.12", "last_day": "1.12"}, DatesBackwards),
    ({"cashier": "x" * 41}, TooLong),
])
def test_a_field_that_cannot_be_read_is_refused_with_what_was_typed(typed, refusal):
    with pytest.raises(refusal) as refused:
        read(**typed)
    said = refused.value.user_message()
    assert said and "{" not in said
    for text in typed.values():
        if refusal is not DatesBackwards:
            assert text.strip()[:12] in said  # quoted, a long text cut short


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.tuples(*(st.text(max_size=50) for _ in range(5))))
def test_whatever_is_typed_is_either_a_query_or_a_clear_refusal(texts):
    number, first, last, amount, cashier = texts
    try:
        query = read(number=number, first_day=first, last_day=last, amount=amount, cashier=cashier)
    except PosError as refused:
        assert refused.user_message()
        return
    assert query.since is None or query.until is None or query.since < query.until
    assert query.amount is None or query.amount.currency == "UAH"
