"""The 公文 header of a record (an incident, a drill): 檔號, 保存年限, 速別, 密等 and 解密條件或保密期限
(文書處理手冊; 公文程式條例; 檔案法 and 機關檔案保存年限及銷毀辦法), its validation, its
defaults, and the office's default retention, kept in the playbook under ``records``.

What is stored per record is what someone chose; an empty value means "by the rule", worked
out when the form is printed, so that an incident raised to the highest level is kept
permanently without anyone re-entering its header. The rule (docs/playbook-format.md):

- 保存年限 永久 for a case at the playbook's first (most serious) level, whatever its category
  (a 重大輿情 case is a 輿情案件 at 高度危機), and for a record classified as a national secret
  (機密 and above: 國家機密保護法 keeps it until declassified, and 機關檔案保存年限及銷毀辦法
  lists what concerns national security and major events among the permanent archives);
  otherwise the office's default (``records.retention_years``, 10 years when the playbook
  says nothing: the default of a playbook written before the key existed).
- 速別 普通件 and 密等 普通 unless set.

A record marked 密 or above needs its 解密條件或保密期限 (文書處理手冊): the app refuses the
marking without it, here and from another PC (the sync's writers rules).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from forms.document import OfficialHeader
from i18n import N_, _
from models.core.errors import ValidationError
from models.core.json_reader import JsonReader
from models.org.authorship import may
from models.org.people import Permission
from models.sync.policy import Author, WriteCheck

RECORDS_KEY = "records"
PERMANENT = "permanent"
MAX_RETENTION_YEARS = 99
MAX_FILE_NUMBER = 60
MAX_DECLASSIFY = 200
DEFAULT_RETENTION_YEARS = 10

SPEEDS = {"most_urgent": N_("Most urgent"), "urgent": N_("Urgent"),
          "ordinary": N_("Ordinary")}
"""速別: 最速件, 速件, 普通件 (the default)."""
ORDINARY = "ordinary"

CLASSIFICATIONS = {"open": N_("Unclassified"), "restricted": N_("Restricted"),
                   "confidential": N_("Confidential"), "secret": N_("Secret"),
                   "top_secret": N_("Top secret")}
"""密等, lowest first: 普通, 密 (一般公務機密), 機密, 極機密, 絕對機密 (國家機密)."""
OPEN = "open"
NATIONAL_SECRETS = frozenset({"confidential", "secret", "top_secret"})

_NOT_ONE_LINE = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))
"""The Unicode categories a 檔號 or a 解密條件 may not hold: line breaks and other control
characters (a flood of them pushed the office, the title and the marking's condition off the
printed page), format characters (a right-to-left override printing 「7/1」 as 「1/7」, an
invisible space making two file numbers look alike), lone surrogates, line and paragraph
separators."""

COLUMNS = ("doc_file_number", "doc_retention", "doc_speed", "doc_classification",
           "doc_declassify")
"""The columns that hold a record's header, the same on the incidents and the drills."""
COLUMN_LABELS = {"doc_file_number": N_("File number"), "doc_retention": N_("Retention"),
                 "doc_speed": N_("Urgency"), "doc_classification": N_("Classification"),
                 "doc_declassify": N_("Declassification condition or period")}
"""How the columns are called in the sync's conflict list."""


@dataclass(frozen=True)
class RecordRules:
    """The office's part of the rule: the retention of a record no special case covers."""

    retention_years: int = DEFAULT_RETENTION_YEARS


def parse_record_rules(root: JsonReader) -> RecordRules:
    """The playbook's optional ``records`` object; a playbook without it reads the default."""
    r = root.get(RECORDS_KEY, optional=True, default={})
    r.obj()
    years_r = r.get("retention_years", optional=True, default=DEFAULT_RETENTION_YEARS)
    years = years_r.integer()
    if not 1 <= years <= MAX_RETENTION_YEARS:
        raise ValidationError(years_r.path, N_("must be between 1 and {limit}"),
                              limit=MAX_RETENTION_YEARS)
    return RecordRules(years)


def record_rules_dict(rules: RecordRules) -> dict[str, Any]:
    """The ``records`` key, only when it differs from the default (a playbook that never set
    it keeps its canonical text and its version id)."""
    if rules == RecordRules():
        return {}
    return {RECORDS_KEY: {"retention_years": rules.retention_years}}


@dataclass(frozen=True)
class RecordHeader:
    """A record's header as stored: "" where nobody chose (the rule decides)."""

    file_number: str = ""
    retention: str = ""
    """"" (by the rule), PERMANENT, or a number of years ("10")."""
    speed: str = ""
    classification: str = ""
    declassify: str = ""

    @classmethod
    def of(cls, row: Any) -> RecordHeader:
        """The header held in a row's doc_* columns (an incident's, a drill's)."""
        return cls(*(getattr(row, column) for column in COLUMNS))

    def values(self) -> dict[str, str]:
        """The doc_* columns to write."""
        return dict(zip(COLUMNS, (self.file_number, self.retention, self.speed,
                                  self.classification, self.declassify), strict=True))

    @property
    def classified(self) -> bool:
        """Marked 密 or above."""
        return self.classification not in ("", OPEN)


def check_header(header: RecordHeader) -> RecordHeader:
    """The header, trimmed, or ValidationError naming the doc_* column at fault."""
    h = RecordHeader(*(v.strip() for v in (header.file_number, header.retention, header.speed,
                                           header.classification, header.declassify)))
    if len(h.file_number) > MAX_FILE_NUMBER:
        raise ValidationError("doc_file_number", N_("At most {limit} characters."),
                              limit=MAX_FILE_NUMBER)
    _one_line("doc_file_number", h.file_number)
    if h.retention not in ("", PERMANENT) and not (
            h.retention.isascii() and h.retention.isdigit()
            and 1 <= int(h.retention) <= MAX_RETENTION_YEARS
            and h.retention == str(int(h.retention))):  # "0099" printed as 0099年
        raise ValidationError("doc_retention", N_("Keep it permanently or for 1 to {high} "
                                                  "years."), high=MAX_RETENTION_YEARS)
    if h.speed not in ("", *SPEEDS):
        raise ValidationError("doc_speed", N_("Choose one of the urgencies."))
    if h.classification not in ("", *CLASSIFICATIONS):
        raise ValidationError("doc_classification", N_("Choose one of the classifications."))
    if len(h.declassify) > MAX_DECLASSIFY:
        raise ValidationError("doc_declassify", N_("At most {limit} characters."),
                              limit=MAX_DECLASSIFY)
    _one_line("doc_declassify", h.declassify)
    if h.classified and not h.declassify:
        raise ValidationError("doc_declassify", N_(
            "A record marked restricted or above needs its declassification condition or "
            "period."))
    if not h.classified and h.declassify:
        raise ValidationError("doc_declassify", N_(
            "Only a record marked restricted or above has a declassification condition."))
    return h


def _one_line(column: str, text: str) -> None:
    if any(unicodedata.category(c) in _NOT_ONE_LINE for c in text):
        raise ValidationError(column, N_("One line of visible text: no line breaks, control "
                                         "or invisible characters."))


def header_writer(permission: Permission) -> WriteCheck:
    """The sync's check of a row's doc_* columns from another PC: written only by an author
    with *permission* (a new row may carry the empty defaults from anyone), and a header
    check_header accepts, judged on the row as it will be, and stored as check_header stores
    it: a value padded with spaces (" secret") passes the check trimmed but is stored as sent,
    where it is none of the values the app knows (the form's marking failed to print, the
    lists showed no flag)."""

    def check(author: Author, values: Mapping[str, Any],
              current: Mapping[str, Any] | None) -> str | None:
        changed = [c for c in COLUMNS if c in values
                   and (values[c] or "") != ((current or {}).get(c) or "")]
        if not changed:
            return None
        if not may(author, permission):
            return N_("the role of the PC that wrote it may not do this")
        merged = {**(current or {}), **values}
        header = RecordHeader(*(str(merged.get(c) or "") for c in COLUMNS))
        try:
            accepted = check_header(header) == header
        except ValidationError:
            accepted = False
        return None if accepted else N_("its document header is not one the app accepts")

    return check


def retention_of(header: RecordHeader, rules: RecordRules, *, most_serious: bool) -> str:
    """The retention in force: the one set, or the rule's (see the module's docstring).
    *most_serious*: the record is a case at the playbook's first level."""
    if header.retention:
        return header.retention
    if most_serious or header.classification in NATIONAL_SECRETS:
        return PERMANENT
    return str(rules.retention_years)


def retention_label(retention: str) -> str:
    """"永久" or "10年"."""
    if retention == PERMANENT:
        return _("Permanent")
    return _("{years} years").format(years=retention)


def classification_label(header: RecordHeader) -> str:
    """"普通", or "密（本案結案後解密）": the marking and its condition, as a 函 prints them."""
    name = _(CLASSIFICATIONS.get(header.classification or OPEN, N_("Unclassified")))
    if not header.classified:
        return name
    return _("{classification} ({condition})").format(classification=name,
                                                      condition=header.declassify)


def marking(header: RecordHeader) -> str:
    """What a classified record prints at the top and bottom of every page; "" if open."""
    return _(CLASSIFICATIONS[header.classification]) if header.classified else ""


def flagged(title: str, classification: str) -> str:
    """*title* flagged with its record's classification ("【密】…") when marked 密 or above,
    as every list of records shows it (in the window and in the annual review's list of
    cases), so a classified case is never opened, printed or passed on unawares; unchanged for
    an open record, or a key this version does not know."""
    if classification in ("", OPEN) or classification not in CLASSIFICATIONS:
        return title
    return _("[{marking}] {title}").format(marking=_(CLASSIFICATIONS[classification]),
                                          title=title)


_EMPTY_MEANS = {"doc_speed": ORDINARY, "doc_classification": OPEN}
"""What an empty 速別 or 密等 stands for: "" and "ordinary" print alike."""


def same_meaning(column: str, old: str, new: str) -> bool:
    """Whether two stored values of a doc_* column print alike (no change worth a trace)."""
    empty = _EMPTY_MEANS.get(column, "")
    return (old or empty) == (new or empty)


def store_header(row: Any, header: RecordHeader, by: str) -> list[tuple[str, str, str]]:
    """Write *header* into the doc_* columns of *row* (an incident's, a drill's), touched in
    *by*'s name when anything differs; the changes worth a trace as (column, old, new), none
    for a value that prints as before (same_meaning)."""
    old = RecordHeader.of(row).values()
    if old == header.values():
        return []
    for column, value in header.values().items():
        setattr(row, column, value)
    row.touch(by)
    return [(column, old[column], value) for column, value in header.values().items()
            if not same_meaning(column, old[column], value)]


def header_content(header: RecordHeader) -> dict[str, Any]:
    """What a form's verification code covers of its record's header (forms.verify): the
    stored fields, an explicit default read as the empty one (they print alike), so that a 密
    marking or a 保存年限 changed after signing makes the signed paper an older printout.
    Nothing for a header left to the rule throughout: a form printed before headers existed
    keeps its code. (The rule's part needs no covering: the level is in every incident's
    content, and the playbook a record follows never changes under it.)"""
    values = {column: "" if same_meaning(column, value, "") else value
              for column, value in header.values().items()}
    return {"header": values} if any(values.values()) else {}


def column_value_label(column: str, value: str) -> str:
    """A stored value of a doc_* column as a reader reads it (the timeline's "密等：機密（原為：普通）"):
    a key by its name, an empty retention as the rule's; a key a newer version wrote, as it
    is."""
    if column == "doc_retention":
        return retention_label(value) if value else _("By the rule")
    if column == "doc_speed":
        return _(SPEEDS[value or ORDINARY]) if (value or ORDINARY) in SPEEDS else value
    if column == "doc_classification":
        key = value or OPEN
        return _(CLASSIFICATIONS[key]) if key in CLASSIFICATIONS else value
    return value or _("(empty)")


def official_header(header: RecordHeader, rules: RecordRules, *,
                    most_serious: bool = False) -> OfficialHeader:
    """The header block of a form printed from the record, in the reader's language."""
    retention = retention_of(header, rules, most_serious=most_serious)
    return OfficialHeader(
        filing=((_("File no.: "), header.file_number),
                (_("Retention: "), retention_label(retention))),
        handling=((_("Urgency: "), _(SPEEDS.get(header.speed or ORDINARY, SPEEDS[ORDINARY]))),
                  (_("Classification and declassification: "), classification_label(header))),
        marking=marking(header))
