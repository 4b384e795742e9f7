"""What a receipt printer says about itself: ESC/POS real-time status (DLE EOT n).

The till sends ``DLE EOT 1`` to ``DLE EOT 4`` and reads one byte for each (Epson ESC/POS
reference, "DLE EOT"; the same bits on Epson, Bixolon, Citizen, Star in ESC/POS mode and
most 58 mm printers).  Every answer has bits 1 and 4 set and bits 0 and 7 clear, which
tells a status byte from anything else on the line:

    n=1 printer         bit 2: drawer kick-out connector pin 3 high (a drawer switch: open)
                        bit 3: offline
    n=2 offline cause   bit 2: cover open; bit 3: paper fed with the FEED button;
                        bit 5: printing stopped, paper end; bit 6: an error
    n=3 error cause     bit 2: autocutter error; bit 3: unrecoverable error;
                        bit 5: auto-recoverable error (head too hot...)
    n=4 paper sensor    bits 2-3: roll near its end; bits 5-6: roll end

``decode`` turns the four bytes into a ``PrinterStatus``; ``problem`` says which of them
stops printing (a ``DeviceError`` telling the cashier what to do) and ``warning`` which
only needs attention soon (paper low, drawer open).  A printer that does not answer is
``PrinterStatus.unknown()``: printing goes on, as many printers never answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from hardware.errors import (
    DeviceError, PrinterCoverOpen, PrinterError, PrinterOfflineStatus, PrinterOutOfPaper, PrinterPaperLow,
)

QUERIES = (b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x03", b"\x10\x04\x04")
STATUS_QUERY = b"".join(QUERIES)
FIXED_MASK, FIXED_BITS = 0x93, 0x12  # bits 0, 1, 4, 7 of every status byte: 0, 1, 1, 0


def is_status_byte(byte: int) -> bool:
    return byte & FIXED_MASK == FIXED_BITS


@dataclass(frozen=True, slots=True)
class PrinterStatus:
    known: bool
    offline: bool = False
    drawer_open: bool = False
    cover_open: bool = False
    paper_out: bool = False
    paper_low: bool = False
    cutter_error: bool = False
    unrecoverable_error: bool = False
    recoverable_error: bool = False

    @classmethod
    def unknown(cls) -> PrinterStatus:
        return cls(known=False)

    def problem(self, address: str) -> DeviceError | None:
        """What stops printing, most useful first; None when the printer can print."""
        if not self.known:
            return None
        if self.paper_out:
            return PrinterOutOfPaper(address=address)
        if self.cover_open:
            return PrinterCoverOpen(address=address)
        if self.cutter_error or self.unrecoverable_error or self.recoverable_error:
            return PrinterError(address=address, reason=self.error_words())
        if self.offline:
            return PrinterOfflineStatus(address=address)
        return None

    def warning(self, address: str) -> DeviceError | None:
        """What needs attention soon but does not stop printing."""
        if self.known and self.paper_low and not self.paper_out:
            return PrinterPaperLow(address=address)
        return None

    def error_words(self) -> str:
        if self.cutter_error:
            return "cutter error"
        if self.unrecoverable_error:
            return "unrecoverable error"
        return "print head error (too hot or a voltage problem)"

    def words(self) -> str:
        """The status in plain English, for kassa printer status and the log."""
        if not self.known:
            return "the printer does not report its status"
        said = [name for flag, name in (
            (self.paper_out, "paper out"), (self.paper_low, "paper low"), (self.cover_open, "cover open"),
            (self.cutter_error, "cutter error"), (self.unrecoverable_error, "unrecoverable error"),
            (self.recoverable_error, "recoverable error"), (self.offline, "offline"),
            (self.drawer_open, "drawer open"),
        ) if flag]
        return ", ".join(said) or "ready"


def decode(answers: bytes) -> PrinterStatus:
    """The four answers to ``STATUS_QUERY`` (in order) as a ``PrinterStatus``; fewer than
    four bytes, or a byte that is not a status byte, is an unknown status."""
    if len(answers) < 4 or not all(is_status_byte(b) for b in answers[:4]):
        return PrinterStatus.unknown()
    printer, offline, error, paper = answers[:4]
    return PrinterStatus(
        known=True,
        offline=bool(printer & 0x08),
        drawer_open=bool(printer & 0x04),
        cover_open=bool(offline & 0x04),
        paper_out=bool(offline & 0x20) or paper & 0x60 == 0x60,
        paper_low=paper & 0x0C == 0x0C,
        cutter_error=bool(error & 0x04),
        unrecoverable_error=bool(error & 0x08),
        recoverable_error=bool(error & 0x20),
    )


def encode(status: PrinterStatus) -> bytes:
    """The four bytes a printer in ``status`` answers (the loopback printer uses this)."""
    stopped = status.offline or status.cover_open or status.paper_out
    printer = FIXED_BITS | (0x08 if stopped else 0) | (0x04 if status.drawer_open else 0)
    offline = FIXED_BITS | (0x04 if status.cover_open else 0) | (0x20 if status.paper_out else 0)
    offline |= 0x40 if (status.cutter_error or status.unrecoverable_error or status.recoverable_error) else 0
    error = FIXED_BITS | (0x04 if status.cutter_error else 0) | (0x08 if status.unrecoverable_error else 0)
    error |= 0x20 if status.recoverable_error else 0
    paper = FIXED_BITS | (0x0C if status.paper_low or status.paper_out else 0) | (0x60 if status.paper_out else 0)
    return bytes([printer, offline, error, paper])
