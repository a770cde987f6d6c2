"""Files a person attaches to a record (the scan of a signed form, a photo of an incident):
untrusted files, read within a size limit and stored by their content in the data folder's
attachments/, where the sync finds them (models.sync.policy.Attachments).

Stored under their SHA-256, a file attached twice is kept once, and a file changed after it
was attached cannot pass for the one its record names.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Container, Iterator
from pathlib import Path, PurePath
from typing import Any

from sqlalchemy import Connection, select

from i18n import N_
from models.core.errors import UserError, ValidationError, os_reason
from models.core.files import FileTooLarge, NotRegularFile, atomic_write_bytes, read_regular

ATTACHMENTS = "attachments"
"""The folder of the attached files, beside the database."""


def stored_name(sha256: str, filename: str) -> str:
    """The name of an attached file in ATTACHMENTS: its content's SHA-256 and its suffix."""
    return f"{sha256}{PurePath(filename).suffix.lower()}"


def named_files(table: Any) -> Callable[[Connection], Iterator[tuple[str, str]]]:
    """The files the rows of *table* (an entity with the columns sha256 and filename) name,
    each once with its stored_name: what a SyncPolicy's Attachments declares."""

    def files(connection: Connection) -> Iterator[tuple[str, str]]:
        rows = connection.execute(select(table.sha256, table.filename)).all()
        for sha, filename in sorted(set(rows)):
            yield sha, stored_name(sha, filename)

    return files


def read_chosen(path: Path, suffixes: Container[str], limit: int, wrong_kind: str) -> bytes:
    """The content of the file *path* a person chose, refused at the field "file" when its
    suffix is not one of *suffixes* or it is no regular file (*wrong_kind*, a msgid: a pipe
    or device would hang the worker), or when it holds more than *limit* bytes (never more
    than that is read, whatever its size says). A link the person chose is followed."""
    if path.suffix.lower() not in suffixes:
        raise ValidationError("file", wrong_kind)
    try:
        return read_regular(path.resolve(), limit)
    except NotRegularFile:
        raise ValidationError("file", wrong_kind) from None
    except FileTooLarge:
        raise ValidationError("file", N_("The file is larger than {limit} MB."),
                              limit=limit // 1_000_000) from None
    except OSError as exc:
        raise UserError(N_("Cannot read {path}: {error}"), path=str(path),
                        error=os_reason(exc)) from exc


def store(data_dir: Path, data: bytes, filename: str) -> str:
    """Keep *data* in *data_dir*'s ATTACHMENTS under its stored_name (written atomically,
    once: the same content attached again is already there); its SHA-256."""
    digest = hashlib.sha256(data).hexdigest()
    folder = data_dir / ATTACHMENTS
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / stored_name(digest, filename)
    if not target.exists():
        atomic_write_bytes(target, data)
    return digest
