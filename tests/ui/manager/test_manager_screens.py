"""The manager's screens on the real window over a real till database holding a realistic
day (tests/ui/manager/realistic_day.py): opened with F10 M by a manager, or by a cashier once
a manager approves; each page reads the journal on the till worker; reports and receipts are
printed as copies on a printer listening on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest

from hardware.loopback_printer import LoopbackPrinter
from local_db.database import open_database
from shell.wiring import build_services
from tests.ui.driver import TillDriver
from tests.ui.manager.realistic_day import MANAGER_PIN, Day, build_day, settings_for
from ui.app import make_application
from ui.approval.prompt import ApprovalPrompt
from ui.manager.document_view import DocumentDialog
from ui.manager.report_view import ReportDialog
from ui.manager.window import ManagerWindow
from ui.qt import QLabel, Qt


@pytest.fixture
def day(tmp_path: Path) -> Day:
    return build_day(tmp_path)


def open_window(qtbot, day: Day, who: tuple[str, str], printer: str = "none") -> TillDriver:  # noqa: ANN001
    make_application()
    db = open_database(day.path)
    till = TillDriver.open(qtbot, build_services(settings_for(day.path, printer), db))
    till.sign_in(*who)
    return till


def open_manager_screens(till: TillDriver) -> ManagerWindow:
    menu = till.open_dialog(Qt.Key.Key_F10)
    till.press(menu, Qt.Key.Key_M)
    till.wait_until(lambda: isinstance(till.window.sale_actions.dialog, (ManagerWindow, ApprovalPrompt)))
    till.wait_idle()
    window = till.window.sale_actions.dialog
    assert isinstance(window, ManagerWindow), window
    return window


def rows(day: Day, sql: str) -> list[tuple]:
    with open_database(day.path) as db, db.reading() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(sql).all()]


def test_a_manager_opens_the_screens_with_f10_m_and_sees_this_tills_shifts_newest_first(qtbot, qapp, day):
    till = open_window(qtbot, day, ("9", MANAGER_PIN))
    window = open_manager_screens(till)
    till.wait_until(lambda: window.shifts.loaded)

    today, yesterday = window.shifts.model.cells
    assert today[1] == "open" and today[3] == "" and today[5] == "21!"  # 20 waiting and 1 refused
    assert yesterday[3] == "1" and yesterday[4] == "−20.00"
    detail = window.shifts.findChild(QLabel, "shiftDetail").text()
    assert "20 waiting, 1 refused" in detail and "28 sales, 1 returns" in detail

    till.press(window, Qt.Key.Key_Escape)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)


def test_a_cashier_opens_them_once_a_manager_approves_and_the_approval_is_journalled(qtbot, qapp, day):
    till = open_window(qtbot, day, ("1", "1234"))
    menu = till.open_dialog(Qt.Key.Key_F10)
    till.press(menu, Qt.Key.Key_M)
    till.wait_until(lambda: isinstance(till.window.sale_actions.dialog, ApprovalPrompt))
    prompt = till.window.sale_actions.dialog
    assert isinstance(prompt, ApprovalPrompt)
    assert "manager's screens" in prompt.findChild(QLabel, "approvalRequest").text()
    prompt.choose_reason(0)
    till.type_into(prompt.code_field, "9")
    till.press(prompt.code_field, Qt.Key.Key_Return)
    till.enter(prompt.pin_field, MANAGER_PIN)

    till.wait_until(lambda: isinstance(till.window.sale_actions.dialog, ManagerWindow))
    assert rows(day, "SELECT action, requested_by, approved_by FROM approvals") == [("manager_screens", "1", "9")]
    assert rows(day, "SELECT count(*) FROM outbox WHERE series = 'approval'") == [(1,)]

    window = till.window.sale_actions.dialog
    till.wait_until(lambda: window.shifts.loaded)
    till.press(window, Qt.Key.Key_Return)  # the open shift's X report: not a cashier's, even here
    till.wait_until(lambda: "may not do this" in window.shifts.message.text())
    assert window.findChild(ReportDialog) is None


def test_the_journal_finds_a_receipt_by_number_opens_it_and_prints_a_copy(qtbot, qapp, day):
    sold = day.sales[5]
    with LoopbackPrinter() as printer:
        till = open_window(qtbot, day, ("9", MANAGER_PIN), printer.setting)
        window = open_manager_screens(till)
        till.press(window, Qt.Key.Key_F2)
        page = window.journal
        till.enter(page.fields["number"], str(sold.receipt_number))
        till.wait_until(lambda: page.found is not None and page.model.cells[:1] and
                        page.model.cells[0][0] == f"Receipt {sold.receipt_number}")
        assert len(page.model.items) == 1 and page.model.items[0].amount == sold.due

        till.press(page.fields["number"], Qt.Key.Key_F5)
        till.wait_until(lambda: isinstance(window.findChild(DocumentDialog), DocumentDialog))
        document = window.findChild(DocumentDialog)
        till.wait_until(lambda: document.document is not None)
        assert [row[0] for row in document.model.items[:len(sold.lines)]] == [line.name for line in sold.lines]
        till.press(document, Qt.Key.Key_Return)
        till.wait_until(lambda: rows(day, "SELECT count(*) FROM print_jobs WHERE is_copy = 1 AND printed_at IS NOT NULL")
                        == [(1,)])
        assert "Printing a copy of receipt" in document.message.text()


def test_a_search_field_that_cannot_be_read_is_said_and_nothing_is_searched(qtbot, qapp, day):
    till = open_window(qtbot, day, ("9", MANAGER_PIN))
    window = open_manager_screens(till)
    till.press(window, Qt.Key.Key_F2)
    page = window.journal
    till.wait_until(lambda: page.found is not None)
    shown = list(page.model.items)

    till.enter(page.fields["first_day"], "31.02.2026")

    assert "“31.02.2026” is not a date" in page.message.text() and page.message.kind == "error"
    assert page.model.items == shown


def test_a_shifts_unsent_documents_are_one_key_away_from_the_shift_history(qtbot, qapp, day):
    till = open_window(qtbot, day, ("9", MANAGER_PIN))
    window = open_manager_screens(till)
    till.wait_until(lambda: window.shifts.loaded)
    till.press(window, Qt.Key.Key_Down)  # yesterday's shift
    till.press(window, Qt.Key.Key_U)
    till.wait_until(lambda: window.unsent.loaded and window.stack.currentWidget() is window.unsent)
    till.wait_idle()

    assert [cells[0] for cells in window.unsent.model.cells] == ["Z report 1"]  # the rest reached the hub
    till.press(window, Qt.Key.Key_O)  # the open shift: its sales the hub has not acknowledged, the refused one too
    till.wait_until(lambda: len(window.unsent.model.items) == 21)
    refused = [cells for cells in window.unsent.model.cells if cells[3] == "refused"]
    assert refused == [(f"Receipt {day.refused.receipt_number}", refused[0][1], "2", "refused",  # a failure, then refused
                        "unknown_product: product 1042 is not in the catalog")]


def test_the_day_view_draws_three_charts_and_writes_the_exact_totals_under_them(qtbot, qapp, day):
    till = open_window(qtbot, day, ("9", MANAGER_PIN))
    window = open_manager_screens(till)
    till.press(window, Qt.Key.Key_F4)
    till.wait_until(lambda: window.day.loaded)

    sales = sum((s.due for s in day.sales), day.sales[0].due - day.sales[0].due)
    totals = window.day.totals["hours"].text()
    back = day.returned.total.amount  # its share of the line's net, the promotions' discount taken off
    assert totals.startswith(f"{len(day.sales)} sales · {sales.amount:,}") and f"returns {back:,} (1)" in totals
    for name in ("hours", "cashiers", "tenders"):
        assert window.day.views[name].chart().series(), name
    till.press(window, Qt.Key.Key_Left)  # yesterday
    till.wait_until(lambda: window.day.totals["hours"].text().startswith("35 sales"))


def test_a_z_report_of_a_past_shift_is_shown_and_printed_as_a_copy(qtbot, qapp, day):
    with LoopbackPrinter() as printer:
        till = open_window(qtbot, day, ("9", MANAGER_PIN), printer.setting)
        window = open_manager_screens(till)
        till.wait_until(lambda: window.shifts.loaded)
        till.press(window, Qt.Key.Key_Down)
        till.press(window, Qt.Key.Key_Return)
        till.wait_until(lambda: isinstance(window.findChild(ReportDialog), ReportDialog))
        report = window.findChild(ReportDialog)
        assert report.windowTitle() == "Z report 1"
        assert ("Variance", "", "−20.00") in report.model.items
        assert ("Discounts", "", f"{day.yesterday_discounts.amount:,}") in report.model.items  # the promotions'
        assert day.yesterday_discounts.amount > 1000
        before = len(printer.received())
        till.press(report, Qt.Key.Key_P)
        till.wait_until(lambda: "Printing a copy" in report.message.text())
        till.wait_until(lambda: len(printer.received()) > before + 500)  # the report's ESC/POS bytes

        till.press(report, Qt.Key.Key_Escape)
        till.wait_until(lambda: window.findChild(ReportDialog) is None)
        till.press(window, Qt.Key.Key_Up)  # today's shift, still open: an X report, nothing closed
        till.press(window, Qt.Key.Key_Return)
        till.wait_until(lambda: isinstance(window.findChild(ReportDialog), ReportDialog))
        x_report = window.findChild(ReportDialog)
        assert x_report.windowTitle() == "X report (not a close)"  # the same words as F10, 4
        assert ("Sales", f"{len(day.sales)}", f"{x_report.report.sales_total.amount:,}") in x_report.model.items
        assert rows(day, "SELECT count(*) FROM z_reports") == [(1,)]


def test_without_the_chart_module_the_day_view_says_so_and_still_writes_the_totals(qtbot, qapp, day, monkeypatch):
    def missing() -> None:
        raise ImportError("No module named 'PySide6.QtCharts'")

    monkeypatch.setattr("ui.manager.day_view.qt_charts", missing)  # a till installed without the Qt add-ons
    till = open_window(qtbot, day, ("9", MANAGER_PIN))
    window = open_manager_screens(till)
    till.press(window, Qt.Key.Key_F4)
    till.wait_until(lambda: window.day.loaded)

    assert "Charts are not available on this till" in window.day.message.text()
    assert window.day.totals["hours"].text().startswith(f"{len(day.sales)} sales")
