"""The office's units are data: seeded per office from the organisation, editable by the
planning group, and removed as tombstones."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models.core.errors import PermissionDenied, ValidationError
from models.org.entities import UnitRow
from models.org.offices import offices
from models.org.people import Actor
from models.org.units import delete_unit, ensure_default_units, list_units, save_unit
from models.storage.db import Database


def test_every_office_of_the_customs_administration_is_shipped() -> None:
    assert [o.short_name["zh_TW"] for o in offices()] == ["基隆關", "臺北關", "臺中關", "高雄關"]
    keelung = offices()[0]
    names = [u.name_zh for u in keelung.units]
    assert names[:3] == ["業務一組", "業務二組", "稽查組"]
    assert {"法務緝案組", "秘書室", "五堵分關", "花蓮分關"} <= set(names)
    for office in offices():
        assert len({u.key for u in office.units}) == len(office.units)


def test_first_run_seeds_keelung_and_another_office_on_demand(db: Database) -> None:
    assert len(list_units(db, "keelung")) == 15
    ensure_default_units(db, "kaohsiung")
    ensure_default_units(db, "kaohsiung")
    assert "小港分關" in [u.name_zh for u in list_units(db, "kaohsiung")]
    assert len(list_units(db, "kaohsiung")) == len(offices()[3].units)


def test_planning_group_adds_renames_and_removes_a_unit(db: Database, planner: Actor) -> None:
    unit = save_unit(db, planner, "keelung", unit_id=None, name_zh="防疫應變小組",
                     name_en="Epidemic Response Team", kind="office")
    assert list_units(db, "keelung")[-1].name_zh == "防疫應變小組"
    save_unit(db, planner, "keelung", unit_id=unit.id, name_zh="防疫小組", name_en="",
              kind="office")
    delete_unit(db, planner, unit.id)
    assert "防疫小組" not in [u.name_zh for u in list_units(db, "keelung",
                                                          include_inactive=True)]
    with db.session() as session:
        row = session.scalars(select(UnitRow).where(UnitRow.id == unit.id)).one()
        assert row.deleted_at is not None and row.updated_by == "林企劃"
        assert row.row_version == 3


def test_unit_names_are_checked(db: Database, planner: Actor) -> None:
    with pytest.raises(ValidationError) as caught:
        save_unit(db, planner, "keelung", unit_id=None, name_zh="業務一組", name_en="",
                  kind="division")
    assert caught.value.field == "name_zh"
    with pytest.raises(ValidationError):
        save_unit(db, planner, "keelung", unit_id=None, name_zh=" ", name_en="", kind="office")
    assert len(list_units(db, "keelung")) == 15


def test_a_unit_head_cannot_change_units(db: Database, unit_head: Actor) -> None:
    first = list_units(db, "keelung")[0]
    with pytest.raises(PermissionDenied):
        delete_unit(db, unit_head, first.id)
    with pytest.raises(PermissionDenied):
        save_unit(db, unit_head, "keelung", unit_id=None, name_zh="新單位", name_en="",
                  kind="office")
    assert len(list_units(db, "keelung")) == 15
