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


# -- the glossary (docs/glossary.md) ------------------------------------------------------
CREDENTIAL_REFUSED = ("The hub at {hub} refused this till's credential (wrong or revoked). Ask IT for a new "
                      "enrolment code and run: kassa enrol --hub URL --code CODE")
# term: the messages that name it, then per language the stems one of which each must use
GLOSSARY: dict[str, tuple[list[str], dict[str, list[str]]]] = {
    "void": (["Void", "Void line", "Void line {number}: {name}?", "Voided", "That line is voided.",
              "That line is already voided."], {"uk": ["сторн"], "az": ["sil"], "ka": ["წაშ", "წავშალ"]}),
    "cancel": (["Esc  Cancel", "Esc  Cancel payment", "The sale is being paid: finish or cancel the payment first."],
               {"uk": ["скас"], "az": ["imtina"], "ka": ["გაუქმ", "გააუქმ"]}),
    "close": (["Esc  Close"], {"uk": ["закр"], "az": ["bağla"], "ka": ["დახურ"]}),
    "sale": (["Sale {sale_id}", "No sales yet.", "No sales in quarantine.", "Sales the hub refused"],
             {"uk": ["продаж"], "az": ["satış"], "ka": ["გაყიდვ"]}),
    "receipt": (["Receipt", "Receipt No. {number}", "Next receipt: {number}", "Receipt {number} saved",
                 "Reprint a receipt", "Printing a copy of receipt {number}."],
                {"uk": ["чек"], "az": ["çek"], "ka": ["ჩეკ"]}),
    "copy": (["COPY", "Enter  Print copy", "Printing a copy of receipt {number}."],
             {"uk": ["копі"], "az": ["surət"], "ka": ["ასლ"]}),
    "change": (["Change", "Change: {amount}"], {"uk": ["решт"], "az": ["qaytarılan"], "ka": ["ხურდ"]}),
    "cash": (["Cash", "Cash received", "Pay cash", "Cash due: {due}"],
             {"uk": ["готівк"], "az": ["nağd"], "ka": ["ნაღდ"]}),
    "card": (["Card"], {"uk": ["картк"], "az": ["kart"], "ka": ["ბარათ"]}),
    "total": (["Total", "TOTAL"], {"uk": ["сума"], "az": ["cəmi"], "ka": ["ჯამ", "სულ"]}),
    "vat": (["VAT", "VAT {amount}", "VAT {code} {percent}%"], {"uk": ["пдв"], "az": ["ədv"], "ka": ["დღგ"]}),
    "quantity": (["Quantity", "{name}: new quantity"], {"uk": ["кількість"], "az": ["miqdar"], "ka": ["რაოდენობ"]}),
    "weight": (["Weight", "{name}: new weight in kg"], {"uk": ["ваг"], "az": ["çəki"], "ka": ["წონ"]}),
    "price": (["Price"], {"uk": ["ціна"], "az": ["qiymət"], "ka": ["ფას"]}),
    "cashier": (["Cashier", "Cashier number", "Cashier: {name}", "Wrong cashier number or PIN."],
                {"uk": ["касир"], "az": ["kassir"], "ka": ["მოლარ"]}),
    "till": (["Till: {till}", "Store {store} / Till {till}", "Printing is disabled on this till."],
             {"uk": ["кас"], "az": ["kassa"], "ka": ["სალარო"]}),
    "sign in": (["Sign in", "Sign in first."], {"uk": ["увій"], "az": ["daxil ol"], "ka": ["შესვლ", "შედით"]}),
    "sign out": (["Ctrl+L\nSign out"], {"uk": ["вий"], "az": ["çıxış"], "ka": ["გასვლ"]}),
    "online": (["Online"], {"uk": ["на зв"], "az": ["onlayn"], "ka": ["ონლაინ"]}),
    "offline": (["Offline"], {"uk": ["немає зв"], "az": ["oflayn"], "ka": ["ოფლაინ"]}),
    "waiting to send": (["Waiting to send: {count}"],
                        {"uk": ["очікують надсилання"], "az": ["göndərilməyi gözləyir"], "ka": ["ელოდება გაგზავნას"]}),
    "quarantine": (["Quarantined", "Quarantined: {count}", "No sales in quarantine."],
                   {"uk": ["карантин"], "az": ["karantin"], "ka": ["კარანტინ"]}),
    "hub": (["Hub problem", "This till is not linked to a hub.", "Sales the hub refused"],
            {"uk": ["хаб"], "az": ["hab"], "ka": ["ჰაბ"]}),
    "credential": (["This till has no hub credential: {reason}", CREDENTIAL_REFUSED],
                   {"uk": ["облікові дані", "облікових даних"], "az": ["etimadnamə"], "ka": ["წვდომის მონაცემ"]}),
    "enrolment": (["The hub at {hub} refused the enrolment code: {reason}", CREDENTIAL_REFUSED],
                  {"uk": ["реєстрац"], "az": ["qeydiyyat"], "ka": ["რეგისტრაცი"]}),
}
AVOID = {  # words a term's messages must not use (they belong to another term, or mislead)
    "void": {"uk": ["скас"], "az": ["ləğv"], "ka": ["გაუქმ"]},
    "cancel": {"uk": ["сторн"], "az": ["sil", "ləğv"], "ka": ["წაშ"]},
    "credential": {"uk": ["сертифікат"], "az": ["sertifikat"], "ka": ["სერთიფიკატ"]},
}
MUST_DIFFER = [("void", "cancel"), ("void", "close"), ("online", "offline"), ("sign in", "sign out"),
               ("cash", "card"), ("total", "change")]
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]
KEY_NAME = re.compile(r"^(esc|enter|ctrl\+\w)\s+")  # "Esc  Ləğv et" is the word "Ləğv et" on a key


def _folded(text: str) -> str:
    return text.replace("İ", "i").lower()  # Azerbaijani İ lower-cases to i + a combining dot otherwise


def _translations(language: str) -> dict[str, str]:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "kassa.po").open("rb") as fp:
        catalog = read_po(fp)
    return {m.id: _folded(m.string) for m in catalog if isinstance(m.id, str) and isinstance(m.string, str)}


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_glossary_term_is_translated_with_the_glossarys_word(language):
    translations = _translations(language)
    wrong = [
        (term, msgid, translations.get(msgid))
        for term, (msgids, stems) in GLOSSARY.items()
        for msgid in msgids
        if not any(stem in translations.get(msgid, "") for stem in stems[language])
    ]
    assert wrong == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_glossary_term_uses_a_word_to_avoid(language):
    translations = _translations(language)
    wrong = [
        (term, msgid, word)
        for term, avoid in AVOID.items()
        for msgid in GLOSSARY[term][0]
        for word in avoid[language]
        if word in translations[msgid]
    ]
    assert wrong == []


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("first,second", MUST_DIFFER)
def test_two_terms_that_must_differ_never_share_a_word(language, first, second):
    """The key that voids a line and the key that closes a dialog must not both say «Скасувати»."""
    translations = _translations(language)
    first_texts = {KEY_NAME.sub("", translations[m]) for m in GLOSSARY[first][0]}
    second_texts = {KEY_NAME.sub("", translations[m]) for m in GLOSSARY[second][0]}
    assert not first_texts & second_texts
    assert not [s for s in GLOSSARY[first][1][language] if any(s in text for text in second_texts)]
    assert not [s for s in GLOSSARY[second][1][language] if any(s in text for text in first_texts)]


def test_the_glossary_document_shows_every_word_the_catalogs_must_use():
    document = _folded((ROOT / "docs" / "glossary.md").read_text(encoding="utf-8"))
    missing = [
        (term, stem)
        for term, (_msgids, stems) in GLOSSARY.items()
        for language in TRANSLATED
        for stem in stems[language]
        if stem not in document
    ]
    assert missing == []
