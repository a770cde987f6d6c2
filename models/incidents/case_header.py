"""A case's 公文 header in the case exchange format (models.incidents.case_format): the
optional ``header`` object of a case, with the keys of models.playbook.records.RecordHeader.

The file is untrusted: every key is checked as the header's editor checks it (check_header),
and a problem names its JSON path (``cases[0].header.classification``), so one bad header
refuses the whole file before anything is stored. The object is written only for a header
someone set: a case left to the rule keeps the shape it always had."""

from __future__ import annotations

from typing import Any

from models.core.errors import ValidationError
from models.core.json_reader import JsonReader
from models.playbook.records import COLUMNS, RecordHeader, check_header, same_meaning

KEYS = ("file_number", "retention", "speed", "classification", "declassify")
"""The keys of the ``header`` object, in the order of RecordHeader's fields."""
_COLUMN_KEYS = dict(zip(COLUMNS, KEYS, strict=True))
# Longer than any accepted value (check_header's limits), short enough to refuse a huge text
# before it is trimmed and checked.
_MAX_READ = 1000


def parse_case_header(r: JsonReader) -> RecordHeader:
    """The header of a case's ``header`` object (absent: read as {}), or ValidationError
    naming the path of the key at fault."""
    r.obj(allowed=KEYS)
    values = [r.get(key, optional=True, default="").string(allow_empty=True,
                                                           max_length=_MAX_READ)
              for key in KEYS]
    try:
        return check_header(RecordHeader(*values))
    except ValidationError as error:
        raise ValidationError(r.sub_path(_COLUMN_KEYS[error.field]), error.msgid,
                              **error.params) from None


def case_header_dict(header: RecordHeader) -> dict[str, Any]:
    """The ``header`` key of a case, or nothing when the header prints as the rule's."""
    values = dict(zip(KEYS, header.values().values(), strict=True))
    if all(same_meaning(column, value, "") for column, value in header.values().items()):
        return {}
    return {"header": values}
