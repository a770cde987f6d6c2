"""The fixed vocabularies of an incident and the procedure's rules that need no database:
which level the facts suggest, and whom that level tells.

The labels are N_() msgids: they are stored as keys and translated when shown, so a case
entered in Chinese reads in English on the next PC and the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass

from i18n import N_
from models.org.people import Permission
from models.playbook.model import Level, Member, Playbook, level_by_key

SOURCES = {
    "media": N_("Media"),
    "legislator": N_("Legislator's office"),
    "public": N_("Member of the public"),
    "internal": N_("Internal"),
    "other": N_("Other"),
}
"""Where the first report of an incident came from."""

MEANS = {
    "phone": N_("Phone"),
    "in_person": N_("In person"),
    "email": N_("E-mail"),
    "message": N_("Message"),
}
"""How a notification was made."""

NOTIFY_OUTCOMES = {
    "reached": N_("Reached"),
    "left_message": N_("Left a message"),
    "call_back": N_("Will call back"),
    "no_answer": N_("No answer"),
}
"""What an attempt to notify achieved. Only 'reached' tells the person; a message left or a
promised call back waits for their acknowledgement like a notification; 'no answer' told
nobody, and the post's deputy is next."""

TASK_STATES = {
    "open": N_("Open"),
    "done": N_("Done"),
    "not_applicable": N_("Not applicable"),
}
ACTION_STATUSES = {
    "planned": N_("Planned"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
}
STATEMENT_KINDS = {
    "statement": N_("Press statement"),
    "clarification": N_("Clarification"),
    "reply": N_("Reply to a written interpellation"),
}
STATEMENT_EVENTS = {
    "legal_review": N_("Reviewed by the legal group"),
    "approved": N_("Approved by the spokesperson"),
    "released": N_("Released"),
}
STATEMENT_SIGNERS = {"legal_review": Permission.REVIEW_STATEMENT,
                     "approved": Permission.APPROVE_STATEMENT}
"""The events of a statement that someone records in their own name only if their post
gives them the act (a release is anyone's to record)."""
DECISION_POSTS = {
    "commander": N_("Commander"),
    "secretary": N_("Executive secretary"),
    "unit_head": N_("Head of the handling unit"),
    "team": N_("Crisis team (meeting)"),
}
"""As what a decision was taken: the posts 001 §三 and §六 give decisions to."""
CONFIRMERS = {"commander": N_("Commander"), "secretary": N_("Executive secretary")}
"""Who may confirm the decided plan of stage 2 (總指揮 or 執行秘書)."""


@dataclass(frozen=True)
class FieldSpec:
    """A free-text field of a stage form. kind: 'line', 'text' (several lines), 'datetime'
    (ISO 8601, UTC) or 'names' (one name per line, picked from the roster)."""

    key: str
    stage: int
    label: str
    kind: str = "text"


FIELDS = {
    spec.key: spec
    for spec in (
        FieldSpec("s2.meeting_at", 2, N_("Meeting time"), "datetime"),
        FieldSpec("s2.meeting_place", 2, N_("Meeting place"), "line"),
        FieldSpec("s2.attendees", 2, N_("Attendees"), "names"),
        FieldSpec("s2.information", 2, N_("Information gathered")),
        FieldSpec("s2.diagnosis", 2, N_("Diagnosis")),
        FieldSpec("s2.plan", 2, N_("Decided plan")),
        FieldSpec("s2.confirmed_by_role", 2, N_("Plan confirmed by"), "line"),
        FieldSpec("s2.confirmed_by_name", 2, N_("Name of the confirmer"), "line"),
        FieldSpec("s2.confirmed_at", 2, N_("Plan confirmed at"), "datetime"),
        FieldSpec("s4.press_materials", 4, N_("Written materials for the press")),
        FieldSpec("s6.what_happened", 6, N_("What happened")),
        FieldSpec("s6.what_worked", 6, N_("What worked")),
        FieldSpec("s6.what_failed", 6, N_("What did not work")),
        FieldSpec("s6.lessons", 6, N_("Lessons learned")),
    )
}
"""Every stage-form field; their values are stored one row per field (incident_fields)."""

FACTS = {
    "title": N_("Subject"),
    "summary": N_("What happened"),
    "started_at": N_("Started"),
    "ended_at": N_("Ended"),
    "location": N_("Location"),
    "reporting_unit": N_("Reporting unit"),
    "source": N_("Source"),
    "category_key": N_("Category"),
    "subtype_key": N_("Subtype"),
    "scope": N_("Scope"),
    "level_key": N_("Level"),
}
"""The incident's own facts (columns of the incidents table), with their labels."""

CONFIRMATION = ("s2.confirmed_by_role", "s2.confirmed_by_name", "s2.confirmed_at")
"""The stage-2 fields only confirming the plan writes (models.incidents.actions.confirm_plan):
who confirmed it, as what, when. Who recorded it is the author of its timeline entry."""

REQUIRED_FIELDS = {
    2: ("s2.plan", "s2.confirmed_by_name"),
    6: ("s6.what_happened", "s6.lessons"),
}
"""Stage-form fields a stage cannot complete without: the decided plan and who confirmed it
(the procedure's 確認處理方案), and for the case file what happened and what was learned."""

IMPACTS = {
    "customs": N_("Customs as a whole (the whole customs service's business and image)"),
    "office": N_("This office as a whole (the office's business and image)"),
    "unit": N_("Only the responsible unit"),
}
"""The decision aid's first question: whose business and image does the incident affect?
The three answers are the three level definitions of the procedure."""


def suggest_level(playbook: Playbook, impact: str, urgent: bool) -> Level:
    """The level the procedure's definitions point to.

    high: left unhandled it harms Customs as a whole; medium: it harms this office as a
    whole; low: only the responsible unit. A Customs-wide impact that does not need handling
    at once is, by the high level's own wording ("未立即處理"), one step lower. Levels are
    taken by position (most to least severe), so a renamed level still works.
    """
    levels = playbook.levels
    index = {"customs": 0, "office": 1, "unit": 2}[impact]
    if impact == "customs" and not urgent:
        index = 1
    return levels[min(index, len(levels) - 1)]


@dataclass(frozen=True)
class Escalation:
    """Whom a level tells and when (the procedure's 危機等級 rules)."""

    level: Level
    members: tuple[Member, ...]
    """The roster posts of the level's notify group, holder and deputy with their phones."""

    @property
    def at_once(self) -> bool:
        return self.level.timing == "immediate"


def escalation(playbook: Playbook, level_key: str) -> Escalation:
    level = level_by_key(playbook, level_key)
    members = tuple(m for m in playbook.team.members if m.group == level.notify_group)
    return Escalation(level=level, members=members)


