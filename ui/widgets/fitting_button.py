"""A touch button whose words always fit: a smaller font first, then eliding with the whole
text in its tooltip.  Its width follows the layout, never its words (``text()`` stays whole)."""

from __future__ import annotations

from ui.qt import QPainter, QPaintEvent, QPalette, QPushButton, QSize, QStyle, QStyleOptionButton, Qt, QWidget
from ui.widgets.fitting import fit_text, fitted_tooltip


class FittingButton(QPushButton):
    def __init__(self, text: str = "", parent: QWidget | None = None, *, shrink: float = 0.65, min_width: int = 72) -> None:
        super().__init__(text, parent)
        self.setProperty("adaptsText", True)
        self._shrink = shrink
        self._min_width = min_width
        self._own_tooltip = ""
        self._cut = False

    def setToolTip(self, text: str) -> None:  # noqa: N802
        self._own_tooltip = text
        self._show_tooltip()

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), max(self._min_width, self.minimumWidth())), hint.height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        option = QStyleOptionButton()
        self.initStyleOption(option)
        room = self.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, self)
        fitted = fit_text(self.text(), self.font(), room.width(), self._shrink)
        if fitted.cut != self._cut:
            self._cut = fitted.cut
            self._show_tooltip()
        option.text = ""
        painter = QPainter(self)
        self.style().drawControl(QStyle.ControlElement.CE_PushButton, option, painter, self)
        painter.setFont(fitted.font)
        group = QPalette.ColorGroup.Active if self.isEnabled() else QPalette.ColorGroup.Disabled
        painter.setPen(self.palette().color(group, QPalette.ColorRole.ButtonText))
        painter.drawText(room, int(Qt.AlignmentFlag.AlignCenter), "\n".join(fitted.lines))
        painter.end()

    def is_cut(self) -> bool:
        return self._cut

    def _show_tooltip(self) -> None:
        super().setToolTip(fitted_tooltip(self.text(), self._cut, self._own_tooltip))
