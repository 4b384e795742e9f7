"""A store's whole shift through the real window, on real parts: a till database enrolled with a
real hub process on loopback (which also sets the chain's permission table: only a manager voids
a line), a card terminal emulator process, and a receipt printer on a loopback port.

The cashier signs in, counts the float (a manager approves), sells for cash, by card and split
(card then cash with change), has a manager approve a void, returns part of a sale by scanning its
receipt's QR code (the card part goes back to the card), exchanges goods, takes cash out; the
manager prints the X report and closes blind with a variance; the Z report prints (read back from
the printer's ESC/POS bytes) and reaches the hub with every other document of the shift, once."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from central.policies import set_policy
from central.tables import documents
from hardware.card_terminal import NetworkCardTerminal
from hardware.loopback_printer import LoopbackPrinter
from local_db.cashiers import add_cashier
from local_db.database import Database
from local_db.journal import SqlJournal
from local_db.journal_check import journal_check
from local_db.outbox import SqlOutbox
from local_db.staff import set_role
from local_db.store_day_journal import SqlStoreDay
from pos.receipt_code import receipt_code_text
from pos.store_day.roles import DEFAULT_TABLE, Action, Role
from shell.settings import parse_settings
from shell.wiring import build_services
from sync.worker import SyncWorker
from tests.fakes import CREAM, SHAMPOO, STORE, VITAMINS
from tests.hardware.escpos_decoder import drawer_kicks
from tests.hardware.test_card_terminal_crash import emulator_process
from tests.sync.conftest import Hub, connect
from tests.ui.driver import WAIT_MS, TillDriver
from tests.ui.shift.shift_till import approve, count, dialog_named, hand_over, menu_entry, no_dialog
from ui.app import make_application
from ui.payment_dialog import PaymentDialog
from ui.qt import QLineEdit, Qt
from ui.returns.return_dialog import ReturnDialog
from ui.shift.close_result import CloseResultDialog
from ui.shift.count_dialog import CountDialog
from ui.shift.report_view import ReportDialog

CASHIER, MANAGER = ("1", "1234"), ("9", "9999")


def settings_for(db: Database, printer: str):  # noqa: ANN201
    return parse_settings(f"""
[store]
store_id = "{STORE.store_id}"
name = "Kassa Demo"
currency = "UAH"
locale = "en_GB"
[till]
till_id = "{STORE.till_id}"
[printer]
connection = "{printer}"
retry_seconds = 1
[database]
path = "{db.path}"
""", Path("test.toml"))


def paying(till: TillDriver) -> PaymentDialog:
    dialog = till.open_dialog(Qt.Key.Key_F12)
    assert isinstance(dialog, PaymentDialog) and dialog.store_day
    till.wait_until(lambda: dialog.shown is not None)
    return dialog


def return_dialog(till: TillDriver) -> ReturnDialog:
    till.wait_until(lambda: isinstance(till.window.sale_actions.dialog, ReturnDialog))
    till.wait_idle()
    dialog = till.window.sale_actions.dialog
    assert isinstance(dialog, ReturnDialog)
    return dialog


def test_a_whole_shift_at_the_window_reaches_the_hub_once_and_its_z_reconciles(  # noqa: PLR0915
        qtbot, qapp, hub: Hub, till_db: Database, tmp_path: Path) -> None:  # noqa: ANN001
    make_application()
    only_managers_void = {**DEFAULT_TABLE.to_data(), Action.VOID_LINE.value: [Role.MANAGER.value]}
    set_policy(hub.db, STORE.store_id, "permissions", json.dumps(only_managers_void))
    sync = connect(hub.url, till_db, hub)
    assert not isinstance(sync.pull(), Exception)  # the catalog and the chain's permission table
    add_cashier(till_db, *CASHIER[:1], "Olena", CASHIER[1])
    add_cashier(till_db, MANAGER[0], "Iryna", MANAGER[1])
    set_role(till_db, MANAGER[0], Role.MANAGER)

    with LoopbackPrinter() as printer, emulator_process(tmp_path / "terminal.jsonl", "") as port:
        services = build_services(settings_for(till_db, printer.setting), till_db)
        services.payment_terminal = NetworkCardTerminal("127.0.0.1", port, pay_timeout=30, answer_timeout=5)
        services.sync, services.sync_worker = sync, SyncWorker(sync)
        till = TillDriver.open(qtbot, services)
        till.sign_in(*CASHIER)

        # the float, counted by the cashier and approved by the manager
        opening = dialog_named(till, "openShiftDialog")
        assert isinstance(opening, CountDialog)
        count(till, opening, {"100": "5"})
        hand_over(till, opening)
        approve(till, MANAGER)
        no_dialog(till)

        # cash
        till.scan(SHAMPOO.barcode)
        till.enter(paying(till).tendered_field, "100")
        no_dialog(till)
        cash_sale = services.journal.recent_sales(1)[0]
        assert cash_sale.change.amount == Decimal("10.10")

        # card
        till.scan(VITAMINS.barcode)
        till.press(paying(till).tendered_field, Qt.Key.Key_F5)
        no_dialog(till)
        card_sale = services.journal.recent_sales(1)[0]
        assert [p.method for p in card_sale.payments] == ["card"]

        # split: 50 by card, the rest in cash with change; and a void only a manager may make
        till.scan(CREAM.barcode)
        till.scan(VITAMINS.barcode)
        till.scan(SHAMPOO.barcode)  # by mistake: voided with the manager's approval
        till.press(till.scan_field, Qt.Key.Key_F8)
        till.press(till.window.sale_actions.dialog, Qt.Key.Key_Return)  # "Void line 3?" yes
        approve(till, MANAGER)
        till.wait_until(lambda: any(line.voided for line in till.window.sale_screen.model.view.lines))
        dialog = paying(till)
        till.type_into(dialog.tendered_field, "50")
        till.press(dialog.tendered_field, Qt.Key.Key_F5)
        till.wait_until(lambda: not dialog.busy and dialog.shown is not None and bool(dialog.shown.tenders))
        till.enter(dialog.tendered_field, "200")
        no_dialog(till)
        split_sale = services.journal.recent_sales(1)[0]
        assert [(p.method, p.amount.amount) for p in split_sale.payments] == [
            ("card", Decimal(50)), ("cash", Decimal("124.50"))]
        assert split_sale.change.amount == Decimal("75.50")

        # a partial return of the split sale by its receipt's code: the cashier needs a senior's right
        till.scan(receipt_code_text(split_sale.store_id, split_sale.till_id, split_sale.sale_id))
        dialog = return_dialog(till)
        till.enter(dialog.field, "1")  # one cream (the first line)
        till.wait_idle()
        till.press(dialog, Qt.Key.Key_F12)
        approve(till, MANAGER)
        no_dialog(till)
        assert till.message.startswith("Return 1 saved")

        # an exchange: vitamins back for a cream, the difference back in cash
        till.scan(CREAM.barcode)
        till.scan(receipt_code_text(card_sale.store_id, card_sale.till_id, card_sale.sale_id))
        dialog = return_dialog(till)
        till.enter(dialog.field, "1")
        till.wait_idle()
        till.press(dialog, Qt.Key.Key_F11)
        approve(till, MANAGER)
        till.wait_until(lambda: till.window.sale_actions.dialog is dialog
                        and dialog.findChild(QLineEdit, "entryField") is not None
                        and dialog.findChild(QLineEdit, "entryField").isVisible())
        till.enter(dialog.findChild(QLineEdit, "entryField"), "")
        no_dialog(till)
        assert till.message.startswith("Return 2 saved")

        # cash out to the safe, approved
        menu_entry(till, "cashOut")
        taking = dialog_named(till, "cashDialog")
        till.enter(taking.amount_field, "100")
        till.press(taking.amount_field, Qt.Key.Key_F1)
        till.press(taking.amount_field, Qt.Key.Key_Return)
        approve(till, MANAGER)
        no_dialog(till)

        # the manager: X report, then the blind close 1.00 short
        till.window.sign_out()
        till.wait_idle()
        till.sign_in(*MANAGER)
        menu_entry(till, "xReport")
        x = dialog_named(till, "reportDialog")
        assert isinstance(x, ReportDialog)
        expected = x.report.expected_cash
        qtbot.waitUntil(lambda: b"X REPORT" in printer.received(), timeout=WAIT_MS)
        till.press(x.table, Qt.Key.Key_Return)
        no_dialog(till)
        menu_entry(till, "closeShift")
        counting = dialog_named(till, "closeCountDialog")
        counted = expected.amount - 1
        pieces = {"100": int(counted // 100), "1": int(counted % 100), "0.10": int(counted % 1 * 10)}
        assert Decimal(100 * pieces["100"] + pieces["1"]) + Decimal(pieces["0.10"]) / 10 == counted
        count(till, counting, {value: str(n) for value, n in pieces.items()})
        hand_over(till, counting)
        result = dialog_named(till, "closeResultDialog")
        assert isinstance(result, CloseResultDialog)
        assert result.variance_label.text() == "Short by 1.00 UAH"
        qtbot.waitUntil(lambda: b"Z REPORT No. 1" in printer.received(), timeout=WAIT_MS)
        z = result.report
        till.press(result.unsent_label, Qt.Key.Key_Return)
        no_dialog(till)

        assert b"\x1d(k" in printer.received()  # every receipt's QR code, printed by the printer (GS ( k)
        # the drawer opens for the float, the cash sale, the split's cash, the exchange's cash back and the
        # cash out; not for the card sale, nor for the return that went back to the card
        assert drawer_kicks(printer.received()) == 5

        # everything reaches the hub, once
        outbox = SqlOutbox(till_db)
        qtbot.waitUntil(lambda: outbox.counts().waiting == 0, timeout=30_000)
        assert outbox.counts().quarantined == 0

    terminal = [json.loads(line) for line in (tmp_path / "terminal.jsonl").read_text(encoding="utf-8").splitlines()]
    card_moves = {(t["kind"], t["outcome"]) for t in terminal}
    assert ("pay", "approved") in card_moves and ("refund", "approved") in card_moves  # the return went to the card
    day = SqlStoreDay(till_db, STORE.till_id)
    assert journal_check(till_db) == []
    assert (z.sales_count, z.returns_count, z.z_number) == (4, 2, 1)  # the exchange's new sale is a sale
    recorded_z = day.z_report(z.shift_id)
    assert z.cash_out.amount == 100 and recorded_z is not None and recorded_z.z_number == 1
    with hub.db.reading() as conn:
        kinds = [row.schema for row in conn.execute(select(documents.c.schema).where(
            documents.c.till_id == STORE.till_id))]
    assert kinds.count("kassa.z_report.v1") == 1 and kinds.count("kassa.return.v1") == 2
    assert kinds.count("kassa.shift.v1") == 2 and kinds.count("kassa.cash_movement.v1") == 1
    assert kinds.count("kassa.approval.v1") == 5  # the float, the void, the return, the exchange, the cash out
    assert hub.sale_count() == len(SqlJournal(till_db, STORE.till_id).recent_sales(10)) == 4
