from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.barcode import with_check_digit
from pos.basket import BasketNotOpen, EmptyBasket, LineAlreadyVoided
from pos.codec import basket_from_dict, basket_to_dict, sale_from_dict, sale_to_dict
from pos.errors import StorageProblem
from pos.quantity import InvalidQuantity, QuantityNotWhole, QuantityTooLarge
from pos.tender import CashBelowTotal
from pos.till import BadCashAmount, NeedsWeight, NotSignedIn, UnknownBarcode, WrongPin
from tests.fakes import APPLES, CREAM, SHAMPOO, VITAMINS, MemoryJournal, make_till


def signed_in(**kw):
    till = make_till(**kw)
    till.start()
    till.sign_in("1", "1234")
    return till


def test_a_cashier_must_sign_in_before_scanning():
    till = make_till()
    with pytest.raises(NotSignedIn):
        till.scan(SHAMPOO.barcode)


def test_a_wrong_pin_is_refused():
    with pytest.raises(WrongPin):
        make_till().sign_in("1", "0000")


def test_scanning_adds_lines_and_the_total_is_their_sum():
    till = signed_in()
    till.scan(SHAMPOO.barcode)
    result = till.scan(CREAM.barcode)
    assert result.view.total.amount == Decimal("144.40")
    assert [l.product for l in result.view.lines] == [SHAMPOO, CREAM]


def test_scanning_the_same_item_again_raises_the_quantity_of_its_line():
    till = signed_in()
    till.scan(SHAMPOO.barcode)
    result = till.scan(SHAMPOO.barcode)
    assert len(result.view.lines) == 1 and result.view.lines[0].quantity == 2


def test_a_quantity_prefix_sets_the_quantity():
    result = signed_in().scan("3*" + VITAMINS.barcode)
    assert result.line.quantity == 3
    assert result.view.total.amount == Decimal("360.00")


def test_an_unknown_barcode_leaves_the_basket_unchanged():
    till = signed_in()
    till.scan(SHAMPOO.barcode)
    with pytest.raises(UnknownBarcode) as err:
        till.scan(with_check_digit("400000000000"))
    assert "4000000000006" in err.value.user_message()
    assert len(till.view().lines) == 1


def test_a_weighed_item_needs_a_weight_and_a_scale_label_gives_it():
    till = signed_in()
    with pytest.raises(NeedsWeight):
        till.scan("20001")
    result = till.scan(with_check_digit("222000101250"))
    assert result.line.product == APPLES and result.line.quantity == Decimal("1.250")
    assert result.line.total.amount == Decimal("41.24")  # 32.99 * 1.25 = 41.2375


@pytest.mark.parametrize("text,error", [("-1", InvalidQuantity), ("0", InvalidQuantity), ("abc", InvalidQuantity),
                                        ("1.5", QuantityNotWhole), ("100000", QuantityTooLarge), ("NaN", InvalidQuantity)])
def test_absurd_quantities_are_refused_and_the_line_is_unchanged(text, error):
    till = signed_in()
    line = till.scan(SHAMPOO.barcode).line
    with pytest.raises(error):
        till.change_quantity(line.line_id, text)
    assert till.view().lines[0].quantity == 1


def test_a_voided_line_stays_visible_but_counts_for_nothing():
    till = signed_in()
    line = till.scan(SHAMPOO.barcode).line
    till.scan(CREAM.barcode)
    result = till.void_line(line.line_id)
    assert result.view.lines[0].voided and result.view.total.amount == Decimal("54.50")
    with pytest.raises(LineAlreadyVoided):
        till.void_line(line.line_id)


def test_paying_cash_records_the_sale_gives_change_and_opens_a_new_basket():
    journal = MemoryJournal()
    till = signed_in(journal=journal)
    till.scan(SHAMPOO.barcode)
    result = till.pay_cash("100")
    assert result.sale.receipt_number == 1
    assert result.sale.change.amount == Decimal("10.10")
    assert journal.unsent_count() == 1 and journal.basket is None
    assert result.view.lines == () and result.view.basket_id != result.sale.sale_id


def test_cash_below_the_total_is_refused_and_nothing_is_recorded():
    journal = MemoryJournal()
    till = signed_in(journal=journal)
    till.scan(SHAMPOO.barcode)
    with pytest.raises(CashBelowTotal):
        till.pay_cash("50")
    with pytest.raises(BadCashAmount):
        till.pay_cash("1.234")
    assert journal.sales == {}
    with pytest.raises(BasketNotOpen):
        till.scan(CREAM.barcode)  # still paying
    till.cancel_payment()
    assert till.scan(CREAM.barcode).view.total.amount == Decimal("144.40")


def test_an_empty_basket_cannot_be_paid():
    with pytest.raises(EmptyBasket):
        signed_in().pay_cash("")


def test_cash_is_rounded_to_the_smallest_coin_and_the_rounding_is_recorded():
    till = signed_in(rounding="0.10")
    till.scan(SHAMPOO.barcode)
    till.scan(CREAM.barcode)  # 144.40
    till.scan(with_check_digit("222000100150"))  # apples 0.150 kg = 4.95 -> total 149.35
    sale = till.pay_cash("").sale
    assert sale.total.amount == Decimal("149.35")
    assert sale.due.amount == Decimal("149.40") and sale.rounding.amount == Decimal("0.05")


def test_a_failed_recording_keeps_the_basket_for_another_try():
    journal = MemoryJournal()
    till = signed_in(journal=journal)
    till.scan(SHAMPOO.barcode)
    journal.fail_next_record = True
    with pytest.raises(StorageProblem):
        till.pay_cash("100")
    assert len(till.view().lines) == 1
    assert till.pay_cash("100").sale.receipt_number == 1


def test_the_open_basket_is_reopened_by_a_new_till_after_a_crash():
    journal = MemoryJournal()
    till = signed_in(journal=journal)
    till.scan(SHAMPOO.barcode)
    till.scan("2*" + CREAM.barcode)
    restarted = make_till(journal)
    view = restarted.start().view
    assert view.basket_id == till.view().basket_id
    assert [l.quantity for l in view.lines] == [1, 2]
    assert restarted.restored_lines == 2


def test_a_basket_caught_mid_payment_reopens_for_scanning():
    journal = MemoryJournal()
    till = signed_in(journal=journal)
    till.scan(SHAMPOO.barcode)
    till.begin_payment()
    journal.save_basket(basket_to_dict(till.basket, till.cashier))
    assert basket_from_dict(journal.basket).state.value == "open"


# gapless receipt numbers are the journal's work: checked against the real SQLite journal in
# tests/local_db/test_journal_reopening.py (the in-memory fake only counts)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([SHAMPOO, CREAM, VITAMINS]), st.integers(1, 20)), min_size=1, max_size=12),
       st.sampled_from(["0.01", "0.10"]))
def test_a_recorded_sale_round_trips_through_its_message_and_adds_up(items, rounding):
    till = signed_in(rounding=rounding)
    for product, qty in items:
        till.scan(f"{qty}*{product.barcode}")
    sale = till.pay_cash("").sale
    assert sale_from_dict(sale_to_dict(sale)) == sale
    assert sum(t.gross.amount for t in sale.taxes) == sale.total.amount
    assert sale.payments[0].amount == sale.due


def test_a_weighed_item_picked_from_search_takes_its_weight_even_one_kilogram():
    till = signed_in()
    with pytest.raises(NeedsWeight):
        till.add_product(APPLES)
    assert till.add_product(APPLES, Decimal("1")).line.quantity == Decimal("1.000")
