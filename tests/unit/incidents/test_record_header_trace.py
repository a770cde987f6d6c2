"""A change of an incident's 公文 header leaves its trace on the timeline: who changed which
field from what to what, one entry per field changed, none when nothing changed."""

from __future__ import annotations

from i18n import set_language
from models.incidents.actions import open_incident
from models.incidents.queries import incident_view
from models.incidents.record_header import set_incident_header
from models.incidents.timeline import FieldChanged
from models.incidents.timeline_text import describe, kind_label
from models.org.people import Actor, Role
from models.playbook.records import RecordHeader
from models.storage.db import Database, utcnow
from tests.unit.incidents.test_incidents import HEAD, draft

COMMANDER = Actor("黃副關務長", Role.COMMANDER)
SECRET = RecordHeader(file_number="115/0105.02/1/7", classification="secret",
                      declassify="本案結案後解密")


def _header_entries(db: Database, incident: str) -> list[tuple[str, FieldChanged, str]]:
    view = incident_view(db, incident, utcnow(), 0)
    return [(e.author, e.what, describe(e, view.playbook, {})) for e in view.timeline
            if isinstance(e.what, FieldChanged) and e.what.key.startswith("doc_")]


def test_each_changed_field_is_on_the_timeline_with_who_and_from_what(db: Database) -> None:
    set_language("zh_TW")
    incident = open_incident(db, HEAD, "keelung", draft())
    set_incident_header(db, COMMANDER, incident, SECRET)
    entries = _header_entries(db, incident)
    assert [(who, what.key, what.old, what.new) for who, what, _line in entries] == [
        ("黃副關務長", "doc_file_number", "", "115/0105.02/1/7"),
        ("黃副關務長", "doc_classification", "", "secret"),
        ("黃副關務長", "doc_declassify", "", "本案結案後解密")]
    lines = [line for _who, _what, line in entries]
    assert lines[1] == "密等：極機密（原為：普通）"
    assert lines[0].startswith("檔號：115/0105.02/1/7")
    assert kind_label("field") == "修改"

    set_incident_header(db, COMMANDER, incident, SECRET)  # nothing changed: nothing written
    assert len(_header_entries(db, incident)) == 3

    set_incident_header(db, COMMANDER, incident,
                        RecordHeader(file_number=SECRET.file_number, retention="permanent"))
    later = _header_entries(db, incident)[3:]
    assert [(what.key, what.old, what.new) for _who, what, _line in later] == [
        ("doc_retention", "", "permanent"), ("doc_classification", "secret", ""),
        ("doc_declassify", "本案結案後解密", "")]
    set_language("en")
    view = incident_view(db, incident, utcnow(), 0)
    english = [describe(e, view.playbook, {}) for e in view.timeline
               if isinstance(e.what, FieldChanged) and e.what.key == "doc_retention"]
    assert english == ["Retention: Permanent (was: By the rule)"]


def test_an_explicit_default_is_no_change(db: Database) -> None:
    """The dialog stores 普通件 and 普通 where nothing was chosen: they print alike."""
    incident = open_incident(db, HEAD, "keelung", draft())
    set_incident_header(db, COMMANDER, incident, RecordHeader(speed="ordinary",
                                                              classification="open"))
    assert _header_entries(db, incident) == []
