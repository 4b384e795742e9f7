"""The one place that turns an exception into what the cashier sees (after Anki's
``aqt/errors.py``).  A ``PosError`` explains itself in the cashier's language and is logged
with its fields; anything else is a bug: the cashier gets a short translated notice and the
log gets the traceback.
"""

from __future__ import annotations

import logging
from typing import Protocol, runtime_checkable

from pos.errors import DeviceProblem, PosError
from pos.i18n import _, active_locale
from ui.formatting import message_field
from ui.qt import QMessageBox, QWidget

log = logging.getLogger("kassa.ui.problems")


@runtime_checkable
class ProblemArea(Protocol):
    """Anything that can show one line of error text (a message area, a dialog's label)."""

    def show_error(self, text: str) -> None: ...


def log_problem(error: BaseException) -> None:
    if isinstance(error, PosError):
        level = logging.WARNING if isinstance(error, DeviceProblem) else logging.INFO
        log.log(level, "%s: %s fields=%r", type(error).__name__, error.message, error.fields)
    else:
        log.error("unexpected error", exc_info=(type(error), error, error.__traceback__))


def describe_problem(error: BaseException) -> str:
    """Log ``error`` and return the sentence to show for it, in the UI's language, its amounts,
    quantities and dates written as the UI's locale writes them (``22 041,20 UAH`` in uk)."""
    log_problem(error)
    if isinstance(error, PosError):
        ui_locale = active_locale()
        return error.user_message(show=lambda value: message_field(value, ui_locale))
    return _("Unexpected error: see the log.")


def show_problem(target: ProblemArea | QWidget | None, error: BaseException) -> str:
    """Show ``error`` in ``target`` (a message area, or a box over a widget); returns the text."""
    text = describe_problem(error)
    if isinstance(target, ProblemArea):
        target.show_error(text)
    elif isinstance(target, QWidget):
        QMessageBox.warning(target, _("Problem"), text)
    return text
