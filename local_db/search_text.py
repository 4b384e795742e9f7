"""From what the cashier typed to an FTS5 query over the catalog's search index.

* Every word must begin a word of the name, brand or code: ``"шамп"* AND ("херб"* OR "herb"*)``.
* Each word is quoted (inner quotes doubled), so nothing typed can be read as FTS5 syntax
  (``AND``, ``NEAR``, ``name:``, ``*``, brackets...).
* Letter case and diacritics are folded by the index itself (unicode61, remove_diacritics 2);
  the words are lower-cased here too, which also folds Georgian Mtavruli to Mkhedruli.
* Azerbaijani ə and ı are also indexed as e and i (``plain_spelling``), for keyboards
  without them: ``gulnare`` finds "Gülnarə".
* A word typed in Cyrillic also matches its plain Latin spelling, because brands are
  printed in Latin letters: ``херб`` finds "Herbal", ``гарн`` finds "Garnier".
"""

from __future__ import annotations

import unicodedata

MAX_SEARCH_WORDS = 8
MAX_SPELLINGS = 3

# a loose Ukrainian/Russian -> Latin spelling, as a shop assistant would read a brand
_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ye", "ё": "yo",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ъ": "", "ы": "y", "э": "e",
    "ю": "yu", "я": "ya", "'": "", "’": "",
}
_LATIN_TABLE = str.maketrans(_LATIN)
_CYRILLIC = frozenset(ch for ch in _LATIN if ch.isalpha())


_PLAIN = str.maketrans({"ə": "e", "Ə": "E", "ı": "i", "İ": "I"})


def plain_spelling(text: str) -> str:
    """``text`` with letters a plain keyboard lacks replaced ("Gülnarə" -> "Gülnare"; the
    index folds ü itself); "" when nothing changes, to keep the index small."""
    if text.isascii() or not ("ə" in text or "ı" in text or "Ə" in text or "İ" in text):  # most names
        return ""
    return text.translate(_PLAIN)


def latin_spellings(word: str) -> list[str]:
    """Plain Latin spellings of a Cyrillic word (``г`` read both as h and as g); [] when
    the word has no Cyrillic letter."""
    if not any(ch in _CYRILLIC for ch in word):
        return []
    spellings = [word.translate(_LATIN_TABLE)]
    if "г" in word:
        spellings.append(word.replace("г", "g").translate(_LATIN_TABLE))
    return [s for s in spellings if s and s.isascii() and any(ch.isalnum() for ch in s)]


def _quoted_prefix(word: str) -> str:
    return '"' + word.replace('"', '""') + '"*'


def search_expression(text: str) -> str | None:
    """The FTS5 query for ``text``; None when there is no letter or digit to search for."""
    terms = []
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)  # NUL ends an FTS5 query
    for word in text.lower().split()[:MAX_SEARCH_WORDS]:
        if not any(ch.isalnum() for ch in word):
            continue
        spellings = [word] + [s for s in latin_spellings(word) if s != word]
        alternatives = [_quoted_prefix(s) for s in spellings[:MAX_SPELLINGS]]
        terms.append(alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")")
    return " AND ".join(terms) or None
