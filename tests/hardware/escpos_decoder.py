"""An ESC/POS decoder for tests: reads a receipt's byte stream back to printed lines (text
decoded through the code page the stream selected, with its alignment, bold and size, a
picture within a line (ESC *) shown as U+FFFC in each character cell it covers; or a
raster picture line and its size in dots) and the commands around them.

Independent of python-escpos: the code page numbers are Epson's (ESC/POS reference, "ESC t",
the TM-T88 and TM-T20 tables), and every byte is checked by ``tests.hardware.escpos_scanner``
first, so a control byte hidden in the text fails the decoding.  The status queries the till
sends a network printer around a receipt (DLE EOT 1-4) are taken off the ends first, and
``receipts_in`` takes the drawer kicks sent between receipts off too (``drawer_kicks``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.hardware.escpos_scanner import Command, scan

ESC, GS, LF = 0x1B, 0x1D, 0x0A
STATUS_QUERY = b"\x10\x04\x01\x10\x04\x02\x10\x04\x03\x10\x04\x04"
DRAWER_KICK, DRAWER_PINS = b"\x1bp", (0, 1, 48, 49)  # ESC p m t1 t2: m the pin (2 or 5), t1 t2 the pulse
EPSON_CODE_PAGES = {  # ESC t n -> Python codec
    0: "cp437", 2: "cp850", 3: "cp860", 4: "cp863", 5: "cp865", 13: "cp857", 14: "cp737", 15: "iso8859-7",
    16: "cp1252", 17: "cp866", 18: "cp852", 19: "cp858", 32: "cp720", 33: "cp775", 34: "cp855", 35: "cp861",
    36: "cp862", 37: "cp864", 38: "cp869", 39: "iso8859-2", 40: "iso8859-15", 44: "cp1125", 45: "cp1250",
    46: "cp1251", 47: "cp1253", 48: "cp1254", 49: "cp1255", 50: "cp1256", 51: "cp1257", 52: "cp1258", 53: "kz1048",
}
ALIGN = {0: "left", 48: "left", 1: "center", 49: "center", 2: "right", 50: "right"}


@dataclass(frozen=True)
class Line:
    text: str  # "" for a picture
    align: str = "left"
    bold: bool = False
    double: bool = False
    picture: tuple[int, int] | None = None  # (width, height) in dots: a raster image line
    inline: tuple[tuple[int, int], ...] = ()  # (column, width in dots) of each bit image in a text line
    code: str | None = None  # a QR code the printer draws (GS ( k): what it holds


@dataclass
class Decoded:
    lines: list[Line] = field(default_factory=list)
    commands: list[Command] = field(default_factory=list)
    code_pages: set[str] = field(default_factory=set)

    @property
    def texts(self) -> list[str]:
        return [line.text for line in self.lines if line.picture is None and line.code is None]

    @property
    def pictures(self) -> list[Line]:
        """Raster picture lines."""
        return [line for line in self.lines if line.picture is not None]

    @property
    def with_inline_pictures(self) -> list[Line]:
        return [line for line in self.lines if line.inline]

    @property
    def codes(self) -> list[str]:
        """What the QR codes the printer draws itself hold, in order."""
        return [line.code for line in self.lines if line.code is not None]

    @property
    def cut(self) -> bool:
        return bool(self.commands) and self.commands[-1].name == "cut"


def receipts_in(data: bytes) -> list[bytes]:
    """The receipts in what a printer received, the status queries and drawer kicks sent
    between them taken off (``drawer_kicks`` counts those)."""
    return [receipt for receipt, _ in _receipts_and_kicks(data)[1:]]


def drawer_kicks(data: bytes) -> int:
    """How many drawer kicks (ESC p) a printer received before, between and after its
    receipts (one inside a receipt's text fails ``decode``)."""
    return sum(kicks for _, kicks in _receipts_and_kicks(data))


def _receipts_and_kicks(data: bytes) -> list[tuple[bytes, int]]:
    """What came before the first receipt, then each receipt, each with the drawer kicks
    after it: status queries and kicks are taken off the end of each part."""
    found = []
    for k, part in enumerate(data.split(b"\x1b@")):
        body, kicks = part if k == 0 else b"\x1b@" + part, 0
        while True:
            if body.endswith(STATUS_QUERY):
                body = body[: -len(STATUS_QUERY)]
            elif len(body) >= 5 and body[-5:-3] == DRAWER_KICK and body[-3] in DRAWER_PINS:
                body, kicks = body[:-5], kicks + 1
            else:
                break
        found.append((body, kicks))
    return found


def decode(data: bytes) -> Decoded:
    """One receipt's bytes (starting with ESC @) as lines and commands."""
    while data.startswith(STATUS_QUERY):
        data = data[len(STATUS_QUERY) :]
    while data.endswith(STATUS_QUERY):
        data = data[: -len(STATUS_QUERY)]
    commands, _text = scan(data)  # raises on any byte that is neither text nor the renderer's command
    out = Decoded(commands=commands)
    page, align, bold, double = 0, "left", False, False
    pending: list[str] = []  # each byte decoded with the code page selected when it came
    inline: list[tuple[int, int]] = []
    stored = ""  # the QR code data last stored (GS ( k fn 80)
    i = 0
    while i < len(data):
        byte = data[i]
        if byte == LF:
            out.lines.append(Line("".join(pending), align, bold, double, inline=tuple(inline)))
            pending.clear()
            inline.clear()
            i += 1
        elif byte == ESC and data[i + 1] == ord("*"):  # a bit image within the line
            mode, width = data[i + 2], data[i + 3] + 256 * data[i + 4]
            inline.append((sum(len(part) for part in pending), width))
            pending.append("\ufffc" * max(1, width // 12))  # one object mark a character cell it covers
            i += 5 + width * (3 if mode >= 32 else 1)
        elif byte == ESC:
            op, arg = data[i + 1], data[i + 2] if i + 2 < len(data) else 0
            if op == ord("@"):
                page, align, bold, double = 0, "left", False, False
                i += 2
                continue
            if op == ord("t"):
                page = arg
                out.code_pages.add(EPSON_CODE_PAGES.get(arg, f"unknown {arg}"))
            elif op == ord("a"):
                align = ALIGN[arg]
            elif op == ord("E"):
                bold = bool(arg)
            elif op == ord("!"):
                double, bold = arg & 0x30 == 0x30, bool(arg & 0x08)
            i += 3
        elif byte == GS and data[i + 1] == ord("v"):
            width_bytes, height = data[i + 4] + 256 * data[i + 5], data[i + 6] + 256 * data[i + 7]
            scale = 2 if data[i + 3] in (3, 51) else 1  # mode 3: each dot printed 2 x 2
            out.lines.append(Line("", align, bold, double, picture=(8 * width_bytes * scale, height * scale)))
            i += 8 + width_bytes * height
        elif byte == GS and data[i + 1] == ord("("):  # GS ( k: a QR code's settings, data, print
            size, function = data[i + 3] + 256 * data[i + 4], data[i + 6]
            if function == 80:  # store the data (after cn fn m)
                stored = data[i + 8 : i + 5 + size].decode("ascii")
            elif function == 81:  # print what is stored, on lines of its own
                out.lines.append(Line("", align, bold, double, code=stored))
            i += 5 + size
        elif byte == GS:  # GS V m: the cut
            i += 3
        else:
            codec = EPSON_CODE_PAGES.get(page, "cp437")
            pending.append(chr(byte) if byte < 0x80 else bytes([byte]).decode(codec, errors="replace"))
            i += 1
    return out

