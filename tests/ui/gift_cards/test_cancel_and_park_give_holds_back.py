"""Cancel sale (F10, 9) and Park (F10, 7) of a sale whose gift card payment the hub still holds
(the till was closed while paying): the hold is given back to the card first (before a manager
is asked to approve); while head office cannot be reached the cancel or park is refused with the
reason and the sale stays as it was."""

from __future__ import annotations

import math
from decimal import Decimal

from pos.money import Money
from tests.pos.gift_cards.memory_service import MemoryGiftCards
from tests.ui.driver import TillDriver
from tests.ui.gift_cards.screens import PLASTIC, paying
from tests.ui.gift_cards.till_with_gift_cards import open_with_gift_cards
from tests.ui.sale_control.shop import FIRST, IRYNA, database
from tests.ui.sale_control.test_approval_prompt import approve_as, prompt_of
from ui.qt import Qt

NUMBER = PLASTIC.replace(" ", "")


def menu(till: TillDriver, key: Qt.Key) -> None:
    """F10, then the entry's key."""
    dialog = till.open_dialog(Qt.Key.Key_F10)
    till.press(dialog, key)
    till.wait_idle()


def held_then_closed(qtbot, shop, clock, cards: MemoryGiftCards) -> TillDriver:  # noqa: ANN001
    """50.00 paid from the card in the payment dialog, then the till closed (no Esc): the hub
    holds the 50.00 and the open sale comes back when the till opens again."""
    till = open_with_gift_cards(qtbot, shop, clock, cards)
    for _ in range(math.ceil(Decimal(150) / FIRST.price.amount)):
        till.scan(FIRST.barcode)
    dialog = paying(till)
    panel = dialog.gift_card_panel
    till.enter(dialog.tendered_field, PLASTIC)
    till.wait_until(lambda: dialog.pages.currentWidget() is panel and panel.chosen is not None)
    till.enter(panel.amount_field, "50")
    till.wait_until(lambda: dialog.pages.currentWidget() is dialog.pay_page and not dialog.busy)
    till.window.close()
    assert cards.cards[NUMBER].balance == Money.of("450.00", "UAH")
    again = open_with_gift_cards(qtbot, shop, clock, cards)
    assert again.lines
    return again


def test_cancel_sale_gives_the_gift_card_hold_back_and_is_refused_while_head_office_is_down(qtbot, shop, clock):
    cards = MemoryGiftCards()
    cards.activate(NUMBER, "500.00")
    till = held_then_closed(qtbot, shop, clock, cards)
    cards.down = True
    menu(till, Qt.Key.Key_9)
    till.press(till.window.sale_actions.dialog, Qt.Key.Key_Return)
    till.wait_until(lambda: "50" in till.message and "link to head office" in till.message)
    assert till.lines and cards.cards[NUMBER].balance == Money.of("450.00", "UAH")
    with database(shop).reading() as conn:
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM cancelled_sales").scalar() == 0

    cards.down = False
    menu(till, Qt.Key.Key_9)
    till.press(till.window.sale_actions.dialog, Qt.Key.Key_Return)
    prompt = prompt_of(till)  # Olena is a cashier: a manager approves; the hold is back on the card already
    assert cards.cards[NUMBER].balance == Money.of("500.00", "UAH")
    till.press(prompt.code_field, Qt.Key.Key_Down)  # the first reason
    approve_as(till, prompt, IRYNA)
    till.wait_until(lambda: till.message == "Sale cancelled.")
    assert till.lines == () and cards.cards[NUMBER].balance == Money.of("500.00", "UAH")


def test_park_gives_the_gift_card_hold_back_first_and_is_refused_while_head_office_is_down(qtbot, shop, clock):
    cards = MemoryGiftCards()
    cards.activate(NUMBER, "500.00")
    till = held_then_closed(qtbot, shop, clock, cards)
    cards.down = True
    menu(till, Qt.Key.Key_7)
    till.wait_until(lambda: "link to head office" in till.message)
    assert till.lines and cards.cards[NUMBER].balance == Money.of("450.00", "UAH")

    cards.down = False
    menu(till, Qt.Key.Key_7)
    till.wait_until(lambda: till.message == "Sale parked. F10, 8 recalls it.")
    assert till.lines == () and cards.cards[NUMBER].balance == Money.of("500.00", "UAH")
    with database(shop).reading() as conn:
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM parked_sales").scalar() == 1
