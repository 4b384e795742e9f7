"""Qt's own texts (a line edit's context menu: Undo, Copy, Paste...; standard dialog buttons)
in the UI language, from the translations the Qt binding ships (``qtbase_<lang>.qm``).

Qt 6.11 (as shipped with the binding) has Ukrainian and Georgian; it has no Azerbaijani translation, so an
Azerbaijani till shows Qt's own few texts in English (docs/glossary.md says so)."""

from __future__ import annotations

import logging

from ui.qt import QCoreApplication, QLibraryInfo, QTranslator

log = logging.getLogger(__name__)

QT_CATALOGS = ("qtbase",)  # the widgets' texts; the till uses no other Qt module with texts
_installed: list[QTranslator] = []  # kept alive here: Qt does not own an installed translator


def language_of(ui_locale: str) -> str:
    """``uk_UA``, ``uk-UA`` or ``uk`` -> ``uk``."""
    return ui_locale.replace("-", "_").split("_")[0].lower() or "en"


def install_qt_translations(app: QCoreApplication, ui_locale: str) -> bool:
    """Show Qt's own texts in ``ui_locale``'s language; replaces what an earlier call installed.
    Returns whether Qt has a translation for that language (English needs none)."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    language = language_of(ui_locale)
    if language == "en":
        return True
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for catalog in QT_CATALOGS:
        translator = QTranslator(app)
        if translator.load(f"{catalog}_{language}", folder):
            app.installTranslator(translator)
            _installed.append(translator)
    if not _installed:
        log.info("Qt has no %s translation in %s: its own texts stay in English", language, folder)
    return bool(_installed)
