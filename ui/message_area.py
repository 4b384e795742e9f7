"""One line (or two) of feedback under the basket: errors in red, notices in green.

A message wraps at spaces; a run of characters too long to wrap (300 typed digits quoted
back) may also break anywhere, so it never widens its window.  ``text()`` is the message
as given.

A *standing* text (what the basket offers, such as a free gift to scan) shows whenever there
is no message, and comes back when a message is cleared: ``standing()`` is that text, and
``text()`` and ``kind`` stay those of the message."""

from __future__ import annotations

import re

from ui.qt import QLabel, QSizePolicy, Qt, QWidget

BREAK_EVERY = 16  # characters without a space after which a line may break
ZERO_WIDTH_SPACE = "\u200b"
_LONG_RUN = re.compile(r"\S{%d,}" % (BREAK_EVERY + 1))


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
        self._text = ""
        self._standing = ""
        self.setStyleSheet('QLabel#messageArea[kind="offer"] { color: #7a4b00; background: #fff4d6; }')
        self.clear_message()

    def text(self) -> str:  # the message as given, without the break opportunities added
        return self._text

    @property
    def kind(self) -> str:
        """``"error"``, ``"notice"`` or ``""`` when empty."""
        return self._kind

    def standing(self) -> str:
        return self._standing

    def set_standing(self, text: str) -> None:
        """What shows when there is no message ("" for nothing)."""
        if text == self._standing:
            return
        self._standing = text
        if not self._kind:
            self._show("", "")

    def shown_text(self) -> str:
        """What the area shows now: the message, else the standing text."""
        return self._text or self._standing

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
        self._text = text
        self.setText(breakable(self.shown_text()))
        self.setProperty("kind", kind or ("offer" if self._standing else ""))
        self.style().unpolish(self)
        self.style().polish(self)


def breakable(text: str) -> str:
    """``text`` with a zero-width space every few characters of a run too long to wrap."""
    return _LONG_RUN.sub(
        lambda run: ZERO_WIDTH_SPACE.join(run[0][i : i + BREAK_EVERY] for i in range(0, len(run[0]), BREAK_EVERY)), text
    )
