"""The receipt printer setting: one connection string, parsed into a ``PrinterSpec``.

Accepted forms (``ACCEPTED_FORMS``)::

    none                        printing disabled: receipts are accepted and discarded
                                (they stay in the journal and can be reprinted)
    dummy                       python-escpos Dummy: bytes kept in memory (previews, tests)
    file:/dev/usb/lp0           raw ESC/POS bytes appended to a device node or a file
    network:HOST[:PORT]         raw TCP to the printer, port 9100 by default
    usb:VENDOR:PRODUCT          USB ids in hex (usb:04b8:0202), python-escpos Usb (needs pyusb)
    serial:DEVICE[:BAUD]        serial port (serial:/dev/ttyUSB0:19200, serial:COM3), needs pyserial
    preview:DIRECTORY           every receipt saved as a PNG in DIRECTORY (demo, training)

Options travel beside the string: ``profile`` (a python-escpos capabilities profile),
``paper`` (80 or 58 mm roll), ``width`` (characters per line), ``dot_width`` (printable dots
per line; 0 = from the paper and the profile), ``cutter`` (false: no cut, a feed to the tear
bar), ``logo`` (a picture printed at the top), ``timeout`` (seconds a network connect or send
may stall) and ``status`` (ask the printer's real-time status before and after a receipt;
``check_paper`` is its older name) and ``receipt_code`` (how the receipt's QR code is printed:
``auto`` = by the printer itself when its profile has QR codes, else as a picture; ``native``,
``image``, or ``none``).  See ``hardware.printer_profiles``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Literal

from hardware.errors import PrinterNotConfigured
from pos.i18n import is_unicode_text

PrinterKind = Literal["none", "dummy", "file", "network", "usb", "serial", "preview"]
ReceiptCodeMode = Literal["auto", "native", "image", "none"]
RECEIPT_CODE_MODES = ("auto", "native", "image", "none")

ACCEPTED_FORMS = (
    "none",
    "dummy",
    "file:/dev/usb/lp0",
    "network:HOST[:PORT]",
    "usb:VENDOR:PRODUCT (hex ids)",
    "serial:DEVICE[:BAUD]",
    "preview:DIRECTORY",
)
DEFAULT_PROFILE = "TM-T88V"
DEFAULT_WIDTH = 42
DEFAULT_NETWORK_PORT = 9100
DEFAULT_BAUDRATE = 9600
DEFAULT_TIMEOUT = 5.0
MAX_SETTING_LENGTH = 300  # a connection string is a short line
SERIAL_SPEEDS = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
USB_ID = re.compile(r"(?:0x)?([0-9a-f]{1,4})")


@dataclass(frozen=True, slots=True)
class PrinterSpec:
    kind: PrinterKind
    target: str = ""  # file path, host name or serial device
    port: int = DEFAULT_NETWORK_PORT
    vendor_id: int = 0
    product_id: int = 0
    baudrate: int = DEFAULT_BAUDRATE
    profile: str = DEFAULT_PROFILE
    width: int = DEFAULT_WIDTH
    dot_width: int = 0  # 0: the profile's paper width in dots, else 12 dots a character
    timeout: float = DEFAULT_TIMEOUT
    check_paper: bool = False  # ask the printer's status (DLE EOT) before and after each receipt
    paper: int = 80  # roll width in mm: 80 or 58
    cutter: bool = True  # cut at the end (when the profile has a cutter), else feed to the tear bar
    logo: str = ""  # a picture file printed at the top of every receipt
    inline_pictures: bool = True  # unprintable words as pictures within a text line (ESC *)
    receipt_code: ReceiptCodeMode = "auto"  # the receipt's QR code: by the printer (GS ( k), as a picture, or none
    setting: str = field(default="", compare=False)  # the string as the user wrote it

    @property
    def address(self) -> str:
        """Where the printer is, as errors and logs name it."""
        if self.kind == "network":
            host = f"[{self.target}]" if ":" in self.target else self.target
            return f"network:{host}:{self.port}"
        if self.kind == "usb":
            return f"usb:{self.vendor_id:04x}:{self.product_id:04x}"
        if self.kind == "serial":
            return f"serial:{self.target}:{self.baudrate}"
        if self.kind in ("file", "preview"):
            return f"{self.kind}:{self.target}"
        return self.kind


def parse_printer(
    setting: str,
    *,
    profile: str = DEFAULT_PROFILE,
    width: int = DEFAULT_WIDTH,
    dot_width: int = 0,
    timeout: float = DEFAULT_TIMEOUT,
    check_paper: bool = False,
    status: bool | None = None,
    paper: int = 80,
    cutter: bool = True,
    logo: str = "",
    receipt_code: str = "auto",
) -> PrinterSpec:
    """Parse a printer connection string; a wrong one raises ``PrinterNotConfigured``
    (a DeviceError) whose message lists the accepted forms."""
    text = (setting or "").strip()
    if len(text) > MAX_SETTING_LENGTH:
        raise _bad(text, f"longer than {MAX_SETTING_LENGTH} characters")
    if not text.isprintable() or not is_unicode_text(text):
        raise _bad(text, "holds control characters or text that is not Unicode")
    kind, _, rest = text.partition(":")
    kind = kind.lower()
    _check_options(text, profile, width, dot_width, timeout)
    if paper not in (80, 58):
        raise _bad(text, f"paper must be 80 or 58 (mm), not {paper}")
    if receipt_code not in RECEIPT_CODE_MODES:
        raise _bad(text, f"receipt_code must be one of {', '.join(RECEIPT_CODE_MODES)}, not {str(receipt_code)[:20]!r}")
    base = PrinterSpec(
        "none", profile=profile, width=width, dot_width=dot_width, timeout=timeout,
        check_paper=check_paper if status is None else status, paper=paper, cutter=cutter, logo=logo, setting=text,
        receipt_code=receipt_code,  # type: ignore[arg-type]  # checked against RECEIPT_CODE_MODES above
    )
    if kind == "dummy" and not rest:
        return replace(base, kind="dummy")
    if kind == "none" and not rest:
        return base
    if kind == "file" and rest.strip():
        return replace(base, kind="file", target=rest.strip())
    if kind == "preview" and rest.strip():
        return replace(base, kind="preview", target=rest.strip())
    if kind == "network" and rest:
        host, port = _host_port(text, rest)
        return replace(base, kind="network", target=host, port=port)
    if kind == "usb" and rest:
        vendor, product = _usb_ids(text, rest)
        return replace(base, kind="usb", vendor_id=vendor, product_id=product)
    if kind == "serial" and rest:
        device, baud = _device_baud(text, rest)
        return replace(base, kind="serial", target=device, baudrate=baud)
    known = kind in ("none", "dummy", "file", "network", "usb", "serial", "preview")
    raise _bad(text, "incomplete printer setting" if known else "unknown kind of printer")


def _bad(setting: str, problem: str) -> PrinterNotConfigured:
    forms = ", ".join(ACCEPTED_FORMS)
    return PrinterNotConfigured(address=_shown(setting), reason=f"{problem}; use one of: {forms}")


def _shown(setting: str) -> str:
    """The setting as a message may quote it: one line, not too long."""
    text = setting.encode("utf-8", "backslashreplace").decode("utf-8")
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return (text if len(text) <= 60 else text[:59] + "…") or "(empty)"


def _ascii_number(text: str, max_digits: int) -> int | None:
    """``text`` as a number if it is 1 to ``max_digits`` ASCII digits."""
    if not (text.isascii() and text.isdigit() and len(text) <= max_digits):
        return None
    return int(text)


def _check_options(setting: str, profile: str, width: int, dot_width: int, timeout: float) -> None:
    if not 24 <= width <= 96:
        raise _bad(setting, f"width must be 24 to 96 characters, not {width}")
    if dot_width and not 8 * 24 <= dot_width <= 2048:
        raise _bad(setting, f"dot_width must be 192 to 2048 dots, not {dot_width}")
    if not 0 < timeout <= 120:
        raise _bad(setting, f"timeout must be between 0 and 120 seconds, not {timeout}")
    from escpos.capabilities import CAPABILITIES

    if profile not in CAPABILITIES["profiles"]:
        known = ", ".join(sorted(CAPABILITIES["profiles"]))
        raise PrinterNotConfigured(address=_shown(setting), reason=f"unknown printer profile {profile!r}; known: {known}")


def _host_port(setting: str, rest: str) -> tuple[str, int]:
    if rest.startswith("["):  # network:[fe80::1]:9100
        host, _, tail = rest[1:].partition("]")
        port_text = tail[1:] if tail.startswith(":") else tail
    elif rest.count(":") > 1:  # a bare IPv6 address, default port
        host, port_text = rest, ""
    else:
        host, _, port_text = rest.partition(":")
    host = host.strip()
    if not host or any(ch.isspace() or ch in "/\\" for ch in host):
        raise _bad(setting, f"{host or 'the host'!r} is not a host name or IP address")
    if not port_text:
        return host, DEFAULT_NETWORK_PORT
    port = _ascii_number(port_text, 5)
    if port is None or not 0 < port < 65536:
        raise _bad(setting, f"{port_text[:10]!r} is not a TCP port (1-65535)")
    return host, port


def _usb_ids(setting: str, rest: str) -> tuple[int, int]:
    parts = rest.split(":")
    if len(parts) != 2:
        raise _bad(setting, "a USB printer needs a vendor and a product id")
    found = [USB_ID.fullmatch(p.strip().lower()) for p in parts]
    if not all(found):
        raise _bad(setting, "USB ids are 1 to 4 hexadecimal digits each, e.g. usb:04b8:0202")
    ids = [int(match.group(1), 16) for match in found if match]
    if not all(0 < i <= 0xFFFF for i in ids):
        raise _bad(setting, f"{rest!r} are not USB ids (0001-ffff)")
    return ids[0], ids[1]


def _device_baud(setting: str, rest: str) -> tuple[str, int]:
    device, sep, baud_text = rest.rpartition(":")
    if not sep or not (baud_text.isascii() and baud_text.isdigit()):
        device, baud_text = rest, str(DEFAULT_BAUDRATE)
    device = device.strip()
    if not device:
        raise _bad(setting, "a serial printer needs a device such as /dev/ttyUSB0 or COM3")
    baud = _ascii_number(baud_text, 6)
    if baud not in SERIAL_SPEEDS:
        raise _bad(setting, f"{baud_text[:10]} is not a serial speed (9600, 19200, 38400, 57600, 115200...)")
    return device, baud
