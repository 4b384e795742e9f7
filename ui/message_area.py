"""One line (or two) of feedback under the basket: errors in red, notices in green."""

from __future__ import annotations

from ui.qt import QLabel, QSizePolicy, Qt, QWidget


class MessageArea(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageArea")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)  # messages quote what was typed or sent: never markup
        self.setMinimumHeight(48)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._kind = ""
        self.clear_message()

    @property
    def kind(self) -> str:
        """``"error"``, ``"notice"`` or ``""`` when empty."""
        return self._kind

    def show_error(self, text: str) -> None:
        self._show(text, "error")

    def show_notice(self, text: str) -> None:
        self._show(text, "notice")

    def clear_error(self) -> None:
        """What a success does: an error disappears, a notice stays."""
        if self._kind == "error":
            self.clear_message()

    def clear_message(self) -> None:
        self._show("", "")

    def _show(self, text: str, kind: str) -> None:
        self._kind = kind
        self.setText(text)
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)
