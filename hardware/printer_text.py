"""The last step before a receipt's text becomes printer bytes or dots: nothing in the data
may reach the printer as a command.

An ESC/POS printer obeys any control byte it finds in the stream: ``ESC p`` kicks the cash
drawer open, ``GS V`` cuts, ``DLE EOT`` asks for a status, ``FS`` switches to kanji mode,
``ESC @`` resets it.  python-escpos sends characters below 128 as they are and looks the
others up in the code page tables (which give only bytes 128-255), so the only way data can
turn into commands is a C0 control character (U+0000-U+001F) or DEL in the text.  The
receipt layout (``pos.receipt_layout.clean_text``) already removes them, but a row may come
from elsewhere (a future layout, a test page, a reprint of old data), so the renderers clean
again here: every control character (C0, DEL, C1 U+0080-U+009F), format character,
surrogate, private-use or unassigned code point and line or paragraph separator becomes a
plain space.  A space keeps the row's width, so the layout's columns stay aligned; the
renderer's own line feeds and commands are added after this step.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


@lru_cache(maxsize=4096)
def _is_unsafe(ch: str) -> bool:
    return unicodedata.category(ch) in UNSAFE_CATEGORIES


def printer_safe(text: str) -> str:
    """``text`` with every character that is not plain printable text replaced by a space."""
    if text.isprintable():  # no C* or Z* character but the ASCII space: the usual case
        return text
    return "".join(" " if _is_unsafe(ch) else ch for ch in text)
