"""What the report and the evaluation tabs of a drill share: the drill on screen, one way to
run an act on it, the red line for a refusal, the line that says why signing is not offered,
and the history of sign-offs as both tabs list it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QLabel, QVBoxLayout, QWidget

from i18n import N_, _
from i18n.formatting import format_datetime
from ui.runtime.context import AppContext
from ui.runtime.feedback import error_label, show_at_field
from ui.runtime.naming import named
from ui.runtime.ops import Op

if TYPE_CHECKING:
    from models.drills.reports.kinds import SignEvent
    from models.org.people import Actor
    from models.storage.db import Database


class DrillPanel(QWidget):
    def __init__(self, ctx: AppContext, name: str) -> None:
        super().__init__()
        self.setObjectName(f"{name}_panel")
        self.ctx = ctx
        self.drill_id = ""
        self.error = error_label(f"{name}_error")
        self.hint = named(QLabel(), f"{name}_sign_hint")
        """Why this PC's user cannot sign now: a disabled button always says why."""
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")

    @staticmethod
    def button_rows(rows: Sequence[Iterable[QWidget]], deputy: QWidget) -> QVBoxLayout:
        """The panel's buttons in rows (the author's acts, the paper, the signers' acts, the
        last ending with the deputy's field): in one row they were wider than the pane, in
        English most of all, and the whole form scrolled sideways, its labels out of sight."""
        layout = QVBoxLayout()
        for n, widgets in enumerate(rows, start=1):
            row = QHBoxLayout()
            for widget in widgets:
                row.addWidget(widget)
            if n == len(rows):
                row.addWidget(deputy, 1)
            else:
                row.addStretch(1)
            layout.addLayout(row)
        return layout

    def fields(self) -> Mapping[str, QWidget]:
        """A ValidationError's field -> the widget to show it at."""
        return {}

    def offer_signing(self, *, locked: bool, submitted: bool, events: Sequence[SignEvent],
                      number: int, not_submitted: str, controls: Iterable[QWidget]) -> None:
        """Enable *controls* (sign, return, the deputy's field) only when this PC's user may
        sign now, and otherwise say why under them and on them: locked, not a signer, not
        submitted (*not_submitted* says by whom), their own box already signed, or a duty
        another person must take (they submitted it, or signed the other box)."""
        from models.drills.reports.actions import (  # the domain's rule, not a copy
            DUTY_REFUSALS,
            sign_refusal,
        )

        refusal = sign_refusal(self.ctx.actor, locked=locked, submitted=submitted,
                               events=events, number=number)
        reason = (not_submitted if refusal == "submitted"
                  else _({**SIGN_REASONS, **DUTY_REFUSALS}[refusal]) if refusal else "")
        self.hint.setText(reason)
        self.hint.setVisible(bool(reason))
        for control in controls:
            control.setEnabled(not reason)
            control.setToolTip(reason)

    def return_with_comment(self, title: str, question: str, name: str,
                            fn: Callable[[Database, Actor, str], Any]) -> None:
        """Ask the signer what must change, then run *fn(db, actor, comment)*: a return
        always carries its comment (the report's and the evaluation's alike)."""
        comment, ok = QInputDialog.getMultiLineText(self, title, question)
        if ok:
            self.act(name, lambda db, actor, _drill_id: fn(db, actor, comment))

    def act(self, name: str, fn: Callable[[Database, Actor, str], Any]) -> None:
        """Run *fn(db, actor, drill_id)* as an Op (ui/runtime/ops.py): the Drills screen
        reloads from what it changed, and a refusal shows at its field."""
        actor, drill_id = self.ctx.actor, self.drill_id
        self.error.hide()

        def failed(exc: Exception) -> None:
            show_at_field(self, exc, self.error, self.fields())
            self.error.show()

        Op(self.ctx, name, lambda db: fn(db, actor, drill_id), parent=self).on_error(
            failed).run()


SIGN_REASONS = {
    "role": N_("Only the commander and the executive secretary sign, each in their own box."),
    "signed": N_("You have signed your box; the other signer's is pending."),
    "locked": N_("Signed by both: nothing is left to sign."),
}


def events_html(events: Iterable[SignEvent], names: Mapping[str, str], tz: str,
                versions: bool) -> str:
    """Every submission, sign-off, return and reopening (the kinds *names* names), oldest
    first, each naming the role it was made in and, for a deputy, whom they signed for (代):
    "已簽核（總指揮），李組長（代 張副關務長）" where the line once read "已簽核，李組長" for
    either box."""
    from models.drills.reports.kinds import SIGNERS
    from models.org.people import ROLE_LABELS

    lines = []
    for e in events:
        if e.kind not in names:
            continue  # circulation has its own table
        who = e.name or e.entered_by
        if e.deputy_for:
            who += _(" (deputy for {name})").format(name=e.deputy_for)
        # ROLE_LABELS is keyed by Role, a StrEnum, so the stored str finds its label.
        role = SIGNERS.get(e.as_role) or ROLE_LABELS.get(e.role)  # type: ignore[call-overload]
        event = _(names[e.kind])
        if role:
            event = _("{event} as {role}").format(event=event, role=_(role))
        when = format_datetime(e.entered_at, long=False, tz=tz)
        text = (_("Version {number}: {event}, {who}, {when}").format(
                    number=e.version_number, event=event, who=who, when=when) if versions
                else _("{event}, {who}, {when}").format(event=event, who=who, when=when))
        if e.comment:
            text += " — " + e.comment
        lines.append("<li>" + escape(text) + "</li>")
    return "<ul>" + "".join(lines) + "</ul>" if lines else ""
