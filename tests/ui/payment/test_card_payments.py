"""Paying by card and split in the real window, with a card terminal emulator process on a
loopback port: approved, declined, a timeout that becomes "Check the terminal" and is
approved when asked again (one charge, not two), cancelled at the terminal, card then cash
with change, and the approval code typed from a standalone terminal's slip."""

from __future__ import annotations

import json
from pathlib import Path

from local_db.database import open_database
from local_db.journal import SqlJournal
from local_db.journal_check import journal_check
from local_db.store_day_journal import SqlStoreDay
from pos.sale import Sale
from tests.ui.payment.conftest import open_paying, shoot, terminal
from ui.qt import Qt


def recorded(db_path: Path) -> list[Sale]:
    with open_database(db_path) as db:
        assert journal_check(db) == []
        return SqlJournal(db, "T07").recent_sales(10)


def charges(journal: Path) -> list[dict[str, object]]:
    """What the terminal took from customers (its own journal)."""
    lines = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line["outcome"] == "approved"]


def paid(driver) -> None:  # noqa: ANN001
    driver.wait_until(lambda: driver.window.sale_actions.dialog is None)
    driver.wait_idle()


def test_an_approved_card_pays_the_rest_and_the_sale_keeps_the_approval(qtbot, qapp, store_db, tmp_path):
    with terminal(tmp_path, "approve") as (card_terminal, journal):  # the till wired from its settings
        driver, dialog, services = open_paying(qtbot, store_db, f"network:127.0.0.1:{card_terminal.port}")
        assert services.payment_terminal is not None
        assert services.payment_terminal.address == card_terminal.address
        driver.press(dialog.tendered_field, Qt.Key.Key_F5)
        paid(driver)
    assert driver.message == "Receipt 1 saved"
    [sale] = recorded(store_db)
    [charge] = charges(journal)
    assert [(p.method, p.amount) for p in sale.payments] == [("card", sale.total)]
    assert str(sale.payments[0].payment_id) == charge["payment_id"]
    with open_database(store_db) as db:
        approval = SqlStoreDay(db, "T07").card_approval(sale.payments[0].payment_id)
    assert approval is not None and approval.approval_code == charge["approval_code"]
    assert approval.masked_reference == f"**** {charge['card_last4']}"


def test_a_declined_card_is_said_and_the_sale_is_then_paid_in_cash(qtbot, qapp, store_db, tmp_path):
    with terminal(tmp_path, "decline:do not honour") as (card_terminal, journal):
        driver, dialog, _ = open_paying(qtbot, store_db, card_terminal)
        driver.press(dialog.tendered_field, Qt.Key.Key_F5)
        driver.wait_until(lambda: not dialog.busy and dialog.pages.currentWidget() is dialog.pay_page)
        assert "declined (do not honour)" in dialog.message.text() and dialog.message.kind == "error"
        assert dialog.isVisible()
        driver.enter(dialog.tendered_field, "")  # exact cash
        paid(driver)
    [sale] = recorded(store_db)
    assert [p.method for p in sale.payments] == ["cash"] and charges(journal) == []


def test_a_timeout_says_check_the_terminal_and_asking_again_finds_the_one_charge(qtbot, qapp, store_db, tmp_path):
    with terminal(tmp_path, "timeout", pay_timeout=1.0) as (card_terminal, journal):
        driver, dialog, _ = open_paying(qtbot, store_db, card_terminal)
        driver.press(dialog.tendered_field, Qt.Key.Key_F5)
        driver.wait_until(lambda: dialog.pages.currentWidget() is dialog.check_panel)
        assert "did not say whether" in dialog.check_panel.explanation.text()
        shoot(dialog, "payment-check-terminal")
        driver.press(dialog.check_panel, Qt.Key.Key_Escape)  # leaving is refused: the payment is in doubt
        driver.wait_until(lambda: not dialog.busy)
        assert dialog.isVisible() and "has not said whether" in dialog.check_panel.message.text()
        driver.press(dialog.check_panel, Qt.Key.Key_Return)  # Enter: ask the terminal again
        paid(driver)
    [sale] = recorded(store_db)
    [charge] = charges(journal)
    assert [str(p.payment_id) for p in sale.payments] == [charge["payment_id"]]


def test_the_cashier_cancels_while_the_customer_is_at_the_terminal(qtbot, qapp, store_db, tmp_path):
    with terminal(tmp_path, "hold") as (card_terminal, journal):
        driver, dialog, _ = open_paying(qtbot, store_db, card_terminal)
        driver.press(dialog.tendered_field, Qt.Key.Key_F5)
        driver.wait_until(lambda: dialog._in_flight is not None)
        assert dialog.pages.currentWidget() is dialog.wait_panel
        shoot(dialog, "payment-card-wait")
        qtbot.mouseClick(dialog.wait_panel.cancel_button, Qt.MouseButton.LeftButton)
        driver.wait_until(lambda: not dialog.busy and dialog.pages.currentWidget() is dialog.pay_page)
        assert "cancelled at the terminal" in dialog.message.text()
        driver.press(dialog.tendered_field, Qt.Key.Key_Escape)  # nothing was paid: back to the sale
        paid(driver)
    assert recorded(store_db) == [] and charges(journal) == []
    assert len(driver.lines) == 1


def test_part_by_card_and_the_rest_in_cash_gives_change_from_the_cash(qtbot, qapp, store_db, tmp_path):
    with terminal(tmp_path, "approve") as (card_terminal, journal):
        driver, dialog, _ = open_paying(qtbot, store_db, card_terminal, products=3)
        driver.type_into(dialog.tendered_field, "10")
        driver.press(dialog.tendered_field, Qt.Key.Key_F5)
        driver.wait_until(lambda: not dialog.busy and dialog.shown is not None and bool(dialog.shown.tenders))
        assert dialog.isVisible() and "Card 10.00 UAH" in dialog.tenders_list.text()
        assert dialog.caption.text() == "Still to pay"
        shoot(dialog, "payment-split")
        driver.enter(dialog.tendered_field, "5000")
        paid(driver)
    [sale] = recorded(store_db)
    assert [p.method for p in sale.payments] == ["card", "cash"]
    card, cash = sale.payments
    assert card.amount.amount == 10 and card.change.is_zero()
    assert cash.tendered.amount == 5000 and sale.change == cash.change
    assert card.amount + cash.amount == sale.total + sale.rounding
    assert driver.window.sale_screen.totals.change_label.text().startswith("Change:")
    assert len(charges(journal)) == 1


def test_without_a_terminal_the_approval_code_from_the_slip_pays_by_card(qtbot, qapp, store_db, tmp_path):
    driver, dialog, _ = open_paying(qtbot, store_db, None)
    driver.press(dialog.tendered_field, Qt.Key.Key_F5)
    assert dialog.pages.currentWidget() is dialog.code_panel
    driver.enter(dialog.code_panel.code_field, "12")
    driver.wait_until(lambda: not dialog.busy)
    assert "is not an approval code" in dialog.code_panel.message.text()
    dialog.code_panel.code_field.clear()
    driver.type_into(dialog.code_panel.digits_field, "4242")
    driver.enter(dialog.code_panel.code_field, "a1b2c3")
    paid(driver)
    [sale] = recorded(store_db)
    with open_database(store_db) as db:
        approval = SqlStoreDay(db, "T07").card_approval(sale.payments[0].payment_id)
    assert approval is not None and (approval.approval_code, approval.masked_reference,
                                     approval.terminal_reference) == ("A1B2C3", "**** 4242", "manual")


def test_a_terminal_that_does_not_answer_charges_nothing_and_the_slip_code_pays_instead(qtbot, qapp, store_db,
                                                                                        tmp_path):
    with terminal(tmp_path) as (card_terminal, journal):
        pass  # stopped: its port is closed now
    driver, dialog, _ = open_paying(qtbot, store_db, card_terminal)
    driver.press(dialog.tendered_field, Qt.Key.Key_F5)
    driver.wait_until(lambda: not dialog.busy and dialog.pages.currentWidget() is dialog.code_panel)
    assert "does not answer" in dialog.code_panel.message.text()
    driver.enter(dialog.code_panel.code_field, "Q7W8E9")
    paid(driver)
    [sale] = recorded(store_db)
    assert [p.method for p in sale.payments] == ["card"] and not journal.exists()  # the terminal saw nothing
