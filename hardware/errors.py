"""The hardware package's one error root.  Every device failure is a ``DeviceError``: a
``pos.errors.DeviceProblem``, so the print spooler keeps the job queued and the UI explains
it.  Messages name the device's address (``network:192.168.1.50:9100``) and say what to do."""

from __future__ import annotations

from typing import Any

from pos.errors import DeviceProblem
from pos.i18n import N_


class DeviceError(DeviceProblem):
    """A device did not do what was asked; ``address`` says which one."""

    message = N_("The device at {address} is not available: {reason}")

    def __init__(self, message: str | None = None, /, **fields: Any) -> None:
        fields.setdefault("address", "?")
        fields.setdefault("reason", "")
        super().__init__(message, **fields)

    @property
    def address(self) -> str:
        return str(self.fields["address"])


class PrinterNotConfigured(DeviceError, ValueError):
    """A wrong printer setting; also a ValueError, as settings parsing expects."""

    message = N_("The receipt printer setting “{address}” is not valid: {reason}")


class PrinterOffline(DeviceError):
    message = N_(
        "The receipt printer at {address} does not answer ({reason}). "
        "Check that it is switched on and connected; the receipt stays queued."
    )


class PrinterOutOfPaper(DeviceError):
    message = N_("The receipt printer at {address} is out of paper. Load a new roll; the receipt stays queued.")


class PrinterFailed(DeviceError):
    message = N_("The receipt printer at {address} failed while printing ({reason}); the receipt stays queued.")
