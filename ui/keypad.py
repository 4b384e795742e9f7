"""A numeric keypad for touch screens: types into whichever field had the focus last."""

from __future__ import annotations

from pos.i18n import _
from ui.qt import QGridLayout, QLineEdit, QPushButton, QSizePolicy, Qt, QWidget, Signal, qconnect

KEYS = ("7", "8", "9", "4", "5", "6", "1", "2", "3")


class Keypad(QWidget):
    enter_pressed = Signal()

    def __init__(self, parent: QWidget | None = None, *, with_point: bool = False, point: str = ".",
                 with_enter: bool = True) -> None:
        """``point``: the decimal sign the point key shows and types (``,`` in uk, az and ka);
        ``with_enter=False`` leaves out the Enter key for a dialog whose own button submits."""
        super().__init__(parent)
        self.setObjectName("keypad")
        self.target: QLineEdit | None = None
        self._with_point = with_point
        self.point = point
        grid = QGridLayout(self)
        grid.setSpacing(8)
        for i, key in enumerate(KEYS):
            grid.addWidget(self._button(key, lambda _c=False, k=key: self._type(k)), i // 3, i % 3)
        bottom_left = point if with_point else "C"
        grid.addWidget(self._button(bottom_left, self._bottom_left), 3, 0)
        grid.addWidget(self._button("0", lambda: self._type("0")), 3, 1)
        grid.addWidget(self._button("⌫", self._backspace, _("Delete the last digit")), 3, 2)
        if with_enter:
            enter = self._button(_("Enter"), self.enter_pressed.emit)
            enter.setObjectName("primaryButton")
            grid.addWidget(enter, 4, 0, 1, 3)

    def _button(self, text: str, slot: object, tip: str = "") -> QPushButton:
        button = QPushButton(text, self)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setMinimumSize(72, 64)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        if tip:
            button.setToolTip(tip)
        qconnect(button.clicked, slot)  # type: ignore[arg-type]
        return button

    def _type(self, text: str) -> None:
        if self.target is not None:
            self.target.insert(text)

    def _bottom_left(self) -> None:
        if self.target is None:
            return
        if self._with_point:
            self.target.insert(self.point)
        else:
            self.target.clear()

    def _backspace(self) -> None:
        if self.target is not None:
            self.target.backspace()
