"""Help > About: the version, and the parts of other people the program is built from, each
with its licence and the full licence text.

Why a dialog of its own rather than a message box: the licences of the bundled parts
(LGPL-3.0 for Qt, MIT and BSD for the Python libraries, OGDL-Taiwan for the font, whose
attribution must be shown) require their texts to travel with the program, and a user or an
auditor must be able to read them on a PC without Internet access. The list is
appinfo/third_party.py; the texts are shipped under resources/.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from appinfo.meta import APP_NAME, VERSION
from appinfo.resources import resource_path
from appinfo.third_party import COMPONENTS, Component
from i18n import _
from ui.runtime.naming import named


def licence_text(component: Component) -> str:
    """The full text(s) of *component*'s licence, each file under its name; a missing file is
    said, not raised (an About box must open even in a damaged installation)."""
    parts = []
    for name in component.files:
        path = resource_path(*name.split("/"))
        try:
            body = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            body = _("(This licence text is missing from the installation: {path})").format(
                path=path)
        parts.append(body if len(component.files) == 1 else f"━━━ {path.name} ━━━\n\n{body}")
    return "\n\n".join(parts)


class AboutDialog(QDialog):
    """The version, a table of the bundled parts and the selected part's licence text."""

    COLUMNS = 4

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.setWindowTitle(_("About CrisisDesk"))
        self.heading = named(QLabel(), "about_heading")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        self.heading.setText(
            f"<h2>{APP_NAME} {VERSION}</h2><p>"
            + _("Crisis management for the customs offices of the Customs Administration, "
                "Ministry of Finance.") + "</p><p>"
            + _("Built on Qt {qt}. The parts below are the work of others, used under their "
                "licences; choose one to read its licence.").format(qt=qVersion()) + "</p>")
        self.table = named(QTableWidget(len(COMPONENTS), self.COLUMNS), "about_components")
        self.table.setHorizontalHeaderLabels([_("Component"), _("Version"), _("Licence"),
                                              _("Used for")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for row, component in enumerate(COMPONENTS):
            cells = [component.name, component.version(), component.licence,
                     _(component.purpose)]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        for column in range(self.COLUMNS - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.COLUMNS - 1, QHeaderView.ResizeMode.Stretch)
        self.note = named(QLabel(), "about_note")
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text = named(QPlainTextEdit(), "about_licence_text")
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.buttons = named(QDialogButtonBox(QDialogButtonBox.StandardButton.Close),
                             "about_buttons")
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.note)
        layout.addWidget(self.text, 4)
        layout.addWidget(self.buttons)
        self.table.currentCellChanged.connect(lambda row, *_rest: self.show_licence(row))
        self.table.selectRow(0)
        self.resize(900, 720)

    def show_licence(self, row: int) -> None:
        """Show the licence of the part in *row*, with its note and required attribution."""
        component = COMPONENTS[row]
        lines = [_("{name}: {licence}").format(name=component.name, licence=component.licence)]
        if component.attribution:
            lines.append(_("Attribution: {text}").format(text=component.attribution))
        if component.note:
            lines.append(_(component.note))
        self.note.setText("\n".join(lines))
        self.text.setPlainText(licence_text(component))
