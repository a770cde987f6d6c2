"""This PC's settings: who uses it, their unit and role, language, and the shared folder.

They are local to the PC (never synced) and kept in a small JSON file beside the database, so
the window can open in the right language before the database worker has even started.
"""

from __future__ import annotations

import getpass
import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from i18n import DEFAULT_LANGUAGE, LANGUAGES, N_
from models.errors import ValidationError
from models.files import atomic_write_text
from models.meta import APP_NAME
from models.offices import offices
from models.people import Actor, Role

SETTINGS_FILE = "settings.json"
DATABASE_FILE = "crisisdesk.sqlite3"
DEFAULT_OFFICE = "keelung"


def default_data_dir() -> Path:
    """The user's own data folder (e.g. %LOCALAPPDATA%\\CrisisDesk, ~/.local/share/CrisisDesk)."""
    import platformdirs  # only when no --data-dir is given

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


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
    pseudo: bool = False
    office_code: str = DEFAULT_OFFICE
    share_folder: str = ""
    timezone: str = "Asia/Taipei"
    ack_minutes: int = 10
    """A notification not acknowledged within this many minutes turns red and offers the
    deputy (the procedure says "at once"; the office sets what that means)."""

    def actor(self, unit_name: str = "") -> Actor:
        return Actor(name=self.user_name, role=self.role, unit=unit_name or self.unit_key)

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)


def validate(settings: Settings) -> Settings:
    """Check what the first-run and settings dialogs collect; name the field at fault."""
    if not settings.user_name.strip():
        raise ValidationError("user_name", N_("Enter your name."))
    if len(settings.user_name) > 100:
        raise ValidationError("user_name", N_("The name is longer than 100 characters."))
    if not settings.unit_key:
        raise ValidationError("unit_key", N_("Choose your unit."))
    if settings.language not in LANGUAGES:
        raise ValidationError("language", N_("Choose a language."))
    if not 1 <= settings.ack_minutes <= 240:
        raise ValidationError(
            "ack_minutes", N_("The acknowledgement time is between 1 and 240 minutes.")
        )
    return replace(settings, user_name=settings.user_name.strip(),
                   share_folder=check_share_folder(settings.share_folder, "share_folder"))


def check_share_folder(folder: str, field: str) -> str:
    """*folder* without surrounding blanks: empty (no sync) or a full path, a UNC path
    (\\\\server\\share) on any platform. The settings dialogs and the IT defaults file
    both check it here."""
    folder = folder.strip()
    if folder and not Path(folder).is_absolute() and not folder.startswith("\\\\"):
        raise ValidationError(
            field, N_("The shared folder must be a full path, like \\\\server\\crisis.")
        )
    return folder


def load_settings(data_dir: Path) -> Settings | None:
    """The saved settings, or None on first run (also when the file is unreadable: the
    first-run dialog then asks again, and the broken file is kept aside for inspection)."""
    path = data_dir / SETTINGS_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("not an object")
        fields = {k: v for k, v in raw.items() if k in Settings.__dataclass_fields__}
        for key, value in fields.items():
            expected = type(getattr(Settings(), key))
            if expected is Role:
                fields[key] = Role(value)
            elif not isinstance(value, expected):
                raise ValueError(f"{key} has the wrong type")
        settings = Settings(**fields)
        if settings.language not in LANGUAGES or not settings.user_name:
            raise ValueError("incomplete")
        if settings.office_code not in {o.code for o in offices()}:
            raise ValueError("unknown office")
        return settings
    except OSError:  # missing, or locked for a moment (antivirus): ask, keep the file
        return None
    except ValueError:  # damaged content (json.JSONDecodeError is a ValueError too)
        try:
            path.replace(path.with_suffix(".unreadable.json"))
        except OSError:
            pass
        return None


def save_settings(data_dir: Path, settings: Settings) -> None:
    """Write atomically (temp file, fsync, rename) so a crash never leaves half a file."""
    data_dir.mkdir(parents=True, exist_ok=True)
    data = asdict(settings)
    data["role"] = settings.role.value
    atomic_write_text(data_dir / SETTINGS_FILE, json.dumps(data, ensure_ascii=False, indent=2))


RESUME_FILE = "resume.json"


@dataclass(frozen=True)
class Resume:
    """Where the user was: the incident open in the wizard and its stage on screen, so a
    restart (or a crash) brings them back to it."""

    incident_id: str = ""
    stage: int = 0


def load_resume(data_dir: Path) -> Resume:
    try:
        raw = json.loads((data_dir / RESUME_FILE).read_text(encoding="utf-8"))
        incident_id, stage = raw["incident_id"], raw["stage"]
        if isinstance(incident_id, str) and isinstance(stage, int) and 0 <= stage <= 6:
            return Resume(incident_id, stage)
    except (OSError, ValueError, KeyError, TypeError):
        pass  # missing or damaged: start at the incident list
    return Resume()


def save_resume(data_dir: Path, resume: Resume) -> None:
    atomic_write_text(data_dir / RESUME_FILE, json.dumps(asdict(resume)))
