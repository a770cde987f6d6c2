"""Writing files so that a crash, a full disk or a second writer never leaves a half file or
overwrites an earlier one."""

from __future__ import annotations

import os
from pathlib import Path

from i18n import N_
from models.errors import UserError, os_reason


def atomic_write_text(path: Path, text: str) -> None:
    """Write *text* (UTF-8) atomically: see atomic_write_bytes."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write *data* to a temporary file beside *path*, flush it to disk, then rename it over
    *path*: readers see the old file or the new one, never a part."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(N_("Cannot write {path}: {error}"), path=str(path),
                        error=os_reason(exc)) from exc


def unique_path(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem + suffix``, or with -1, -2 … added when that name is taken."""
    candidate = folder / f"{stem}{suffix}"
    n = 1
    while candidate.exists():
        candidate = folder / f"{stem}-{n}{suffix}"
        n += 1
    return candidate
