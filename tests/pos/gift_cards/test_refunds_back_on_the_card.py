"""A return of goods paid by gift card: the refund to the gift card payment says the card it
goes back on, masked, on the return receipt (in the store's language) and in the return
dialog's refund plan; a refund with no card known, and the other tenders, keep their names."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timezone

from central.stores import TillIdentity
from pos.gift_cards.records import GIFT_CARD
from pos.money import Money
from pos.return_layout import ReturnPrintout, layout_return
from pos.sale import Cashier, Sale
from pos.store_day.returns import ReturnContext, ReturnDocument, return_from_sale
from pos.store_day.roles import Role, StaffMember
from tests.central.gift_card_sales import card, paid_with
from tests.fakes import STORE
from ui.returns.return_dialog import plan_text

ENGLISH = replace(STORE, locale="en_US")
UKRAINIAN = replace(STORE, locale="uk_UA")
NUMBER = card(9015)  # a chain number: 9900, 11 digits, the Luhn digit


def returned_whole() -> tuple[Sale, ReturnDocument]:
    sale = paid_with(TillIdentity("S1", "T1"), NUMBER, "100.00", redemption_id=uuid.uuid4())
    who = StaffMember(Cashier("5", "Taras"), Role.SENIOR_CASHIER)
    ctx = ReturnContext("S1", "T1", who, datetime(2026, 12, 2, 12, tzinfo=timezone.utc))
    made = return_from_sale(sale, {line.line_id: line.quantity for line in sale.lines}, ctx,
                            already_returned={}, already_refunded={}, hub_confirmed=True)
    return sale, replace(made, return_number=4)


def rows(printout: ReturnPrintout) -> list[str]:
    return [" ".join(row.text.split()) for row in layout_return(printout).rows]


def test_the_return_receipt_says_the_gift_card_refund_goes_back_on_the_masked_card() -> None:
    sale, back = returned_whole()
    assert [f.payment.method for f in back.refunds] == [GIFT_CARD, "cash"]
    short = "**** " + NUMBER[-4:]
    printed = rows(ReturnPrintout(back, ENGLISH, gift_cards=sale.gift_card_payments))
    assert f"Back on gift card {short} 100.00" in printed
    assert not any(NUMBER in row for row in printed)  # never the whole number
    assert any(row.startswith("Cash ") for row in printed)
    ukrainian = rows(ReturnPrintout(back, UKRAINIAN, gift_cards=sale.gift_card_payments))
    at = ukrainian.index(f"Повернуто на подарункову картку {short}")  # too long for one row: the amount under it
    assert ukrainian[at + 1] == "100,00"

    without = rows(ReturnPrintout(back, ENGLISH))  # no card known (a reprint from the journal alone)
    assert "Gift card 100.00" in without and not any("Back on" in row for row in without)


def test_the_refund_plan_in_the_return_dialog_names_the_card() -> None:
    sale, back = returned_whole()
    text = plan_text(back, "en", sale.gift_card_payments)
    assert f"Back on gift card **** {NUMBER[-4:]} 100.00" in text and "Cash" in text
    assert "Back on" not in plan_text(back, "en")
    assert plan_text(back, "en", sale.gift_card_payments).count("Back on") == 1
    assert sum((f.payment.amount for f in back.refunds), Money.zero("UAH")) == sale.total
