"""The drill report form and the evaluation: vocabularies, the rating scale, the records a
caller gets, and the rules that need no database.

Procedure (reference 001, 七):
- (二) the unit tested fills in the drill report form (危機管理演練報告表, annex 2: 測試單位,
  演練時間, 演練項目 with the four categories ticked, 模擬案由, 演練過程摘要) and submits it to
  the commander (總指揮) and the executive secretary (執行秘書) (簽報);
- (三) evaluation and observation (評估與觀摩): the planning group (策劃組) writes an evaluation
  report from the drill report, has it approved (陳核) and sends copies to every unit for
  reference (影送各單位參考).

Nothing here reads or writes an incident: a drill is simulated, and it never counts among
real incidents.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

from i18n import N_, _, pick
from models.playbook.model import Level

REPORT_STATUSES = {
    "draft": N_("Draft"),
    "submitted": N_("Submitted for sign-off"),
    "returned": N_("Returned"),
    "signed": N_("Signed"),
}
"""A report is a draft while the unit writes it, submitted (簽報) until both signers have
signed it or one returns it, and signed (locked) once the commander and the executive secretary
have both signed."""

SIGNERS = {"commander": N_("Commander"), "secretary": N_("Executive secretary")}
"""The two boxes of a sign-off, in the order the form prints them (總指揮, 執行秘書)."""

REPORT_EVENTS = {
    "submitted": N_("Submitted"),
    "signed": N_("Signed"),
    "returned": N_("Returned"),
    "reopened": N_("Reopened"),
}

EVALUATION_EVENTS = {
    "submitted": N_("Submitted for approval"),
    "signed": N_("Signed"),
    "returned": N_("Returned"),
}
"""An evaluation is submitted for approval (陳核), not reported (簽報) like the report."""

REPORT_FIELDS = {
    "unit": N_("Unit tested"),
    "time_start": N_("Drill start"),
    "time_end": N_("Drill end"),
    "items": N_("Drill items"),
    "simulated_case": N_("Simulated case"),
    "summary": N_("Summary of the drill process"),
    "participants": N_("Participants"),
    "went_well": N_("What went well"),
    "to_improve": N_("What to improve"),
    "suggestions": N_("Suggestions"),
}
"""The fields of the drill report: the form's five (測試單位, 演練時間 as start and end,
演練項目, 模擬案由, 演練過程摘要) and the review a drill report needs."""

REQUIRED_REPORT_FIELDS = ("time_start", "time_end", "items", "simulated_case", "summary")
"""What a report cannot be submitted without: the form's own fields (the unit is the
drill's)."""


@dataclass(frozen=True)
class RatingLevel:
    """A step of the evaluation's rating scale, with what earns it."""

    value: int
    label: str
    criteria: str
    """msgids: translate with `_()` where shown."""


RATING_SCALE: tuple[RatingLevel, ...] = (
    RatingLevel(1, N_("Not met"),
                N_("The stage's tasks were missed or done wrongly; the response would not "
                   "have worked in a real crisis.")),
    RatingLevel(2, N_("Partly met"),
                N_("Some of the stage's tasks were done, late or incompletely; clear gaps "
                   "remain.")),
    RatingLevel(3, N_("Met"),
                N_("The stage's tasks were done as the procedure asks, in time.")),
    RatingLevel(4, N_("Excellent"),
                N_("The stage's tasks were done in full, promptly and well coordinated; an "
                   "example for other units.")),
)
"""How each response stage of a drill is rated (1 to 4)."""

RATINGS = frozenset(r.value for r in RATING_SCALE)

PROMPT_NOTIFICATION_MINUTES = 30
"""For a level to be notified at once (timing "immediate": 應迅速通報), how many minutes after
the inject a notification still counts as prompt. The procedure says only "promptly"; this is
the working figure the evaluation applies, recorded with each evaluation. A level notified
after handling (處理後通報) has no time limit."""


def status_label(status: str) -> str:
    return _(REPORT_STATUSES.get(status, status))


EVALUATION_STATUSES = {**REPORT_STATUSES, "submitted": EVALUATION_EVENTS["submitted"]}
"""As the report's, but an evaluation is submitted for approval (陳核), not reported."""


def evaluation_status_label(status: str) -> str:
    return _(EVALUATION_STATUSES.get(status, status))


def rating_label(value: int) -> str:
    """"3 Met" in the current language."""
    level = next((r for r in RATING_SCALE if r.value == value), None)
    if level is None:
        return str(value)
    return "{value} {label}".format(value=value, label=_(level.label))


def notification_timeliness(level: Level, inject_at: datetime, notified_at: datetime,
                            limit: int = PROMPT_NOTIFICATION_MINUTES) -> tuple[int, bool]:
    """Whole minutes from the inject to the notification, and whether that kept the level's
    rule: within *limit* minutes for a level notified at once, any time for a level notified
    after handling."""
    minutes = int((notified_at - inject_at).total_seconds() // 60)
    if level.timing == "immediate":
        return minutes, 0 <= minutes <= limit
    return minutes, minutes >= 0


# ---------------------------------------------------------------------------------------------
# The report


@dataclass(frozen=True)
class ReportDraft:
    """What the unit tested writes on the form (and its review of the drill)."""

    time_start: datetime | None = None
    time_end: datetime | None = None
    items: tuple[str, ...] = ()
    """The playbook category keys ticked (演練項目)."""
    simulated_case: str = ""
    summary: str = ""
    participants: tuple[str, ...] = ()
    went_well: str = ""
    to_improve: str = ""
    suggestions: str = ""


@dataclass(frozen=True)
class ReportVersion:
    """One version of a report's content; a submitted one never changes."""

    number: int
    unit_key: str
    unit_name_zh: str
    unit_name_en: str
    draft: ReportDraft
    reason: str
    created_at: datetime
    saved_at: datetime
    saved_by: str
    submitted_at: datetime | None

    @property
    def unit_name(self) -> str:
        return pick({"zh_TW": self.unit_name_zh, "en": self.unit_name_en})

    @property
    def frozen(self) -> bool:
        """Submitted once: its content can no longer change."""
        return self.submitted_at is not None


def missing_fields(draft: ReportDraft) -> tuple[str, ...]:
    """The required fields of the form that are still empty, in the form's order."""
    values: dict[str, object] = {
        "time_start": draft.time_start, "time_end": draft.time_end, "items": draft.items,
        "simulated_case": draft.simulated_case.strip(), "summary": draft.summary.strip(),
    }
    return tuple(k for k in REQUIRED_REPORT_FIELDS if not values[k])


def evaluation_missing(stages: Iterable[int], rated: Container[int], level_key: str,
                       inject_at: datetime | None, notified_at: datetime | None) -> list[str]:
    """What an evaluation still lacks before it may be signed: "ratings.<stage>" for each
    stage not rated, then "level_key", "inject_at" and "notified_at" when not given. The
    sign-off refuses and the printed form says "draft" on the same rule."""
    missing = [f"ratings.{number}" for number in stages if number not in rated]
    missing += [key for key, value in (("level_key", level_key), ("inject_at", inject_at),
                                       ("notified_at", notified_at)) if not value]
    return missing


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def report_content(version: ReportVersion) -> dict[str, Any]:
    """The report version's content as plain JSON values, the same for the same content on
    every PC: what is stored, and what a printed form's verification code is computed from
    (with the report's id and the version number)."""
    d = version.draft
    return {
        "unit": {"key": version.unit_key, "name_zh": version.unit_name_zh,
                 "name_en": version.unit_name_en},
        "time_start": _moment(d.time_start),
        "time_end": _moment(d.time_end),
        "items": list(d.items),
        "simulated_case": d.simulated_case,
        "summary": d.summary,
        "participants": list(d.participants),
        "went_well": d.went_well,
        "to_improve": d.to_improve,
        "suggestions": d.suggestions,
    }


def draft_from_content(content: Mapping[str, Any]) -> ReportDraft:
    def moment(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    return ReportDraft(
        time_start=moment(content["time_start"]),
        time_end=moment(content["time_end"]),
        items=tuple(content["items"]),
        simulated_case=content["simulated_case"],
        summary=content["summary"],
        participants=tuple(content["participants"]),
        went_well=content["went_well"],
        to_improve=content["to_improve"],
        suggestions=content["suggestions"],
    )


@dataclass(frozen=True)
class SignEvent:
    """A report's or an evaluation's event: submitted, signed (as_role, name, 代 deputy_for),
    returned or reopened (with the comment or reason), circulated or acknowledged (unit)."""

    kind: str
    version_number: int
    as_role: str
    name: str
    deputy_for: str
    comment: str
    unit_key: str
    entered_at: datetime
    entered_by: str
    role: str
    login: str = ""
    """The login and PC it was entered from (empty for an event from before they were kept)."""
    pc: str = ""

    @property
    def by_deputy(self) -> bool:
        """Signed by a deputy for the post holder (printed with 代)."""
        return bool(self.deputy_for)


@dataclass(frozen=True)
class ReportInfo:
    id: str
    drill_id: str
    status: str
    version: int
    row_version: int
    updated_at: datetime
    updated_by: str

    @property
    def locked(self) -> bool:
        return self.status == "signed"


# ---------------------------------------------------------------------------------------------
# The evaluation


@dataclass(frozen=True)
class CorrectiveDraft:
    """A corrective action as the planning group enters it; *id* names one already saved."""

    description: str
    owner: str
    due: date | None = None
    status: str = "open"
    id: str | None = None


NO_RATINGS: Mapping[int, int] = MappingProxyType({})


@dataclass(frozen=True)
class EvaluationDraft:
    """What the planning group writes: a rating per response stage (stage number -> value on
    `RATING_SCALE`), the notification's timing against the level's rule, strengths,
    improvements and corrective actions."""

    ratings: Mapping[int, int] = field(default_factory=lambda: NO_RATINGS)
    level_key: str = ""
    inject_at: datetime | None = None
    notified_at: datetime | None = None
    strengths: str = ""
    improvements: str = ""
    actions: tuple[CorrectiveDraft, ...] = ()


@dataclass(frozen=True)
class StageRating:
    stage: int
    name_zh: str
    name_en: str
    rating: int | None

    @property
    def name(self) -> str:
        return pick({"zh_TW": self.name_zh, "en": self.name_en})


@dataclass(frozen=True)
class CorrectiveAction:
    id: str
    description: str
    owner: str
    due: date | None
    status: str


@dataclass(frozen=True)
class CirculationEntry:
    """A unit the evaluation was sent to, and whether (when, by whom) it acknowledged it."""

    unit_key: str
    name_zh: str
    name_en: str
    sent_at: datetime
    sent_by: str
    acknowledged_at: datetime | None
    acknowledged_by: str

    @property
    def name(self) -> str:
        return pick({"zh_TW": self.name_zh, "en": self.name_en})

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None


@dataclass(frozen=True)
class EvaluationInfo:
    id: str
    drill_id: str
    report_id: str
    report_version: int
    status: str
    ratings: tuple[StageRating, ...]
    level_key: str
    inject_at: datetime | None
    notified_at: datetime | None
    notify_minutes: int | None
    notify_within: bool | None
    strengths: str
    improvements: str
    actions: tuple[CorrectiveAction, ...]
    row_version: int
    updated_at: datetime
    updated_by: str

    @property
    def locked(self) -> bool:
        return self.status == "signed"
