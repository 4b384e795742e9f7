"""Things are named, not coded, wherever a person reads them: the loyalty points tender on the
receipt, the X/Z report, "Paid so far", the manager's screens and the return plan (in the
store's or the screen's language); the identified customer by name in the totals panel; a
free gift by its product name in the message area."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from pos.basket import Basket, BasketState
from pos.i18n import set_language
from pos.money import Money
from pos.pricing.priced import GiftOffer, PricedBasket, PricedLine
from pos.pricing.promotion import CustomerFacts
from pos.receipt import Receipt, ReceiptLine, ReceiptPayment
from pos.receipt_layout import layout_receipt
from pos.report_layout import REPORT_LABELS
from pos.store_day.tenders import Tender
from pos.tax import tax_breakdown
from pos.tender import Payment
from pos.till import BasketView
from tests.fakes import CREAM, STORE, VAT_A, VITAMINS
from ui.basket_model import offers_text
from ui.manager.common import tender_name
from ui.manager.journal_page import TENDER_CHOICES
from ui.payment.tenders_list import tender_text
from ui.returns.return_dialog import METHOD_NAMES
from ui.shift.report_view import TENDER_NAMES
from ui.totals_panel import customer_text

SAID = {"en_US": "Loyalty points", "uk_UA": "Бонусні бали", "az_AZ": "Loyallıq balları", "ka_GE": "ლოიალობის ქულები"}


def uah(text: str) -> Money:
    return Money.of(text, "UAH")


@pytest.fixture
def ukrainian_screen():  # noqa: ANN201
    set_language("uk_UA")
    yield
    set_language("en")


def receipt_paid_partly_with_points(locale: str) -> Receipt:
    total = uah("300.00")
    return Receipt(store=replace(STORE, locale=locale), sale_id=uuid.UUID(int=7), receipt_number=1,
                   completed_at=datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc), cashier_name="Олена",
                   lines=(ReceiptLine("Крем", Decimal(1), total, total, "A", False),),
                   taxes=tax_breakdown([(VAT_A, total)], "UAH"), total=total, rounding=Money.zero("UAH"), due=total,
                   payments=(ReceiptPayment("points", uah("50.00"), Money.zero("UAH")),
                             ReceiptPayment("cash", uah("250.00"), Money.zero("UAH"))))


@pytest.mark.parametrize("locale", sorted(SAID))
def test_the_receipt_names_the_points_tender_in_the_stores_language(locale: str) -> None:
    rows = [row.text for row in layout_receipt(receipt_paid_partly_with_points(locale), 32).rows]
    [points] = [row for row in rows if "50" in row and SAID[locale] in row]
    assert "points" not in points.replace(SAID[locale], "")  # the name, never the raw method word
    assert REPORT_LABELS["points"] == "Loyalty points"  # the X/Z report prints tenders the receipt's way


def test_paid_so_far_the_shift_report_the_manager_and_the_return_plan_name_points(ukrainian_screen) -> None:
    tender = Tender(Payment(uuid.UUID(int=1), "points", uah("50.00"), uah("50.00"), Money.zero("UAH")))
    assert tender_text(tender, "uk").startswith("Бонусні бали 50,00")
    assert tender_name("points") == "Бонусні бали" and "points" in TENDER_CHOICES
    assert TENDER_NAMES["points"] == METHOD_NAMES["points"] == "Loyalty points"  # marked, translated where shown


def names_view(customer_name: str, gift_names: tuple[tuple[str, str], ...], quantity: int = 1) -> BasketView:
    basket = Basket("UAH", datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc))
    cream = basket.add(CREAM, Decimal(1))
    priced = PricedBasket("UAH", (PricedLine(cream),),
                          offers=(GiftOffer("P-GIFT", "Vitamins with a cream", VITAMINS.code, quantity),))
    return BasketView(basket.basket_id, BasketState.OPEN, tuple(basket.lines), priced.total, priced.total,
                      priced.taxes, Decimal(1), priced, CustomerFacts("C-1", tier="vip"),
                      customer_name=customer_name, gift_names=gift_names)


def test_the_totals_panel_names_the_customer_and_says_customer_when_the_name_is_not_known() -> None:
    assert customer_text(names_view("Olena K.", ())) == "Customer: Olena K.\nTier: vip"
    assert customer_text(names_view("", ())) == "Customer\nTier: vip"


def test_a_free_gift_is_said_by_its_product_name_and_by_its_code_when_the_catalog_has_none() -> None:
    named = names_view("", ((VITAMINS.code, VITAMINS.name),))
    assert offers_text(named) == f"Free gift: {VITAMINS.name} (Vitamins with a cream), scan it to add"
    two = names_view("", ((VITAMINS.code, VITAMINS.name),), quantity=2)
    assert offers_text(two).startswith(f"Free gift: 2 × {VITAMINS.name} (")
    assert offers_text(names_view("", ())).startswith(f"Free gift: {VITAMINS.code} (")
