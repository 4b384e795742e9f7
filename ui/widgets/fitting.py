"""Fitting a text into a width: a smaller font first (down to a floor), then eliding.

Used by the widgets of this package when they paint; the text they hold is never changed,
so ``text()`` is always the whole text and a cut one is whole in the tooltip."""

from __future__ import annotations

from dataclasses import dataclass

from ui.qt import QFont, QFontMetrics, Qt

SMALLEST_POINTS = 9.0  # never below this, however narrow the screen


@dataclass(frozen=True)
class Fitted:
    font: QFont
    lines: tuple[str, ...]
    cut: bool  # some line was elided: the whole text belongs in a tooltip


def fit_text(
    text: str, font: QFont, width: int, smallest_ratio: float = 1.0, elide: Qt.TextElideMode = Qt.TextElideMode.ElideRight
) -> Fitted:
    """The largest font from ``font`` down to ``smallest_ratio`` of its size at which every
    line of ``text`` fits ``width``; at the smallest, the lines that still do not fit elided
    (``ElideMiddle`` keeps a label's figure at its end: "Waiting to…send: 3")."""
    lines = tuple(text.split("\n"))
    size = font.pointSizeF() if font.pointSizeF() > 0 else 12.0
    smallest = max(min(size, SMALLEST_POINTS), size * smallest_ratio)
    candidate = QFont(font)
    while True:
        metrics = QFontMetrics(candidate)
        if all(metrics.horizontalAdvance(line) <= width for line in lines):
            return Fitted(candidate, lines, False)
        if size <= smallest:
            break
        size = max(smallest, size - 1.0)
        candidate = QFont(font)
        candidate.setPointSizeF(size)
    elided = tuple(metrics.elidedText(line, elide, max(0, width)) for line in lines)
    return Fitted(candidate, elided, elided != lines)


def fitted_tooltip(whole_text: str, cut: bool, own_tooltip: str) -> str:
    """The tooltip of a widget that fits its text: the whole text while it is cut, then the
    widget's own tooltip (a printer's address...), one per line."""
    parts = [whole_text] if cut else []
    if own_tooltip:
        parts.append(own_tooltip)
    return "\n".join(parts)
