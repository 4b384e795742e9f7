"""Small reusable widgets that fit their text to the room they are given: a label that elides
(the whole text in its tooltip), a label and a button that shrink their font before cutting."""

from __future__ import annotations

from ui.qt import QWidget


def adapts_its_text(widget: QWidget) -> bool:
    """Whether ``widget`` fits its own text to its size (so a long text is never cut unseen)."""
    return bool(widget.property("adaptsText"))
