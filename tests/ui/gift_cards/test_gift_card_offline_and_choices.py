"""The gift card page when head office cannot be reached (the offline button under the chain's
policy, a manager's approval, the tender recorded without a hold), when one phone has several
cards (a number key picks one), and when a card is locked (its message, nothing paid)."""

from __future__ import annotations

import math
from decimal import Decimal

from local_db.database import open_database
from local_db.journal import SqlJournal
from pos.money import Money
from tests.ui.driver import TillDriver
from tests.ui.payment.conftest import shoot
from tests.pos.gift_cards.memory_service import MemoryGiftCards
from tests.ui.gift_cards.screens import PLASTIC, gift_card_page, paying
from tests.ui.gift_cards.till_with_gift_cards import open_with_gift_cards
from tests.ui.sale_control.shop import FIRST, IRYNA, TILL_ID
from tests.ui.sale_control.test_approval_prompt import prompt_of
from tests.ui.shift.shift_till import approve, text_of
from ui.qt import Qt

NUMBER = PLASTIC.replace(" ", "")
SECOND_CARD = "9900000000000028"  # 9900, Luhn


def a_sale_of_more_than(till: TillDriver, amount: int) -> None:
    for _ in range(math.ceil(Decimal(amount) / FIRST.price.amount)):
        till.scan(FIRST.barcode)


def test_head_office_down_a_plastic_card_pays_offline_up_to_the_cap_once_a_manager_approves(qtbot, shop, clock):
    cards = MemoryGiftCards()
    cards.activate(NUMBER, "500.00")
    till = open_with_gift_cards(qtbot, shop, clock, cards)
    a_sale_of_more_than(till, 250)
    cards.down = True
    dialog = paying(till)
    panel = gift_card_page(till, dialog)
    till.enter(panel.lookup_field, PLASTIC)
    till.wait_until(lambda: panel.offline_button.isVisible())
    assert "link to head office" in panel.message.text()
    assert "at most 200.00" in panel.offline_button.text()
    shoot(dialog, "gift-card-offline")

    panel.offline_button.click()  # Olena is a cashier: a manager approves
    prompt = prompt_of(till)
    assert "200.00" in text_of(prompt)  # what the manager approves: the amount
    approve(till, IRYNA)
    till.wait_until(lambda: dialog.pages.currentWidget() is dialog.pay_page and not dialog.busy
                    and dialog.tenders_list.text() != "")
    assert "Gift card **** 0010" in dialog.tenders_list.text() and "200.00" in dialog.tenders_list.text()
    till.enter(dialog.tendered_field, "")
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()

    db = open_database(shop)
    [sale] = SqlJournal(db, TILL_ID).recent_sales(1)
    [paid] = sale.gift_card_payments
    assert (paid.card_number, paid.redemption_id, paid.approved_by) == (NUMBER, None, IRYNA[0])
    assert sale.payments[0].amount == Money.of("200.00", "UAH")
    db.close()


def test_several_cards_for_one_phone_wait_for_the_cashiers_pick_and_a_locked_card_pays_nothing(qtbot, shop, clock):
    cards = MemoryGiftCards()
    cards.activate(NUMBER, "40.00", "+380501234567")
    cards.activate(SECOND_CARD, "75.00", "+380501234567")
    cards.cards[NUMBER].locked = True
    till = open_with_gift_cards(qtbot, shop, clock, cards)
    a_sale_of_more_than(till, 120)
    dialog = paying(till)
    panel = gift_card_page(till, dialog)
    till.enter(panel.lookup_field, "+380 50 123 45 67")
    till.wait_until(lambda: len(panel.card_buttons) == 2)
    assert panel.chosen is None and "choose one" in panel.message.text()
    shoot(dialog, "gift-card-several")
    assert "**** **** **** 0028" in panel.card_buttons[1].text() and "75.00" in panel.card_buttons[1].text()

    till.press(panel, Qt.Key.Key_1)  # the first: locked
    assert panel.chosen is not None and panel.chosen.card_number == NUMBER
    assert "locked" in panel.message.text()
    till.enter(panel.code_field, "123456")
    till.wait_until(lambda: not dialog.busy and "is locked" in panel.message.text() and "Gift card" in
                    panel.message.text())
    assert dialog.pages.currentWidget() is panel and not dialog.tenders_list.text()

    till.press(panel, Qt.Key.Key_2)
    assert panel.chosen is not None and panel.chosen.card_number == SECOND_CARD
    assert "75.00" in panel.amount_field.placeholderText()  # the most: the card's balance, less than the rest
    till.enter(panel.code_field, PLASTIC)  # another card scanned where the focus is: it is looked up
    till.wait_until(lambda: panel.chosen is not None and panel.chosen.card_number == NUMBER)
    assert panel.lookup_field.text() == PLASTIC and panel.code_field.text() == "" and not dialog.tenders_list.text()
    till.press(panel, Qt.Key.Key_Escape)  # back to the pay page, nothing paid
    till.wait_until(lambda: dialog.pages.currentWidget() is dialog.pay_page)
    assert cards.holds == {}


def test_head_office_down_a_phone_typed_for_an_electronic_card_gets_no_offline_button(qtbot, shop, clock):
    cards = MemoryGiftCards()
    cards.activate(SECOND_CARD, "75.00", "+380501234567")
    till = open_with_gift_cards(qtbot, shop, clock, cards)
    a_sale_of_more_than(till, 100)
    cards.down = True
    dialog = paying(till)
    panel = gift_card_page(till, dialog)
    till.enter(panel.lookup_field, "050 123 45 67")
    till.wait_until(lambda: "link to head office" in panel.message.text())
    till.wait_idle()
    assert panel.offline_button.isHidden() and not dialog.tenders_list.text()
