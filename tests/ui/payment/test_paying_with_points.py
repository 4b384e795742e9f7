"""F7 Points on the payment dialog, on the real window over a real till file: the customer
found by phone number (F10, C), part of the sale paid with their loyalty points (the page says
their balance and the most now), the rest in cash; a number beyond what the till may let go is
refused on the page with the reason; the sale records the points and the points payment."""

from __future__ import annotations

import json

from local_db.journal import SqlJournal
from local_db.loyalty import SqlLoyalty
from tests.ui.customers.test_customer_on_screen import customer_dialog, field, with_olena
from tests.ui.sale_control.conftest import clock, shop  # noqa: F401  (a real till file, an open shift)
from tests.ui.sale_control.shop import FIRST, TILL_ID, database, open_shop
from ui.payment_dialog import PaymentDialog
from ui.qt import Qt

RULES = {"format": "kassa.loyalty.v1", "earn": {"default": "1", "gold": "2"}, "point_value": "0.01",
         "min_redeem": 100, "offline_cap_per_sale": 5000, "offline_cap_per_day": 10000}


def with_points(path, balance: int) -> None:  # noqa: ANN001
    """Olena as the hub sent her, with ``balance`` points, and the chain's rules."""
    with_olena(path)
    db = database(path)
    db.write(lambda conn: conn.exec_driver_sql("UPDATE customers SET points_balance = ?", (balance,)), "test")
    SqlLoyalty(db).keep_rules(json.dumps(RULES))
    db.close()


def test_part_of_a_sale_is_paid_with_the_customers_points_and_the_rest_in_cash(qtbot, shop, clock):
    with_points(shop, 1200)
    till = open_shop(qtbot, shop, clock)
    till.scan(FIRST.barcode)
    till.scan(FIRST.barcode)
    found = customer_dialog(till)
    till.enter(field(found, "customerLookup"), "050 123 45 67")
    till.wait_until(lambda: till.window.sale_screen.model.view.customer is not None)
    found.close()
    till.wait_idle()

    dialog = till.open_dialog(Qt.Key.Key_F12)
    assert isinstance(dialog, PaymentDialog) and dialog.points_panel is not None
    till.wait_until(lambda: dialog.shown is not None and not dialog.busy)
    till.press(dialog.tendered_field, Qt.Key.Key_F7)
    panel = dialog.points_panel
    till.wait_until(lambda: dialog.pages.currentWidget() is panel)
    offer = panel.offer_text.text()
    assert "Balance 1,200 points" in offer and "12.00" in offer  # the balance, and what it pays

    till.enter(panel.points_field, "1300")  # more than the customer has
    till.wait_until(lambda: not dialog.busy and panel.message.text() != "")
    assert dialog.pages.currentWidget() is panel and "has 1200 points" in panel.message.text()

    till.enter(panel.points_field, "500")
    till.wait_until(lambda: dialog.pages.currentWidget() is dialog.pay_page and not dialog.busy)
    assert "points" in dialog.tenders_list.text() and "5.00" in dialog.tenders_list.text()
    till.enter(dialog.tendered_field, "")  # the rest, exactly, in cash
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()

    db = database(shop)
    [sale] = SqlJournal(db, TILL_ID).recent_sales(1)
    assert [p.method for p in sale.payments] == ["points", "cash"]
    assert str(sale.payments[0].amount.amount) == "5.00"
    message = json.loads(db.read(lambda conn: conn.exec_driver_sql(
        "SELECT payload FROM outbox WHERE series = 'receipt'").scalar_one(), "test"))
    assert (message["customer_id"], message["points_redeemed"]) == ("c-olena", 500)
    assert message["points_earned"] == int(sale.total.amount - 5) * 2  # gold: 2 per whole unit paid in money
    db.close()
