"""How receipt bytes reach a printer: one small class per connection, each with one job,
``send(data)``, which opens the connection, writes the whole receipt and closes again, or
raises a ``DeviceError`` naming the printer's address.  Nothing stays open between
receipts, so a printer that was switched off and on again just works on the next one.

USB and serial go through python-escpos's own device classes (imported lazily: pyusb and
pyserial are optional); network and file are a few lines of standard library, so that
connect and send time out and a file is appended to rather than truncated.
"""

from __future__ import annotations

import logging
import socket
from typing import Any, Protocol

from hardware.errors import (
    PrinterFailed, PrinterInterrupted, PrinterNotConfigured, PrinterOffline, describe_os_error,
)
from hardware.printer_config import PrinterSpec
from hardware.printer_status import STATUS_QUERY, PrinterStatus, decode

log = logging.getLogger(__name__)

STATUS_WAIT = 2.0  # seconds to wait for the four status bytes; many printers never answer


class Transport(Protocol):
    address: str

    def send(self, data: bytes) -> None: ...


class StatusReport:
    """What the last receipt's status queries found (``before`` and ``after`` it).  A printer
    that has never answered is not asked again after its first silence: many never answer,
    and each question would cost ``STATUS_WAIT`` seconds per receipt.  One that has
    answered before is asked again next time."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.answers = True
        self.answered = False  # at least once since the till started
        self.before = self.after = PrinterStatus.unknown()

    @property
    def asking(self) -> bool:
        return self.enabled and self.answers

    def heard(self, status: PrinterStatus) -> PrinterStatus:
        if status.known:
            self.answered = True
        elif not self.answered:
            self.answers = False
            log.info("the printer does not answer status queries; printing without them")
        return status


def _interrupted(address: str, error: BaseException, timeout: float | None = None) -> PrinterInterrupted:
    return PrinterInterrupted(address=address, reason=_describe(error, timeout))


class DiscardTransport:
    """``none``: printing is switched off; receipts stay in the journal, reprintable."""

    def __init__(self, spec: PrinterSpec) -> None:
        self.address = spec.address

    def send(self, data: bytes) -> None:
        log.debug("printing is disabled: %d bytes discarded", len(data))


class MemoryTransport:
    """``dummy``: a python-escpos Dummy keeps every byte sent, for previews and tests."""

    def __init__(self, spec: PrinterSpec) -> None:
        from escpos.printer import Dummy

        self.address = spec.address
        self.printer = Dummy(profile=spec.profile)

    def send(self, data: bytes) -> None:
        self.printer._raw(data)

    @property
    def output(self) -> bytes:
        return bytes(self.printer.output)


class FileTransport:
    """``file:PATH``: appends to a device node (/dev/usb/lp0) or a plain file."""

    def __init__(self, spec: PrinterSpec) -> None:
        self.address = spec.address
        self.path = spec.target

    def send(self, data: bytes) -> None:
        try:
            stream = open(self.path, "ab", buffering=0)
        except OSError as error:
            raise PrinterOffline(address=self.address, reason=_describe(error)) from error
        try:
            with stream:
                stream.write(data)
        except OSError as error:
            raise _interrupted(self.address, error) from error


class NetworkTransport:
    """``network:HOST:PORT``: raw TCP (port 9100).  Connecting, and every send or status
    read, gives up after ``timeout`` seconds without progress.  With ``status`` on, the
    printer is asked DLE EOT 1-4 before the receipt (a problem: nothing is sent) and after
    it (a problem: the receipt may be cut short, so it stays queued)."""

    def __init__(self, spec: PrinterSpec) -> None:
        self.address = spec.address
        self.host, self.port, self.timeout = spec.target, spec.port, spec.timeout
        self.status = StatusReport(spec.check_paper)

    def _connect(self) -> socket.socket:
        try:
            return socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as error:
            raise PrinterOffline(address=self.address, reason=_describe(error, self.timeout)) from error

    def query(self) -> PrinterStatus:
        """The printer's status now, on a connection of its own (``kassa printer status``)."""
        with self._connect() as connection:
            try:
                return _ask(connection, self.timeout)
            except OSError as error:
                raise PrinterFailed(address=self.address, reason=_describe(error, self.timeout)) from error

    def send(self, data: bytes) -> None:
        self.status.before = self.status.after = PrinterStatus.unknown()
        with self._connect() as connection:
            if self.status.asking:
                try:
                    before = self.status.before = self.status.heard(_ask(connection, self.timeout))
                except OSError as error:
                    raise PrinterFailed(address=self.address, reason=_describe(error, self.timeout)) from error
                problem = before.problem(self.address)
                if problem is not None:
                    raise problem
            try:
                connection.sendall(data)
            except OSError as error:
                raise _interrupted(self.address, error, self.timeout) from error
            if self.status.asking:
                try:
                    after = self.status.after = _ask(connection, self.timeout)
                except OSError as error:
                    raise _interrupted(self.address, error, self.timeout) from error
                if self.status.before.known and not after.known:  # it answered before the receipt, not after
                    raise PrinterInterrupted(address=self.address, reason="it stopped answering during the receipt")
                problem = after.problem(self.address)
                if problem is not None:
                    problem.interrupted = True  # the end of the receipt may not be on paper
                    raise problem
            try:
                connection.shutdown(socket.SHUT_WR)
            except OSError as error:
                raise _interrupted(self.address, error, self.timeout) from error


def _ask(connection: socket.socket, timeout: float) -> PrinterStatus:
    """Send DLE EOT 1-4 and read the four answers; fewer within ``STATUS_WAIT``: unknown.
    Bytes already waiting are dropped first: a printer may have taken a DLE EOT inside the
    dots of a picture for a query and answered it."""
    connection.setblocking(False)
    try:
        while connection.recv(64):
            pass
    except (BlockingIOError, InterruptedError):
        pass
    connection.settimeout(timeout)
    connection.sendall(STATUS_QUERY)
    connection.settimeout(min(STATUS_WAIT, timeout))
    answers = b""
    try:
        while len(answers) < 4:
            chunk = connection.recv(4 - len(answers))
            if not chunk:
                break
            answers += chunk
    except TimeoutError:
        pass  # the printer does not report its status: print anyway
    finally:
        connection.settimeout(timeout)
    return decode(answers)


class EscposDeviceTransport:
    """``usb:`` and ``serial:``: a python-escpos device, opened for one receipt at a time.
    A serial printer is asked its status (DLE EOT 1-4) before and after the receipt, as a
    network one is; a USB printer is printed to without."""

    def __init__(self, spec: PrinterSpec) -> None:
        self.address = spec.address
        self.spec = spec
        self.status = StatusReport(spec.check_paper and spec.kind == "serial")

    def _device(self) -> Any:
        from escpos import printer

        spec = self.spec
        if spec.kind == "usb":
            if not printer.Usb.is_usable():
                raise PrinterNotConfigured(address=self.address, reason="USB printing needs the pyusb package")
            timeout_ms = int(spec.timeout * 1000)
            return printer.Usb(spec.vendor_id, spec.product_id, timeout=timeout_ms, profile=spec.profile)
        if not printer.Serial.is_usable():
            raise PrinterNotConfigured(address=self.address, reason="serial printing needs the pyserial package")
        return printer.Serial(spec.target, baudrate=spec.baudrate, timeout=spec.timeout, profile=spec.profile)

    def _open(self) -> Any:
        from escpos.exceptions import DeviceNotFoundError

        device = self._device()
        try:
            device.open()
            if hasattr(device.device, "write_timeout"):  # pyserial: never block on a dead line
                device.device.write_timeout = self.spec.timeout
        except (DeviceNotFoundError, OSError, ValueError) as error:
            raise PrinterOffline(address=self.address, reason=_describe(error)) from error
        return device

    def _close(self, device: Any) -> None:
        try:
            device.close()
        except Exception:  # closing a device that went away must not hide the real error
            log.debug("closing %s failed", self.address, exc_info=True)

    def query(self) -> PrinterStatus:
        """The printer's status now (``kassa printer status``); unknown for USB."""
        if self.spec.kind != "serial":
            return PrinterStatus.unknown()
        device = self._open()
        try:
            return _ask_serial(device.device, self.spec.timeout)
        except OSError as error:
            raise PrinterFailed(address=self.address, reason=_describe(error)) from error
        finally:
            self._close(device)

    def send(self, data: bytes) -> None:
        from escpos.exceptions import Error

        self.status.before = self.status.after = PrinterStatus.unknown()
        device = self._open()
        try:
            if self.status.asking:
                try:
                    before = self.status.before = self.status.heard(_ask_serial(device.device, self.spec.timeout))
                except OSError as error:
                    raise PrinterFailed(address=self.address, reason=_describe(error)) from error
                problem = before.problem(self.address)
                if problem is not None:
                    raise problem
            try:
                device._raw(data)
                if self.status.asking:
                    self.status.after = _ask_serial(device.device, self.spec.timeout)
            except (Error, OSError, ValueError) as error:  # pyusb's USBError is an OSError
                raise _interrupted(self.address, error) from error
            after = self.status.after
            if self.status.asking and self.status.before.known and not after.known:
                raise PrinterInterrupted(address=self.address, reason="it stopped answering during the receipt")
            problem = after.problem(self.address)
            if problem is not None:
                problem.interrupted = True
                raise problem
        finally:
            self._close(device)


def _ask_serial(port: Any, timeout: float) -> PrinterStatus:
    """DLE EOT 1-4 on a serial line (pyserial); fewer than four answers within ``STATUS_WAIT``: unknown."""
    port.reset_input_buffer()
    port.write(STATUS_QUERY)
    port.flush()
    saved = port.timeout
    port.timeout = min(STATUS_WAIT, timeout)
    try:
        return decode(port.read(4))
    finally:
        port.timeout = saved


def open_transport(spec: PrinterSpec) -> Transport:
    if spec.kind == "none":
        return DiscardTransport(spec)
    if spec.kind == "dummy":
        return MemoryTransport(spec)
    if spec.kind == "file":
        return FileTransport(spec)
    if spec.kind == "network":
        return NetworkTransport(spec)
    if spec.kind in ("usb", "serial"):
        return EscposDeviceTransport(spec)
    raise PrinterNotConfigured(address=spec.address, reason=f"no transport for {spec.kind!r}")


def _describe(error: BaseException, timeout: float | None = None) -> str:
    """A short reason a person can act on, from an OS or driver error."""
    if isinstance(error, PermissionError):
        return "permission denied (is the user in the lp group?)"
    return describe_os_error(error, timeout, device="the printer")
