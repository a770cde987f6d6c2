"""Damage done on purpose, as disks, failed copies and full disks do it, for the tests of what
the app says and keeps then."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event


def count(path: Path, table: str) -> int:
    """The rows of *table* in the database file at *path*, read past the app."""
    con = sqlite3.connect(path)
    try:
        return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        con.close()


def zero_pages_of(path: Path, *tables: str) -> None:
    """Overwrite with zeros the root page of each table (a small table's only page), as a
    failing disk or an interrupted copy leaves a file. *path* must be closed (no -wal)."""
    con = sqlite3.connect(path)
    try:
        size = con.execute("PRAGMA page_size").fetchone()[0]
        roots = [con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                             (table,)).fetchone()[0] for table in tables]
    finally:
        con.close()
    with open(path, "r+b") as fh:
        for root in roots:
            fh.seek((root - 1) * size)
            fh.write(bytes(size))


def fill_disk(engine: Engine) -> None:
    """From now on the database of *engine* cannot grow: the next save that needs a page
    meets SQLite's own "database or disk is full" (SQLITE_FULL), as on a full disk."""

    def no_growth(dbapi_connection: Any, _record: Any) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(engine, "connect", no_growth)
    engine.dispose()  # connections made from now on are limited


def plant_at_temporary_name(monkeypatch: Any, wanted: Callable[[Path], bool], kind: str,
                            victim: Path) -> list[Path]:
    """Put a link to *victim* (or, *kind* "pipe", a pipe) under the temporary name that the
    next write of a file *wanted* accepts draws, as another program that guessed the name
    would; the names planted (one at most)."""
    import models.core.files

    planted: list[Path] = []
    draw = models.core.files.temporary_beside

    def guessed(path: Path, kind_: str = "tmp") -> Path:
        tmp = draw(path, kind_)
        if not planted and wanted(path):
            if kind == "pipe":
                os.mkfifo(tmp)
            else:
                tmp.symlink_to(victim)
            planted.append(tmp)
        return tmp

    monkeypatch.setattr(models.core.files, "temporary_beside", guessed)
    return planted
