"""The payment dialog's F8 Gift card on the real window over a real till file: an electronic
card sold in one sale (F10, G) and activated when that sale reaches head office pays part of
the next sale with the code sent to the customer's phone (a wrong code says the tries left);
the tender is listed as "Gift card **** 1234", the rest is paid in cash, and the printed
receipt and the journal say the same."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from hardware.loopback_printer import LoopbackPrinter
from local_db.database import open_database
from local_db.journal import SqlJournal
from pos.gift_cards.records import GIFT_CARD
from pos.money import Money
from tests.hardware.escpos_decoder import decode, receipts_in
from tests.ui.driver import TillDriver
from tests.ui.payment.conftest import shoot
from tests.pos.gift_cards.memory_service import MemoryGiftCards
from tests.ui.gift_cards.screens import gift_card_page, paying, sell_dialog
from tests.ui.gift_cards.till_with_gift_cards import open_with_gift_cards
from tests.ui.sale_control.shop import FIRST, TILL_ID
from ui.qt import Qt


@pytest.fixture
def loopback():  # noqa: ANN201
    with LoopbackPrinter() as printer:
        yield printer


def pay_all_in_cash(till: TillDriver) -> None:
    dialog = paying(till)
    till.enter(dialog.tendered_field, "")
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()


def test_an_electronic_card_sold_in_one_sale_pays_part_of_the_next_with_its_code_on_screen_and_receipt(
        qtbot, shop, clock, loopback):  # noqa: ANN001
    cards = MemoryGiftCards()
    till = open_with_gift_cards(qtbot, shop, clock, cards, loopback.setting)
    selling = sell_dialog(till)
    till.press(selling.card_field, Qt.Key.Key_F3)
    till.enter(selling.phone_field, "050 123 45 67")
    till.type_into(selling.amount_field, "300")
    shoot(selling, "gift-card-sell-dialog")
    till.press(selling.amount_field, Qt.Key.Key_Return)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    pay_all_in_cash(till)
    db = open_database(shop)
    [sold_in] = SqlJournal(db, TILL_ID).recent_sales(1)
    [sold] = sold_in.gift_cards_sold
    cards.activate(sold.card_number, "300.00", sold.phone)  # the hub, when that sale arrived
    last4 = sold.card_number[-4:]

    for _ in range(math.ceil(Decimal(150) / FIRST.price.amount)):  # a sale of more than the 100 paid by card
        till.scan(FIRST.barcode)
    dialog = paying(till)
    panel = gift_card_page(till, dialog)
    till.enter(panel.lookup_field, "050 123 45 67")
    till.wait_until(lambda: panel.chosen is not None)
    assert f"**** **** **** {last4}" in panel.card_text.text() and "300.00" in panel.card_text.text()
    assert panel.code_field.isVisible() and panel.code_button.isVisible()

    till.press(panel.code_field, Qt.Key.Key_F2)  # the code to the customer's phone
    till.wait_until(lambda: panel.message.text().startswith("Code sent to +380 ** *** ** 67"))
    shoot(dialog, "gift-card-payment-page")
    [(phone, code)] = cards.sms
    assert phone == "+380501234567"
    till.type_into(panel.amount_field, "100")
    wrong = "111111" if code != "111111" else "222222"
    till.enter(panel.code_field, wrong)
    till.wait_until(lambda: not dialog.busy and "2 tries left" in panel.message.text())
    assert dialog.pages.currentWidget() is panel and panel.code_field.text() == ""

    till.enter(panel.code_field, code)
    till.wait_until(lambda: dialog.pages.currentWidget() is dialog.pay_page and not dialog.busy)
    listed = dialog.tenders_list.text()
    shoot(dialog, "gift-card-paid-so-far")
    assert f"Gift card **** {last4}" in listed and "100.00" in listed
    assert cards.cards[sold.card_number].balance == Money.of("200.00", "UAH")  # held at head office
    till.enter(dialog.tendered_field, "")  # the rest in cash
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()

    [sale] = SqlJournal(db, TILL_ID).recent_sales(1)
    assert [p.method for p in sale.payments] == [GIFT_CARD, "cash"]
    assert sale.payments[0].amount == Money.of("100.00", "UAH")
    [paid] = sale.gift_card_payments
    assert paid.card_number == sold.card_number and paid.redemption_id in cards.holds
    till.wait_until(lambda: len(receipts_in(loopback.received())) >= 2)
    printed = [t.strip() for t in decode(receipts_in(loopback.received())[-1]).texts]
    row = next(t for t in printed if last4 in t)
    assert "****" in row and row.replace("\u00a0", " ").endswith("100,00")
    db.close()
