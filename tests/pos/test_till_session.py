"""The Till's session details: what it logs for IT, what each call reports as changed,
search limits, a store's own scale prefixes, and which saved baskets it refuses to reopen."""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest

from pos.barcode import with_check_digit
from pos.basket import Basket
from pos.codec import basket_to_dict
from pos.money import Money
from pos.quantity import QuantityNotWhole, QuantityTooLarge
from pos.tender import CashPolicy
from pos.till import NeedsWeight, Till, TillSettings
from tests.fakes import (
    APPLES,
    CREAM,
    SHAMPOO,
    STORE,
    MemoryCashiers,
    MemoryCatalog,
    MemoryJournal,
    StepClock,
    make_till,
    product,
)


def signed_in(journal: MemoryJournal | None = None, **kw):  # noqa: ANN003, ANN201
    till = make_till(journal, **kw)
    till.start()
    till.sign_in("1", "1234")
    return till


def uah(text: str) -> Money:
    return Money.of(text, "UAH")


def test_the_log_tells_it_who_signed_in_what_was_reopened_and_which_receipt_each_sale_got(caplog):
    journal = MemoryJournal()
    with caplog.at_level(logging.INFO, logger="pos.till"):
        till = signed_in(journal)
        till.scan(SHAMPOO.barcode)
        till.scan(CREAM.barcode)
        restarted = make_till(journal)
        restarted.start()
        restarted.sign_in("1", "1234")
        sale = restarted.pay_cash().sale
    said = [record.getMessage() for record in caplog.records]
    assert said == [
        "cashier 1 signed in",
        f"reopened basket {sale.sale_id} with 2 lines",
        "cashier 1 signed in",
        f"sale {sale.sale_id} recorded as receipt 1",
    ]


def test_paying_with_no_amount_means_the_exact_amount():
    till = signed_in(rounding="0.10")
    till.scan(SHAMPOO.barcode)  # 89.90
    till.scan(with_check_digit("222000100150"))  # apples 4.95 -> 94.85, due 94.90
    payment = till.pay_cash().sale.payments[0]
    assert (payment.amount, payment.tendered, payment.change) == (uah("94.90"), uah("94.90"), uah("0.00"))


def test_every_basket_change_is_reported_as_one_and_reading_calls_are_not():
    till = signed_in()
    scanned = till.scan(SHAMPOO.barcode)
    assert scanned.basket_changed and not scanned.journal_changed and scanned.sale is None
    cream = till.add_product(CREAM)
    assert cream.basket_changed
    assert till.change_quantity(scanned.line.line_id, "2").basket_changed
    assert till.void_line(scanned.line.line_id).basket_changed
    assert not till.begin_payment().basket_changed and not till.cancel_payment().basket_changed
    till.void_line(cream.line.line_id)  # signing out is refused while a line is left
    assert not till.sign_out().basket_changed


def test_a_weighed_product_picked_without_a_weight_is_named():
    with pytest.raises(NeedsWeight) as caught:
        signed_in().add_product(APPLES)
    assert caught.value.fields == {"name": APPLES.name, "code": APPLES.code, "weight": Decimal("0.350")}


def test_search_gives_at_most_fifty_names_unless_asked_for_more():
    soaps = tuple(product(f"{3000 + n}", f"Мило {n}", "10.00") for n in range(60))
    till = signed_in(catalog=MemoryCatalog(soaps))
    assert len(till.search("мило")) == 50
    assert len(till.search("мило", limit=55)) == 55


def test_search_looks_a_number_up_as_a_barcode_from_eight_digits_on():
    short = product("4001", "Жуйка", "12.00", barcode=with_check_digit("4820001"))  # an EAN-8
    odd = product("4002", "Цукерка", "1.00", barcode="7654321")  # seven digits: never a barcode
    till = signed_in(catalog=MemoryCatalog((short, odd)))
    assert short.barcode == "48200011"
    assert till.search("48200011") == [short]
    assert till.search("7654321") == []  # not looked up as a barcode: no name has it either
    assert till.search("4001") == [short]


def test_a_store_with_its_own_scale_prefix_reads_its_labels():
    journal = MemoryJournal()
    till = Till(TillSettings(STORE, CashPolicy(), weight_prefixes=("21",)), catalog=MemoryCatalog(), journal=journal,
                baskets=journal, cashiers=MemoryCashiers(), clock=StepClock())
    till.sign_in("1", "1234")
    line = till.scan(with_check_digit("212000100750")).line  # 21 20001 00750: apples, 750 g
    assert (line.product, line.quantity) == (APPLES, Decimal("0.750"))


def saved(till: Till, **change: object) -> dict:
    snapshot = basket_to_dict(till.basket, till.cashier)
    for key, value in change.items():
        snapshot["lines"][0]["product"][key] = value
    return snapshot


@pytest.mark.parametrize(("field", "value"), [("price", "-0.01"), ("currency", "GEL")])
def test_a_saved_basket_with_a_price_the_till_could_not_have_made_is_not_reopened(field, value, caplog):
    journal = MemoryJournal()
    till = signed_in(journal)
    till.scan(SHAMPOO.barcode)
    journal.basket = saved(till, **{field: value})
    if field == "currency":
        journal.basket["currency"] = value
    restarted = make_till(journal)
    with caplog.at_level(logging.ERROR, logger="pos.till"):
        assert restarted.start().view.lines == ()
    assert [r.getMessage() for r in caplog.records] == ["the saved basket could not be read; starting a new one"]


def test_a_saved_free_item_is_reopened():
    journal = MemoryJournal()
    till = signed_in(journal)
    till.scan(SHAMPOO.barcode)
    journal.basket = saved(till, price="0.00")
    view = make_till(journal).start().view
    assert [l.product.price for l in view.lines] == [uah("0.00")] and view.total == uah("0.00")


def test_quantity_errors_name_the_product_however_the_quantity_came():
    b = Basket(currency="UAH", opened_at=StepClock().now())
    with pytest.raises(QuantityNotWhole) as caught:
        b.add(SHAMPOO, Decimal("1.5"))
    assert caught.value.fields == {"name": SHAMPOO.name}
    line = b.add(SHAMPOO, Decimal(1))
    assert line.scanned_code == ""
    with pytest.raises(QuantityNotWhole) as caught:
        b.set_quantity(line.line_id, Decimal("2.5"))
    assert caught.value.fields == {"name": SHAMPOO.name}


def test_a_repeat_scan_is_merged_as_pieces_not_as_a_weight():
    b = Basket(currency="UAH", opened_at=StepClock().now())
    b.add(SHAMPOO, Decimal(60))
    merged = b.add(SHAMPOO, Decimal(60))
    assert str(merged.quantity) == "120"  # 120 pieces: more than a weight may be, and never 120.000
    with pytest.raises(QuantityTooLarge) as caught:
        b.add(SHAMPOO, Decimal(880))
    assert caught.value.fields["limit"] == 999
