"""Defaults for a PC's first run, set by IT staff in a file beside the program.

IT installs the app on many PCs of one office; a small JSON file, crisisdesk-defaults.json,
beside the executable (docs/it-defaults.md) saves every user from choosing the office and
typing the shared folder's UNC path. The first-run dialog starts from these values and the
user may still change each of them; nothing here ever overrides saved settings.

The file is untrusted input (typed by hand, copied around): it is read with the same checks
as the exchange formats, all or nothing. A file with any problem is ignored as a whole, the
problem is logged, and the first-run dialog and `main.py selftest` say what is wrong and
where, so a typo in one field cannot leave a PC half set up without anyone noticing. The app
never fails to start because of it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from appinfo.resources import install_dir
from i18n import DEFAULT_LANGUAGE, N_
from models.core.errors import UserError, ValidationError, os_reason
from models.core.json_reader import JsonReader, check_format, load_json
from models.core.keytext import decode_key
from models.org.offices import office as office_info
from models.org.settings import (
    DEFAULT_OFFICE,
    Settings,
    read_language,
    read_office,
    read_share_folder,
)

log = logging.getLogger(__name__)

DEFAULTS_FILE = "crisisdesk-defaults.json"
FORMAT = "crisisdesk-defaults"
FORMAT_VERSION = 1
MAX_BYTES = 64 * 1024
"""A defaults file holds a few lines; anything larger is not one."""
FIELDS = ("format", "format_version", "office", "unit", "language", "share_folder", "authority")


@dataclass(frozen=True)
class ItDefaults:
    """What the first run starts from, and what became of the file."""

    path: Path
    settings: Settings
    """The file's values over the app's own defaults (the app's alone when there is no usable
    file); the user's name is left to the caller."""
    found: bool = False
    error: UserError | None = None
    """Why the file was ignored; None when it was used or is absent."""
    authority: bytes | None = None
    """The office authority's public key, when IT names it: every PC of the office trusts that
    authority and no other (docs/trust.md), read at every sync, not only at the first run."""

    @property
    def used(self) -> bool:
        return self.found and self.error is None


def parse_defaults(data: bytes) -> tuple[Settings, bytes | None]:
    """The settings a defaults file describes, and the authority's key if it names one;
    `ValidationError` names the field at fault. Office, language and shared folder are read
    with the settings file's own checks."""
    root = JsonReader(load_json(data, wrong_kind=N_("is not a defaults file"),
                                max_bytes=MAX_BYTES))
    root.obj(allowed=FIELDS)
    check_format(root, FORMAT, FORMAT_VERSION)
    office = read_office(root.get("office", optional=True, default=DEFAULT_OFFICE))
    unit = root.get("unit", optional=True)
    unit_key = "" if unit.is_null else unit.choice([u.key for u in office_info(office).units])
    language = read_language(root.get("language", optional=True, default=DEFAULT_LANGUAGE))
    folder = read_share_folder(root.get("share_folder", optional=True, default=""))
    authority = None
    given = root.get("authority", optional=True)
    if not given.is_null:
        authority = decode_key(given.string(max_length=64))
        if authority is None:
            raise ValidationError("authority", N_(
                "is not the authority's key as `main.py trust list` prints it"))
    return Settings(office_code=office, unit_key=unit_key, language=language,
                    share_folder=folder), authority


def load_it_defaults(folder: Path | None = None) -> ItDefaults:
    """Read crisisdesk-defaults.json from *folder* (the program's folder by default).

    Never raises: a missing file gives the app's own defaults, a bad one the same plus the
    reason, which is also logged as a warning."""
    path = (folder or install_dir()) / DEFAULTS_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return ItDefaults(path, Settings())
    except OSError as exc:  # a folder of that name, no permission, a locked file
        error = UserError(N_("cannot be read: {reason}"), reason=os_reason(exc))
        return _ignored(path, error)
    try:
        settings, authority = parse_defaults(data)
        return ItDefaults(path, settings, found=True, authority=authority)
    except ValidationError as exc:
        return _ignored(path, exc)


def _ignored(path: Path, error: UserError) -> ItDefaults:
    log.warning("IT defaults file %s ignored: %s", path, error.message())
    return ItDefaults(path, Settings(), found=True, error=error)
