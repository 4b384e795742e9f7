"""Bugs a new user found in the till (issue 9), in the domain: signing out with a sale open,
a weighed line's limit in words for pieces, and a negative or spaced ``quantity*code``."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.quantity import MAX_KILOGRAMS, MAX_UNITS, InvalidQuantity, QuantityTooLarge, WeightTooLarge, check_quantity
from pos.scan import CodeScan, NegativeQuantity, Words, read_scan
from pos.store_day.lock import SwitchWithOpenSale
from pos.till import Till, is_scan
from tests.fakes import APPLES, SHAMPOO, make_till
from tests.pos.test_saved_basket import SNAPSHOT, restart_with


def signed_in() -> Till:
    till = make_till()
    till.start()
    till.sign_in("1", "1234")
    return till


# -- signing out with a sale open ------------------------------------------------------
def test_signing_out_with_a_line_in_the_basket_is_refused_naming_who_has_the_sale_open():
    till = signed_in()
    till.scan(SHAMPOO.barcode)
    with pytest.raises(SwitchWithOpenSale) as caught:
        till.sign_out()
    assert caught.value.user_message() == (
        "Olena has a sale open: finish, park or cancel it before another cashier signs in.")
    assert till.cashier is not None and till.cashier.name == "Olena"
    assert [line.product.code for line in till.basket.active_lines()] == [SHAMPOO.code]


def test_signing_out_during_the_payment_is_refused_too():
    till = signed_in()
    till.scan(SHAMPOO.barcode)
    till.begin_payment()
    with pytest.raises(SwitchWithOpenSale):
        till.sign_out()
    assert till.cashier is not None


def test_signing_out_with_an_empty_basket_or_after_the_sale_is_paid_signs_out():
    till = signed_in()
    assert till.sign_out().cashier is None
    till.sign_in("1", "1234")
    till.scan(SHAMPOO.barcode)
    till.pay_cash("")
    assert till.sign_out().cashier is None


def test_signing_out_when_every_line_is_voided_signs_out():
    till = signed_in()
    line = till.scan(SHAMPOO.barcode).line
    till.void_line(line.line_id)
    assert till.sign_out().cashier is None


# -- a weighed line's limit speaks of weight -------------------------------------------
def test_a_weighed_line_too_heavy_is_refused_in_kilograms_with_the_limit_as_a_weight():
    with pytest.raises(WeightTooLarge) as caught:
        check_quantity(Decimal(99999), sold_by_weight=True, name=APPLES.name)
    assert caught.value.user_message() == "99999 kg is too much for one line: at most 100 kg at once."
    assert caught.value.fields["limit"] == MAX_KILOGRAMS
    assert isinstance(caught.value, QuantityTooLarge)  # whoever catches the old refusal catches this one


def test_a_counted_line_too_many_still_speaks_of_pieces():
    with pytest.raises(QuantityTooLarge) as caught:
        check_quantity(Decimal(99999), sold_by_weight=False, name=SHAMPOO.name)
    assert not isinstance(caught.value, WeightTooLarge)
    assert caught.value.user_message() == f"99999 is too many: at most {MAX_UNITS} at once."


def test_f4_on_a_weighed_line_with_99999_is_refused_in_kilograms_and_the_line_is_unchanged():
    till = signed_in()
    line = till.scan(f"0,350*{APPLES.code}").line
    with pytest.raises(WeightTooLarge) as caught:
        till.change_quantity(line.line_id, "99999")
    assert "kg" in caught.value.user_message()
    assert till.basket.active_lines()[0].quantity == Decimal("0.350")


# -- quantity*code: negative, or typed with spaces --------------------------------------
@pytest.mark.parametrize("typed", [
    "-1*4820317811818", "−1*4820317811818", "-0,5*20001", "-1 * 4820317811818", " -3*1001 ",
])
def test_a_negative_quantity_before_a_code_is_refused_not_searched(typed):
    with pytest.raises(NegativeQuantity) as caught:
        read_scan(typed)
    assert "negative quantity" in caught.value.user_message()
    assert "void its line (F8)" in caught.value.user_message()
    assert is_scan(typed)  # the sale screen sends it to the till, which says why, instead of searching


def test_a_negative_quantity_at_the_till_adds_nothing():
    till = signed_in()
    with pytest.raises(NegativeQuantity):
        till.scan(f"-1*{SHAMPOO.barcode}")
    assert till.basket.lines == []


@pytest.mark.parametrize("typed", ["3 * {code}", "3* {code}", "3 *{code}", "3\t*\t{code}"])
def test_spaces_around_the_star_read_as_quantity_times_code(typed):
    assert read_scan(typed.format(code=SHAMPOO.barcode)) == read_scan(f"3*{SHAMPOO.barcode}")


def test_three_times_a_barcode_with_spaces_sells_three():
    till = signed_in()
    till.scan(f"3 * {SHAMPOO.barcode}")
    assert [(line.product.code, line.quantity) for line in till.basket.active_lines()] == [(SHAMPOO.code, 3)]


def test_words_with_a_star_and_spaces_are_still_searched():
    assert read_scan("шампунь * 2") == Words("шампунь * 2")
    assert isinstance(read_scan("крем 3 * 1001"), Words)


@settings(max_examples=200, deadline=None)
@given(
    quantity=st.integers(min_value=1, max_value=999),
    before=st.sampled_from(["", " ", "  ", "\t"]),
    after=st.sampled_from(["", " ", "  ", "\t"]),
    code=st.sampled_from([SHAMPOO.barcode, SHAMPOO.code, APPLES.code, "4820317811818"]),
)
def test_any_spacing_around_the_star_reads_as_without_it(quantity, before, after, code):
    spaced = read_scan(f"{quantity}{before}*{after}{code}")
    assert spaced == read_scan(f"{quantity}*{code}")
    assert isinstance(spaced, CodeScan) and spaced.quantity == quantity


@settings(max_examples=200, deadline=None)
@given(quantity=st.decimals(min_value=Decimal("0.001"), max_value=Decimal(999), places=3), spaces=st.booleans())
def test_any_negative_quantity_before_a_code_is_refused(quantity, spaces):
    star = " * " if spaces else "*"
    with pytest.raises(NegativeQuantity):
        read_scan(f"-{quantity}{star}{SHAMPOO.barcode}")


@pytest.mark.parametrize("typed", ["-0*1001", "-0,000*1001", "-.*1001"])
def test_minus_nothing_before_a_code_is_not_a_quantity_rather_than_a_search(typed):
    with pytest.raises(InvalidQuantity):
        read_scan(typed)


def test_a_saved_basket_whose_total_is_too_large_to_record_starts_a_new_basket():
    """Found by the saved-basket Hypothesis test: 999 × 999 999 999 999 999.00 reopened, then
    the screen could not work out the total in minor units (more than 18 digits)."""
    snapshot = copy.deepcopy(SNAPSHOT)
    snapshot["lines"][0]["quantity"] = "999"
    snapshot["lines"][0]["product"]["price"] = "999999999999999.00"
    view = restart_with(snapshot).view
    assert view.lines == () and view.total.is_zero()
