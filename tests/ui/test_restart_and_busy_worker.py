"""The basket survives a restart; scans typed while the till worker is busy all land, in order."""

from __future__ import annotations

import threading

from tests.fakes import CREAM, SHAMPOO, VITAMINS, make_till
from ui.qt import Qt


def test_the_basket_reopens_after_a_restart(open_till, services, journal):
    before = make_till(journal)  # the till that was running when the power went
    before.sign_in("1", "1234")
    before.scan(SHAMPOO.barcode)
    before.scan("2*1002")
    till = open_till(services)  # a new till process over the same journal
    assert till.window.sign_in_screen.message.text() == "Sale reopened with 3 items after restart"
    till.sign_in("1", "1234")
    assert [line.product for line in till.lines] == [SHAMPOO, CREAM]
    assert till.total_text == "198.90"
    assert till.message == "Sale reopened with 3 items after restart"


def test_scans_typed_while_the_worker_is_busy_are_all_applied_in_order(till):
    gate = threading.Event()
    till.window.session.query(lambda _till, _journal: gate.wait(120)).run()  # the worker is stuck
    for code in ("1001", "1002", "1003", "1001"):
        till.enter(till.scan_field, code)
        assert till.scan_field.text() == ""  # the field is free for the next scan at once
    assert till.lines == ()  # nothing applied yet
    gate.set()
    till.wait_idle()
    assert [line.product for line in till.lines] == [SHAMPOO, CREAM, VITAMINS, SHAMPOO]
    assert till.selected_row() == 3


def test_closing_the_window_finishes_queued_work_first(open_till, services, journal, monkeypatch):
    till = open_till(services)
    till.sign_in("1", "1234")
    gate = threading.Event()
    till.window.session.query(lambda _till, _journal: gate.wait(120)).run()  # the worker is stuck
    till.enter(till.scan_field, "1001")
    worker = till.window.session.till_worker
    shutdown, basket_at_close = worker.shutdown, []

    def unstick_then_shut_down() -> None:  # the worker is freed only once the window is closing
        basket_at_close.append(journal.basket)
        gate.set()
        shutdown()

    monkeypatch.setattr(worker, "shutdown", unstick_then_shut_down)
    till.window.close()  # waits for the queued scan: the basket is saved
    assert basket_at_close == [None]  # the scan was still queued when the window began closing
    assert journal.basket is not None and len(journal.basket["lines"]) == 1
    assert not till.window.session.till_worker.submit(lambda: None, print, print)


def test_keys_go_to_the_scan_field_after_a_dialog_closes(till):
    dialog = till.open_dialog(Qt.Key.Key_F2)
    till.press(dialog.field, Qt.Key.Key_Escape)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    assert till.window.focusWidget() is till.scan_field


def test_run_till_window_runs_the_event_loop_and_stops_the_workers_on_close(services, qapp):
    from ui.app import run_till_window

    assert run_till_window(services, maximised=False, quit_after=0.2) == 0
