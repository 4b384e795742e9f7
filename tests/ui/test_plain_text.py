"""Text that comes from a person or the hub is shown as typed, never read as Qt markup."""

from __future__ import annotations

from ui.message_area import MessageArea
from ui.qt import QLabel, Qt, QWidget


def test_a_message_quoting_markup_shows_the_markup_as_typed(qtbot):  # noqa: ANN001
    area = MessageArea()
    qtbot.addWidget(area)
    area.show_error("No product has barcode <img src='/etc/passwd'><b>1</b>.")
    assert area.textFormat() == Qt.TextFormat.PlainText
    assert area.text() == "No product has barcode <img src='/etc/passwd'><b>1</b>."


def test_the_status_bar_and_the_sign_in_screen_show_store_names_as_plain_text(till):  # noqa: ANN001
    names = ("printerState", "cashierName", "storeTill")
    labels = [label for label in till.window.statusBar().findChildren(QLabel) if label.objectName() in names]
    labels += till.window.findChild(QWidget, "signInScreen").findChildren(QLabel, "subtleText")
    assert sorted(label.objectName() for label in labels) == sorted((*names, "subtleText"))
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)
