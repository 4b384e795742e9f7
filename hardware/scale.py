"""A retail scale on a serial line (pyserial): the weight of the goods on its pan, or a clear refusal.

The protocol is Mettler Toledo's **8217** ("Toledo 8217 ECR" mode), chosen because it is the
one that almost every retail scale and scanner-scale sold to shops speaks or emulates (Mettler
Toledo, CAS, Dibal, Bizerba and DIGI ECR modes, Datalogic Magellan and Zebra scanner-scales),
it is tiny (one request byte), and its status byte says exactly what the till must refuse:
in motion, over capacity, under zero.  The exchange (7 data bits, even parity, 1 stop bit by
default; the ``framing`` setting changes it for a scale set otherwise, e.g. 8N1):

- the till sends ``W`` (0x57);
- a steady, valid weight comes back as ``STX`` + the weight + ``CR``: five digits in grams
  (``01234`` = 1.234 kg) or six characters with the point (``01.234``);
- anything else comes back as ``STX ? status CR``; the status byte's bits (parity bit 7
  dropped): 0 in motion, 1 over capacity, 2 under zero, 3 outside the zero range (the scale
  must be zeroed), 4 at the centre of zero (nothing on the pan), 5 net weight, 6 always 1.

``SerialScale.weigh()`` blocks for at most ``timeout`` seconds: the till calls it on its own
worker thread (``ui.weighing``), never on the UI thread.  The port is opened on the first
weighing and again after any failure, so a scale unplugged and plugged back in works again at
the next weighing, with nothing to restart.
"""

from __future__ import annotations

import logging
import re
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from hardware.errors import DeviceError
from hardware.serial_line import SerialLine
from pos.errors import PosError
from pos.i18n import N_

log = logging.getLogger(__name__)

STX, CR = b"\x02", b"\r"
WEIGH_REQUEST = b"W"
MAX_ANSWER = 32  # bytes; an 8217 answer has at most 8
PROTOCOLS = ("toledo-8217",)
FRAMING = re.compile(r"[78][NEO][12]")  # data bits, parity, stop bits: 8217 is 7E1; some scales are set to 8N1


class WeightRefused(PosError):
    """The scale answered, but its weight cannot be sold: the cashier is told what to do."""


class WeightUnstable(WeightRefused):
    message = N_("The weight is still changing: wait until the scale settles, then weigh again (F6).")


class WeightOverCapacity(WeightRefused):
    message = N_("Too heavy for the scale: it shows over its capacity. Weigh less at a time.")


class WeightNegative(WeightRefused):
    message = N_("The scale shows less than zero: empty the pan and zero the scale, then weigh again.")


class WeightZero(WeightRefused):
    message = N_("Nothing is on the scale: put the goods on the pan, then weigh again (F6).")


class ScaleNeedsZero(WeightRefused):
    message = N_("The scale must be zeroed: empty the pan, press the scale's zero key, then weigh again.")


class ScaleProblem(DeviceError):
    message = N_("The scale on {address} does not answer ({reason}). Check that it is switched on and "
                 "plugged in, then weigh again (F6).")


class ScaleUnreadable(ScaleProblem):
    message = N_("The scale on {address} sent an answer the till cannot read. Check that the scale is set "
                 "to the Toledo 8217 protocol at the speed in the settings.")


class ScaleNotConfigured(ScaleProblem, ValueError):
    message = N_("The scale setting “{address}” is not valid: {reason}")


class Scale(Protocol):
    """What the till needs from a scale: the weight in kilograms, or a refusal."""

    description: str

    def weigh(self) -> Decimal: ...

    def close(self) -> None: ...


def read_8217(answer: bytes, address: str = "scale") -> Decimal:
    """The weight in kg from one 8217 answer (``STX ... CR``), or the refusal it means."""
    start = answer.rfind(STX)
    body = answer[start + 1:] if start >= 0 else b""
    body = bytes(byte & 0x7F for byte in body.rstrip(b"\r\n"))  # parity bit off, if the line kept it
    if body.startswith(b"?") and len(body) == 2:
        _refuse_status(body[1])
        raise WeightUnstable()  # a status with no reason for it: no weight yet
    text = body.decode("ascii", "replace")
    try:
        if len(text) == 5 and text.isdigit():
            weight = Decimal(text) / 1000
        elif len(text) == 6 and text.count(".") == 1 and text.replace(".", "").isdigit():
            weight = Decimal(text)
        else:
            raise InvalidOperation
    except InvalidOperation:
        raise ScaleUnreadable(address=address, reason=repr(answer[:MAX_ANSWER])) from None
    if weight == 0:
        raise WeightZero()
    return weight.quantize(Decimal("0.001"))


def _refuse_status(status: int) -> None:
    if status & 0x02:
        raise WeightOverCapacity()
    if status & 0x04:
        raise WeightNegative()
    if status & 0x08:
        raise ScaleNeedsZero()
    if status & 0x01:
        raise WeightUnstable()
    if status & 0x10:
        raise WeightZero()


class SerialScale(SerialLine):
    """A Toledo 8217 scale on a serial port; one weighing at a time (a lock), reopened after a failure."""

    def __init__(self, port: str, *, baudrate: int = 9600, timeout: float = 1.0, protocol: str = "toledo-8217",
                 framing: str = "7E1") -> None:
        if protocol not in PROTOCOLS:
            raise ScaleNotConfigured(address=protocol, reason=f"the protocol is one of {', '.join(PROTOCOLS)}")
        if not port.strip():
            raise ScaleNotConfigured(address=port, reason="name the scale's serial port, e.g. /dev/ttyUSB0 or COM3")
        if not FRAMING.fullmatch(framing):
            raise ScaleNotConfigured(address=framing, reason='the framing is data bits, parity and stop bits, e.g. "7E1" or "8N1"')
        self.framing = framing
        self.port = port
        self.baudrate = baudrate
        self.timeout = timeout
        self.description = f"{port} ({protocol}, {baudrate} baud {framing})"
        super().__init__()

    def weigh(self) -> Decimal:
        """The steady weight on the pan in kg; raises WeightRefused or ScaleProblem."""
        import serial

        with self._lock:
            try:
                line = self._open()
                line.reset_input_buffer()  # an answer left from a weighing that timed out
                line.write(WEIGH_REQUEST)
                line.flush()
                answer = line.read_until(CR, MAX_ANSWER)
            except (serial.SerialException, OSError, ValueError, *_TERMINAL_ERRORS) as err:
                self._drop()
                raise ScaleProblem(address=self.port, reason=_reason(err)) from None
            if not answer.endswith(CR):
                self._drop()  # reopened next time: the scale may have been unplugged and plugged back
                reason = f"no answer in {self.timeout:g} s" if not answer else "an answer cut short"
                raise ScaleProblem(address=self.port, reason=reason)
        weight = read_8217(answer, self.port)
        log.info("the scale on %s weighed %s kg", self.port, weight)
        return weight

    def _open(self) -> Any:
        import serial

        if self._serial is None:
            bits, parity, stop = self.framing[0], self.framing[1], self.framing[2]
            self._serial = serial.Serial(
                self.port, self.baudrate, bytesize=int(bits), parity=parity, stopbits=int(stop),
                timeout=self.timeout, write_timeout=self.timeout,
            )
        return self._serial


def _terminal_errors() -> tuple[type[BaseException], ...]:
    try:
        import termios
    except ImportError:  # Windows: pyserial raises SerialException only
        return ()
    return (termios.error,)


_TERMINAL_ERRORS = _terminal_errors()  # a tty gone under pyserial (termios.error is no OSError)


def _reason(err: BaseException) -> str:
    text = str(getattr(err, "strerror", None) or (err.args[-1] if err.args else "") or type(err).__name__)
    return text if len(text) <= 120 else text[:119] + "…"
