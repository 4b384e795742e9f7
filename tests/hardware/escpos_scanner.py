"""An independent ESC/POS reader for tests: it walks a byte stream knowing only the commands
the receipt renderer sends, and fails on any other control byte, so a drawer kick (ESC p),
a cut (GS V), a status query (DLE EOT) or a kanji switch (FS &) hidden in receipt text is
caught wherever it is.

Written from the Epson ESC/POS reference, not from python-escpos, so it checks the renderer
rather than repeating it.
"""

from __future__ import annotations

from dataclasses import dataclass

ESC, GS, LF = 0x1B, 0x1D, 0x0A


@dataclass(frozen=True)
class Command:
    name: str
    args: bytes
    at: int


class UnexpectedBytes(AssertionError):
    pass


# ESC <letter> followed by a fixed number of argument bytes, and the values allowed for them
_ESC_COMMANDS: dict[int, tuple[str, int, frozenset[int] | None]] = {
    ord("@"): ("initialise", 0, None),
    ord("t"): ("code page", 1, None),
    ord("a"): ("align", 1, frozenset({0, 1, 2, 48, 49, 50})),
    ord("E"): ("bold", 1, frozenset({0, 1})),
    ord("!"): ("print mode", 1, frozenset({0x00, 0x10, 0x20, 0x30})),
    ord("d"): ("feed lines", 1, None),
}


QR_FUNCTIONS = {65: "qr model", 67: "qr module size", 69: "qr error correction", 80: "qr data", 81: "qr print"}


def scan(data: bytes) -> tuple[list[Command], bytes]:
    """The commands of one receipt in ``data`` and its printed text (lines joined by LF).
    Raises ``UnexpectedBytes`` naming the offset of the first byte that is neither text nor
    one of the renderer's commands, or a command out of its place: the receipt starts with
    ESC @ and ends with a paper feed (ESC d) and, on a printer with a cutter, its one cut (GS V)."""
    commands, text = _walk(data)
    for command in commands:
        if command.name == "initialise" and command.at != 0:
            raise UnexpectedBytes(f"ESC @ at byte {command.at}: the renderer resets the printer only first")
        if command.name == "cut" and command is not commands[-1]:
            raise UnexpectedBytes(f"GS V at byte {command.at}: the renderer cuts only at the end")
        if command.name == "feed lines" and command is not commands[-1] and commands[-1].name != "cut":
            raise UnexpectedBytes(f"ESC d at byte {command.at}: the renderer feeds only before the cut")
        if command.name == "feed lines" and command is not commands[-1] and command is not commands[-2]:
            raise UnexpectedBytes(f"ESC d at byte {command.at}: the renderer feeds only before the cut")
    last = commands[-1] if commands else None
    if last is not None and last.name in ("cut", "feed lines") and last.at + 3 != len(data):
        raise UnexpectedBytes("bytes after the end of the receipt (its cut or last paper feed)")
    return commands, text


def _walk(data: bytes) -> tuple[list[Command], bytes]:
    commands: list[Command] = []
    text = bytearray()
    i, n = 0, len(data)

    def need(count: int, what: str) -> bytes:
        if i + count > n:
            raise UnexpectedBytes(f"{what} cut short at byte {i} of {n}")
        return data[i : i + count]

    while i < n:
        byte = data[i]
        if byte == LF:
            text.append(LF)
            i += 1
        elif 0x20 <= byte <= 0x7E or byte >= 0x80:
            text.append(byte)
            i += 1
        elif byte == ESC and need(2, "ESC command")[1] == ord("*"):  # ESC * m nL nH d1...dk: a bit image in the line
            header = need(5, "ESC * header")
            if header[2] not in (0, 1, 32, 33):
                raise UnexpectedBytes(f"ESC * {header[2]} at byte {i}: not a bit image mode")
            size = (header[3] + 256 * header[4]) * (3 if header[2] >= 32 else 1)
            need(5 + size, "bit image data")
            commands.append(Command("bit image", header[2:5], i))
            i += 5 + size
        elif byte == ESC:
            op = need(2, "ESC command")[1]
            if op not in _ESC_COMMANDS:
                raise UnexpectedBytes(f"ESC {bytes([op])!r} at byte {i}: not a command the renderer sends")
            name, count, allowed = _ESC_COMMANDS[op]
            args = need(2 + count, f"ESC {chr(op)}")[2:]
            if allowed is not None and any(a not in allowed for a in args):
                raise UnexpectedBytes(f"ESC {chr(op)} {args!r} at byte {i}: an argument the renderer never sends")
            commands.append(Command(name, args, i))
            i += 2 + count
        elif byte == GS:
            op = need(2, "GS command")[1]
            if op == ord("v"):  # GS v 0 m xL xH yL yH d1...dk: a raster image
                header = need(8, "GS v 0 header")
                if header[2] != 0x30 or header[3] not in (0, 1, 2, 3, 48, 49, 50, 51):
                    raise UnexpectedBytes(f"GS v {header[2:4]!r} at byte {i}: not a raster image")
                width_bytes = header[4] + 256 * header[5]
                height = header[6] + 256 * header[7]
                need(8 + width_bytes * height, "raster image data")
                commands.append(Command("raster image", header[4:8], i))
                i += 8 + width_bytes * height
            elif op == ord("("):  # GS ( k pL pH cn fn ...: a QR code (cn 49), its settings, data and print
                header = need(7, "GS ( k header")
                size = header[3] + 256 * header[4]
                if header[2] != ord("k") or size < 2 or header[5] != 49 or header[6] not in QR_FUNCTIONS:
                    raise UnexpectedBytes(f"GS ( {header[2:7]!r} at byte {i}: not a QR code command the renderer sends")
                body = need(5 + size, "QR code data")[5:]
                commands.append(Command(QR_FUNCTIONS[header[6]], body[2:], i))
                i += 5 + size
            elif op == ord("V"):  # GS V m (full or partial cut)
                m = need(3, "GS V")[2]
                if m not in (0, 1, 48, 49):
                    raise UnexpectedBytes(f"GS V {m} at byte {i}: a cut the renderer never sends")
                commands.append(Command("cut", bytes([m]), i))
                i += 3
            else:
                raise UnexpectedBytes(f"GS {bytes([op])!r} at byte {i}: not a command the renderer sends")
        else:
            raise UnexpectedBytes(f"control byte 0x{byte:02x} at byte {i}: not a command the renderer sends")
    return commands, bytes(text)


def drawer_kicks(data: bytes) -> list[tuple[int, int, int]]:
    """The drawer kicks (ESC p m t1 t2: pin 2 for m = 0 or 48, pin 5 for 1 or 49; on and off
    times in 2 ms steps) of a stream that holds nothing else; any other byte fails."""
    kicks = []
    i = 0
    while i < len(data):
        if data[i : i + 2] != b"\x1bp" or i + 5 > len(data):
            raise UnexpectedBytes(f"byte {i} of a drawer kick is not ESC p m t1 t2: {data[i:i + 5]!r}")
        m, on, off = data[i + 2 : i + 5]
        if m not in (0, 1, 48, 49) or not 0 < on <= off:
            raise UnexpectedBytes(f"ESC p {m} {on} {off} at byte {i}: not a pulse a drawer opens with")
        kicks.append((2 if m in (0, 48) else 5, on, off))
        i += 5
    return kicks
