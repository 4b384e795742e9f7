"""The till window linked to a real hub: the status bar follows the link, a sale made in
the window reaches the hub, and Ctrl+Q shows the quarantine."""

from __future__ import annotations

import json
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from local_db.database import Database  # noqa: E402
from local_db.journal import SqlJournal  # noqa: E402
from pos.printing import ReceiptSpooler  # noqa: E402
from pos.tender import CashPolicy  # noqa: E402
from pos.till import Till, TillSettings  # noqa: E402
from sync.worker import SyncWorker  # noqa: E402
from tests.fakes import DEMO_PRODUCTS, STORE, MemoryCashiers, MemoryCatalog, RecordingPrinter, StepClock, product  # noqa: E402
from tests.sync.conftest import Hub, connect  # noqa: E402
from tests.sync.proxy import proxy_to  # noqa: E402
from tests.sync.test_pushing_sales import hub_holds_another_sale_as  # noqa: E402
from tests.ui.driver import TillDriver  # noqa: E402
from ui.app import make_application  # noqa: E402
from ui.qt import Qt  # noqa: E402
from ui.quarantine_dialog import QuarantineDialog, export_quarantine  # noqa: E402
from ui.services import TillServices  # noqa: E402
from shell.wiring import WakingJournal  # noqa: E402

NOT_AT_THE_HUB = product("1009", "Парфум, пробник", "10.00")
WAIT_MS = 15_000


def linked_services(till_db: Database, hub: Hub, hub_url: str, tmp_path: Path) -> TillServices:
    sync = connect(hub_url, till_db, hub, enrol_through=hub.url)
    worker = SyncWorker(sync)
    journal = SqlJournal(till_db, STORE.till_id)
    till = Till(TillSettings(STORE, CashPolicy()), catalog=MemoryCatalog((*DEMO_PRODUCTS, NOT_AT_THE_HUB)),
                journal=WakingJournal(journal, worker.wake), baskets=journal, cashiers=MemoryCashiers(), clock=StepClock())
    return TillServices(till=till, journal=journal, spooler=ReceiptSpooler(journal, journal, RecordingPrinter(), STORE),
                        store=STORE, printing_enabled=False, sync=sync, sync_worker=worker, export_folder=tmp_path)


def sell_in_window(till: TillDriver, code: str) -> None:
    till.scan(code)
    dialog = till.open_dialog(Qt.Key.Key_F12)
    till.press(dialog.tendered_field, Qt.Key.Key_Return)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()


def test_the_status_bar_follows_the_link_and_a_sale_made_offline_is_sent_when_it_returns(
        qtbot, qapp, hub: Hub, till_db: Database, tmp_path: Path) -> None:  # noqa: ANN001
    make_application()
    with proxy_to(hub.url) as link:
        till = TillDriver.open(qtbot, linked_services(till_db, hub, link.url, tmp_path))
        till.sign_in("1", "1234")
        status = till.window.status
        qtbot.waitUntil(lambda: status.link_label.text() == "Online", timeout=WAIT_MS)
        assert status.pull_label.text().startswith("Catalog updated: ")

        link.refuse()
        qtbot.waitUntil(lambda: status.link_label.text() == "Offline", timeout=WAIT_MS)
        sell_in_window(till, "1001")
        qtbot.waitUntil(lambda: status.waiting_label.text().startswith("Waiting to send: 1 (oldest "), timeout=WAIT_MS)

        link.refuse(False)
        qtbot.waitUntil(lambda: status.link_label.text() == "Online", timeout=WAIT_MS)
        qtbot.waitUntil(lambda: status.waiting_label.text() == "Waiting to send: 0", timeout=WAIT_MS)
        assert hub.sale_count() == 1
        till.window.shutdown()


def test_a_refused_sale_shows_in_the_quarantine_and_can_be_exported(qtbot, qapp, hub: Hub, till_db: Database,
                                                                     tmp_path: Path) -> None:  # noqa: ANN001
    make_application()
    services = linked_services(till_db, hub, hub.url, tmp_path)
    hub_holds_another_sale_as(hub, 1)  # the till's database was put back from an old backup
    till = TillDriver.open(qtbot, services)
    till.sign_in("1", "1234")
    status = till.window.status
    sell_in_window(till, "1001")
    qtbot.waitUntil(lambda: "Quarantined: 1" in status.waiting_label.text(), timeout=WAIT_MS)

    till.press(till.scan_field, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    till.wait_until(lambda: isinstance(till.window.sale_actions.dialog, QuarantineDialog))  # after the permission check
    dialog = till.window.sale_actions.dialog
    assert isinstance(dialog, QuarantineDialog)
    qtbot.waitUntil(lambda: dialog.loaded, timeout=WAIT_MS)
    assert dialog.model.cells[0][0] == "1" and dialog.model.cells[0][2].startswith("seq_conflict")

    till.press(dialog, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: any(tmp_path.glob("quarantine-*.json")), timeout=WAIT_MS)
    exported = json.loads(next(tmp_path.glob("quarantine-*.json")).read_text(encoding="utf-8"))
    assert exported[0]["seq"] == 1 and exported[0]["sale"]["lines"][0]["product_code"] == "1001"
    assert export_quarantine([], tmp_path / "empty").exists()
    till.window.shutdown()


def test_a_store_day_document_the_hub_refused_shows_in_the_quarantine_and_goes_back_in_the_queue(
        qtbot, qapp, hub: Hub, till_db: Database, tmp_path: Path) -> None:  # noqa: ANN001
    """The status bar counts every quarantined document: Ctrl+Q lists each one too, by what it is."""
    from local_db.outbox import DocumentRow, add_document
    from local_db.store_day_journal import SqlStoreDay
    from pos.store_day import forms
    from pos.store_day.roles import DEFAULT_TABLE
    from pos.store_day.shift import CASH_OUT
    from tests.local_db.store_day_builders import open_shift
    from tests.pos.store_day.day import MANAGER, at, money

    make_application()
    store = SqlStoreDay(till_db, STORE.till_id)
    shift = open_shift(store, store_id=STORE.store_id)
    movement = shift.move_cash(CASH_OUT, money("100"), "bank", MANAGER, at(40), DEFAULT_TABLE)
    form = forms.cash_movement_to_dict(movement) | {"amount": "-5", "number": 7}
    with till_db.writing() as conn:  # a document this till's code would never write: the hub refuses it
        add_document(conn, DocumentRow(movement.movement_id, forms.CASH_MOVEMENT_SCHEMA, "cash_movement", 7,
                                       json.dumps(form)), "2026-12-02T10:00:00+00:00")
    till = TillDriver.open(qtbot, linked_services(till_db, hub, hub.url, tmp_path))
    till.sign_in("1", "1234")
    status = till.window.status
    qtbot.waitUntil(lambda: "Quarantined: 1" in status.waiting_label.text(), timeout=WAIT_MS)

    till.press(till.scan_field, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    till.wait_until(lambda: isinstance(till.window.sale_actions.dialog, QuarantineDialog))  # after the permission check
    dialog = till.window.sale_actions.dialog
    assert isinstance(dialog, QuarantineDialog)
    qtbot.waitUntil(lambda: dialog.loaded, timeout=WAIT_MS)
    assert [row[0] for row in dialog.model.cells] == ["Cash movement 7"]
    assert dialog.model.cells[0][2].startswith("schema")

    till.press(dialog, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: any(tmp_path.glob("quarantine-*.json")), timeout=WAIT_MS)
    [exported] = json.loads(next(tmp_path.glob("quarantine-*.json")).read_text(encoding="utf-8"))
    assert (exported["series"], exported["number"], exported["document"]["amount"]) == ("cash_movement", 7, "-5")

    till.press(dialog, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: dialog.message.text() == "Cash movement 7 goes back in the queue.", timeout=WAIT_MS)
    till.window.shutdown()
