"""The JSON forms, written out by hand: the open basket kept between crashes and the
``kassa.sale.v1`` message the hub reads.  A field renamed or a value changed is noticed."""

from __future__ import annotations

import copy
import uuid
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from pos.basket import Basket, BasketLine, BasketState
from pos.catalog import Product, VatRate
from pos.codec import (
    BASKET_SCHEMA,
    SALE_SCHEMA,
    basket_from_dict,
    basket_to_dict,
    product_from_dict,
    product_to_dict,
    sale_from_dict,
    sale_to_dict,
)
from pos.money import Money
from pos.sale import Cashier, Sale, SaleLine
from pos.tax import TaxLine
from pos.tender import Payment

OPENED = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)
DONE = datetime(2026, 11, 24, 10, 3, 7, tzinfo=timezone.utc)
VAT = VatRate("A", Decimal("20"))
ZERO = VatRate("E", Decimal("0"))
SOAP = Product("1001", "Мило", "Dove", "Догляд", Money.of("89.90", "UAH"), VAT, "4820000010016", False)
APPLES = Product("20001", "Яблука", "", "Фрукти", Money.of("32.99", "UAH"), ZERO, "", True)


def uah(text: str) -> Money:
    return Money.of(text, "UAH")


BASKET_DICT = {
    "schema": "kassa.basket.v1",
    "basket_id": "00000000-0000-0000-0000-000000000001",
    "currency": "UAH",
    "opened_at": "2026-11-24T10:00:00+00:00",
    "state": "open",
    "cashier": {"id": "1", "name": "Olena"},
    "lines": [
        {"line_id": "00000000-0000-0000-0000-00000000000a",
         "product": {"code": "1001", "name": "Мило", "brand": "Dove", "category": "Догляд", "price": "89.90",
                     "currency": "UAH", "vat": {"code": "A", "percent": "20"}, "barcode": "4820000010016",
                     "sold_by_weight": False},
         "quantity": "2", "scanned_code": "4820000010016", "voided": True},
        {"line_id": "00000000-0000-0000-0000-00000000000b",
         "product": {"code": "20001", "name": "Яблука", "brand": "", "category": "Фрукти", "price": "32.99",
                     "currency": "UAH", "vat": {"code": "E", "percent": "0"}, "barcode": "",
                     "sold_by_weight": True},
         "quantity": "0.350", "scanned_code": "2220001003508", "voided": False},
    ],
}


def the_basket() -> Basket:
    return Basket(
        currency="UAH", opened_at=OPENED, basket_id=uuid.UUID(int=1), state=BasketState.OPEN,
        lines=[BasketLine(uuid.UUID(int=10), SOAP, Decimal(2), "4820000010016", True),
               BasketLine(uuid.UUID(int=11), APPLES, Decimal("0.350"), "2220001003508", False)],
    )


def test_a_basket_is_kept_in_exactly_this_form():
    assert BASKET_SCHEMA == "kassa.basket.v1"
    assert basket_to_dict(the_basket(), Cashier("1", "Olena")) == BASKET_DICT
    assert basket_to_dict(the_basket(), None)["cashier"] is None


def test_a_kept_basket_reads_back_field_by_field():
    basket = basket_from_dict(copy.deepcopy(BASKET_DICT))
    assert (basket.basket_id, basket.currency, basket.opened_at, basket.state) == (
        uuid.UUID(int=1), "UAH", OPENED, BasketState.OPEN)
    assert basket.lines == the_basket().lines
    soap = basket.lines[0]
    assert (soap.product.brand, soap.product.category, soap.product.vat, soap.voided) == ("Dove", "Догляд", VAT, True)
    assert basket.lines[1].product.sold_by_weight is True and basket.lines[1].quantity == Decimal("0.350")
    assert basket.total() == uah("11.55")  # the voided soap counts for nothing


@pytest.mark.parametrize(("kept", "reopened"), [("open", BasketState.OPEN), ("paying", BasketState.OPEN),
                                                ("completed", BasketState.COMPLETED)])
def test_a_basket_caught_mid_payment_reopens_open_and_other_states_stay(kept, reopened):
    d = copy.deepcopy(BASKET_DICT)
    d["state"] = kept
    assert basket_from_dict(d).state is reopened


@pytest.mark.parametrize("schema", [None, "kassa.basket.v2", "kassa.sale.v1"])
def test_something_that_is_not_a_basket_snapshot_is_refused(schema):
    d = copy.deepcopy(BASKET_DICT)
    d["schema"] = schema
    with pytest.raises(ValueError, match=f"not a basket snapshot: {schema!r}"):
        basket_from_dict(d)
    del d["schema"]
    with pytest.raises(ValueError, match="not a basket snapshot: None"):
        basket_from_dict(d)


def test_a_product_form_round_trips_and_sold_by_weight_is_a_boolean():
    d = product_to_dict(APPLES)
    assert product_from_dict(d) == APPLES
    d["sold_by_weight"] = 1
    assert product_from_dict(d).sold_by_weight is True
    d["sold_by_weight"] = 0
    assert product_from_dict(d).sold_by_weight is False


def the_sale() -> Sale:
    payment = Payment(uuid.UUID(int=99), "cash", uah("28.40"), uah("50.00"), uah("21.60"))
    return Sale(
        sale_id=uuid.UUID(int=1), store_id="S001", till_id="T01", receipt_number=42,
        cashier=Cashier("1", "Olena"), opened_at=OPENED, completed_at=DONE, currency="UAH",
        lines=(
            SaleLine(uuid.UUID(int=10), "1001", "4820000010016", "Мило", Decimal(2), uah("89.90"), uah("179.80"),
                     VAT, False, True),
            SaleLine(uuid.UUID(int=11), "20001", "2220001008602", "Яблука", Decimal("0.860"), uah("32.99"),
                     uah("28.37"), ZERO, True, False),
        ),
        taxes=(TaxLine(ZERO, uah("28.37"), uah("28.37"), uah("0.00")),),
        total=uah("28.37"), rounding=uah("0.03"), payments=(payment,),
    )


SALE_DICT = {
    "schema": "kassa.sale.v1",
    "sale_id": "00000000-0000-0000-0000-000000000001",
    "store_id": "S001",
    "till_id": "T01",
    "receipt_number": 42,
    "cashier": {"id": "1", "name": "Olena"},
    "opened_at": "2026-11-24T10:00:00+00:00",
    "completed_at": "2026-11-24T10:03:07+00:00",
    "currency": "UAH",
    "total": "28.37",
    "rounding": "0.03",
    "lines": [
        {"line_id": "00000000-0000-0000-0000-00000000000a", "product_code": "1001", "barcode": "4820000010016",
         "name": "Мило", "quantity": "2", "unit_price": "89.90", "total": "179.80",
         "vat": {"code": "A", "percent": "20"}, "sold_by_weight": False, "voided": True},
        {"line_id": "00000000-0000-0000-0000-00000000000b", "product_code": "20001", "barcode": "2220001008602",
         "name": "Яблука", "quantity": "0.860", "unit_price": "32.99", "total": "28.37",
         "vat": {"code": "E", "percent": "0"}, "sold_by_weight": True, "voided": False},
    ],
    "taxes": [{"vat": {"code": "E", "percent": "0"}, "gross": "28.37", "net": "28.37", "tax": "0.00"}],
    "payments": [{"payment_id": "00000000-0000-0000-0000-000000000063", "method": "cash", "amount": "28.40",
                  "tendered": "50.00", "change": "21.60"}],
}


def test_the_sale_message_the_hub_reads_is_exactly_this():
    assert SALE_SCHEMA == "kassa.sale.v1"
    assert sale_to_dict(the_sale()) == SALE_DICT


def test_the_sale_message_reads_back_field_by_field():
    sale = sale_from_dict(copy.deepcopy(SALE_DICT))
    assert sale == the_sale()
    assert sale.receipt_number == 42 and sale.lines[1].quantity == Decimal("0.860")
    assert sale.payments[0].change == uah("21.60") and sale.rounding == uah("0.03")


def test_a_receipt_number_sent_as_text_still_reads_as_a_number():
    d = copy.deepcopy(SALE_DICT)
    d["receipt_number"] = "42"
    assert sale_from_dict(d).receipt_number == 42


@pytest.mark.parametrize("schema", [None, "kassa.sale.v5", "kassa.basket.v1"])
def test_something_that_is_not_a_sale_message_is_refused(schema):
    d = copy.deepcopy(SALE_DICT)
    d["schema"] = schema
    with pytest.raises(ValueError, match=f"not a sale message: {schema!r}"):
        sale_from_dict(d)
    del d["schema"]
    with pytest.raises(ValueError, match="not a sale message: None"):
        sale_from_dict(d)
