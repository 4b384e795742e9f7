"""The real till window, offscreen, over the in-memory fakes of tests.fakes."""

from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from pos.printing import ReceiptSpooler  # noqa: E402
from tests.fakes import STORE, MemoryJournal, RecordingPrinter, make_till  # noqa: E402
from tests.ui.driver import TillDriver  # noqa: E402
from ui.app import make_application  # noqa: E402
from ui.services import TillServices  # noqa: E402


@pytest.fixture(autouse=True)
def _qt_garbage_freed_on_the_gui_thread():  # noqa: ANN202
    """A test's Qt objects are freed here, on the GUI thread, not by a collection that a
    worker thread of the next test happens to trigger (which can crash the process); the
    till itself does the same with a timer (ui/garbage.py)."""
    was_enabled = gc.isenabled()
    gc.disable()
    yield
    gc.collect()
    if was_enabled:
        gc.enable()


@pytest.fixture
def journal() -> MemoryJournal:
    return MemoryJournal()


@pytest.fixture
def printer() -> RecordingPrinter:
    return RecordingPrinter()


def build_services(journal: MemoryJournal, printer: RecordingPrinter, **kw: object) -> TillServices:
    return TillServices(
        till=make_till(journal, **kw),  # type: ignore[arg-type]
        journal=journal,
        spooler=ReceiptSpooler(journal, journal, printer, STORE),
        store=STORE,
        printer_description="test printer",
        print_retry_seconds=0.05,
    )


@pytest.fixture
def services(journal: MemoryJournal, printer: RecordingPrinter) -> TillServices:
    return build_services(journal, printer)


@pytest.fixture
def open_till(qtbot, qapp):  # noqa: ANN001, ANN201
    """Open a till window on some services; closed (workers stopped) after the test."""
    make_application()  # the till's stylesheet on the test QApplication

    def open_(services: TillServices) -> TillDriver:
        return TillDriver.open(qtbot, services)

    return open_


@pytest.fixture
def till(open_till, services) -> TillDriver:  # noqa: ANN001
    """A till window with cashier 1 (Olena) signed in."""
    driver = open_till(services)
    driver.sign_in("1", "1234")
    return driver
