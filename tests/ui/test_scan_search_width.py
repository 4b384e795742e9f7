"""The found bug: 300 digits typed into the search (a scanner gone wild, a key held down) grew
the dialog to 5,332 px.  Now the dialog keeps its width, and the "nothing found" message quotes
the text shortened, the whole of it still in the field."""

from __future__ import annotations

from ui.qt import QApplication, QLineEdit, Qt


def test_three_hundred_typed_digits_do_not_widen_the_search_dialog(till):
    dialog = till.open_dialog(Qt.Key.Key_F2)
    field = dialog.findChild(QLineEdit, "searchField")
    width_before = dialog.width()
    field.setText("4" * 300)
    dialog.search_now()
    till.wait_idle()
    till.wait_until(lambda: not dialog.is_searching())
    QApplication.processEvents()
    screen = dialog.screen().availableGeometry()
    assert dialog.width() <= max(width_before, screen.width())
    assert dialog.minimumSizeHint().width() <= screen.width()
    assert field.text() == "4" * 300
    shown = dialog.message.text()
    assert "4" * 39 + "…" in shown and "4" * 41 not in shown
