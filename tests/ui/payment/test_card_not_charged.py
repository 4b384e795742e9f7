"""A card payment in doubt whose terminal is gone for good: a manager, having seen on the
terminal (or its end-of-day list) that nothing was charged, declares it not charged (F3 on
"Check the terminal"); the approval is journalled, the card log settles the payment as not
received, and the sale is paid another way.  A cashier cannot do it alone."""

from __future__ import annotations

from local_db.database import open_database
from local_db.card_payment_log import SqlCardPaymentLog
from local_db.journal import SqlJournal
from pos.payment_terminal import CardNotReceived
from tests.ui.payment.conftest import open_paying, terminal
from tests.ui.shift.shift_till import approve, dialog_named
from ui.qt import Qt


def test_a_manager_declares_a_payment_in_doubt_not_charged_when_the_terminal_is_gone(qtbot, qapp, store_db,
                                                                                        tmp_path):
    with terminal(tmp_path, "timeout", pay_timeout=1.0) as (card_terminal, _journal):
        driver, dialog, _ = open_paying(qtbot, store_db, card_terminal)
        driver.press(dialog.tendered_field, Qt.Key.Key_F5)
        driver.wait_until(lambda: dialog.pages.currentWidget() is dialog.check_panel and not dialog.busy)
    # the terminal is gone (its process stopped): asking it again cannot settle the payment
    payment_id = dialog.shown.pending.payment_id
    driver.press(dialog.check_panel, Qt.Key.Key_F3)
    approve(driver, ("9", "9999"))  # Olena is a cashier: the manager declares it
    driver.wait_until(lambda: dialog.pages.currentWidget() is dialog.pay_page and not dialog.busy)
    assert dialog.shown is not None and dialog.shown.pending is None
    assert "nothing was charged" in dialog.message.text()
    driver.wait_until(lambda: driver.window.sale_actions.dialog is dialog)
    driver.enter(dialog.tendered_field, "")  # the sale paid in cash instead
    driver.wait_until(lambda: driver.window.sale_actions.dialog is None)
    driver.wait_idle()
    with open_database(store_db) as db:
        [sale] = SqlJournal(db, "T07").recent_sales(5)
        assert [p.method for p in sale.payments] == ["cash"]
        assert SqlCardPaymentLog(db).outcome(payment_id) == CardNotReceived.__name__
        actions = db.read(lambda c: c.exec_driver_sql("SELECT body FROM approvals").scalars().all(), "test")
    assert len(actions) == 1 and "card_not_charged" in actions[0]
