"""What a person sees fits the screen: the checks of tests/ui/test_screen_fit.py.

``python -m tests.ui.screen_fit WIDTHxHEIGHT wm|kiosk`` runs under Qt's offscreen platform with
one screen of that size (``QT_QPA_PLATFORM=offscreen:configfile=...``, set by the test), opens
the real till window in each language (en, uk, az, ka), walks through the sign-in screen, a
long basket of long names, the after-sale state and every dialog, and prints, as JSON, the
problems found per language: a widget outside the screen or outside its parent, a label or
button whose text is wider than its room without eliding or wrapping, a cut table cell or
placeholder with no tooltip holding the whole text.  ``wm`` shows the window maximised, as a
window manager would (the offscreen screen adds window frames); ``kiosk`` shows it as it is,
as with no window manager, where only the geometry the till sets itself counts."""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtTest import QTest  # noqa: E402

from local_db.outbox import DocumentMessage, DocumentRow, QuarantinedDocument, QuarantinedSale  # noqa: E402
from pos.demo_catalog import generate_catalog  # noqa: E402
from pos.i18n import LANGUAGES, active_locale, set_language  # noqa: E402
from pos.ports import OutboxMessage  # noqa: E402
from pos.printing import ReceiptSpooler  # noqa: E402
from tests.fakes import STORE, MemoryCatalog, MemoryJournal, RecordingPrinter, make_till  # noqa: E402
from ui.app import make_application, show_on_screen  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.printing import PrinterHealth, PrinterState  # noqa: E402
from ui.qt import (  # noqa: E402
    QAbstractScrollArea, QApplication, QDialog, QLabel, QLineEdit, QPoint, QPushButton, QRect, QStyle,
    QStyleOptionButton, Qt, QTableView, QWidget,
)
from ui.quarantine_dialog import QuarantineDialog  # noqa: E402
from ui.services import TillServices  # noqa: E402
from ui.widgets import adapts_its_text  # noqa: E402

WAIT_STEPS = int(os.environ.get("KASSA_FIT_WAIT_MS", "60000")) // 10  # a safety net only: every wait is on a condition
LONG_NAME_PRODUCTS = 14
TOOLTIP = Qt.ItemDataRole.ToolTipRole
ALWAYS_WHOLE = frozenset({"totalAmount", "dueAmount", "changeAmount"})  # what the customer pays and gets back
SHOTS = os.environ.get("KASSA_FIT_SHOTS")  # a folder: save what was looked at, to look at it too


# -- the checks ------------------------------------------------------------------------
def problems_of(top: QWidget, screen: QRect) -> list[str]:
    """Everything wrong with what ``top`` (a window or dialog) shows on ``screen``."""
    name = top.objectName() or type(top).__name__
    found: list[str] = []
    frame = top.frameGeometry()
    if not screen.contains(frame):
        found.append(f"{name}: the window {_rect(frame)} is not inside the screen {_rect(screen)}")
    hint = top.minimumSizeHint()
    if hint.width() > screen.width() or hint.height() > screen.height():
        found.append(f"{name}: needs at least {hint.width()}x{hint.height()}, more than the screen")
    for widget in top.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not top or _inside_a_scroll_area(widget, top):
            continue
        what = f"{name}/{widget.objectName() or type(widget).__name__}"
        where = QRect(widget.mapTo(top, QPoint(0, 0)), widget.size())
        if not top.rect().contains(where):
            found.append(f"{what}: {_rect(where)} lies outside its window {_rect(top.rect())}")
        parent = widget.parentWidget()
        if parent is not None and parent is not top and not parent.rect().contains(widget.geometry()):
            found.append(f"{what}: {_rect(widget.geometry())} sticks out of {parent.objectName() or type(parent).__name__}")
        found.extend(f"{what}: {p}" for p in _text_problems(widget))
    return found


def _text_problems(widget: QWidget) -> list[str]:
    if adapts_its_text(widget):  # it shrinks its font, then elides with the whole text in its tooltip
        if not widget.is_cut():  # type: ignore[attr-defined]
            return []
        if widget.objectName() in ALWAYS_WHOLE:
            return [f"{widget.text()!r} is cut, and it must always be seen whole"]  # type: ignore[attr-defined]
        if widget.text() not in widget.toolTip():  # type: ignore[attr-defined]
            return [f"{widget.text()!r} is cut and its tooltip does not have it"]  # type: ignore[attr-defined]
        return []
    if isinstance(widget, QLabel):
        return _label_problems(widget)
    if isinstance(widget, QPushButton):
        option = QStyleOptionButton()
        widget.initStyleOption(option)
        room = widget.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, widget).width()
        return _lines_wider_than(widget.text(), widget, room)
    if isinstance(widget, QLineEdit) and not widget.text() and widget.placeholderText():
        room = widget.contentsRect().width() - widget.textMargins().left() - widget.textMargins().right() - 4
        if widget.fontMetrics().horizontalAdvance(widget.placeholderText()) > room and widget.toolTip() != widget.placeholderText():
            return [f"placeholder {widget.placeholderText()!r} is cut and no tooltip has it"]
    if isinstance(widget, QTableView):
        return _cell_problems(widget)
    return []


def _label_problems(label: QLabel) -> list[str]:
    text, room = label.text(), label.contentsRect().width() - 2 * label.margin() - max(0, label.indent())
    if not text:
        return []
    if not label.wordWrap():
        return _lines_wider_than(text, label, room)
    metrics = label.fontMetrics()
    words = [w for w in text.split() if metrics.horizontalAdvance(w) > room]
    if words:
        return [f"the word {words[0][:40]!r} is wider than its {room} px"]
    needed = label.heightForWidth(label.width())
    if needed > label.height():
        return [f"{text[:40]!r} needs {needed} px of height, has {label.height()}"]
    return []


def _lines_wider_than(text: str, widget: QWidget, room: int) -> list[str]:
    metrics = widget.fontMetrics()
    return [
        f"{line!r} is {metrics.horizontalAdvance(line)} px wide in {room} px"
        for line in text.replace("&&", "&").split("\n")
        if metrics.horizontalAdvance(line) > room
    ]


def _cell_problems(table: QTableView) -> list[str]:
    model, found = table.model(), []
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            text = str(model.data(index) or "")
            cut = table.sizeHintForIndex(index).width() > table.columnWidth(column)  # the delegate's own measure
            if cut and text not in str(model.data(index, TOOLTIP) or ""):
                found.append(f"cell {text[:30]!r} is cut and has no tooltip with it")
    return found[:3]


def _inside_a_scroll_area(widget: QWidget, top: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractScrollArea) and widget is not parent.viewport():
            return widget.parentWidget() is parent.viewport() or _inside_a_scroll_area(parent, top)
        parent = parent.parentWidget()
    return False


def _rect(r: QRect) -> str:
    return f"{r.width()}x{r.height()}+{r.x()}+{r.y()}"


# -- walking through the till ------------------------------------------------------------
def wait(condition) -> None:  # noqa: ANN001
    for _ in range(WAIT_STEPS):
        if condition():
            return
        QTest.qWait(10)
    raise TimeoutError("the till did not get there")


def enter(widget: QWidget, text: str = "") -> None:
    if text:
        QTest.keyClicks(widget, text)
    QTest.keyClick(widget, Qt.Key.Key_Return)


def long_named_products() -> list:
    counted = [p for p in generate_catalog(400) if not p.sold_by_weight]
    return sorted(counted, key=lambda p: -len(p.name))[:LONG_NAME_PRODUCTS]


def open_window(language: str, wm: bool) -> MainWindow:
    set_language(language)
    journal = MemoryJournal()
    products = long_named_products()
    services = TillServices(
        till=make_till(journal, catalog=MemoryCatalog(tuple(products) + tuple(generate_catalog(400)))),
        journal=journal, spooler=ReceiptSpooler(journal, journal, RecordingPrinter(), STORE), store=STORE,
        ui_locale=language, printer_description="network 192.0.2.10:9100",
    )
    window = MainWindow(services)
    show_on_screen(window, maximised=True) if wm else _show_as_in_a_kiosk(window)
    wait(lambda: window.started and window.is_idle())
    return window


def _show_as_in_a_kiosk(window: MainWindow) -> None:
    """What ``show_on_screen`` does with no window manager: "maximised" means nothing, only
    the geometry the till set itself counts (the offscreen platform would honour it)."""
    show_on_screen(window, maximised=False)
    window.setGeometry(window.screen().availableGeometry())  # as the maximised call sets it first


def look(top: QWidget, what: str, screen: QRect, found: list[str]) -> None:
    QApplication.processEvents()
    picture = top.grab()  # painted now: the widgets that fit their text have decided how
    if SHOTS:
        picture.save(str(Path(SHOTS) / f"{screen.width()}x{screen.height()}-{active_locale()}-{what}.png"))
    found.extend(f"{what}: {p}" for p in problems_of(top, screen))


def walk(window: MainWindow, screen: QRect) -> list[str]:
    found: list[str] = []
    look(window, "sign-in", screen, found)
    sign_in = window.sign_in_screen
    enter(sign_in.cashier_field, "1")
    enter(sign_in.pin_field, "9999")  # refused: a message under the fields
    wait(window.is_idle)
    look(window, "sign-in refused", screen, found)
    enter(sign_in.pin_field, "1234")
    wait(lambda: window.on_sale_screen() and window.is_idle())
    scan = window.sale_screen.scan_field
    look(window, "empty sale", screen, found)
    for product in long_named_products():
        enter(scan, product.barcode)
        wait(window.is_idle)
    enter(scan, "77" * 10)  # an unknown code: an error message
    wait(window.is_idle)
    look(window, "long basket", screen, found)
    window.status.show_printer(PrinterState(PrinterHealth.PROBLEM, "paper out: the cover of printer 192.0.2.10 is open"))
    look(window, "printer problem", screen, found)
    window.status.show_printer(PrinterState(PrinterHealth.READY))
    for key, what in ((Qt.Key.Key_F4, "quantity"), (Qt.Key.Key_F8, "void"), (Qt.Key.Key_F12, "payment")):
        QTest.keyClick(scan, key)
        wait(lambda: window.sale_actions.dialog is not None and window.is_idle())
        dialog = window.sale_actions.dialog
        look(dialog, what, screen, found)
        if what == "payment":
            enter(dialog.tendered_field, "1")  # too little: the refusal is shown
            wait(window.is_idle)
            look(dialog, "payment refused", screen, found)
        dialog.reject()
        wait(lambda: window.sale_actions.dialog is None and window.is_idle())
    QTest.keyClick(scan, Qt.Key.Key_F12)
    wait(lambda: window.sale_actions.dialog is not None and window.is_idle())
    enter(window.sale_actions.dialog.tendered_field, "")  # the exact amount
    wait(lambda: window.sale_actions.dialog is None and window.is_idle())
    look(window, "after sale", screen, found)
    QTest.keyClick(scan, Qt.Key.Key_F9)
    wait(lambda: window.sale_actions.dialog is not None and window.is_idle())
    look(window.sale_actions.dialog, "reprint", screen, found)
    window.sale_actions.dialog.reject()
    wait(lambda: window.sale_actions.dialog is None)
    QTest.keyClick(scan, Qt.Key.Key_F2)
    wait(lambda: window.sale_actions.dialog is not None)
    search = window.sale_actions.dialog
    QTest.keyClicks(search.field, "5" * 300)  # nothing found, quoting all 300 digits
    wait(lambda: not search.is_searching() and window.is_idle())
    look(search, "search for 300 digits", screen, found)
    search.field.clear()
    search.field.setText(long_named_products()[0].name.split()[0])  # as typed (keyClicks is ASCII only)
    search.search_now()
    wait(lambda: not search.is_searching() and window.is_idle())
    look(search, "search", screen, found)
    weighed = max((p for p in generate_catalog(400) if p.sold_by_weight), key=lambda p: len(p.name))
    search.ask_weight(weighed)  # the weight prompt, over the search
    wait(lambda: search.weight_dialog is not None and search.weight_dialog.isVisible())
    look(search.weight_dialog, "weight", screen, found)
    search.weight_dialog.reject()
    search.reject()
    wait(lambda: window.sale_actions.dialog is None)
    for dialog, what in quarantine_dialogs(window):
        dialog.open()
        wait(lambda: dialog.isVisible() and window.is_idle())
        look(dialog, what, screen, found)
        dialog.reject()
    return found


class _Outbox:
    def quarantined(self) -> list[QuarantinedSale]:
        now = datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc)
        reason = "unknown_product: product 1009 is not in the catalog of store S001; " * 3
        return [QuarantinedSale(OutboxMessage(seq, __import__("uuid").uuid4(), "kassa.sale.v1", "{}", now), now, reason, 3)
                for seq in range(1, 6)]

    def quarantined_documents(self) -> list[QuarantinedDocument]:
        now = datetime(2026, 12, 1, 9, 45, tzinfo=timezone.utc)
        row = DocumentRow(__import__("uuid").uuid4(), "kassa.cash_movement.v1", "cash_movement", 12, "{}")
        return [QuarantinedDocument(DocumentMessage(7, row, now), now, "schema: amount: must be above 0", 3)]


class _Sync:
    outbox = _Outbox()


def quarantine_dialogs(window: MainWindow) -> list[tuple[QDialog, str]]:
    quarantine = QuarantineDialog(window.session, _Sync(), Path("/nonexistent"), window)  # type: ignore[arg-type]
    return [(quarantine, "quarantine")]


def main(argv: list[str]) -> int:
    size, mode = argv[0], argv[1]
    app = make_application(["screen-fit"])
    screen = app.primaryScreen().availableGeometry()
    assert f"{screen.width()}x{screen.height()}" == size, f"the screen is {_rect(screen)}, not {size}"
    results: dict[str, list[str]] = {}
    for language in LANGUAGES:
        window = open_window(language, wm=mode == "wm")
        try:
            results[language] = walk(window, screen)
        except Exception as error:  # noqa: BLE001 - reported to the test as a problem
            import traceback
            results[language] = [f"the walk stopped: {error!r} " + traceback.format_exc()[-600:]]
        window.close()
        window.deleteLater()
        QApplication.processEvents()
    print(json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
