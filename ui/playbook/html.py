"""The playbook rendered as HTML for the browser pane, one fragment per section.

HTML in a QTextBrowser, rather than a tree of widgets, because the playbook is mostly reading:
tables of duties, levels and stages must wrap long Chinese sentences and be selectable and
copyable, which rich text does well. Everything taken from the data is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING

from i18n import N_, _, pick
from i18n.formatting import format_date, format_datetime
from models.playbook.drill_rules import rules_text

if TYPE_CHECKING:
    from models.playbook.model import Person, Playbook
    from models.playbook.versions import HandoverInfo

STYLE = """
<style>
h2 { color: #7a1616; margin-top: 14px; }
h3 { color: #333; margin-top: 10px; }
table { border-collapse: collapse; margin: 4px 0 10px 0; }
th { background: #f1e6e6; text-align: left; padding: 4px 8px; }
td { padding: 4px 8px; vertical-align: top; }
.missing { color: #b00020; }
.muted { color: #666; }
</style>
"""


def _t(text: object) -> str:
    return escape(pick(text)) if isinstance(text, dict) else escape(str(text))


def _rows(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table border="1" cellspacing="0" width="100%"><tr>{head}</tr>{body}</table>'


def _numbered(items: Iterable[object]) -> str:
    return "<ol>" + "".join(f"<li>{_t(i)}</li>" for i in items) + "</ol>"


def _h(level: int, text: str) -> str:
    """A heading from already translated text. Translation calls stay outside f-strings:
    babel does not extract them from inside one."""
    return f"<h{level}>{escape(text)}</h{level}>"


def _labelled(label: str, value_html: str) -> str:
    """"Label: value" with the language's own colon (全形 in Chinese)."""
    return _("{label}: {value}").format(label=f"<b>{escape(label)}</b>", value=value_html)


def join_names(names: Iterable[str]) -> str:
    """A list of names with the language's separator (、 in Chinese)."""
    return _(", ").join(names)


def basis(pb: Playbook) -> str:
    return (_h(2, _("Basis")) + _numbered(pb.basis)
            + _h(2, _("Purpose")) + f"<p>{_t(pb.purpose)}</p>")


def team(pb: Playbook) -> str:
    rows = [(f"<b>{_t(g.name)}</b>", _t(g.responsible), _numbered(g.duties))
            for g in pb.team.groups]
    return (_h(2, _("Crisis management team")) + f"<p>{_t(pb.team.rule)}</p>"
            + _rows([_("Group"), _("Responsible unit or person"), _("Duties")], rows))


def group(pb: Playbook, key: str) -> str:
    g = pb.group(key)
    members = "".join("<li>" + _labelled(pick(m.post), _person(m.holder)) + "</li>"
                      for m in pb.members_of(key))
    return (f"<h2>{_t(g.name)}</h2>"
            + "<p>" + _labelled(_("Responsible unit or person"), _t(g.responsible)) + "</p>"
            + _h(3, _("Duties")) + _numbered(g.duties)
            + _h(3, _("Members")) + f"<ul>{members}</ul>")


def _person(p: Person) -> str:
    if not p.name.strip():
        missing = escape(_("(not filled in)"))
        return f'<span class="missing">{missing}</span>'
    phones = [escape(p.office_phone + (f" #{p.extension}" if p.extension else ""))
              if p.office_phone else "", escape(p.mobile)]
    detail = " · ".join(x for x in [escape(p.title), *phones, escape(p.email)] if x)
    return f"<b>{escape(p.name)}</b>" + (f'<br><span class="muted">{detail}</span>' if detail
                                         else "")


def roster(pb: Playbook) -> str:
    rows = [(_t(pb.group(m.group).name), _t(m.post), _person(m.holder), _person(m.deputy))
            for m in pb.team.members]
    return (_h(2, _("Team roster and deputies")) + f"<p>{_t(pb.team.rule)}</p>"
            + _rows([_("Group"), _("Post"), _("Holder"), _("Deputy")], rows))


def handovers(items: list[HandoverInfo]) -> str:
    if not items:
        none = escape(_("No change of post has been recorded yet."))
        return _h(2, _("Handovers")) + f"<p class='muted'>{none}</p>"
    role = {"holder": _("Holder"), "deputy": _("Deputy")}
    rows = [(escape(format_datetime(h.created_at, long=False)), escape(h.post),
             escape(role.get(h.role, h.role)), escape(h.from_name), escape(h.to_name),
             escape(h.note), escape(h.created_by), str(h.version_number)) for h in items]
    return (_h(2, _("Handovers"))
            + _rows([_("Date"), _("Post"), _("Role"), _("From"), _("To"), _("Note"),
                     _("Recorded by"), _("Version")], rows))


def holidays(pb: Playbook) -> str:
    """The office's holidays, which the working-day clocks of inquiries skip."""
    head = _h(2, _("Office holidays"))
    if not pb.holidays:
        none = escape(_("No holidays are listed: the working-day clocks skip weekends only. "
                        "The planning group enters each year's holidays (Edit holidays…)."))
        return head + f"<p class='muted'>{none}</p>"
    return head + _rows([_("Date"), _("Holiday")],
                        [(escape(format_date(h.day)), escape(h.name)) for h in pb.holidays])


def categories(pb: Playbook) -> str:
    return _h(2, _("Incident categories")) + "".join(
        category(pb, c.key, level=3) for c in pb.categories)


def category(pb: Playbook, key: str, level: int = 2) -> str:
    c = next(c for c in pb.categories if c.key == key)
    number = pb.categories.index(c) + 1
    parts = [f"<h{level}>{number}. {_t(c.name)}</h{level}>"]
    if pick(c.definition):
        parts.append(f"<p>{_t(c.definition)}</p>")
    if c.subtypes:
        parts.append(_numbered(s.text for s in c.subtypes))
    item = _labelled(_("Item on the drill form"), _t(c.drill_item))
    parts.append(f'<p class="muted">{item}</p>')
    return "".join(parts)


def _notify(timing: str, keep_watching: bool, whom: str) -> str:
    if timing == "immediate":
        text = _("Notify {whom} at once")
    elif keep_watching:
        text = _("Notify {whom} after handling, and keep watching how it develops")
    else:
        text = _("Notify {whom} after handling")
    return escape(text.format(whom=whom))


def levels(pb: Playbook) -> str:
    rows = [(f"<b>{_t(lv.name)}</b>", _t(lv.definition),
             _notify(lv.timing, lv.keep_watching, pick(pb.group(lv.notify_group).name)))
            for lv in pb.levels]
    return (_h(2, _("Severity levels")) + f"<p>{_t(pb.level_rule)}</p>"
            + _rows([_("Level"), _("Definition"), _("Who is notified, and when")], rows))


def stages(pb: Playbook) -> str:
    rows = [(f"<b>{s.number}. {_t(s.name)}</b>", _numbered(t.text for t in s.tasks),
             _t(s.responsible)) for s in pb.stages]
    return (_h(2, _("Response stages"))
            + _rows([_("Stage"), _("Main tasks"), _("Responsible")], rows))


def stage(pb: Playbook, number: int) -> str:
    s = pb.stages[number - 1]
    groups = join_names(pick(pb.group(k).name) for k in s.responsible_groups)
    optional = " <i>" + escape(_("(optional)")) + "</i>"
    tasks = "".join(f"<li>{_t(t.text)}{'' if t.required else optional}</li>" for t in s.tasks)
    return (f"<h2>{s.number}. {_t(s.name)}</h2>" + _h(3, _("Main tasks")) + f"<ol>{tasks}</ol>"
            + "<p>" + _labelled(_("Responsible"), _t(s.responsible))
            + f'<br><span class="muted">{escape(groups)}</span></p>')


def drill(pb: Playbook) -> str:
    rows = [(f"<b>{i}. {_t(st.name)}</b>", _t(st.text),
             escape(join_names(pick(pb.group(k).name) for k in st.actor_groups)))
            for i, st in enumerate(pb.drill.steps, 1)]
    title = _("Drills: {kind}").format(kind=pick(pb.drill.text))
    return (_h(2, title)
            + _rows([_("Step"), _("What the procedure says"), _("Carried out by")], rows)
            + "<p>" + _labelled(_("The office's drill rules"),
                                escape(rules_text(pb.drill.rules))) + "</p>")


FIELD_KIND_LABELS = {"unit": N_("Unit"), "datetime": N_("Date and time"),
               "categories": N_("Check boxes"), "text": N_("Text"), "longtext": N_("Long text"),
               "people": N_("People"), "list": N_("List")}


def report_form(pb: Playbook) -> str:
    form = pb.drill.report_form
    items = " ".join(f"☐ {_t(c.drill_item)}" for c in pb.categories)
    rows = [(f"<b>{_t(f.label)}</b>", items if f.kind == "categories" else
             '<span class="muted">' + escape(_(FIELD_KIND_LABELS[f.kind])) + "</span>")
            for f in form.fields]
    signers = join_names(pick(pb.group(k).name) for k in form.signers)
    return (f"<h2>{_t(pb.office_name)}{_t(form.title)}</h2>"
            + _rows([_("Field"), _("Content")], rows)
            + "<p>" + _labelled(_("Signed by"), escape(signers)) + "</p>")


def overview(pb: Playbook) -> str:
    return (f"<h1>{_t(pb.title)}</h1>" + basis(pb) + team(pb) + categories(pb) + levels(pb)
            + stages(pb) + drill(pb) + report_form(pb))


def page(body: str) -> str:
    return f"<html><head>{STYLE}</head><body>{body}</body></html>"

