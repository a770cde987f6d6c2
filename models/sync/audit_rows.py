"""The second half of a verification (models.sync.audit): every record of every synced table
against the value its history gives.

The value a field should show is what the merge would write (models.sync.merge.resolve_row,
reused, never restated): the newest head, or what a lock keeps. Where the field is in an open
conflict (sync_conflicts), any of its heads may show (the user has not decided yet). A field
without any version is legitimate in one case only: a column added by a later migration to
records made before it (notifications.outcome, 0008), or left out by an older PC's segment,
holds its column's default. Everything else the table holds was written outside the app.

Records are read in pages of a few hundred by id, with their history, so memory stays bounded
however large the office's archive is. Values are read raw and converted per column, so one
value altered into something its column cannot hold is named, not a crash of the check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import Column, Connection, Table, select

from i18n import N_
from models.sync.audit_findings import Findings, shown, shown_apart
from models.sync.entities import CONFLICTS
from models.sync.merge import heads_of, resolve_row
from models.sync.rules import SyncRules
from models.sync.values import TOMBSTONE, BadValue, decode, encode

_PAGE = 400

Heads = dict[str, dict[str, list[Any]]]


def check_rows(connection: Connection, rules: SyncRules, findings: Findings) -> int:
    """Compare every record of the synced tables with its history; the number of records."""
    present = set(connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table'").scalars())
    count = 0
    for name, table in rules.tables.items():
        if name in present:
            count += _check_table(connection, rules, table, findings)
            _check_missing(connection, rules, table, findings)
    return count


def _check_table(connection: Connection, rules: SyncRules, table: Table,
                 findings: Findings) -> int:
    columns = [c for c in table.columns if c.name != "id"]
    readers = [_reader(connection, c) for c in columns]
    listed = ", ".join(f'"{c.name}"' for c in columns)
    count = 0
    for page in _pages(connection, f'SELECT id, {listed} FROM "{table.name}" WHERE id > ? '
                                   f"ORDER BY id LIMIT {_PAGE}"):
        ids = [str(row[0]) for row in page]
        heads = _heads(connection, table.name, ids, findings)
        open_conflicts = _open_conflicts(connection, table.name, ids)
        for row in page:
            row_id = str(row[0])
            fields = heads.get(row_id)
            if fields is None:
                findings.add(N_("{table}, record {row}: no history at all (added outside the "
                                "app)"), table=table.name, row=row_id)
                continue
            if not fields:  # its history cannot be read: named by _heads
                continue
            resolved = _resolved(connection, rules, table.name, row_id, fields, findings)
            if resolved is None:
                continue
            values = resolved[0]
            conflicted = open_conflicts.get(row_id, set())
            for column, read, raw in zip(columns, readers, row[1:], strict=True):
                _check_field(table.name, row_id, column, read, raw, values, fields,
                             column.name in conflicted, findings)
        count += len(page)
    return count


def _check_field(table: str, row_id: str, column: Column[Any], read: Callable[[Any], Any],
                 raw: Any, values: dict[str, Any], fields: dict[str, list[Any]],
                 conflicted: bool, findings: Findings) -> None:
    place = {"table": table, "row": row_id, "column": column.name}
    try:
        actual = read(raw)
    except (ValueError, TypeError):
        findings.add(N_("{table}, record {row}, field {field}: the value {value} cannot be "
                        "read (altered outside the app)"), value=shown(str(raw)), **place)
        return
    if column.name not in values:
        if not _is_default(column, actual):
            findings.add(N_("{table}, record {row}, field {field}: shows {value}, but the "
                            "field has no history (changed outside the app)"),
                         value=shown(encode(actual)), **place)
        return
    try:
        expected = decode(column, values[column.name])
    except BadValue as exc:
        findings.add(N_("{table}, record {row}, field {field}: its history holds a value the "
                        "field cannot take ({problem})"), problem=str(exc), **place)
        return
    if actual == expected:
        return
    if conflicted and any(_decodes_to(column, head.value, actual)
                          for head in fields.get(column.name, ())):
        return  # in an open conflict: any of its values may show until it is decided
    value, history = shown_apart(encode(actual), values[column.name])
    findings.add(N_("{table}, record {row}, field {field}: shows {value}, but its history "
                    "says {expected} (changed outside the app)"),
                 value=value, expected=history, **place)


def _decodes_to(column: Column[Any], raw: Any, actual: Any) -> bool:
    try:
        return bool(decode(column, raw) == actual)
    except BadValue:
        return False


def _is_default(column: Column[Any], actual: Any) -> bool:
    """Is *actual* what a record made without this field holds: the column's default (its
    server default for records from before the column), or nothing?"""
    default = column.default
    if default is not None and getattr(default, "is_scalar", False):
        if actual == getattr(default, "arg", None):
            return True
    server = column.server_default
    text = getattr(getattr(server, "arg", None), "text", getattr(server, "arg", None))
    if isinstance(text, str) and str(actual) == text:
        return True
    return actual is None and bool(column.nullable) and default is None


def _resolved(connection: Connection, rules: SyncRules, table: str, row_id: str,
              fields: dict[str, list[Any]], findings: Findings
              ) -> tuple[dict[str, Any], dict[str, str]] | None:
    try:
        return resolve_row(connection, rules, table, row_id, fields)
    except ValueError:  # a change's "seen" altered into something that is not JSON
        findings.add(N_("{table}, record {row}: its history cannot be read (altered outside "
                        "the app)"), table=table, row=row_id)
        return None


def _heads(connection: Connection, table: str, ids: Sequence[str],
           findings: Findings) -> Heads:
    """The heads of these rows; a row whose history cannot be read (a value altered into
    something that is not JSON) is named and left out."""
    try:
        return heads_of(connection, table, ids)
    except ValueError:
        heads: Heads = {}
        for row_id in ids:
            try:
                heads.update(heads_of(connection, table, [row_id]))
            except ValueError:
                findings.add(N_("{table}, record {row}: its history cannot be read (altered "
                                "outside the app)"), table=table, row=row_id)
                heads[row_id] = {}
        return heads


def _open_conflicts(connection: Connection, table: str, ids: Sequence[str]
                    ) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for row_id, field in connection.execute(select(CONFLICTS.c.row_id, CONFLICTS.c.field).where(
            CONFLICTS.c.tbl == table, CONFLICTS.c.row_id.in_(ids))):
        found.setdefault(row_id, set()).add(field)
    return found


def _check_missing(connection: Connection, rules: SyncRules, table: Table,
                   findings: Findings) -> None:
    """Records the history has and the table lacks: the app never removes a record (a delete
    is a tombstone), so only one deleted by its history may be missing."""
    query = (f'SELECT DISTINCT row_id FROM sync_changes WHERE tbl = ? AND row_id > ? '
             f'AND row_id NOT IN (SELECT id FROM "{table.name}") ORDER BY row_id LIMIT {_PAGE}')
    for page in _pages(connection, query, table.name):
        ids = [str(row[0]) for row in page]
        heads = _heads(connection, table.name, ids, findings)
        for row_id in ids:
            fields = heads.get(row_id)
            if not fields:
                continue
            resolved = _resolved(connection, rules, table.name, row_id, fields, findings)
            if resolved is not None and resolved[0].get(TOMBSTONE) is None:
                findings.add(N_("{table}, record {row}: in the history, but missing from the "
                                "table (removed outside the app)"), table=table.name,
                             row=row_id)


def _pages(connection: Connection, query: str, *params: str) -> Iterator[Sequence[Any]]:
    """The rows of *query* page by page, its last parameter the last id of the page before
    (after *params*): no cursor stays open while the page's history is read."""
    last = ""
    while True:
        page = connection.exec_driver_sql(query, (*params, last)).all()
        if not page:
            return
        yield page
        last = str(page[-1][0])


def _reader(connection: Connection, column: Column[Any]) -> Callable[[Any], Any]:
    """How the column's type turns a raw SQLite value into the value the app reads."""
    process = column.type.dialect_impl(connection.dialect).result_processor(
        connection.dialect, None)
    return process if process is not None else (lambda raw: raw)
