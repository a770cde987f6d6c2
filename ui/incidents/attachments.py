"""The files attached to an incident or to one of its records, as a section any panel of the
incident embeds: thumbnails of the photos, an icon for the other kinds, each with its caption,
who attached it and when; files are added by a file dialog or dropped (several at once), and
opened in the system's viewer.

The panel is given the kind of record (models.incidents.attachments.RECORD_KINDS) and, but for
the incident's own, the record's id (set_record): the statements panel embeds one, and so can
the media watch's and the inquiries' panels. The attachments are the loaded incident's
(IncidentView.attachments); the thumbnails are made on the worker, as QImages scaled while
they are read (a QPixmap is made on the GUI thread only), once per file.
"""

from __future__ import annotations

import html
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QIcon, QImage, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from i18n import _
from i18n.formatting import format_datetime
from models.core.errors import UserError
from models.core.files import shown_name
from models.incidents.attachments import SUFFIXES, file_size
from ui.incidents.controller import IncidentController
from ui.runtime.feedback import error_label, error_text, show_at_field, show_error
from ui.runtime.naming import named

if TYPE_CHECKING:
    from models.incidents.attachments import AttachmentInfo
    from models.incidents.queries import IncidentView
    from models.org.people import Actor
    from models.storage.db import Database

THUMBNAIL = 96
"""The side of a thumbnail, in pixels."""

def thumbnail(path: Path) -> QImage | None:
    """The image at *path* scaled within THUMBNAIL while it is read (a large photo is never
    decoded whole), turned as the camera recorded it; None when it cannot be read. Made on
    the worker: a QImage may be, a QPixmap may not."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and not size.isEmpty():
        reader.setScaledSize(size.scaled(THUMBNAIL, THUMBNAIL,
                                         Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return None if image.isNull() else image


class AttachmentsPanel(QWidget):
    """The attachments of one record of the open incident.

    record_kind: 'incident' (the record is the incident itself), or the kind of one of its
    records, whose id set_record gives (none yet: nothing can be attached)."""

    def __init__(self, ctrl: IncidentController, record_kind: str) -> None:
        super().__init__()
        self.setObjectName(f"attachments_{record_kind}")
        self.ctrl = ctrl
        self.record_kind = record_kind
        self.record_id: str | None = None
        self._editable = False
        self._view: IncidentView | None = None
        self._shown: list[AttachmentInfo] = []
        self._images: dict[str, QImage] = {}
        """The thumbnails made, by their file's SHA-256."""
        self.list = named(QListWidget(), f"attachments_{record_kind}_list")
        self.list.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setMinimumHeight(THUMBNAIL + 16)
        self.list.itemActivated.connect(lambda _item: self.open_selected())
        self.list.itemSelectionChanged.connect(self._enable)
        self.caption = named(QLineEdit(), f"attachments_{record_kind}_caption")
        self.caption.setMaxLength(200)
        self.caption.setAcceptDrops(False)  # files dropped on it are attached, not typed
        self.add = named(QPushButton(), f"attachments_{record_kind}_add")
        self.add.clicked.connect(self.choose_files)
        self.open_button = named(QPushButton(), f"attachments_{record_kind}_open")
        self.open_button.clicked.connect(self.open_selected)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.error = error_label(f"attachments_{record_kind}_error")
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # it names files: never markup
        self.caption_label = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.caption_label)
        row.addWidget(self.caption, 1)
        row.addWidget(self.add)
        row.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(row)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        self.setAcceptDrops(True)
        self._enable()

    # ------------------------------------------------------------------ the section's protocol

    def retranslate(self) -> None:
        self.caption_label.setText(_("Caption"))
        self.caption.setPlaceholderText(_("What the files show (given to the files added next)"))
        self.add.setText(_("Attach files…"))
        self.open_button.setText(_("Open the file"))
        self.hint.setText(_("Drop photos, scanned letters, clippings, recordings or documents "
                            "here, or attach them with the button (at most 25 MB a file)."))
        self._fill()

    def show_view(self, view: IncidentView, record_id: str | None = None) -> None:
        """The incident as loaded; the record shown is the incident itself, or *record_id*
        for another kind (as set_record)."""
        self._view = view
        self._editable = view.status == "open"
        self.record_id = view.id if self.record_kind == "incident" else record_id
        self._show()

    def set_record(self, record_id: str | None) -> None:
        """Show the attachments of another record of the incident (None: none)."""
        if record_id != self.record_id:
            self.record_id = record_id
            self.error.hide()
            self._show()

    # ------------------------------------------------------------------ showing

    def _show(self) -> None:
        """The view's attachments of the record, at once; the thumbnails of those images not
        made yet follow from the worker."""
        view, kind, record_id = self._view, self.record_kind, self.record_id
        self._shown = [a for a in (view.attachments if view is not None else ())
                       if record_id is not None and (a.record_kind, a.record_id) == (kind,
                                                                                     record_id)]
        self._fill()
        wanted = [a for a in self._shown if a.is_image and a.sha256 not in self._images]
        if not wanted:
            return

        def make(db: Database) -> dict[str, QImage]:
            from models.incidents.attachments import attachment_path

            made = {a.sha256: thumbnail(attachment_path(db, a)) for a in wanted}
            return {sha: image for sha, image in made.items() if image is not None}

        def made(images: dict[str, QImage]) -> None:
            if images:  # one not made (its file not here yet) is tried at the next showing
                self._images.update(images)
                self._fill()

        self.ctrl.ctx.worker.run("attachment_thumbnails", make, made,
                                 lambda exc: show_error(self, exc))

    def _fill(self) -> None:
        tz = self.ctrl.ctx.settings.timezone
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        selected = self.list.currentRow()
        self.list.clear()
        for info in self._shown:
            image = self._images.get(info.sha256)
            item = QListWidgetItem(
                QIcon(QPixmap.fromImage(image)) if image is not None else icon,
                "\n".join(line for line in (
                    info.filename, info.caption,
                    _("{name}, {time} · {size}").format(
                        name=info.attached_by, size=file_size(info.size),
                        time=format_datetime(info.attached_at, long=False, tz=tz))) if line))
            item.setToolTip(f"<qt>SHA-256 {html.escape(info.sha256)}</qt>")  # as text
            self.list.addItem(item)
        if 0 <= selected < self.list.count():
            self.list.setCurrentRow(selected)
        self._enable()

    def _can_add(self) -> bool:
        """Files may be added: the incident is open and the record saved."""
        return self._editable and self.record_id is not None

    def _enable(self) -> None:
        for widget in (self.add, self.caption):
            widget.setEnabled(self._can_add())
        self.open_button.setEnabled(self.list.currentRow() >= 0)

    # ------------------------------------------------------------------ adding

    def choose_files(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # as the main window's dialogs

        kinds = " ".join(f"*{suffix} *{suffix.upper()}" for suffix in SUFFIXES)
        paths, _filter = QFileDialog.getOpenFileNames(
            self, _("Attach files"), str(Path.home()),
            _("Photos, documents, recordings ({kinds})").format(kinds=kinds))
        if paths:
            self.attach([Path(p) for p in paths])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt's name)
        if self._can_add() and _local_files(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt's name)
        paths = _local_files(event.mimeData().urls())
        if paths and self._can_add():
            event.acceptProposedAction()
            self.attach(paths)
        else:
            event.ignore()

    def attach(self, paths: Sequence[Path]) -> None:
        """Attach each of *paths* with the caption typed; each refused file is named with
        why, the others are attached."""
        incident_id, kind, record_id = self.ctrl.incident_id, self.record_kind, self.record_id
        caption = self.caption.text()
        if record_id is None:
            return
        self.error.hide()

        def store(db: Database, actor: Actor) -> list[tuple[Path, UserError]]:
            from models.incidents.attachments import attach

            refused = []
            for path in paths:
                try:
                    attach(db, actor, incident_id, kind, record_id, path, caption)
                except UserError as exc:
                    refused.append((path, exc))
            return refused

        def done(refused: list[tuple[Path, UserError]]) -> None:
            if len(refused) < len(paths):
                self.caption.clear()
            if refused:
                self.error.setText("\n".join(
                    _("{file}: {problem}").format(file=shown_name(path.name),
                                                  problem=UserError.message(exc))
                    for path, exc in refused))
                self.error.show()

        self.ctrl.act(store, done,
                      lambda exc: show_at_field(self, exc, self.error, {"caption": self.caption}))

    # ------------------------------------------------------------------ opening

    def open_selected(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self._shown):
            return
        info = self._shown[row]

        def copy(db: Database) -> Path:
            from models.incidents.attachments import viewer_copy

            return viewer_copy(db, info, Path(tempfile.mkdtemp(prefix="crisisdesk-")))

        def opened(path: Path) -> None:
            from PySide6.QtGui import QDesktopServices

            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
                self.error.setText(_("No program on this PC opens {file}; it is in {folder}")
                                   .format(file=path.name, folder=path.parent))
                self.error.show()

        def failed(exc: Exception) -> None:
            self.error.setText(error_text(exc))
            self.error.show()

        self.error.hide()
        self.ctrl.ctx.worker.run("open_attachment", copy, opened, failed)


def _local_files(urls: Sequence[QUrl]) -> list[Path]:
    """The local files among dropped *urls* (a link from a browser is no file)."""
    return [Path(url.toLocalFile()) for url in urls if url.isLocalFile()]
