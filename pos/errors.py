"""The domain's one error root.  Each error carries an untranslated message (a msgid with
``{placeholders}``) and its fields, so the UI shows it translated and the log keeps the facts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pos.i18n import N_, Translator

FieldFormatter = Callable[[Any], str]


class PosError(Exception):
    """Root of every error the till explains to a person."""

    message: str = N_("Something went wrong.")

    def __init__(self, message: str | None = None, /, **fields: Any) -> None:
        if message is not None:
            self.message = message
        self.fields = fields
        super().__init__(self.message.format(**fields) if fields else self.message)

    def user_message(self, translate: Translator | None = None, show: FieldFormatter | None = None) -> str:
        """The message translated, its fields written by ``show`` (the UI passes its locale's
        formatter: amounts, quantities and dates stay values until a person reads them)."""
        from pos.i18n import _

        text = translate.gettext(self.message) if translate else _(self.message)
        fields = {name: show(value) for name, value in self.fields.items()} if show else self.fields
        try:
            return text.format(**fields)
        except (KeyError, IndexError):  # a translation with a broken placeholder
            return self.message.format(**fields)


class DeviceProblem(PosError):
    """A device (printer, scanner, drawer) did not do what was asked; adapters subclass it."""

    message = N_("The device is not available: {reason}")


class StorageProblem(PosError):
    """The local journal could not be read or written; nothing was recorded by the failed call."""

    message = N_("The till's database could not be used: {reason}")
