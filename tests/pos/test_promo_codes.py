"""check_code: every reason a promo code is refused, and what it unlocks when it is not."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.errors import PosError
from pos.money import Money
from pos.pricing.codes import (
    BasketBelowMinimum,
    CodeAlreadyUsed,
    CodeEntry,
    CodeExpired,
    CodeNeedsCustomer,
    CodeNeedsPhone,
    CodeNotYetValid,
    CodeUsedUp,
    CodeWrongPin,
    CustomerUsedCode,
    NotACode,
    Proof,
    UnknownCode,
    UsesHere,
    check_code,
    normalise_code,
)

NOW = datetime(2026, 12, 2, 12, 0)
IDS = frozenset({"P-WINTER"})


def uah(text: str) -> Money:
    return Money.of(text, "UAH")


def entry(**kw: object) -> CodeEntry:
    return CodeEntry(**{"code": "WINTER10", "promotion_ids": IDS, **kw})  # type: ignore[arg-type]


def check(text: str = "WINTER10", book: CodeEntry | None = None, **kw: object) -> frozenset[str]:
    args: dict[str, object] = {"basket_total": uah("600.00"), "now": NOW, **kw}
    return check_code(text, book if book is not None else entry(), **args)  # type: ignore[arg-type]


REFUSED = [
    ("a code typed with a symbol", "WINTER10!", entry(), {}, NotACode),
    ("a code too short", "W1", entry(), {}, NotACode),
    ("a code the book does not have", "SUMMER10", entry(), {}, UnknownCode),
    ("before its window", "WINTER10", entry(starts=datetime(2026, 12, 3)), {}, CodeNotYetValid),
    ("at the end of its window", "WINTER10", entry(ends=NOW), {}, CodeExpired),
    ("a personal code with no phone", "WINTER10", entry(phone_hash="h", pin_hash="p"), {}, CodeNeedsPhone),
    ("a personal code with the wrong PIN", "WINTER10", entry(phone_hash="h", pin_hash="p"),
     {"proof": Proof(phone_ok=True, pin_ok=False)}, CodeWrongPin),
    ("a personal code with another phone", "WINTER10", entry(phone_hash="h", pin_hash="p"),
     {"proof": Proof(phone_ok=False, pin_ok=True)}, CodeWrongPin),
    ("a per-customer code with no customer", "WINTER10", entry(per_customer=1), {}, CodeNeedsCustomer),
    ("a per-customer code this customer used at the hub", "WINTER10",
     entry(per_customer=2, customer_uses_known={"C1": 2}), {"customer_id": "C1"}, CustomerUsedCode),
    ("a per-customer code this customer used here", "WINTER10", entry(per_customer=1),
     {"customer_id": "C1", "uses_here": UsesHere(total=1, by_customer=1)}, CustomerUsedCode),
    ("a one-time code the hub knows was used", "WINTER10", entry(uses_allowed=1, uses_known=1), {}, CodeAlreadyUsed),
    ("a one-time code this till used offline", "WINTER10", entry(uses_allowed=1),
     {"uses_here": UsesHere(total=1)}, CodeAlreadyUsed),
    ("an N-use code used up between the hub and here", "WINTER10", entry(uses_allowed=5, uses_known=3),
     {"uses_here": UsesHere(total=2)}, CodeUsedUp),
    ("a basket below the minimum", "WINTER10", entry(minimum=uah("600.01")), {}, BasketBelowMinimum),
]


@pytest.mark.parametrize(("case", "text", "book", "kw", "refused"), REFUSED, ids=[r[0] for r in REFUSED])
def test_each_reason_a_code_is_refused_is_said(case: str, text: str, book: CodeEntry, kw: dict[str, object],
                                              refused: type[PosError]) -> None:
    with pytest.raises(refused) as raised:
        check(text, book, **kw)
    assert type(raised.value) is refused
    if refused is not NotACode:
        assert raised.value.fields["code"] == normalise_code(text)


def test_the_minimum_is_named_with_the_basket_amount() -> None:
    with pytest.raises(BasketBelowMinimum) as raised:
        check(book=entry(minimum=uah("500.00")), basket_total=uah("499.99"))
    assert raised.value.fields == {"code": "WINTER10", "minimum": uah("500.00"), "total": uah("499.99")}
    assert "500.00" in str(raised.value) and "499.99" in str(raised.value)


ACCEPTED = [
    ("a plain code", entry(), {}),
    ("typed in lower case with spaces and dashes", entry(), {}),
    ("inside its window, starting now", entry(starts=NOW, ends=datetime(2026, 12, 2, 12, 1)), {}),
    ("a personal code with the phone and PIN right", entry(phone_hash="h", pin_hash="p"),
     {"proof": Proof(phone_ok=True, pin_ok=True)}),
    ("a per-customer code another customer used up", entry(per_customer=1, customer_uses_known={"C2": 1}),
     {"customer_id": "C1"}),
    ("an N-use code with one use left", entry(uses_allowed=5, uses_known=3), {"uses_here": UsesHere(total=1)}),
    ("a basket exactly at the minimum", entry(minimum=uah("600.00")), {}),
]


@pytest.mark.parametrize(("case", "book", "kw"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_a_code_whose_rules_hold_unlocks_its_promotions(case: str, book: CodeEntry, kw: dict[str, object]) -> None:
    text = " winter-10 " if "lower case" in case else "WINTER10"
    assert check(text, book, **kw) == IDS


@given(st.text(max_size=60))
def test_any_text_typed_is_a_code_or_a_clear_refusal(text: str) -> None:
    try:
        code = normalise_code(text)
    except NotACode as error:
        assert error.user_message()
        return
    assert code.isascii() and code.isalnum() and code == code.upper() and 3 <= len(code) <= 32
    try:
        assert check_code(text, entry(code=code), basket_total=uah("1.00"), now=NOW) == IDS
    except PosError:
        pytest.fail("a code that reads is refused only for a rule")


@given(st.text(alphabet=st.sampled_from("abcXYZ019 -\t"), min_size=3, max_size=40))
def test_a_code_reads_the_same_however_it_is_cased_or_spaced(text: str) -> None:
    try:
        code = normalise_code(text)
    except NotACode:
        return
    assert normalise_code(text.lower()) == normalise_code(text.upper()) == code
    assert normalise_code("-".join(code)) == code
