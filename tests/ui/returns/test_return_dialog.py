"""Returns and exchanges on the real window: a real SQLite till with an open shift, real
keys, the real approval prompt; what is recorded is read back from the journal."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from local_db.database import open_database
from local_db.store_day_journal import SqlStoreDay
from pos.receipt_code import receipt_code_text
from shell.wiring import build_services
from hardware.loopback_printer import LoopbackPrinter
from tests.hardware.escpos_decoder import drawer_kicks
from tests.ui.driver import WAIT_MS, TillDriver
from tests.ui.returns.till_world import CASHIER, GOODS, MANAGER, SENIOR, make_store_file, real_till, settings_for
from ui.qt import QLineEdit, QPushButton, Qt
from ui.returns.return_dialog import ReturnDialog

A, B = sorted(GOODS[:2], key=lambda p: p.price.amount)  # A is the cheaper


@pytest.fixture
def store_file(tmp_path):  # noqa: ANN001, ANN201
    return make_store_file(tmp_path / "till.sqlite3")


def sold(path, *products):  # noqa: ANN001, ANN002, ANN201
    """A cash sale made at this till before the window opens."""
    t = real_till(path, who=SENIOR)
    for product in products:
        t.till.scan(product.barcode)
    return t.till.pay_cash("").sale


def window(qtbot, path, who=SENIOR, printer: str = "none") -> TillDriver:  # noqa: ANN001
    driver = TillDriver.open(qtbot, build_services(settings_for(path, printer=printer), open_database(path)))
    driver.sign_in(*who)
    return driver


def return_dialog(driver: TillDriver) -> ReturnDialog:
    driver.wait_until(lambda: isinstance(driver.window.sale_actions.dialog, ReturnDialog))
    driver.wait_idle()
    dialog = driver.window.sale_actions.dialog
    assert isinstance(dialog, ReturnDialog)
    return dialog


def returns_of(path, sale_id: uuid.UUID) -> dict[uuid.UUID, Decimal]:  # noqa: ANN001
    return SqlStoreDay(open_database(path), "T07").already_returned(sale_id)


def test_scanning_a_receipts_code_returns_part_of_the_sale_prints_it_and_opens_the_drawer(qtbot, qapp, store_file):
    sale = sold(store_file, A, A, B)
    with LoopbackPrinter() as printer:
        till = window(qtbot, store_file, printer=printer.setting)
        till.scan(receipt_code_text(sale.store_id, sale.till_id, sale.sale_id))
        dialog = return_dialog(till)
        assert dialog.model.rowCount() == 2 and dialog.model.cells[0][3] == "2"  # left to return: 2 of A
        till.enter(dialog.field, "1")  # one of the first line
        till.wait_idle()
        assert "Returned goods" in dialog.plan.text()
        till.press(dialog, Qt.Key.Key_F12)
        till.wait_until(lambda: till.window.sale_actions.dialog is None)
        till.wait_idle()
        assert till.message.startswith("Return 1 saved: give back")
        line_a = next(line for line in sale.lines if line.product_code == A.code)
        assert returns_of(store_file, sale.sale_id) == {line_a.line_id: Decimal(1)}
        title = "ПОВЕРНЕННЯ № 1".encode("cp866")  # the return receipt, in the store's language
        qtbot.waitUntil(lambda: title in printer.received() and b"\x1bp\x00" in printer.received(), timeout=WAIT_MS)
        data = printer.received()
    slip = data[data.index(title):]
    assert A.name[:10].encode("cp866") in slip  # it names what came back
    assert drawer_kicks(data) == 1  # the drawer opens once, for the cash given back


def test_a_return_without_receipt_is_approved_by_a_manager_on_the_spot(qtbot, qapp, store_file):
    till = window(qtbot, store_file, CASHIER)
    menu = till.open_dialog(Qt.Key.Key_F10)
    till.press(menu, Qt.Key.Key_6)
    till.wait_until(lambda: till.window.sale_actions.dialog is not None
                    and till.window.sale_actions.dialog.objectName() == "findReturnDialog")
    till.press(till.window.sale_actions.dialog, Qt.Key.Key_F2)
    dialog = return_dialog(till)
    till.enter(dialog.field, A.barcode)  # scanned by mistake: F8 takes it off
    till.wait_idle()
    till.press(dialog, Qt.Key.Key_F8)
    till.enter(dialog.field, B.barcode)
    till.wait_idle()
    assert dialog.model.rowCount() == 1 and dialog.model.cells[0][0] == B.name
    till.press(dialog, Qt.Key.Key_F12)  # no reason yet
    till.wait_idle()
    assert "reason" in dialog.message.text()
    dialog.findChildren(QPushButton, "reasonButton")[2].click()  # damaged goods
    dialog.return_button.click()  # by touch
    till.wait_until(lambda: till.window.sale_actions.dialog is not dialog)
    prompt = till.window.sale_actions.dialog
    assert prompt.objectName() == "approvalPrompt"
    till.wait_idle()
    prompt.findChildren(QPushButton, "reasonButton")[4].click()  # no receipt
    till.enter(prompt.findChild(QLineEdit, "managerCodeField"), MANAGER[0])
    till.enter(prompt.findChild(QLineEdit, "managerPinField"), MANAGER[1])
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    assert till.message.startswith("Return 1 saved")
    journal = SqlStoreDay(open_database(store_file), "T07")
    recorded = journal.get_return(journal_return_id(store_file))
    assert recorded.original_sale_id is None and recorded.reason == "damaged" and len(recorded.approval_ids) == 1


def journal_return_id(path) -> uuid.UUID:  # noqa: ANN001
    db = open_database(path)
    return uuid.UUID(db.read(lambda c: c.exec_driver_sql("SELECT return_id FROM returns").scalar_one(), "test"))


def test_an_exchange_pays_for_the_new_goods_and_the_customer_pays_the_rest(qtbot, qapp, store_file):
    sale = sold(store_file, A)
    till = window(qtbot, store_file)
    till.scan(B.barcode)  # the new goods
    till.scan(receipt_code_text(sale.store_id, sale.till_id, sale.sale_id))
    dialog = return_dialog(till)
    till.enter(dialog.field, "1")
    till.wait_idle()
    till.press(dialog, Qt.Key.Key_F11)
    till.wait_until(lambda: dialog.findChild(QLineEdit, "entryField") is not None
                    and dialog.findChild(QLineEdit, "entryField").isVisible())
    till.enter(dialog.findChild(QLineEdit, "entryField"), "")  # the rest, exactly, in cash
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    assert not till.lines  # a new basket
    journal = SqlStoreDay(open_database(store_file), "T07")
    returned = journal.get_return(journal_return_id(store_file))
    new_sale = journal.sales.get_sale(returned.exchange_sale_id)
    assert new_sale is not None and new_sale.total == B.price
    assert {p.method: p.amount for p in new_sale.payments}["exchange_credit"] == A.price


def test_a_cashiers_exchange_is_approved_by_a_manager_and_the_difference_is_given_back(qtbot, qapp, store_file):
    sale = sold(store_file, B)
    till = window(qtbot, store_file, CASHIER)
    till.scan(A.barcode)  # the new goods cost less than what comes back
    till.scan(receipt_code_text(sale.store_id, sale.till_id, sale.sale_id))
    dialog = return_dialog(till)
    till.enter(dialog.field, "1")
    till.wait_idle()
    till.press(dialog, Qt.Key.Key_F11)
    till.wait_until(lambda: till.window.sale_actions.dialog is not dialog)
    prompt = till.window.sale_actions.dialog
    assert prompt.objectName() == "approvalPrompt"
    till.wait_idle()
    prompt.findChildren(QPushButton, "reasonButton")[0].click()
    till.enter(prompt.findChild(QLineEdit, "managerCodeField"), MANAGER[0])
    till.enter(prompt.findChild(QLineEdit, "managerPinField"), MANAGER[1])
    till.wait_until(lambda: dialog.findChild(QLineEdit, "entryField") is not None
                    and dialog.findChild(QLineEdit, "entryField").isVisible())
    assert till.window.sale_actions.dialog is dialog  # the return dialog is the open one again
    till.enter(dialog.findChild(QLineEdit, "entryField"), "")
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    assert till.message.startswith("Return 1 saved: give back")
    journal = SqlStoreDay(open_database(store_file), "T07")
    returned = journal.get_return(journal_return_id(store_file))
    assert len(returned.approval_ids) == 1 and returned.total == B.price
    assert {f.payment.method: f.payment.amount for f in returned.refunds}["exchange_credit"] == A.price


@pytest.mark.parametrize("code, words", [
    ("KR1.S1.T07.0123456789abcdef0123456789abcdef.ffff", "cannot be read"),
    (receipt_code_text("S9", "T01", uuid.UUID(int=7)), "another store (S9)"),
    (receipt_code_text("S1", "T07", uuid.UUID(int=7)), "No sale has this receipt's code"),
])
def test_a_damaged_forged_or_foreign_code_is_said_on_the_sale_screen(qtbot, qapp, store_file, code, words):
    till = window(qtbot, store_file)
    till.scan(code)
    till.wait_idle()
    assert words in till.message and till.message_kind == "error"
    assert till.window.sale_actions.dialog is None


def test_more_than_is_left_is_refused_in_the_dialog_and_nothing_is_recorded(qtbot, qapp, store_file):
    sale = sold(store_file, B)
    till = window(qtbot, store_file)
    till.scan(receipt_code_text(sale.store_id, sale.till_id, sale.sale_id))
    dialog = return_dialog(till)
    till.enter(dialog.field, "3")
    till.wait_idle()
    assert "cannot be returned, only 1 is left" in dialog.message.text()
    till.press(dialog, Qt.Key.Key_F12)
    till.wait_idle()
    assert till.window.sale_actions.dialog is dialog and returns_of(store_file, sale.sale_id) == {}
