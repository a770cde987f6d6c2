"""Full-text search of the case archive, in Chinese and in English.

Chinese is written without spaces, so a word index finds nothing; the FTS5 trigram tokenizer
indexes every run of three characters and so answers any substring of three or more
characters, case-insensitively for Latin letters. Shorter terms (two-character words such as
豬瘟 are common) cannot use the trigram index: they are matched with instr() over the indexed
text, which SQLite does in C over the one table (see docs/benchmarks.md for its cost).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, literal_column, select, text
from sqlalchemy.orm import Session

from models.incidents.attachment_entities import AttachmentRow
from models.incidents.entities import (
    ActionRow,
    CorrectiveActionRow,
    DecisionRow,
    IncidentFieldRow,
    IncidentRow,
    InquiryRow,
    NegotiationRow,
    StatementRow,
    StatementVersionRow,
    TimelineRow,
)
from models.incidents.media_entities import MediaItemRow
from models.incidents.queries import IncidentSummary, summaries, taipei_year
from models.incidents.real import real
from models.incidents.timeline import Note, Report, Written, read_entry
from models.storage.db import Database

TRIGRAM = 3
MAX_TERMS = 8


def case_text(session: Session, incident_id: str) -> str:
    """Everything a reader could search for in one case, as one text."""
    row = session.get(IncidentRow, incident_id)
    assert row is not None
    parts = [row.title, row.summary, row.location, row.scope]
    parts += session.scalars(select(IncidentFieldRow.value).where(
        IncidentFieldRow.incident_id == incident_id, IncidentFieldRow.deleted_at.is_(None)))
    for model, columns in (
        (ActionRow, (ActionRow.description, ActionRow.resources)),
        (NegotiationRow, (NegotiationRow.party, NegotiationRow.position,
                          NegotiationRow.agreement, NegotiationRow.next_step)),
        (CorrectiveActionRow, (CorrectiveActionRow.description, CorrectiveActionRow.owner)),
        (MediaItemRow, (MediaItemRow.outlet, MediaItemRow.headline, MediaItemRow.clipping)),
        (DecisionRow, (DecisionRow.decision, DecisionRow.basis, DecisionRow.options)),
        (InquiryRow, (InquiryRow.rep_name, InquiryRow.rep_office, InquiryRow.request,
                      InquiryRow.reply)),
    ):
        for values in session.execute(select(*columns).where(
                model.incident_id == incident_id, model.deleted_at.is_(None))):
            parts.extend(values)
    for filename, caption in session.execute(select(
            AttachmentRow.filename, AttachmentRow.caption).where(
            AttachmentRow.incident_id == incident_id)):
        parts += (filename, caption)
    parts += session.scalars(
        select(StatementVersionRow.text).join(StatementRow).where(
            StatementRow.incident_id == incident_id))
    parts += session.scalars(select(StatementRow.title).where(
        StatementRow.incident_id == incident_id))
    for kind, data in session.execute(select(TimelineRow.kind, TimelineRow.data).where(
            TimelineRow.incident_id == incident_id,
            TimelineRow.kind.in_((Report.KIND, Note.KIND)))):
        what = read_entry(kind, json.loads(data))
        if isinstance(what, Written):
            parts.append(what.text)
    return "\n".join(p for p in parts if p)


def index_case(session: Session, incident_id: str) -> None:
    """(Re)index one archived case; part of the transaction that archives it (or of the merge
    that brings it, models.incidents.sync_policy). A drill incident, ended and so archived,
    is no case: it is never indexed, so no search finds it (models/incidents/real.py)."""
    session.execute(text("DELETE FROM case_fts WHERE incident_id = :id"), {"id": incident_id})
    if session.scalar(select(IncidentRow.drill_id).where(IncidentRow.id == incident_id)):
        return
    session.execute(
        text("INSERT INTO case_fts (incident_id, body) VALUES (:id, :body)"),
        {"id": incident_id, "body": case_text(session, incident_id)},
    )


@dataclass(frozen=True)
class CaseQuery:
    text: str = ""
    category_key: str = ""
    level_key: str = ""
    unit_key: str = ""
    roc_year: int | None = None
    limit: int = 200


def _terms(query: str) -> list[str]:
    return [t for t in query.split() if t][:MAX_TERMS]


def search_cases(db: Database, office_code: str, query: CaseQuery) -> list[IncidentSummary]:
    """Archived cases matching every term and every filter, newest first."""
    select_query = select(IncidentRow).where(
        IncidentRow.office_code == office_code,
        IncidentRow.status == "archived",
        IncidentRow.deleted_at.is_(None),
        real(),
    )
    if query.category_key:
        select_query = select_query.where(IncidentRow.category_key == query.category_key)
    if query.level_key:
        select_query = select_query.where(IncidentRow.level_key == query.level_key)
    if query.unit_key:
        select_query = select_query.where(IncidentRow.reporting_unit == query.unit_key)
    if query.roc_year is not None:
        select_query = select_query.where(
            taipei_year(IncidentRow.started_at) == str(query.roc_year + 1911)
        )
    terms = _terms(query.text)
    if terms:
        long_terms = [t for t in terms if len(t) >= TRIGRAM]
        short_terms = [t for t in terms if len(t) < TRIGRAM]
        conditions = []
        params: dict[str, str] = {}
        if long_terms:
            params["match"] = " AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms)
            conditions.append("case_fts MATCH :match")
        for i, term in enumerate(short_terms):
            params[f"s{i}"] = term.lower()
            # lower() copies every text it reads; only Latin letters need it.
            body = "lower(body)" if term.lower() != term.upper() else "body"
            conditions.append(f"instr({body}, :s{i}) > 0")
        matching: Select[Any] = (
            select(literal_column("incident_id"))
            .select_from(text("case_fts"))
            .where(text(" AND ".join(conditions)).bindparams(**params))
        )
        select_query = select_query.where(IncidentRow.id.in_(matching))
    select_query = select_query.order_by(IncidentRow.started_at.desc()).limit(query.limit)
    with db.session() as session:
        return summaries(session, office_code, select_query)

