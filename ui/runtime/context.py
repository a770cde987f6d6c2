"""What every screen needs, handed to it explicitly: the worker, this PC's settings, and the
signals that tell views to refresh. No module-level globals, so tests build a fresh context
per test and nothing leaks between them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from models.org.offices import OfficeInfo, office
from models.org.people import Actor
from models.org.settings import Settings, save_settings
from ui.runtime.language import apply_language
from ui.runtime.worker import DbWorker

if TYPE_CHECKING:
    from models.sync.enrolment import Me


class AppContext(QObject):
    """The running app as screens see it.

    Signals:
        data_changed(OpChanges): an act (ui/runtime/ops.py Op) or a sync run changed records
            of these kinds; views showing them reload (Anki's operation_did_execute habit:
            views are told, not called).
        settings_changed(): the settings were saved (name, unit, role, language, folder).
        office_changed(): the saved settings name another customs office; views showing its
            units, incidents or cases reload (after settings_changed).
        language_changed(): the UI language switched; every screen retranslates its texts.
        database_ready(): the database is open and seeded; screens may load.
        standing_changed(): this PC's enrolment (hence the person and role acting) or the
            office's list of PCs changed (set_standing); screens offering acts by role
            refresh, as after settings_changed.
        sync_requested(): an act stored something only a sync takes to the share (an
            approval): the sync runs now rather than at its next interval.
    """

    data_changed = Signal(object)
    settings_changed = Signal()
    office_changed = Signal()
    language_changed = Signal()
    database_ready = Signal()
    standing_changed = Signal()
    sync_requested = Signal()

    def __init__(self, data_dir: Path, settings: Settings, worker: DbWorker) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.settings = settings
        self.worker = worker
        self.standing: Me | None = None
        """This PC in the office's enrolment (models.sync.enrolment), once loaded."""

    @property
    def actor(self) -> Actor:
        """Who acts: the person and role the office enrolled this PC for; the settings' name
        and role only while it is not enrolled (editing settings.json changes no grant)."""
        grant = self.standing.grant if self.standing is not None else None
        if grant is None:
            return self.settings.actor()
        return grant.actor(unit=self.settings.unit_key)

    def set_standing(self, standing: Me) -> None:
        changed = standing != self.standing  # the whole state: a revocation, a pin, a request
        self.standing = standing
        if changed:
            self.standing_changed.emit()

    @property
    def office(self) -> OfficeInfo:
        return office(self.settings.office_code)

    def update_settings(self, settings: Settings) -> None:
        """Save and announce new settings (a small local file: written on the GUI thread).

        Without retries: a file another program holds for a moment would otherwise freeze
        the window for up to 1.5 s (models.core.files); the refusal is said, and Save again
        works."""
        save_settings(self.data_dir, settings, delays=())
        language_switched = settings.language != self.settings.language
        office_switched = settings.office_code != self.settings.office_code
        self.settings = settings
        self.settings_changed.emit()
        if office_switched:
            self.office_changed.emit()
        if language_switched:
            apply_language(settings.language)
            self.language_changed.emit()
