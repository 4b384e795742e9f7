"""Promotions explained where people read them: under each reduced line on the cashier's screen
(its net in Total, each promotion's name and amount under the name), the basket's discount in
the totals panel, a gift to scan in the message area, the identified customer, the customer's
display, and the receipt bytes a (loopback) network printer receives.

The window tests price with the real engine (``pos.pricing.engine.price_basket``) through a
Till given an in-memory ``PromotionSource``."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from hardware.escpos_printer import EscposReceiptPrinter
from hardware.loopback_printer import LoopbackPrinter
from pos.basket import Basket, BasketState
from pos.money import Money
from pos.pricing.priced import GiftOffer, LineDiscount, PricedBasket, PricedLine
from pos.pricing.promotion import BuyGet, CustomerFacts, Gift, PercentOff, Promotion, PromotionSet, Scope
from pos.printing import ReceiptSpooler
from pos.tender import CashPolicy
from pos.till import BasketView, Till, TillSettings
from tests.fakes import CREAM, SHAMPOO, STORE, VITAMINS, MemoryCatalog, MemoryCashiers, MemoryJournal, StepClock, product
from tests.hardware.escpos_decoder import decode, receipts_in
from tests.hardware.samples import said
from tests.pos.discounted_sale import discounted_sale
from ui.basket_model import NAME_COLUMN, TOTAL_COLUMN, BasketTableModel, basket_rows, offers_text
from ui.customer_display import CustomerDisplayOptions
from ui.customer_display.texts import CustomerLine, CustomerScreen, CustomerTexts
from ui.customer_display.window import latest
from ui.message_area import MessageArea
from ui.qt import Qt
from ui.services import TillServices

MILK = replace(product("2001", "Milk 2.5% 1 l", "42.00"), category="Dairy")
YOGURT = replace(product("2002", "Yogurt strawberry", "27.50"), category="Dairy")
PROMOTIONS = PromotionSet(promotions=(
    Promotion("P-DAIRY-10", "Dairy -10 %", PercentOff(Decimal(10)), Scope(categories=frozenset({"Dairy"}))),
    Promotion("P-SHAMPOO-3FOR2", "Shampoo 3 for 2", BuyGet(2, 1), Scope(products=frozenset({SHAMPOO.code}))),
    Promotion("P-CREAM-GIFT", "Vitamins with a cream", Gift(VITAMINS.code), Scope(products=frozenset({CREAM.code}))),
))


class InMemoryPromotions:
    """The till's PromotionSource, holding one set (the SQLite one reads the hub's)."""

    def __init__(self, promotions: PromotionSet) -> None:
        self.promotions = promotions

    def current(self) -> PromotionSet:
        return self.promotions


def uah(text: str) -> Money:
    return Money.of(text, "UAH")


def promoted_services(journal: MemoryJournal, printer_setting: str, **kw: object) -> TillServices:
    till = Till(TillSettings(STORE, CashPolicy(Decimal("0.01"))),
                catalog=MemoryCatalog((SHAMPOO, CREAM, VITAMINS, MILK, YOGURT)), journal=journal, baskets=journal,
                cashiers=MemoryCashiers(), clock=StepClock(), promotions=InMemoryPromotions(PROMOTIONS))
    return TillServices(till=till, journal=journal, store=STORE, print_retry_seconds=0.05,
                        spooler=ReceiptSpooler(journal, journal, EscposReceiptPrinter(printer_setting), STORE),
                        printer_description="loopback printer", **kw)  # type: ignore[arg-type]


# -- the view-models, on a priced basket written by hand ------------------------------------
def hand_priced_view() -> BasketView:
    basket = Basket("UAH", datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc))
    shampoo = basket.add(SHAMPOO, Decimal(3))
    cream = basket.add(CREAM, Decimal(1))
    priced = PricedBasket("UAH", (
        PricedLine(shampoo, (LineDiscount("P-3", "Shampoo 3 for 2", uah("89.90")),)),
        PricedLine(cream),
    ), offers=(GiftOffer("P-GIFT", "Vitamins with a cream", VITAMINS.code, 1),))
    return BasketView(basket.basket_id, BasketState.OPEN, tuple(basket.lines), priced.total, priced.total,
                      priced.taxes, Decimal(4), priced, CustomerFacts("CARD-0042", tier="gold"))


def test_a_reduced_line_shows_its_net_and_each_promotion_under_its_name():
    rows = basket_rows(hand_priced_view())
    shampoo, cream = rows
    assert shampoo.cells[TOTAL_COLUMN] == "179.80" and shampoo.gross == "269.70"
    assert shampoo.discounts == ("Shampoo 3 for 2  \u221289.90",)
    assert shampoo.explained_name == "Шампунь Herbal 250 мл\n    Shampoo 3 for 2  \u221289.90"
    assert cream.discounts == () and cream.cells[TOTAL_COLUMN] == "54.50" and cream.explained_name == CREAM.name


def test_the_table_model_gives_the_name_with_its_discounts_and_says_the_price_before_them(qapp):
    model = BasketTableModel("uk")
    model.set_view(hand_priced_view())
    name = model.index(0, NAME_COLUMN)
    assert model.data(name) == "Шампунь Herbal 250 мл\n    Shampoo 3 for 2  \u221289,90"
    assert "269,70" in model.data(model.index(0, TOTAL_COLUMN), Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(1, NAME_COLUMN)) == CREAM.name


def test_a_gift_offer_is_a_sentence_naming_the_product_and_the_promotion():
    assert offers_text(hand_priced_view()) == "Free gift: 1003 (Vitamins with a cream), scan it to add"


def test_the_customers_display_shows_each_discount_and_what_was_saved():
    screen = CustomerTexts("uk_UA").basket(hand_priced_view())
    assert screen.lines[0].amount == "179,80" and screen.lines[0].discounts == (("Shampoo 3 for 2", "\u221289,90"),)
    assert screen.saved == said("You saved {amount}", amount="89,90 UAH")


def test_after_payment_the_customers_display_keeps_each_discount_and_what_was_saved():
    screen = CustomerTexts("uk_UA").paid(discounted_sale())
    assert screen.lines[0].amount == "179,80" and screen.lines[0].discounts == (("Шампуні 3 за 2", "\u221289,90"),)
    assert screen.lines[1].discounts == (("Креми -10 %", "\u221210,90"), ("VIP -5 %", "\u22124,91"))
    assert screen.saved == said("You saved {amount}", amount="106,06 UAH")


def test_the_customer_window_shows_the_latest_lines_whose_discounts_fit_its_rows():
    many = CustomerScreen(tuple(CustomerLine(f"item {i}", "1 × 1,00", "0,50", (("a", "\u22120,50"),))
                                for i in range(10)))
    assert [line.name for line in latest(many)] == ["item 5", "item 6", "item 7", "item 8", "item 9"]  # 10 rows
    paid = replace(many, paid="Paid 10,00 UAH")
    assert [line.name for line in latest(paid)] == ["item 6", "item 7", "item 8", "item 9"]  # 8 rows after payment
    saving = replace(paid, saved="You saved 5,00 UAH")
    assert [line.name for line in latest(saving)] == ["item 7", "item 8", "item 9"]  # "You saved" takes a row
    one_long = CustomerScreen((CustomerLine("x", "1", "1", tuple(("p", "\u22121") for _ in range(30))),))
    assert latest(one_long) == one_long.lines  # the last line always shows


def test_a_gift_to_scan_stands_in_the_message_area_and_comes_back_after_an_error(qapp):
    area = MessageArea()
    area.set_standing("Free gift: 1003 (Vitamins with a cream), scan it to add")
    assert area.shown_text().startswith("Free gift") and area.text() == "" and area.kind == ""
    area.show_error("Unknown barcode")
    assert area.shown_text() == "Unknown barcode" and area.kind == "error"
    area.clear_error()
    assert area.shown_text().startswith("Free gift") and area.property("kind") == "offer"
    area.set_standing("")
    assert area.shown_text() == "" and area.property("kind") == ""


# -- the real window, priced by the engine ----------------------------------------------------
@pytest.fixture
def loopback():  # noqa: ANN201
    with LoopbackPrinter() as printer:
        yield printer


@pytest.fixture
def promoted_till(open_till, loopback):  # noqa: ANN001, ANN201
    services = promoted_services(MemoryJournal(), loopback.setting,
                                 customer_display=CustomerDisplayOptions(enabled=True, geometry=(40, 30, 800, 480)))
    driver = open_till(services)
    driver.sign_in("1", "1234")
    return driver


def test_scanned_promotions_are_explained_on_screen_on_the_customers_display_and_on_the_receipt(
        promoted_till, loopback):
    till = promoted_till
    screen = till.window.sale_screen
    for code in (SHAMPOO.barcode, SHAMPOO.barcode, SHAMPOO.barcode, MILK.barcode, MILK.barcode, YOGURT.barcode):
        till.scan(code)
    rows = screen.model.rows
    assert [r.cells[TOTAL_COLUMN] for r in rows] == ["179.80", "75.60", "24.75"]
    assert rows[0].discounts == ("Shampoo 3 for 2  \u221289.90",)
    assert rows[1].discounts == ("Dairy -10 %  \u22128.40",) and rows[2].discounts == ("Dairy -10 %  \u22122.75",)
    assert screen.totals.discount_label.text() == "Discount \u2212101.05" and screen.totals.discount_label.isVisible()
    assert till.total_text == "280.15"
    facing = till.window.customer_facing.window
    assert facing.discount_texts == [("Shampoo 3 for 2", "\u221289,90"), ("Dairy -10 %", "\u22128,40"),
                                     ("Dairy -10 %", "\u22122,75")]
    assert facing.saved_label.text().endswith("101,05 UAH") and facing.total_label.text() == "280,15 UAH"

    till.scan(CREAM.barcode)  # entitles the customer to the vitamins, not in the basket yet
    assert screen.message.shown_text() == f"Free gift: {VITAMINS.name} (Vitamins with a cream), scan it to add"
    assert screen.table.rowHeight(0) > screen.table.rowHeight(3)  # a line with a promotion under it is higher
    till.window.session.change(lambda t: t.identify_customer(CustomerFacts("CARD-0042", tier="gold"),
                                                             name="Olena K.")).run()
    till.wait_idle()
    assert screen.totals.customer_label.text() == "Customer: Olena K.\nTier: gold"
    assert screen.totals.customer_label.isVisible()
    till.scan(VITAMINS.barcode)
    assert screen.model.rows[-1].cells[TOTAL_COLUMN] == "0.00" and screen.message.shown_text() == ""

    dialog = till.open_dialog(Qt.Key.Key_F12)
    till.enter(dialog.tendered_field, "500")
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    till.wait_until(lambda: b"\x1dV" in loopback.received())
    printed = decode(receipts_in(loopback.received())[-1]).texts
    assert any(t.startswith("   Shampoo 3 for 2") and t.endswith("-89,90") for t in printed)
    assert sum(1 for t in printed if t.startswith("   Dairy -10 %")) == 2
    assert any(t.startswith("   Vitamins with a cream") and t.endswith("-120,00") for t in printed)
    assert said("You saved {amount}", amount="221,05 UAH") in [t.strip() for t in printed]


def test_a_long_promotion_name_is_cut_on_its_line_so_its_amount_shows_and_the_tooltip_has_it_whole() -> None:
    from ui.basket_model import DISCOUNT_NAME_CHARS

    basket = Basket("UAH", datetime(2026, 12, 2, tzinfo=timezone.utc))
    line = basket.add(SHAMPOO, Decimal(1))
    name = "Spend 1000.00, get 100.00 off everything in the store"
    priced = PricedBasket("UAH", (PricedLine(line, (LineDiscount("P-1", name, Money.of("12.34", "UAH")),)),))
    view = BasketView(basket.basket_id, basket.state, (line,), priced.total, priced.total, priced.taxes,
                      Decimal(1), priced)
    [row] = basket_rows(view)
    [shown] = row.discounts
    assert shown.endswith("\u221212.34") and len(shown.split("  ")[0]) == DISCOUNT_NAME_CHARS
    assert shown.split("  ")[0].endswith("\u2026") and row.whole_discounts == (f"{name}  \u221212.34",)
    model = BasketTableModel()
    model.set_view(view)
    tip = model.data(model.index(0, NAME_COLUMN), Qt.ItemDataRole.ToolTipRole)
    assert name in tip and "\u2026" not in tip
