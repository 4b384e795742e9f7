"""A gift card scanned where the cash is typed opens the gift card page with the card found.
A gift card payment taken off again on the gift card page (F8): Remove gives the hold back to
the card and the sale's rest is what it was; while head office cannot be reached the hold stays
and the page says why."""

from __future__ import annotations

import math
from decimal import Decimal

from pos.money import Money
from tests.pos.gift_cards.memory_service import MemoryGiftCards
from tests.ui.payment.conftest import shoot
from tests.ui.gift_cards.screens import PLASTIC, gift_card_page, paying
from tests.ui.gift_cards.till_with_gift_cards import open_with_gift_cards
from tests.ui.sale_control.shop import FIRST

NUMBER = PLASTIC.replace(" ", "")


def test_remove_gives_a_gift_card_payment_back_to_the_card_but_not_while_head_office_is_down(qtbot, shop, clock):
    cards = MemoryGiftCards()
    cards.activate(NUMBER, "500.00")
    till = open_with_gift_cards(qtbot, shop, clock, cards)
    for _ in range(math.ceil(Decimal(150) / FIRST.price.amount)):
        till.scan(FIRST.barcode)
    dialog = paying(till)
    rest = dialog.shown.rest
    panel = dialog.gift_card_panel
    till.enter(dialog.tendered_field, PLASTIC)  # scanned where the cash goes: the gift card page finds it
    till.wait_until(lambda: dialog.pages.currentWidget() is panel and panel.chosen is not None)
    assert panel.paid.isHidden() and dialog.tendered_field.text() == ""  # nothing paid by gift card yet
    till.enter(panel.amount_field, "50")
    till.wait_until(lambda: dialog.pages.currentWidget() is dialog.pay_page and not dialog.busy)
    assert cards.cards[NUMBER].balance == Money.of("450.00", "UAH")

    panel = gift_card_page(till, dialog)
    [remove] = panel.remove_buttons
    assert "**** 0010" in panel.paid.findChildren(type(panel.rest_text))[0].text()
    shoot(dialog, "gift-card-remove")
    cards.down = True
    remove.click()
    till.wait_until(lambda: not dialog.busy and "link to head office" in panel.message.text())
    assert cards.cards[NUMBER].balance == Money.of("450.00", "UAH") and len(dialog.shown.tenders) == 1

    cards.down = False
    panel.remove_buttons[0].click()
    till.wait_until(lambda: not dialog.busy and "back on the card" in panel.message.text())
    assert cards.cards[NUMBER].balance == Money.of("500.00", "UAH")
    assert dialog.shown.tenders == () and dialog.shown.rest == rest and panel.paid.isHidden()
    assert dialog.tenders_list.isHidden()
