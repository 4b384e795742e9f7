"""Every user-visible string goes through gettext, and every language has every string."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from pos.i18n import LANGUAGES, LOCALE_DIR, translator

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def source_messages() -> set[str]:
    found = set()
    for package in ("pos", "ui", "shell", "hardware", "local_db", "sync"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_every_message_is_translated_with_the_same_placeholders(language):
    with (LOCALE_DIR / language / "LC_MESSAGES" / "kassa.po").open("rb") as fp:
        catalog = read_po(fp)
    missing, broken = [], []
    for msgid in sorted(source_messages()):
        entry = catalog.get(msgid)
        if entry is None or not entry.string:
            missing.append(msgid)
            continue
        text = entry.string if isinstance(entry.string, str) else entry.string[0]
        if set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(msgid)):
            broken.append(msgid)
    assert missing == [], f"{len(missing)} messages lack a {language} translation"
    assert broken == []


def test_the_ukrainian_catalog_is_used_for_the_ukrainian_locale():
    assert translator("uk_UA").gettext("Sign in first.") != "Sign in first."
    assert translator("xx").gettext("Sign in first.") == "Sign in first."


DECIMAL_NUMBER = re.compile(r"\d[.,]\d")


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_a_number_written_in_a_translation_uses_the_languages_decimal_sign(language):
    """An example such as "0.350" is written as the till shows numbers there ("0,350")."""
    from babel.numbers import get_decimal_symbol

    point = get_decimal_symbol(language)
    with (LOCALE_DIR / language / "LC_MESSAGES" / "kassa.po").open("rb") as fp:
        catalog = read_po(fp)
    wrong = [
        text
        for message in catalog
        if message.id
        for text in ([message.string] if isinstance(message.string, str) else message.string)
        if any(found[1] != point for found in DECIMAL_NUMBER.findall(text))
    ]
    assert wrong == []
