"""The real window over a real till file: a customer identified by phone number (F10, C) or by
their loyalty card scanned on the sale screen is queued for the hub as one
``kassa.customer_identified.v1`` document per sale, with how they were found and no phone number."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from local_db.customers import CUSTOMERS, KEYS, apply_customer_page
from local_db.outbox import SqlOutbox
from pos.customer_identified import IDENTIFIED_SCHEMA, IDENTIFIED_SERIES, identification_id
from pos.customers import phone_key
from tests.ui.customers.test_customer_on_screen import customer_dialog, field
from tests.ui.driver import TillDriver
from tests.ui.sale_control.shop import FIRST, STORE_ID, TILL_ID, database, open_shop

KEY = bytes(range(32))
CARD = "2900000000018"
OLENA = "5c0a9a44-7f0e-4a55-9d7c-3b1c2d4e5f60"


def with_olena(path: Any) -> None:
    db = database(path)
    now = datetime(2026, 12, 2, tzinfo=UTC)
    apply_customer_page(db, KEYS, [{"key_id": 1, "key": KEY.hex(), "deleted": False}], cursor="1", snapshot="2",
                        pulled_at=now)
    apply_customer_page(db, CUSTOMERS, [{
        "customer_id": OLENA, "phone_key": phone_key("+380501234567", KEY), "card": CARD, "name": "Olena K.",
        "tier": "gold", "segment": "", "group": "", "birthday": "", "offers": [], "wishlist": [],
        "deleted": False}], cursor="2", snapshot="2", pulled_at=now)
    db.close()


def identifications(path: Any) -> list[dict[str, Any]]:
    db = database(path)
    try:
        return [json.loads(d.document.payload) for d in SqlOutbox(db).pending_documents()
                if d.document.series == IDENTIFIED_SERIES]
    finally:
        db.close()


def open_sale_id(till: TillDriver) -> Any:
    return till.window.sale_actions.session.services.till.basket.basket_id


def test_a_customer_identified_by_phone_twice_in_a_sale_is_one_document_in_the_outbox(qtbot, shop, clock):
    with_olena(shop)
    till = open_shop(qtbot, shop, clock)
    till.scan(FIRST.barcode)
    dialog = customer_dialog(till)
    for _ in range(2):
        dialog.message.setText("")
        till.enter(field(dialog, "customerLookup"), "050 123 45 67")
        till.wait_until(lambda: dialog.message.text() == "Customer identified.")
        till.wait_idle()
    sale_id = open_sale_id(till)

    assert identifications(shop) == [{
        "schema": IDENTIFIED_SCHEMA, "document_id": str(identification_id(sale_id, OLENA)), "customer_id": OLENA,
        "store_id": STORE_ID, "till_id": TILL_ID, "identified_at": clock.now().isoformat(), "sale_id": str(sale_id),
        "how": "phone"}]
    assert "501234567" not in json.dumps(identifications(shop))


def test_a_loyalty_card_scanned_on_the_sale_screen_is_queued_as_identified_by_card(qtbot, shop, clock):
    with_olena(shop)
    till = open_shop(qtbot, shop, clock)
    till.scan(FIRST.barcode)
    till.scan(CARD)
    till.wait_until(lambda: till.message == "Customer: Olena K.")
    till.wait_idle()
    [document] = identifications(shop)
    assert (document["customer_id"], document["sale_id"], document["how"]) == (OLENA, str(open_sale_id(till)), "card")


def test_a_code_that_is_no_customers_card_queues_nothing(qtbot, shop, clock):
    with_olena(shop)
    till = open_shop(qtbot, shop, clock)
    till.scan("9990000000012")
    till.wait_until(lambda: "9990000000012" in till.message)
    till.wait_idle()
    assert identifications(shop) == []
