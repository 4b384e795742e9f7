"""The domain's one error root.  Each error carries an untranslated message (a msgid with
``{placeholders}``) and its fields, so the UI shows it translated and the log keeps the facts."""

from __future__ import annotations

from typing import Any

from pos.i18n import N_, Translator


class PosError(Exception):
    """Root of every error the till explains to a person."""

    message: str = N_("Something went wrong.")

    def __init__(self, message: str | None = None, /, **fields: Any) -> None:
        if message is not None:
            self.message = message
        self.fields = fields
        super().__init__(self.message.format(**fields) if fields else self.message)

    def user_message(self, translate: Translator | None = None) -> str:
        from pos.i18n import _

        text = translate.gettext(self.message) if translate else _(self.message)
        try:
            return text.format(**self.fields)
        except (KeyError, IndexError):  # a translation with a broken placeholder
            return self.message.format(**self.fields)


class DeviceProblem(PosError):
    """A device (printer, scanner, drawer) did not do what was asked; adapters subclass it."""

    message = N_("The device is not available: {reason}")


class StorageProblem(PosError):
    """The local journal could not be read or written; nothing was recorded by the failed call."""

    message = N_("The till's database could not be used: {reason}")
