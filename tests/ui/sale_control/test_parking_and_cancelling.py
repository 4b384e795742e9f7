"""Park, recall and cancel from the store menu (F10) on the real window over a real till file."""

from __future__ import annotations

import json

from tests.ui.driver import TillDriver
from tests.ui.sale_control.shop import FIRST, RASHAD, SECOND, TARAS, database, open_shop
from ui.qt import Qt
from ui.sale_control.recall_dialog import RecallDialog


def menu(till: TillDriver, key: Qt.Key) -> None:
    """F10, then the entry's key."""
    dialog = till.open_dialog(Qt.Key.Key_F10)
    till.press(dialog, key)
    till.wait_idle()


def test_a_parked_sale_survives_a_restart_and_another_cashier_recalls_it(qtbot, shop, clock):
    till = open_shop(qtbot, shop, clock)
    till.scan(FIRST.barcode)
    till.scan(f"2*{SECOND.barcode}")
    total = till.total_text
    menu(till, Qt.Key.Key_7)
    assert till.lines == () and till.message == "Sale parked. F10, 8 recalls it."
    till.window.close()

    again = open_shop(qtbot, shop, clock, who=RASHAD)
    assert again.lines == ()
    menu(again, Qt.Key.Key_8)
    again.wait_until(lambda: isinstance(again.window.sale_actions.dialog, RecallDialog))
    recall = again.window.sale_actions.dialog
    assert len(recall.buttons) == 1 and recall.buttons[0].text().startswith("1  Olena · ")
    assert recall.buttons[0].text().endswith(f" · 3 items · {total} UAH")
    again.press(recall, Qt.Key.Key_1)
    again.wait_until(lambda: again.window.sale_actions.dialog is None)
    again.wait_idle()
    assert [line.product.code for line in again.lines] == [FIRST.code, SECOND.code]
    assert again.message == "Parked sale recalled: 3 items."
    menu(again, Qt.Key.Key_8)  # nothing left to recall
    assert again.message == "Finish, park or cancel the sale on the till first."
    with database(shop).reading() as conn:
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM parked_sales").scalar() == 0
    again.window.close()

    third = open_shop(qtbot, shop, clock)  # the recalled sale is the open one after a restart
    assert [line.product.code for line in third.lines] == [FIRST.code, SECOND.code]


def test_a_senior_cashier_cancels_a_sale_with_voided_lines_and_it_is_recorded(qtbot, shop, clock):
    till = open_shop(qtbot, shop, clock, who=TARAS)
    till.scan(FIRST.barcode)
    dialog = till.open_dialog(Qt.Key.Key_F8)  # void the only line: nothing left to pay
    till.press(dialog, Qt.Key.Key_Return)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    basket_id = till.window.sale_screen.model.view.basket_id
    menu(till, Qt.Key.Key_9)
    confirm = till.window.sale_actions.dialog
    assert confirm is not None and confirm.objectName() == "cancelSaleDialog"
    till.press(confirm, Qt.Key.Key_Return)
    till.wait_until(lambda: till.message == "Sale cancelled.")
    assert till.lines == ()
    with database(shop).reading() as conn:
        [(body,)] = conn.exec_driver_sql("SELECT body FROM cancelled_sales").all()
        kinds = conn.exec_driver_sql("SELECT kind FROM outbox ORDER BY row_id").scalars().all()
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM open_basket").scalar() == 0
    cancelled = json.loads(body)
    assert (cancelled["sale_id"], cancelled["cashier_id"], cancelled["approval_id"]) == (str(basket_id), "3", None)
    assert kinds[-1] == "kassa.sale_cancelled.v1"


def test_esc_on_the_cancel_question_keeps_the_sale(qtbot, shop, clock):
    till = open_shop(qtbot, shop, clock, who=TARAS)
    till.scan(FIRST.barcode)
    menu(till, Qt.Key.Key_9)
    till.press(till.window.sale_actions.dialog, Qt.Key.Key_Escape)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    assert len(till.lines) == 1
    with database(shop).reading() as conn:
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM cancelled_sales").scalar() == 0
