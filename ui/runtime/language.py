"""Switching the UI language while the app runs.

Our own strings come from gettext (i18n/); Qt's own texts (standard dialog buttons, context
menus, the wizard's Back/Next) need Qt's catalog, qtbase_zh_TW.qm, which ships inside PySide6.
The translator is parented to the application object, so there is no module-level state and
the next switch finds and replaces it.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from i18n import current_language, is_pseudo, set_language

QT_CATALOGS = {"zh_TW": "qtbase_zh_TW"}
QT_LOCALES = {"zh_TW": "zh_TW", "en": "en_US"}


PSEUDO_VARIABLE = "CRISISDESK_PSEUDO"
"""Set to 1 (or start with `main.py --pseudo`) to lengthen every text by 40 % and see which
layout breaks: a developer's check (Vorta's TRANS_SCALE), not a user's setting."""


def pseudo_requested() -> bool:
    return os.environ.get(PSEUDO_VARIABLE, "") not in ("", "0")


def apply_language(code: str) -> None:
    """Make *code* the language of gettext and of Qt's own widgets (pseudo-localized when the
    developer's switch asks for it)."""
    pseudo = pseudo_requested()
    # At start main.py has set it already: reading the catalog again cost 10-25 ms before
    # the window could show.
    if (current_language(), is_pseudo()) != (code, pseudo):
        set_language(code, pseudo)
    app = QCoreApplication.instance()
    if app is None:
        return
    for old in app.findChildren(QTranslator, "crisisdesk-qt"):
        QCoreApplication.removeTranslator(old)
        old.deleteLater()
    QLocale.setDefault(QLocale(QT_LOCALES.get(code, "C")))
    catalog = QT_CATALOGS.get(code)
    if catalog is None:
        return
    translator = QTranslator(app)
    translator.setObjectName("crisisdesk-qt")
    directory = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(catalog, directory):
        QCoreApplication.installTranslator(translator)
    else:  # a stripped Qt: our strings still switch, Qt's buttons stay English
        translator.deleteLater()
