"""Writing files so that a crash, a full disk or a second writer never leaves a half file or
overwrites an earlier one."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from i18n import N_
from models.errors import UserError
from models.storage import storage_fault


def atomic_write_text(path: Path, text: str) -> None:
    """Write *text* (UTF-8) atomically: see atomic_write_bytes."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write *data* atomically: see atomic_writer."""
    with atomic_writer(path) as fh:
        fh.write(data)


@contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write *path* through, for content too large to hold in memory at once.

    It is a temporary file beside *path*, flushed to disk and renamed over *path* when the
    block ends: readers see the old file or the new one, never a part. On any error the
    temporary file is removed and *path* is as it was; a full disk is said as such."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise storage_fault(exc, path) or UserError(
            N_("Cannot write {path}: {error}"), path=str(path),
            error=exc.strerror or str(exc)) from exc
    finally:
        tmp.unlink(missing_ok=True)


def publish(tmp: Path, path: Path) -> None:
    """Give *tmp* the name *path*, failing with FileExistsError if the name is taken (never
    replacing a file, unlike os.replace). The caller removes *tmp* afterwards (after a hard
    link both names remain)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError as exc:  # a file system without hard links (some shares): rename instead
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS,
                             errno.EXDEV, errno.EMLINK):
            raise
        if path.exists():
            raise FileExistsError(path) from exc
        os.rename(tmp, path)


def unique_path(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem + suffix``, or with -1, -2 … added when that name is taken."""
    candidate = folder / f"{stem}{suffix}"
    n = 1
    while candidate.exists():
        candidate = folder / f"{stem}-{n}{suffix}"
        n += 1
    return candidate
