"""What a receipt printer is: paper, characters per line, dots, code pages, cutter, logo.

The model's facts come from python-escpos's capability profiles (``profile = "TM-T88V"``,
``"TM-T20II"``, ``"POS-5890"``...: paper width in dots, the code pages it has, whether it
has a cutter); the shop's roll from the ``paper`` setting:

    paper   characters (font A, 12 dots)   dots a line (unless the profile has fewer)
    80 mm   42                              512 (TM-T88 class; 576 on 203 dpi models: dot_width)
    58 mm   32                              384

``PrinterProfile`` is the two put together, as ``kassa printer status`` and the test page
show it, and as the renderer uses it.  Which of the chain's scripts the model prints as
text (``SCRIPTS``) is worked out from its code pages: Ukrainian and English through
CP866/CP1251/CP437, Azerbaijani through CP857/CP1254 except ə, Georgian never (no ESC/POS
code page has it): those go as pictures drawn with the bundled fonts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from hardware.printer_config import PrinterSpec

PAPER_DOTS = {80: 512, 58: 384}
PAPER_CHARACTERS = {80: 42, 58: 32}
DOTS_PER_CHARACTER = 12  # font A on nearly every 80 mm and 58 mm receipt printer
SCRIPTS = {  # a few letters each script needs
    "English": "Shampoo, apples £",
    "Ukrainian": "Ґанок Їжак Єнот іі ь",
    "Azerbaijani": "Şəki halvası ğ ç ö ü ı İ",
    "Georgian": "ხაჭაპური",
}


@dataclass(frozen=True, slots=True)
class PrinterProfile:
    name: str  # python-escpos profile
    paper: int  # mm
    width: int  # characters a line
    dot_width: int
    code_pages: tuple[str, ...]
    cutter: bool  # the setting wants a cut and the model has a cutter

    def lines(self) -> list[str]:
        """The profile in plain English, one fact a line."""
        pages = ", ".join(self.code_pages[:12]) + (" ..." if len(self.code_pages) > 12 else "")
        return [
            f"profile {self.name}: {self.paper} mm paper, {self.width} characters a line, {self.dot_width} dots",
            f"cutter: {'yes' if self.cutter else 'no (the receipt is fed out to the tear bar)'}",
            f"code pages: {pages or 'none known'}",
        ]


@lru_cache(maxsize=16)
def _profile_data(name: str) -> dict[str, Any]:
    from escpos.printer import Dummy

    return dict(Dummy(profile=name).profile.profile_data)


def profile_dots(name: str) -> int:
    """The profile's printable dots a line, 0 when it does not say."""
    try:
        return int(_profile_data(name)["media"]["width"]["pixels"])
    except (KeyError, TypeError, ValueError):
        return 0


def has_cutter(name: str) -> bool:
    features = _profile_data(name).get("features", {})
    return bool(features.get("paperFullCut") or features.get("paperPartCut"))


def dot_width(spec: PrinterSpec) -> int:
    """Dots a line: the setting's, else the paper's, never more than the model has."""
    model = profile_dots(spec.profile)
    wanted = spec.dot_width or PAPER_DOTS.get(spec.paper, 0) or spec.width * DOTS_PER_CHARACTER
    return min(wanted, model) if model else wanted


def printer_profile(spec: PrinterSpec) -> PrinterProfile:
    pages = sorted({str(p) for p in _profile_data(spec.profile).get("codePages", {}).values() if p != "Unknown"})
    return PrinterProfile(spec.profile, spec.paper, spec.width, dot_width(spec), tuple(pages),
                          spec.cutter and has_cutter(spec.profile))
