"""The office's drill rules on the Drills screen: a month without a drill as the rules see
it, and the after-action deadlines of the drill shown:
when its evaluation and its corrective actions' follow-up are due, and what is overdue
(models.drills.deadlines); before the drill is held, the rule itself."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from i18n import _, ngettext
from i18n.formatting import format_date
from ui.runtime.naming import named

if TYPE_CHECKING:
    from models.drills.deadlines import AfterAction
    from models.drills.queries import DrillInfo

LATE = "#b00020"


def deadlines_label() -> QLabel:
    label = named(QLabel(), "drills_deadlines")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


def _late(text: str) -> str:
    return f"<span style='color:{LATE}'><b>{escape(text)}</b></span>"


def deadlines_html(drill: DrillInfo | None, after: AfterAction | None, today: date) -> str:
    """The lines the label shows for *drill* (nothing without a drill)."""
    if drill is None or after is None:
        return ""
    rules = after.rules
    evaluation = next((e for e in after.evaluations if e.drill_id == drill.id), None)
    if evaluation is None:  # not held (yet): the rule
        return escape(_("After the drill: the evaluation is due within {evaluation} days, the "
                        "corrective actions' follow-up within {follow_up} days.").format(
            evaluation=rules.evaluation_within_days, follow_up=rules.follow_up_within_days))
    due = format_date(evaluation.due, long=False)
    if evaluation.done:
        lines = [escape(_("Evaluation due {due}: done.").format(due=due))]
    elif evaluation.overdue(today):
        lines = [_late(_("Evaluation due {due}: overdue.").format(due=due))]
    else:
        lines = [escape(_("Evaluation due {due}.").format(due=due))]
    actions = [f for f in after.follow_ups if f.drill_id == drill.id]
    late = [f for f in actions if f.overdue(today)]
    if late:
        lines.append(_late(ngettext(
            "{n} corrective action past its follow-up day (the first due {due}).",
            "{n} corrective actions past their follow-up day (the first due {due}).",
            len(late)).format(n=len(late), due=format_date(late[0].due, long=False))))
    elif actions:
        lines.append(escape(ngettext(
            "{n} corrective action open, the next follow-up due {due}.",
            "{n} corrective actions open, the next follow-up due {due}.",
            len(actions)).format(n=len(actions), due=format_date(actions[0].due, long=False))))
    return "<br>".join(lines)


def empty_month_text(wanted: bool, every_months: int) -> str:
    """A schedule month without a drill: missing one when its period (every N months) has no
    drill yet, else wanting none."""
    if not wanted:
        return _("no drill due (the period's drill is in another month)")
    return _("not drawn") if every_months == 1 else _("not drawn (one drill due this period)")
