"""What every screen needs, handed to it explicitly: the worker, this PC's settings, and the
signals that tell views to refresh. No module-level globals, so tests build a fresh context
per test and nothing leaks between them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from models.org.offices import OfficeInfo, office
from models.org.people import Actor
from models.org.settings import Settings, save_settings
from ui.runtime.language import apply_language
from ui.runtime.worker import DbWorker


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
    """

    data_changed = Signal(object)
    settings_changed = Signal()
    office_changed = Signal()
    language_changed = Signal()
    database_ready = Signal()

    def __init__(self, data_dir: Path, settings: Settings, worker: DbWorker) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.settings = settings
        self.worker = worker

    @property
    def actor(self) -> Actor:
        return self.settings.actor()

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
