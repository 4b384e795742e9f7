"""F10, C on the real window over a real till file: a customer found by phone number is the
sale's customer and their name, tier and wishlist are on screen; one registered offline is
queued for the hub and identified at once; Forget takes the customer off the sale."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

from local_db.customers import CUSTOMERS, KEYS, apply_customer_page
from local_db.outbox import SqlOutbox
from local_db.promotions import load_promotions
from pos.customers import phone_key
from tests.ui.driver import TillDriver
from tests.ui.sale_control.shop import FIRST, SECOND, database, open_shop
from ui.customers.dialog import CustomerDialog
from ui.qt import QLineEdit, QPushButton, Qt

KEY = bytes(range(32))
CARD = "2900000000018"  # an in-store EAN-13 with its check digit


def with_olena(path) -> None:  # noqa: ANN001
    db = database(path)
    now = datetime(2026, 12, 2, tzinfo=UTC)
    apply_customer_page(db, KEYS, [{"key_id": 1, "key": KEY.hex(), "deleted": False}], cursor="1", snapshot="2",
                        pulled_at=now)
    apply_customer_page(db, CUSTOMERS, [{
        "customer_id": "c-olena", "phone_key": phone_key("+380501234567", KEY), "card": CARD,
        "name": "Olena K.", "tier": "gold", "segment": "families", "group": "vip", "birthday": "12-02",
        "offers": ["P-PERSONAL-10"], "wishlist": [SECOND.code, "NOT-IN-THIS-STORE"], "deleted": False}], cursor="2", snapshot="2",
        pulled_at=now)
    db.close()


def customer_dialog(till: TillDriver) -> CustomerDialog:
    menu = till.open_dialog(Qt.Key.Key_F10)
    till.press(menu, Qt.Key.Key_C)
    till.wait_until(lambda: isinstance(till.window.sale_actions.dialog, CustomerDialog))
    return till.window.sale_actions.dialog


def field(dialog: CustomerDialog, name: str) -> QLineEdit:
    return dialog.findChild(QLineEdit, name)


def test_a_customer_found_by_phone_number_is_the_sales_customer_with_their_name_on_screen(qtbot, shop, clock):
    with_olena(shop)
    till = open_shop(qtbot, shop, clock)
    till.scan(FIRST.barcode)
    dialog = customer_dialog(till)
    till.enter(field(dialog, "customerLookup"), "050 123 45 67")
    till.wait_until(lambda: dialog.customer_name.text() == "Olena K.")
    till.wait_idle()
    assert "gold" in dialog.details.text() and "families" in dialog.details.text()
    assert SECOND.name in dialog.details.text()  # the wishlist item this store carries, the other not shown
    assert dialog.message.text() == "Customer identified."
    assert till.window.sale_screen.model.view.customer.customer_id == "c-olena"

    forget = dialog.findChild(QPushButton, "forgetCustomer")
    forget.click()
    till.wait_until(lambda: dialog.message.text() == "The sale has no customer now.")
    till.wait_idle()
    assert till.window.sale_screen.model.view.customer is None


def test_a_customer_registered_offline_is_identified_at_once_and_queued_for_the_hub(qtbot, shop, clock):
    till = open_shop(qtbot, shop, clock)
    dialog = customer_dialog(till)
    till.enter(field(dialog, "customerLookup"), "067 111 22 33")
    till.wait_until(lambda: dialog.message.text().startswith("No customer has that phone number"))
    assert field(dialog, "registerPhone").text() == "067 111 22 33"
    till.type_into(field(dialog, "registerName"), "Taras Shevchuk")
    dialog.findChild(QPushButton, "registerCustomer").click()
    till.wait_until(lambda: dialog.message.text() == "Customer registered.")
    till.wait_idle()
    assert dialog.customer_name.text() == "Taras S."
    customer = till.window.sale_screen.model.view.customer
    [document] = [d for d in SqlOutbox(database(shop)).pending_documents() if d.document.series == "customer"]
    assert str(document.document.document_id) == customer.customer_id
    assert json.loads(document.document.payload)["phone"] == "+380671112233"


def test_a_phone_number_typed_wrong_says_why_in_the_dialog(qtbot, shop, clock):
    till = open_shop(qtbot, shop, clock)
    dialog = customer_dialog(till)
    till.enter(field(dialog, "customerLookup"), "050 12")
    till.wait_until(lambda: dialog.message.text() == "That phone number is too short.")
    assert till.window.sale_screen.model.view.customer is None


def test_a_loyalty_card_scanned_on_the_sale_screen_identifies_its_customer(qtbot, shop, clock):
    with_olena(shop)
    till = open_shop(qtbot, shop, clock)
    till.scan(FIRST.barcode)
    till.scan(CARD)
    till.wait_until(lambda: till.message == "Customer: Olena K.")
    assert till.window.sale_screen.model.view.customer.customer_id == "c-olena"
    assert [line.product.code for line in till.lines] == [FIRST.code]


def test_a_code_that_is_neither_a_product_nor_a_card_still_says_it_is_unknown(qtbot, shop, clock):
    with_olena(shop)
    till = open_shop(qtbot, shop, clock)
    till.scan("9990000000012")
    till.wait_until(lambda: "9990000000012" in till.message)
    assert till.window.sale_screen.model.view.customer is None


BIRTHDAY_VIP = {"format": "kassa.promotion.v1", "id": "P-BIRTHDAY-VIP", "name": "Happy birthday (vip): -15 %",
                "kind": "percent_off", "percent": "15", "scope": {"products": [FIRST.code]},
                "validity": {"birthday": True, "customer_groups": ["vip"]}}
PERSONAL = {"format": "kassa.promotion.v1", "id": "P-PERSONAL-10", "name": "Your offer: -10 %",
            "kind": "percent_off", "percent": "10", "scope": {"products": [SECOND.code]},
            "validity": {"needs_code": True}}


def test_the_birthday_offer_and_a_personal_offer_apply_once_the_customer_is_identified(qtbot, shop, clock):
    with_olena(shop)  # a vip whose birthday is today (the till's clock: 2 December)
    db = database(shop)
    load_promotions(db, [BIRTHDAY_VIP, PERSONAL])
    db.close()
    till = open_shop(qtbot, shop, clock)
    till.scan(FIRST.barcode)
    till.scan(SECOND.barcode)
    full = FIRST.price.amount + SECOND.price.amount
    assert till.window.sale_screen.model.view.total.amount == full
    dialog = customer_dialog(till)
    till.enter(field(dialog, "customerLookup"), "+380501234567")
    till.wait_until(lambda: dialog.message.text() == "Customer identified.")
    till.wait_idle()
    assert "Your offer: -10 %" in dialog.details.text()
    view = till.window.sale_screen.model.view
    expected = (FIRST.price.amount * Decimal("0.85")).quantize(Decimal("0.01")) + \
        (SECOND.price.amount * Decimal("0.90")).quantize(Decimal("0.01"))
    assert view.total.amount == expected
    assert {d.promotion_id for line in view.priced.lines for d in line.discounts} == {"P-BIRTHDAY-VIP", "P-PERSONAL-10"}
