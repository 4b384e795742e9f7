"""A label that never makes its window wider: it shrinks its font (if asked) and then elides
to its width, with the whole text in its tooltip while it is cut.  ``text()`` stays whole."""

from __future__ import annotations

from ui.qt import QFrame, QLabel, QPainter, QPaintEvent, QPalette, QSize, QSizePolicy, Qt, QWidget
from ui.widgets.fitting import fit_text, fitted_tooltip


class ElidedLabel(QLabel):
    """``shrink``: how small the font may get before eliding (1.0: never smaller; 0.6: to 60 %).
    ``min_chars``: roughly how many characters of room it asks for at least.  ``elide``: where
    the "…" goes (in the middle for a label that ends in a figure)."""

    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        *,
        shrink: float = 1.0,
        min_chars: int = 4,
        elide: Qt.TextElideMode = Qt.TextElideMode.ElideRight,
    ) -> None:
        super().__init__(text, parent)
        self.setProperty("adaptsText", True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self._shrink = shrink
        self._min_chars = min_chars
        self._elide = elide
        self._own_tooltip = ""
        self._cut = False

    def setToolTip(self, text: str) -> None:  # noqa: N802 - a tooltip of its own (a printer's address...)
        self._own_tooltip = text
        self._show_tooltip()

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        margins = self.contentsMargins()
        room = self.fontMetrics().averageCharWidth() * self._min_chars + margins.left() + margins.right()
        return QSize(min(hint.width(), room), hint.height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        QFrame.paintEvent(self, event)  # the style sheet's background and frame
        room = self.contentsRect().adjusted(self.margin(), self.margin(), -self.margin(), -self.margin())
        fitted = fit_text(self.text(), self.font(), room.width(), self._shrink, self._elide)
        if fitted.cut != self._cut:
            self._cut = fitted.cut
            self._show_tooltip()
        painter = QPainter(self)
        painter.setFont(fitted.font)
        role = QPalette.ColorRole.WindowText
        painter.setPen(self.palette().color(QPalette.ColorGroup.Active if self.isEnabled() else QPalette.ColorGroup.Disabled, role))
        painter.drawText(room, int(self.alignment()), "\n".join(fitted.lines))
        painter.end()

    def is_cut(self) -> bool:
        """Whether the last painting elided the text (the tooltip then holds all of it)."""
        return self._cut

    def _show_tooltip(self) -> None:
        super().setToolTip(fitted_tooltip(self.text(), self._cut, self._own_tooltip))
