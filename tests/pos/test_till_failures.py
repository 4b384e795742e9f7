"""What the Till does when saving the basket or recording the sale fails, and when it
reopens a basket after a crash: nothing the cashier saw is lost or counted twice."""

from __future__ import annotations

import logging
import uuid
from decimal import Decimal
from typing import Any

import pytest

from pos.barcode import with_check_digit
from pos.basket import BasketState
from pos.codec import basket_to_dict
from pos.errors import StorageProblem
from pos.money import Money
from pos.till import NeedsWeight, NotSignedIn, UnknownBarcode, UnknownProductCode
from tests.fakes import APPLES, CREAM, SHAMPOO, VITAMINS, MemoryJournal, make_till


class FlakyStore(MemoryJournal):
    """The SQLite journal's behaviour, with a disk that can refuse the next basket save."""

    def __init__(self) -> None:
        super().__init__()
        self.refuse_saves = False
        self.saves = 0

    def save_basket(self, snapshot: dict[str, Any]) -> None:
        if self.refuse_saves:
            raise StorageProblem(reason="disk full")
        self.saves += 1
        super().save_basket(snapshot)


def signed_in(journal: MemoryJournal | None = None, **kw: Any):
    till = make_till(journal, **kw)
    till.start()
    till.sign_in("1", "1234")
    return till


def uah(text: str) -> Money:
    return Money.of(text, "UAH")


def test_a_scan_that_cannot_be_saved_is_undone_and_the_cashier_is_told():
    store = FlakyStore()
    till = signed_in(store)
    till.scan(SHAMPOO.barcode)
    saved = store.basket
    store.refuse_saves = True
    with pytest.raises(StorageProblem, match="disk full"):
        till.scan(CREAM.barcode)
    with pytest.raises(StorageProblem):
        till.scan(SHAMPOO.barcode)  # a merge is undone too
    view = till.view()
    assert [(l.product, l.quantity) for l in view.lines] == [(SHAMPOO, 1)]
    assert view.total == uah("89.90")
    assert store.basket == saved == basket_to_dict(till.basket, till.cashier)
    store.refuse_saves = False
    assert till.scan(CREAM.barcode).view.total == uah("144.40")


def test_a_void_or_a_new_quantity_that_cannot_be_saved_is_undone():
    store = FlakyStore()
    till = signed_in(store)
    line = till.scan(SHAMPOO.barcode).line
    store.refuse_saves = True
    with pytest.raises(StorageProblem):
        till.void_line(line.line_id)
    with pytest.raises(StorageProblem):
        till.change_quantity(line.line_id, "3")
    [kept] = till.view().lines
    assert (kept.voided, kept.quantity) == (False, 1)
    assert till.basket.state is BasketState.OPEN


def test_a_picked_product_that_cannot_be_saved_is_undone():
    store = FlakyStore()
    till = signed_in(store)
    store.refuse_saves = True
    with pytest.raises(StorageProblem):
        till.add_product(VITAMINS)
    assert till.view().lines == ()


def test_a_failed_recording_leaves_the_basket_being_paid_and_nothing_recorded():
    journal = MemoryJournal()
    till = signed_in(journal)
    till.scan(SHAMPOO.barcode)
    basket_id = till.basket.basket_id
    journal.fail_next_record = True
    with pytest.raises(StorageProblem):
        till.pay_cash("100")
    assert journal.sales == {} and till.basket.basket_id == basket_id
    assert till.basket.state is BasketState.PAYING
    sale = till.pay_cash("100").sale
    assert sale.sale_id == basket_id and sale.receipt_number == 1


def test_a_basket_reopened_after_a_crash_does_not_count_its_voided_lines():
    journal = MemoryJournal()
    till = signed_in(journal)
    shampoo = till.scan("2*" + SHAMPOO.barcode).line
    till.scan(CREAM.barcode)
    till.scan(with_check_digit("222000100500"))  # apples 0.5 kg = 16.495 -> 16.50
    till.void_line(shampoo.line_id)

    restarted = make_till(journal)
    view = restarted.start().view
    assert restarted.restored_lines == 2
    assert [l.voided for l in view.lines] == [True, False, False]
    assert view.total == uah("71.00")  # 54.50 + 16.50, not the voided 179.80
    assert view.item_count == 2
    restarted.sign_in("1", "1234")
    sale = restarted.pay_cash("").sale
    assert sale.total == uah("71.00") and sale.payments[0].amount == uah("71.00")
    assert restarted.restored_lines == 0


def test_a_saved_basket_that_cannot_be_read_gives_a_new_empty_basket(caplog: pytest.LogCaptureFixture):
    journal = MemoryJournal()
    journal.basket = {"schema": "kassa.basket.v1", "lines": "not lines"}
    till = make_till(journal)
    with caplog.at_level(logging.ERROR, logger="pos.till"):
        result = till.start()
    assert result.view.lines == () and result.basket_changed
    assert till.restored_lines == 0
    assert "could not be read" in caplog.text


def test_starting_with_nothing_saved_keeps_the_new_basket():
    till = make_till()
    basket_id = till.basket.basket_id
    result = till.start()
    assert result.view.basket_id == basket_id and result.basket_changed and till.restored_lines == 0


def test_after_a_sale_a_new_basket_opens_and_is_not_saved_until_something_is_scanned():
    store = FlakyStore()
    till = signed_in(store)
    till.scan(SHAMPOO.barcode)
    result = till.pay_cash("")
    assert result.basket_changed and result.journal_changed and result.line is None
    assert result.view.lines == () and result.view.state is BasketState.OPEN
    assert result.view.basket_id != result.sale.sale_id and store.basket is None
    assert store.saves == 1


def test_signing_out_stops_selling_until_someone_signs_in():
    till = signed_in()
    result = till.sign_out()
    assert result.cashier is None and till.cashier is None
    for action in (lambda: till.scan(SHAMPOO.barcode), lambda: till.add_product(SHAMPOO), till.begin_payment,
                   lambda: till.pay_cash(""), lambda: till.change_quantity(uuid.uuid4(), "1"),
                   lambda: till.void_line(uuid.uuid4())):
        with pytest.raises(NotSignedIn):
            action()
    assert till.sign_in(" 1 ", "1234").cashier.name == "Olena"


def test_an_unknown_typed_code_or_scale_plu_is_named():
    till = signed_in()
    with pytest.raises(UnknownProductCode) as caught:
        till.scan("9999")
    assert caught.value.fields == {"code": "9999"}
    with pytest.raises(UnknownProductCode) as caught:
        till.scan(with_check_digit("229999900500"))
    assert caught.value.fields == {"code": "99999"}
    with pytest.raises(UnknownBarcode) as caught:
        till.scan("3*" + with_check_digit("400000000000"))
    assert caught.value.fields == {"code": "4000000000006"}
    assert till.view().lines == ()


def test_a_weighed_product_typed_by_code_needs_its_weight_and_takes_a_typed_one():
    till = signed_in()
    with pytest.raises(NeedsWeight) as caught:
        till.scan(APPLES.code)
    assert caught.value.fields == {"name": APPLES.name, "code": "20001", "weight": Decimal("0.350")}
    line = till.scan("0,350*20001").line
    assert (line.product, line.quantity, line.scanned_code) == (APPLES, Decimal("0.350"), "20001")
    assert line.total == uah("11.55")


def test_a_scale_label_weight_wins_over_a_typed_quantity():
    line = signed_in().scan("5*" + with_check_digit("222000100500")).line
    assert line.quantity == Decimal("0.500")


def test_a_scanned_line_remembers_what_was_scanned():
    till = signed_in()
    assert till.scan(SHAMPOO.barcode).line.scanned_code == SHAMPOO.barcode
    assert till.scan("1002").line.scanned_code == "1002"
    label = with_check_digit("222000100500")
    assert till.scan(label).line.scanned_code == label


def test_a_product_picked_from_the_search_list():
    till = signed_in()
    line = till.add_product(CREAM).line
    assert (line.product, line.quantity, line.scanned_code) == (CREAM, 1, CREAM.barcode)
    assert till.add_product(VITAMINS, Decimal(3)).line.quantity == 3
    with pytest.raises(NeedsWeight) as caught:
        till.add_product(APPLES)
    assert caught.value.fields["code"] == "20001"


def test_the_view_shows_the_cash_due_rounded_to_the_coin():
    till = signed_in(rounding="0.10")
    till.scan(with_check_digit("222000100150"))  # apples 0.150 kg = 4.9485 -> 4.95
    view = till.view()
    assert (view.total, view.cash_due) == (uah("4.95"), uah("5.00"))
    assert view.item_count == 1 and [t.gross for t in view.taxes] == [uah("4.95")]


def test_payment_can_be_begun_twice_and_cancelled():
    till = signed_in()
    till.scan(SHAMPOO.barcode)
    assert till.begin_payment().view.state is BasketState.PAYING
    assert till.begin_payment().view.state is BasketState.PAYING
    assert till.cancel_payment().view.state is BasketState.OPEN
    assert till.cancel_payment().view.state is BasketState.OPEN


def test_cash_tendered_is_read_to_the_kopiyka():
    till = signed_in()
    till.scan(SHAMPOO.barcode)
    sale = till.pay_cash(" 100,50 ").sale
    assert sale.payments[0].tendered == uah("100.50") and sale.change == uah("10.60")


def test_search_finds_by_code_then_by_barcode_then_by_name():
    till = signed_in()
    assert till.search("  ") == []
    assert till.search("1002") == [CREAM]
    assert till.search(SHAMPOO.barcode) == [SHAMPOO]
    assert till.search("9999") == []
    assert till.search(SHAMPOO.barcode[:7]) == []  # seven digits are no barcode
    assert till.search("крем") == [CREAM]
    assert till.search("м", limit=2) == [SHAMPOO, CREAM]
    assert till.search("  вітаміни  ") == [VITAMINS]
    assert till.search("вітаміни" + " " * 200 + "zzz") == [VITAMINS]  # the text is cut to 100
