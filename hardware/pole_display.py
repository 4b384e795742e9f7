"""A customer pole display: a two-line, 20-character serial VFD, through pyserial.

The command set is the **CD5220** one, the default emulation of most pole displays shops buy
(Posiflex PD, Partner CD7220, Bixolon BCD, Birch, Chinese "VFD220" poles all have it): only
three commands are used, which every CD5220-compatible display knows:

- ``ESC @`` (1B 40): initialise (cursor home, display cleared), sent when the port opens;
- ``ESC Q A`` text ``CR`` (1B 51 41 ... 0D): the upper line, 20 characters;
- ``ESC Q B`` text ``CR`` (1B 51 42 ... 0D): the lower line, 20 characters.

Each line is rewritten whole, padded with spaces, so nothing of an older text is left. What
the display can show is printable ASCII (code pages differ from model to model): text is
transliterated first (Ukrainian by the national system of 2010, Georgian by the national
system of 2002, Azerbaijani and other Latin letters without their marks), and every other
character, control bytes included, becomes ``?`` or a space: nothing from the catalog reaches
the display as a command.  A write that fails drops the port; the next write reopens it, so a
display unplugged and plugged back shows the sale again at the next change.
"""

from __future__ import annotations

import logging
import unicodedata

from hardware.errors import DeviceError
from hardware.serial_line import SerialLine
from pos.i18n import N_

log = logging.getLogger(__name__)

WIDTH = 20
ESC, CR = b"\x1b", b"\r"
INITIALISE = ESC + b"@"
UPPER_LINE = ESC + b"QA"
LOWER_LINE = ESC + b"QB"

UKRAINIAN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh", "з": "z",
    "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "ъ": "", "ы": "y", "э": "e", "ё": "e", "’": "", "ʼ": "",
}
WORD_START = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}  # at the start of a word
GEORGIAN = dict(zip(
    "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ",
    ["a", "b", "g", "d", "e", "v", "z", "t", "i", "k'", "l", "m", "n", "o", "p'", "zh", "r", "s", "t'", "u",
     "p", "k", "gh", "q'", "sh", "ch", "ts", "dz", "ts'", "ch'", "kh", "j", "h"],
    strict=True,
))
LATIN_EXTRA = {"ə": "e", "Ə": "E", "ı": "i", "ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "€": "EUR", "₴": "UAH",
               "₼": "AZN", "₾": "GEL", "«": '"', "»": '"', "„": '"', "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."}


class PoleDisplayProblem(DeviceError):
    message = N_("The customer display on {address} does not answer ({reason}); the sale goes on without it.")


def transliterate(text: str) -> str:
    """``text`` in printable ASCII: Cyrillic and Georgian spelt in Latin letters, marks dropped,
    anything else ``?``, control characters and line breaks a space."""
    out: list[str] = []
    previous = " "
    for ch in text:
        lower = ch.lower()
        if lower in UKRAINIAN:
            latin = WORD_START.get(lower, UKRAINIAN[lower]) if not previous.isalpha() else UKRAINIAN[lower]
            out.append(latin.capitalize() if ch != lower and latin else latin)
        elif ch in GEORGIAN:
            out.append(GEORGIAN[ch])
        elif ch in LATIN_EXTRA:
            out.append(LATIN_EXTRA[ch])
        else:
            out.append(_plain(ch))
        previous = ch
    return "".join(out)


def _plain(ch: str) -> str:
    if ch.isascii():
        return ch if ch.isprintable() else " "
    if not ch.isprintable() or unicodedata.category(ch).startswith("Z"):
        return " "
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return base if base and base.isascii() and base.isprintable() else "?"


def display_line(text: str) -> bytes:
    """One line as the display shows it: 20 ASCII characters, padded with spaces.  A tab splits
    it in two: the part after the tab (an amount) is kept whole at the right, the part before cut."""
    left, _tab, right = text.partition("\t")
    left, right = (" ".join(transliterate(part).split()) for part in (left, right))  # runs of spaces made one
    if not right:
        return left[:WIDTH].ljust(WIDTH).encode("ascii")
    right = right[-WIDTH:]
    room = WIDTH - len(right) - 1
    shown = f"{left[:room]:<{room}} {right}" if room > 0 else right.rjust(WIDTH)
    return shown.encode("ascii")


def screen_bytes(upper: str, lower: str) -> bytes:
    """The bytes that put ``upper`` and ``lower`` on a CD5220 display."""
    return UPPER_LINE + display_line(upper) + CR + LOWER_LINE + display_line(lower) + CR


class SerialPoleDisplay(SerialLine):
    """A CD5220 pole display on a serial port (8N1); one write at a time."""

    def __init__(self, port: str, *, baudrate: int = 9600, timeout: float = 1.0) -> None:
        self.port = port
        self.baudrate = baudrate
        self.timeout = timeout
        self.description = f"{port} (CD5220, {baudrate} baud)"
        super().__init__()

    def show(self, upper: str, lower: str) -> None:
        """Put two lines on the display; raises PoleDisplayProblem (the port is reopened next time)."""
        import serial

        data = screen_bytes(upper, lower)
        with self._lock:
            try:
                if self._serial is None:
                    self._serial = serial.Serial(self.port, self.baudrate, timeout=self.timeout,
                                                 write_timeout=self.timeout)
                    self._serial.write(INITIALISE)
                self._serial.write(data)
                self._serial.flush()
            except (serial.SerialException, OSError, ValueError) as err:
                self._drop()
                raise PoleDisplayProblem(address=self.port, reason=str(getattr(err, "strerror", None) or err)[:120]) from None

