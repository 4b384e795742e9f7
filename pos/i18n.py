"""The one translation mechanism: gettext catalogs in pos/locale/<lang>/LC_MESSAGES/kassa.po.

Every user-visible string is written as ``_("English text")`` (or marked with ``N_`` where
it is translated later, as in error classes).  Catalogs are .po files read with Babel at
start-up, so there is no compile step.  The UI language and the receipt language may
differ: :func:`translator` gives a translator for any locale; :func:`_` uses the active one.
"""

from __future__ import annotations

import gettext
import io
from functools import lru_cache
from pathlib import Path
from typing import Protocol

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "kassa"
LANGUAGES = ("en", "uk", "az", "ka")


class Translator(Protocol):
    def gettext(self, message: str, /) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return message


@lru_cache(maxsize=None)
def translator(locale: str) -> Translator:
    """A gettext translator for ``locale`` (``uk_UA``, ``uk``, ``ka``...); English if none exists."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    language = locale.replace("-", "_").split("_")[0]
    po_file = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_file.is_file():
        return gettext.NullTranslations()
    with po_file.open("rb") as fp:
        catalog = read_po(fp, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


_active: list[Translator] = [gettext.NullTranslations()]
_active_locale: list[str] = ["en"]


def set_language(locale: str) -> None:
    _active[0] = translator(locale)
    _active_locale[0] = locale


def active_locale() -> str:
    return _active_locale[0]


def _(message: str) -> str:
    return _active[0].gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _active[0].ngettext(singular, plural, n)


def is_unicode_text(text: str) -> bool:
    """Whether ``text`` can be written out as UTF-8 (it holds no lone surrogate): what a
    setting, a printer address or a message must be before anything stores or prints it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
