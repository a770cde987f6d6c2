"""This PC's settings: who uses it, their unit and role, language, and the shared folder.

They are local to the PC (never synced) and kept in a small JSON file beside the database, so
the window can open in the right language before the database worker has even started.

The file is read as strictly as the IT defaults file (models/org/it_defaults.py), with the same
checks: a person, a script or a failing disk may have changed it, and a value nobody checked
breaks the app far from its cause (a time zone "Mars/Olympus" ended the window at its first
date field; a file nested ten thousand lists deep ended every command in a RecursionError).
A damaged file is set aside, never deleted, under a name with the time
(``settings.damaged-20260101T120000Z.json``); until the first-run dialog has saved new
settings, every start and every command says which file and why, and starts from the fields
that passed their checks.
"""

from __future__ import annotations

import errno
import getpass
import io
import json
import logging
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from appinfo.meta import APP_NAME
from i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, _
from models.core.errors import UserError, ValidationError, os_reason
from models.core.files import (
    REPLACE_DELAYS,
    NotRegularFile,
    atomic_write_bytes,
    atomic_write_text,
    open_regular,
    read_regular,
    unique_path,
    utc_stamp,
)
from models.core.json_reader import JsonReader, load_json
from models.org.offices import offices
from models.org.people import Actor, Role
from models.storage.names import DATABASE_FILE

log = logging.getLogger(__name__)
# The settings are read before the log is set up (main() needs their language for --help):
# without a handler of its own, Python would print these warnings on the console, in English.
# They reach the log file once it is in place (they propagate to its handler).
log.addHandler(logging.NullHandler())

SETTINGS_FILE = "settings.json"
DEFAULT_OFFICE = "keelung"
MAX_BYTES = 64 * 1024
"""A settings file holds a few lines; anything larger is not one (and is not read whole)."""
NAME_LIMIT = 100
ACK_MINUTES = range(1, 241)
SHARE_FOLDER_LIMIT = 1000
TIMEZONE_LIMIT = 64
"""IANA names are at most about 30 characters; ZoneInfo itself recurses on a long enough one."""
_DAMAGED = re.compile(r"settings\.damaged-(\d{8}T\d{6}Z)(?:-(\d+))?\.json")


def default_data_dir() -> Path:
    """The user's own data folder (e.g. %LOCALAPPDATA%\\CrisisDesk, ~/.local/share/CrisisDesk)."""
    import platformdirs  # only when no --data-dir is given

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def pc_name() -> str:
    """This computer's name (what a signature records of the PC it came from)."""
    import platform  # not at start: main.py reads it on a thread for the log

    return platform.node()


def login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on some service accounts
        return ""


@dataclass(frozen=True)
class Settings:
    user_name: str = ""
    unit_key: str = ""
    role: Role = Role.UNIT_HEAD
    language: str = DEFAULT_LANGUAGE
    office_code: str = DEFAULT_OFFICE
    share_folder: str = ""
    timezone: str = "Asia/Taipei"
    ack_minutes: int = 10
    """A notification not acknowledged within this many minutes turns red and offers the
    deputy (the procedure says "at once"; the office sets what that means)."""

    def actor(self, unit_name: str = "") -> Actor:
        """Who acts on a PC the office has not enrolled (Actor.declared)."""
        return Actor.declared(self.user_name, self.role, unit=unit_name or self.unit_key,
                              login=login_name(), pc=pc_name())

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)


# -- the rules of each field: the dialogs (validate) and the file (read_settings) share them --


def validate(settings: Settings) -> Settings:
    """Check what the first-run and settings dialogs collect; name the field at fault."""
    name = check_user_name(settings.user_name, "user_name")
    if not settings.unit_key:
        raise ValidationError("unit_key", N_("Choose your unit."))
    if settings.language not in LANGUAGES:
        raise ValidationError("language", N_("Choose a language."))
    check_ack_minutes(settings.ack_minutes, "ack_minutes")
    check_timezone(settings.timezone, "timezone")
    return replace(settings, user_name=name,
                   share_folder=check_share_folder(settings.share_folder, "share_folder"))


def check_user_name(name: str, field: str) -> str:
    """*name* without surrounding blanks: required, at most NAME_LIMIT characters, at least
    one of them visible, none a control character.

    The name is printed on every form and signature, and written into every record's
    "changed by": a name of a zero-width space alone reads as nobody, and a NUL or a line
    break in it breaks the log's lines and the forms'."""
    if not any(unicodedata.category(c)[0] in "LNPS" for c in name):
        raise ValidationError(field, N_("Enter your name."))
    if any(unicodedata.category(c) == "Cc" for c in name):
        raise ValidationError(field, N_("The name holds a control character (a tab, a line "
                                        "break or an invisible code)."))
    if len(name) > NAME_LIMIT:
        raise ValidationError(field, N_("The name is longer than 100 characters."))
    return name.strip()


def check_ack_minutes(minutes: int, field: str) -> int:
    """Minutes within ACK_MINUTES; True is an int to Python, never a number of minutes."""
    if isinstance(minutes, bool) or minutes not in ACK_MINUTES:
        raise ValidationError(
            field, N_("The acknowledgement time must be between 1 and 240 minutes.")
        )
    return minutes


def check_timezone(zone: str, field: str) -> str:
    """A time zone this PC knows (every time shown is converted with it)."""
    if len(zone) <= TIMEZONE_LIMIT:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass  # ValueError: "../x", "/etc/passwd" and other keys that are no zone names
        else:
            return zone
    raise ValidationError(field, N_("must be a time zone this PC knows, such as Asia/Taipei"))


def check_share_folder(folder: str, field: str) -> str:
    """*folder* without surrounding blanks: empty (no sync) or a full path, a UNC path
    (\\\\server\\share) on any platform. The settings dialogs and the IT defaults file
    both check it here."""
    folder = folder.strip()
    if any(unicodedata.category(c) == "Cc" for c in folder):  # a NUL ends the path early
        raise ValidationError(field, N_("The shared folder holds a control character."))
    if folder and not Path(folder).is_absolute() and not folder.startswith("\\\\"):
        raise ValidationError(
            field, N_("The shared folder must be a full path, like \\\\server\\crisis.")
        )
    return folder


def read_office(value: JsonReader) -> str:
    """An office code in a JSON file (settings, IT defaults)."""
    return value.choice([o.code for o in offices()])


def read_language(value: JsonReader) -> str:
    """A language code in a JSON file (settings, IT defaults)."""
    return value.choice(list(LANGUAGES))


def read_share_folder(value: JsonReader) -> str:
    """The shared folder in a JSON file (settings, IT defaults): see check_share_folder."""
    return check_share_folder(value.string(allow_empty=True, max_length=SHARE_FOLDER_LIMIT),
                              value.path)


_FIELDS: dict[str, Callable[[JsonReader], Any]] = {
    "user_name": lambda v: check_user_name(v.string(), v.path),
    # Any key, not only the shipped units': the roster adds units (u-1a2b3c4d5e).
    "unit_key": lambda v: v.key(),
    "role": lambda v: Role(v.choice([r.value for r in Role])),
    "language": read_language,
    "office_code": read_office,
    "share_folder": read_share_folder,
    "timezone": lambda v: check_timezone(v.string(max_length=TIMEZONE_LIMIT), v.path),
    "ack_minutes": lambda v: check_ack_minutes(v.integer(), v.path),
}
"""How each key of settings.json is read: one entry per field of Settings."""
_OBSOLETE: dict[str, Callable[[JsonReader], Any]] = {"pseudo": lambda v: v.boolean()}
"""Keys an older version wrote that are still checked but no longer kept: "pseudo" (the
layout check is a developer's switch now, CRISISDESK_PSEUDO=1, not a user's setting)."""
_REQUIRED = ("user_name", "unit_key")
"""Every saved file has them (validate() refuses settings without); other keys may be absent
in a file an older version wrote, and take their defaults."""


def parse_settings(data: bytes) -> tuple[dict[str, Any], list[ValidationError]]:
    """The fields of a settings file that pass their checks, and a problem for each one that
    does not (one for the file as a whole when it is not a JSON object)."""
    try:
        root = JsonReader(load_json(data, wrong_kind=N_("is not a settings file"),
                                    max_bytes=MAX_BYTES))
        given = root.obj()
    except ValidationError as exc:
        return {}, [exc]
    problems: list[ValidationError] = []
    try:
        root.obj(allowed={**_FIELDS, **_OBSOLETE})
    except ValidationError as exc:  # a key no version wrote: a hand edit or damage
        problems.append(exc)
    for key, read in _OBSOLETE.items():
        if key in given:
            try:
                read(root.get(key))
            except ValidationError as exc:
                problems.append(exc)
    kept: dict[str, Any] = {}
    for key, read in _FIELDS.items():
        if key not in given and key not in _REQUIRED:
            continue
        try:
            kept[key] = read(root.get(key))
        except ValidationError as exc:
            problems.append(exc)
    return kept, problems


@dataclass(frozen=True)
class DamagedSettings:
    """A settings file that failed its checks: where it went, why, and what could be read."""

    path: Path
    aside: Path | None
    """Where the file was moved; None when it could not be (a lock, no permission)."""
    problems: tuple[UserError, ...]
    kept: Mapping[str, Any]
    """The fields that passed their checks, to start the first-run dialog from."""

    def over(self, base: Settings) -> Settings:
        """*base* with the fields that could be read."""
        return base.with_(**self.kept)

    def message(self) -> str:
        """Which file, where it is now and every problem, in the user's language."""
        # Some checks say a whole sentence (the dialogs' "Enter your name."): one full stop.
        # TRANSLATORS: between two problems of one file
        problems = _("; ").join(p.message().rstrip(".。") for p in self.problems)
        if self.aside is None:
            return _("The settings file {path} is damaged: {problems}.").format(
                path=self.path, problems=problems)
        return _("The settings file {path} was damaged and has been set aside as {aside}: "
                 "{problems}.").format(path=self.path, aside=self.aside, problems=problems)


class SettingsUnreadable(UserError):
    """settings.json is there but cannot be read now: an antivirus scanning it at login, a
    sharing violation, a folder of that name. It is neither a first run nor damage: nothing
    may run on the defaults as if it were (no shared folder, the wrong office), and nothing
    may save over it."""

    def __init__(self, path: Path, exc: OSError) -> None:
        super().__init__(N_("The settings file {path} cannot be read: {reason}. It was left as "
                            "it is. Try again in a moment; if it lasts, ask IT."),
                         path=str(path), reason=os_reason(exc))


@dataclass(frozen=True)
class SavedSettings:
    """What read_settings found: the settings, or none (first run, a damaged file, or a file
    that cannot be read now)."""

    settings: Settings | None
    damaged: DamagedSettings | None = None
    unreadable: SettingsUnreadable | None = None
    """Set when the file is there but could not be read: the window and the commands refuse
    to start rather than run on the defaults or save over it."""

    def usable(self, base: Settings) -> Settings:
        """The saved settings; else *base* with what could be read of a damaged file."""
        if self.settings is not None:
            return self.settings
        return self.damaged.over(base) if self.damaged is not None else base


def read_settings(data_dir: Path) -> SavedSettings:
    """This data folder's settings, checked field by field.

    A damaged file is moved aside at once, so that nothing reads it as settings again and the
    first-run dialog's save cannot overwrite it. While no new settings are saved, the newest
    file set aside is read again at each call, so a command (a scheduled sync, say) that met
    the damage first does not keep the window's first-run dialog from telling the user."""
    path = data_dir / SETTINGS_FILE
    try:
        data = _read(path)
    except (FileNotFoundError, NotADirectoryError):  # none (the data folder may be a file:
        return SavedSettings(None, _damaged_earlier(data_dir, path))  # the command says so)
    except OSError as exc:  # locked for a moment (antivirus), a folder of that name
        log.warning("cannot read the settings file %s: %s", path, exc)
        return SavedSettings(None, unreadable=SettingsUnreadable(path, exc))
    except NotRegularFile:  # a link, a pipe, a device: never settings the app wrote
        problem = ValidationError("", N_("it is not a regular file (a link, a pipe or a "
                                         "device)"))
        return SavedSettings(None, DamagedSettings(path, _set_aside(path), (problem,), {}))
    kept, problems = parse_settings(data)
    if not problems:
        return SavedSettings(Settings(**kept))
    return SavedSettings(None, DamagedSettings(path, _set_aside(path), tuple(problems), kept))


def _read(path: Path) -> bytes:
    """At most MAX_BYTES + 1 bytes of the settings file *path* (more is damage, which
    parse_settings names), from a regular file only (models.core.files.open_regular): a pipe
    there blocked every command and the window at their start, and a link may lead to an
    endless device. A folder of that name is an OSError (IsADirectoryError): not the app's
    to move, so the file cannot be read (SettingsUnreadable), as when it is locked."""
    try:
        with open_regular(path) as source:
            return source.read(MAX_BYTES + 1)
    except NotRegularFile:
        if path.is_dir() and not path.is_symlink():
            raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path)) from None
        raise


def _aside_name(path: Path) -> Path:
    """A new name for the damaged file *path* (one set aside earlier in the same second
    stays)."""
    return unique_path(path.parent, f"settings.damaged-{utc_stamp()}", ".json")


def _set_aside(path: Path) -> Path | None:
    aside = _aside_name(path)
    try:
        path.rename(aside)
    except OSError as exc:  # held open: save_settings copies it aside before replacing it
        log.warning("cannot set the damaged settings file %s aside: %s", path, exc)
        return None
    return aside


def _keep_damaged(path: Path) -> None:
    """Copy a damaged settings file that is still under its name (it could not be set aside
    when read) to a name of its own, before new settings replace it: a damaged file is never
    overwritten. One that cannot be read now is not replaced either (SettingsUnreadable)."""
    try:
        data = _read(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise SettingsUnreadable(path, exc) from exc
    except NotRegularFile:
        return  # a link or pipe: no settings of anyone's to keep (the link is replaced)
    if not parse_settings(data)[1]:
        return  # sound settings: replaced as usual
    aside = _aside_name(path)
    atomic_write_bytes(aside, data)  # never through a link put under the name
    log.warning("the damaged settings file %s was copied to %s before new settings replace it",
                path, aside)


def _damaged_earlier(data_dir: Path, path: Path) -> DamagedSettings | None:
    """The newest damaged file set aside, read again; None when there is none."""
    try:
        found = [(m.group(1), int(m.group(2) or 0), p) for p in data_dir.iterdir()
                 if (m := _DAMAGED.fullmatch(p.name))]
    except OSError:  # no data folder yet
        return None
    if not found:
        return None
    aside = max(found)[2]
    try:
        kept, problems = parse_settings(_read(aside))
    except (OSError, NotRegularFile):  # a pipe or link under such a name: no settings
        return None
    return DamagedSettings(path, aside, tuple(problems), kept) if problems else None


def load_settings(data_dir: Path) -> Settings | None:
    """The saved settings, or None on first run or when the file is damaged (read_settings
    tells which, and sets a damaged file aside)."""
    return read_settings(data_dir).settings


def save_settings(data_dir: Path, settings: Settings,
                  delays: Sequence[float] = REPLACE_DELAYS) -> None:
    """Write atomically (temp file, fsync, rename) so a crash never leaves half a file; a
    file another program holds is tried again after each of *delays* (models.core.files). A
    damaged file still under the name is copied aside first (_keep_damaged)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    _keep_damaged(data_dir / SETTINGS_FILE)
    data = asdict(settings)
    data["role"] = settings.role.value
    atomic_write_text(data_dir / SETTINGS_FILE, json.dumps(data, ensure_ascii=False, indent=2),
                      delays)


RESUME_FILE = "resume.json"


@dataclass(frozen=True)
class Resume:
    """Where the user was: the incident open in the wizard and its stage on screen, so a
    restart (or a crash) brings them back to it."""

    incident_id: str = ""
    stage: int = 0


def load_resume(data_dir: Path) -> Resume:
    """Where the user was; the incident list when the file is missing or damaged, or is no
    regular file of a few bytes (a pipe there blocked the database worker for good, and
    with it the window)."""
    try:
        raw = json.loads(read_regular(data_dir / RESUME_FILE, 4096))
        incident_id, stage = raw["incident_id"], raw["stage"]
        if isinstance(incident_id, str) and isinstance(stage, int) and 0 <= stage <= 6:
            return Resume(incident_id, stage)
    except (OSError, UserError, ValueError, KeyError, TypeError, RecursionError):
        pass  # missing or damaged: start at the incident list
    return Resume()


def save_resume(data_dir: Path, resume: Resume) -> None:
    atomic_write_text(data_dir / RESUME_FILE, json.dumps(asdict(resume)))


WINDOW_FILE = "window.ini"
"""The window's layout (pane sizes): a few lines a user never edits, lost harmlessly."""


def load_window_state(data_dir: Path) -> dict[str, str]:
    """The remembered layout, key -> Qt's saved state (base64); empty when the file is
    missing, damaged, or no regular file of a few kilobytes (read like resume.json: a pipe
    in its place must not hang the window's start)."""
    import configparser  # here and below: the layout is read after the window shows

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(read_regular(data_dir / WINDOW_FILE, 16384).decode("utf-8"))
    except (OSError, UserError, ValueError, configparser.Error):
        return {}
    return dict(parser["panes"]) if parser.has_section("panes") else {}


def save_window_state(data_dir: Path, state: dict[str, str]) -> None:
    """Write the layout at once, without retries: it is saved from the GUI thread."""
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    parser["panes"] = state
    text = io.StringIO()
    parser.write(text)
    atomic_write_text(data_dir / WINDOW_FILE, text.getvalue(), delays=())


def own_file(data_dir: Path, path: Path) -> bool:
    """Is *path* one of the data folder's own files: the database and its side files
    (-wal, -shm, -journal), the settings (and damaged ones set aside), resume.json,
    window.ini, a
    temporary file of the app's (a leading dot), or anything in a folder of the data folder
    (backups, logs, attachments, printouts: all the app's)? Compared as the system resolves
    the folders, so a link or another spelling of the data folder is no way round."""
    folder = os.path.normcase(data_dir.resolve())
    parent = os.path.normcase(path.parent.resolve())
    name = os.path.normcase(path.name)
    if parent != folder:
        return Path(parent).is_relative_to(folder)
    return (name.startswith((os.path.normcase(DATABASE_FILE), "."))
            or name in (os.path.normcase(SETTINGS_FILE), os.path.normcase(RESUME_FILE),
                        os.path.normcase(WINDOW_FILE))
            or _DAMAGED.fullmatch(name) is not None)


def export_target(data_dir: Path, path: Path) -> bool:
    """Check that *path* may receive an export (export-json, the playbook); True when a
    file of the user's is there, which the export replaces (the caller says so).

    An export replaces its target whole: onto the database it replaced every record with
    JSON, onto a backup it replaced the copy the app would name for a restore, and nothing
    said so. The data folder's own files are refused (own_file), and so is anything that is
    not a regular file (a folder, a link, a pipe, a device): what it leads to is not what
    the user chose. Exporting twice to one file is ordinary: a regular file elsewhere is
    replaced."""
    if own_file(data_dir, path):
        raise UserError(N_("{path} is one of CrisisDesk's own files (its data folder is "
                           "{folder}): an export must not replace it. Choose a file "
                           "elsewhere."), path=str(path), folder=str(data_dir))
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise UserError(N_("Cannot write {path}: {error}"), path=str(path),
                        error=os_reason(exc)) from exc
    if not stat.S_ISREG(found.st_mode):
        raise UserError(N_("{path} is not a regular file (a folder, a link, a pipe or a "
                           "device): choose another file name."), path=str(path))
    return True
