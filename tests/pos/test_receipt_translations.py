"""The receipt is printed in the store's language from the real catalogs in pos/locale,
read here straight from the .po files (not through the code under test, nor a stub)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from pos.receipt_layout import LABELS, layout_receipt
from tests.fakes import STORE
from tests.hardware.samples import sample_receipt

LOCALE_DIR = Path(__file__).resolve().parents[2] / "pos" / "locale"
SHOWN = ("copy", "total", "to_pay", "rounding", "cash", "change")  # labels without fields on this receipt


def catalog_text(language: str, msgid: str) -> str:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "kassa.po").open("rb") as fp:
        entry = read_po(fp).get(msgid)
    assert entry is not None and entry.string, f"{language} has no translation of {msgid!r}"
    return str(entry.string)


@pytest.mark.parametrize(("locale", "language"), [("uk_UA", "uk"), ("az_AZ", "az"), ("ka_GE", "ka")])
def test_the_receipt_labels_are_the_store_languages_own_words(locale, language):
    receipt = sample_receipt(store=replace(STORE, locale=locale), is_copy=True, tendered="1000", rounding="0.10")
    text = "\n".join(row.text for row in layout_receipt(receipt).rows)
    for key in SHOWN:
        words = catalog_text(language, LABELS[key])
        assert words != LABELS[key]
        assert words in text, f"{locale}: {LABELS[key]!r} should print as {words!r}"
    cashier = catalog_text(language, LABELS["cashier"]).format(name="Olena")
    assert cashier in text
    assert "TOTAL" not in text and "Change" not in text


def test_a_store_of_a_language_without_a_catalog_prints_english():
    receipt = sample_receipt(store=replace(STORE, locale="de_DE"), is_copy=True, rounding="0.10")
    text = "\n".join(row.text for row in layout_receipt(receipt).rows)
    assert all(LABELS[key] in text for key in SHOWN)
