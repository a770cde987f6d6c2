"""Writing files so that a crash, a full disk or a second writer never leaves a half file or
overwrites an earlier one."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from i18n import N_
from models.errors import UserError, os_reason

log = logging.getLogger(__name__)

T = TypeVar("T")

_REPLACE_DELAYS = (0.05, 0.1, 0.2, 0.4, 0.8)
"""Waits between tries of replacing a file another program holds open (1.5 s in all)."""


def retried(action: Callable[[], T], delays: Sequence[float],
            again: Callable[[OSError], bool]) -> T:
    """*action()*, tried again after each of *delays* while it fails with an error *again*
    accepts; the last try's error is raised.

    On Windows a file another program has open (an antivirus, an indexer, another PC reading
    it over the share) cannot be renamed, replaced or linked for a moment."""
    for delay in delays:
        try:
            return action()
        except OSError as exc:
            if not again(exc):
                raise
            log.info("file in use, trying again in %.2f s: %s", delay, exc)
        time.sleep(delay)
    return action()


def remove_temporary(tmp: Path) -> None:
    """Remove a temporary file if it is there. A failure is only logged: a leftover
    temporary file is harmless, and a scanner still holding it must not turn a write that
    succeeded (or the error that ended one) into another error."""
    try:
        tmp.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("cannot remove the temporary file %s: %s", tmp, exc)


def atomic_write_text(path: Path, text: str) -> None:
    """Write *text* (UTF-8) atomically: see atomic_write_bytes."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write *data* to a temporary file beside *path*, flush it to disk, then rename it over
    *path*: readers see the old file or the new one, never a part.

    On Windows the rename fails while another program has *path* open (PermissionError):
    it is tried again for a moment before the error names the file."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        retried(lambda: os.replace(tmp, path), _REPLACE_DELAYS,
                lambda exc: isinstance(exc, PermissionError))
    except OSError as exc:
        remove_temporary(tmp)
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
