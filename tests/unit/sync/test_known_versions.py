"""Which of a segment's versions the history holds already (a cloned PC's work can arrive
twice): the same answer whether the ids' range of the index is read at once or, when it holds
more versions than the segment, the ids are looked up one part at a time."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine

from models.sync.entities import CHANGES, VERSIONS
from models.sync.merge import _known_versions


@pytest.mark.parametrize("held", [10, 5000])  # the range read at once; too full, by id
def test_the_versions_held_are_found_and_no_other(held: int) -> None:
    with create_engine("sqlite://").begin() as connection:
        CHANGES.create(connection)
        VERSIONS.create(connection)
        connection.exec_driver_sql(
            "INSERT INTO sync_versions (version_id, change_id, field, value, bases) "
            "VALUES (?, 1, 'title', '\"x\"', '[]')", [(f"v{n:05}",) for n in range(held)])
        asked = ["v00000", f"v{held - 1:05}", "v00003x", "u", "w"]

        assert _known_versions(connection, asked) == {"v00000", f"v{held - 1:05}"}
        assert _known_versions(connection, []) == set()
