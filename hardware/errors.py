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
    interrupted = False  # a receipt printer: part of a receipt may already be on paper

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


class PrinterCoverOpen(DeviceError):
    message = N_("The receipt printer's cover is open ({address}). Close it firmly; the receipt stays queued.")


class PrinterOfflineStatus(DeviceError):
    message = N_(
        "The receipt printer at {address} is offline. Check its paper and cover, and press its FEED button if "
        "it is waiting; the receipt stays queued."
    )


class PrinterError(DeviceError):
    message = N_(
        "The receipt printer at {address} reports an error ({reason}). Switch it off and on again; if the error "
        "stays, call support. The receipt stays queued."
    )


class PrinterPaperLow(DeviceError):
    message = N_("The receipt printer's paper is running low ({address}). Have a new roll ready.")


class PrinterInterrupted(PrinterFailed):
    """The connection broke after part of a receipt went out: the retry prints it marked COPY."""

    interrupted = True

    message = N_(
        "The receipt printer at {address} stopped in the middle of a receipt ({reason}). Check it; the receipt "
        "stays queued and prints again marked COPY."
    )


def describe_os_error(error: BaseException, timeout: float | None = None, device: str = "the device") -> str:
    """A short reason a person can act on, from an OS, socket or driver error; ``device``
    names who closed a connection ("the printer", "the terminal")."""
    import socket

    if isinstance(error, TimeoutError):
        return f"no answer within {timeout:g} s" if timeout else "timed out"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, socket.gaierror):
        return "unknown host name"
    if isinstance(error, (BrokenPipeError, ConnectionResetError)):
        return f"{device} closed the connection"
    if isinstance(error, FileNotFoundError):
        return "no such device or file"
    if isinstance(error, DeviceError):
        return str(error)
    text = " ".join(str(error).split())
    return text[:160] or type(error).__name__
