"""Qt's own texts (a field's context menu, standard buttons) follow the UI language."""

from __future__ import annotations

import pytest

from ui.app import make_application
from ui.qt import QCoreApplication, QLineEdit
from ui.qt_translations import install_qt_translations


@pytest.fixture
def qt_language(qapp):  # noqa: ANN001, ANN201
    """Install Qt's translations for a language; English again after the test."""
    yield lambda ui_locale: make_application(ui_locale=ui_locale)
    install_qt_translations(qapp, "en")


def _context_menu_texts(qtbot) -> list[str]:  # noqa: ANN001
    field = QLineEdit("50")
    qtbot.addWidget(field)
    menu = field.createStandardContextMenu()
    texts = [action.text() for action in menu.actions() if not action.isSeparator()]
    menu.deleteLater()
    return texts


def test_a_fields_context_menu_is_english_on_an_english_till(qtbot, qt_language):
    qt_language("en")
    assert "&Copy" in [text.split("\t")[0] for text in _context_menu_texts(qtbot)]


@pytest.mark.parametrize("ui_locale", ["uk", "uk_UA", "ka"])
def test_a_fields_context_menu_is_in_the_ui_language_where_qt_has_it(qtbot, qt_language, ui_locale):
    qt_language(ui_locale)
    assert QCoreApplication.translate("QLineEdit", "&Copy") != "&Copy"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") != "Cancel"
    texts = [text.split("\t")[0] for text in _context_menu_texts(qtbot)]
    assert not {"&Undo", "&Copy", "&Paste", "Select All"} & set(texts), texts


def test_the_ukrainian_context_menu_says_copy_and_paste_in_ukrainian(qtbot, qt_language):
    qt_language("uk")
    texts = " ".join(_context_menu_texts(qtbot)).replace("&", "")
    assert "Копіювати" in texts and "Вставити" in texts


def test_an_azerbaijani_till_keeps_qts_own_texts_in_english_as_qt_has_no_azerbaijani(qtbot, qt_language):
    qt_language("uk")
    assert install_qt_translations(QCoreApplication.instance(), "az") is False  # the Ukrainian ones are gone too
    assert QCoreApplication.translate("QLineEdit", "&Copy") == "&Copy"
