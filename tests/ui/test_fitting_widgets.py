"""The small widgets that keep a long text from widening the window: they shrink their font,
then elide, and a cut text is whole in the tooltip; ``text()`` is always what was set."""

from __future__ import annotations

from tests.fakes import SHAMPOO
from ui.app import make_application, show_on_screen
from ui.basket_model import NAME_COLUMN
from ui.message_area import MessageArea
from ui.qt import QApplication, Qt, QWidget
from ui.widgets.elided_label import ElidedLabel
from ui.widgets.fitting_button import FittingButton

LONG = "Магазин S001 / Каса T01 · Хрещатик 1, Київ"


def shown(widget: QWidget, width: int, qtbot) -> QWidget:  # noqa: ANN001
    make_application()
    qtbot.addWidget(widget)
    widget.resize(width, 60)
    widget.show()
    widget.grab()  # painted: the widget has fitted its text
    return widget


def test_a_label_too_narrow_for_its_text_elides_it_and_has_it_whole_in_its_tooltip(qtbot):
    label = shown(ElidedLabel(LONG), 80, qtbot)
    assert label.is_cut()
    assert label.text() == LONG
    assert LONG in label.toolTip()
    assert label.minimumSizeHint().width() < label.fontMetrics().horizontalAdvance(LONG)


def test_a_label_with_room_shows_only_its_own_tooltip(qtbot):
    label = ElidedLabel(LONG)
    label.setToolTip("network 192.0.2.10:9100")
    shown(label, 900, qtbot)
    assert not label.is_cut()
    assert label.toolTip() == "network 192.0.2.10:9100"


def test_a_button_takes_a_smaller_font_before_it_loses_letters(qtbot):
    button = FittingButton("Dəqiq məbləğ")
    make_application()
    qtbot.addWidget(button)
    button.show()
    needed = button.fontMetrics().horizontalAdvance(button.text())
    shown(button, needed, qtbot)  # a little less room than the words and the padding need
    assert not button.is_cut() and button.toolTip() == ""
    shown(button, 40, qtbot)  # no font is small enough: elided, whole in the tooltip
    assert button.is_cut() and button.toolTip() == "Dəqiq məbləğ"


def test_a_message_quoting_300_digits_wraps_and_reads_back_as_given(qtbot):
    area = MessageArea()
    text = "“" + "5" * 300 + "” is not a barcode."
    area.show_error(text)
    shown(area, 600, qtbot)
    assert area.text() == text
    assert area.minimumSizeHint().width() < 600


def test_a_long_name_in_the_basket_is_whole_in_its_tooltip(till):
    till.scan(SHAMPOO.barcode)
    model = till.window.sale_screen.model
    assert model.data(model.index(0, NAME_COLUMN), Qt.ItemDataRole.ToolTipRole) == SHAMPOO.name


def test_the_window_opens_no_larger_than_the_screen_it_is_on(qtbot):
    make_application()
    window = QWidget()
    qtbot.addWidget(window)
    show_on_screen(window, maximised=False)  # the default is 1280x800; the test screen is smaller
    area = QApplication.primaryScreen().availableGeometry()
    assert area.contains(window.frameGeometry()), (window.frameGeometry(), area)
