"""Before a form prints with characters its font lacks: which ones, in which field, and the
choice to go back and change the text or print anyway.

Why ask rather than just print: a name on a signed paper must be right, and a 〓 found after
signing means a new paper and new signatures. Why still allow printing: a name may have no
other spelling (a rare character of a household register); the clerk then writes it in by
hand on the paper.

The box is opened window-modal with `open()`, not `exec()`: the window keeps its event loop
(the worker's answers still arrive) and a test drives the real box.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from forms.coverage import MissingGlyphs, describe
from forms.fonts import MISSING_GLYPH
from i18n import _, ngettext

__all__ = ["MissingGlyphsBox"]

SHOWN_FIELDS = 10
"""Fields listed in the box itself; all of them are in its details, so the box stays on the
screen however many table rows hold a rare character."""


class MissingGlyphsBox(QMessageBox):
    """The warning; `print_anyway` and `go_back` are its two buttons (Esc goes back)."""

    def __init__(self, missing: Sequence[MissingGlyphs], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("missing_glyphs")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setIcon(QMessageBox.Icon.Warning)
        # Field names come from the form, which may hold anything a user typed.
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWindowTitle(_("Characters the form cannot print"))
        lines = [describe(m) for m in missing]
        shown = lines if len(lines) <= SHOWN_FIELDS else [
            *lines[:SHOWN_FIELDS - 1],
            ngettext("… and {count} more field (see the details)",
                     "… and {count} more fields (see the details)",
                     len(lines) - SHOWN_FIELDS + 1).format(count=len(lines) - SHOWN_FIELDS + 1)]
        self.setText("\n".join([
            _("These characters are not in the form's font; each would print as {mark}:")
            .format(mark=MISSING_GLYPH), "", *shown, "",
            _("Go back to change the text, or print anyway and write the characters in by hand "
              "on the paper.")]))
        if len(lines) > SHOWN_FIELDS:
            self.setDetailedText("\n".join(lines))
        self.go_back = self.addButton(_("Go back and fix"), QMessageBox.ButtonRole.RejectRole)
        self.print_anyway = self.addButton(_("Print anyway"),
                                           QMessageBox.ButtonRole.AcceptRole)
        self.setDefaultButton(self.go_back)
        self.setEscapeButton(self.go_back)
