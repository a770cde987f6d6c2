"""The home screen: what needs the person at this PC now (models/review/dashboard.py), each
item one click from where its work is done.

The items are read on the worker and reread whenever records change here or arrive from
another PC (ctx.data_changed, which a sync announces too), while the screen is shown. The
window tells it the sync's state (set_sync), which it does not read itself: ui/ features do
not import one another (the window joins them)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout

from i18n import _, ngettext, pick
from i18n.formatting import format_date, format_datetime, format_minutes, format_month
from models.core.changes import OpChanges
from models.drills.kinds import status_label, taipei_today
from models.incidents.inquiry_print import clock_text
from models.playbook.drill_rules import span_text
from ui.runtime.context import AppContext
from ui.runtime.feedback import error_text
from ui.runtime.naming import named
from ui.runtime.ops import Op
from ui.widgets.record_header import marked
from ui.widgets.when_shown import ReloadsWhenShown

if TYPE_CHECKING:
    from models.review.dashboard import Needs
    from models.storage.db import Database

TARGET = Qt.ItemDataRole.UserRole
"""An item's (where, id): "incident" (at its current stage), "escalation" (its stage 1),
"statement" (its stage 4), "tasks" (its stage 3), "drills", "report" or "evaluation" (of the
drill of the month given as an ISO date), "actions" or "sync", and the id to open; "situation"
(its stage 3: the situation reports), "watch" (its stage 1: the level and the watch list)."""
REFRESH_MS = 60_000
"""While shown, the items are read again this often: a notification passes the office's
acknowledgement time, an action its due day, with no record changing."""
URGENT = QColor("#b00020")


class HomeScreen(ReloadsWhenShown):
    """Signals:
        loaded(): the items are on screen.
        open_requested(str, str): open where the work is (TARGET).
    """

    loaded = Signal()
    open_requested = Signal(str, str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("screen_home")
        self.ctx = ctx
        self.heading = named(QLabel(), "home_heading")
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.summary = named(QLabel(), "home_summary")
        self.summary.setWordWrap(True)
        self.items = named(QListWidget(), "home_items")
        self.items.setWordWrap(True)  # a stage's missing items are sentences
        self.items.itemClicked.connect(self._clicked)
        self.items.itemActivated.connect(self._clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.items, 1)
        self.needs: Needs | None = None
        self._sync: tuple[str, bool, tuple[str, ...]] = ("", False, ())
        self._serial = 0
        ctx.database_ready.connect(self.reload)
        ctx.data_changed.connect(self._on_data_changed)
        ctx.office_changed.connect(self.reload)
        ctx.settings_changed.connect(self.reload)
        ctx.standing_changed.connect(self.reload)  # the person and role acting may change
        self._refresh = QTimer(self, interval=REFRESH_MS)
        self._refresh.timeout.connect(self.reload)
        self._refresh.start()
        ctx.language_changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("What needs me now"))
        self._fill()

    def _on_data_changed(self, _changes: OpChanges) -> None:
        self.reload()

    def set_sync(self, text: str, problem: bool, waiting: tuple[str, ...]) -> None:
        """The sync's state as the window's status shows it, and what it waits for (an
        approval, a file of another PC)."""
        self._sync = (text, problem, waiting)
        self._fill()

    def load(self) -> None:
        settings, actor = self.ctx.settings, self.ctx.actor
        self._serial += 1
        serial = self._serial

        def read(db: Database) -> Needs:
            from models.review.dashboard import what_needs_me
            from models.storage.db import utcnow

            return what_needs_me(db, settings.office_code, actor, utcnow(), taipei_today(),
                                 settings.ack_minutes)

        Op(self.ctx, "home_load", read, parent=self).on_done(
            lambda needs: self._loaded(needs) if serial == self._serial else None).on_error(
            self._failed).run()

    def _failed(self, exc: Exception) -> None:
        """Said on the screen: a box would come back at each change (the details are logged)."""
        self.summary.setText(_("What needs you could not be read: {reason}").format(
            reason=error_text(exc)))

    def _loaded(self, needs: Needs) -> None:
        self.needs = needs
        self._fill()
        self.loaded.emit()

    def _fill(self) -> None:
        self.items.clear()
        needs = self.needs
        if needs is None:
            self.summary.setText(_("Reading…"))
            self._sync_section()
            return
        count = needs.count()
        self.summary.setText(ngettext("{n} item needs you.", "{n} items need you.", count)
                             .format(n=count) if count else _("Nothing needs you now."))
        tz = self.ctx.settings.timezone
        self._section(_("Open incidents"), [
            (_("{number} {title}: {level}, stage {stage}, since {since}").format(
                number=i.number, title=marked(i.title, i.classification),
                level=self._level(i.level_key),
                stage=i.current_stage, since=format_minutes(
                    max(0.0, (datetime.now(UTC) - i.started_at).total_seconds() / 60))),
             ("incident", i.id), i.overdue > 0)
            for i in needs.incidents])
        self._section(_("Notifications not acknowledged in time"), [
            (_("{number}: {recipient}, notified {when}").format(
                number=n.number, recipient=n.recipient,
                when=format_datetime(n.notified_at, long=False, tz=tz)),
             ("escalation", n.incident_id), True)
            for n in needs.late_notices])
        self._section(_("Reporting time limits passed"), [
            (_("{number}: {post} not told within {limit} (due {due})").format(
                number=r.incident.number, post=pick(r.post),
                limit=format_minutes(r.clock.limit_minutes),
                due=format_datetime(r.clock.due_at, long=False, tz=tz) if r.clock.due_at else ""),
             ("escalation", r.incident.id), True)
            for r in needs.late_reporting])
        self._section(_("Situation reports for the commander"), [
            ((_("{number}: situation report overdue since {due}") if r.late else
              _("{number}: next situation report due {due}")).format(
                number=r.incident.number,
                due=format_datetime(r.due.due_at, long=False, tz=tz)),
             ("situation", r.incident.id), r.late)
            for r in needs.reports_due])
        self._section(_("Watch list: reviews due"), [
            (_("{number} {title}: review due {day}").format(
                number=w.incident.number,
                title=marked(w.incident.title, w.incident.classification),
                day=format_date(w.watch.next_review, long=False)),
             ("watch", w.incident.id), w.late)
            for w in needs.watch_due])
        self._section(_("Tasks overdue"), [
            (_("{number}: {task} ({owner}), due {due}").format(
                number=t.incident.number, task=t.description, owner=t.owner or _("no owner"),
                due=format_datetime(t.due_at, long=False, tz=tz)),
             ("tasks", t.incident.id), True)
            for t in needs.late_tasks])
        self._section(_("Stage items missing"), [
            (_("{number} stage {stage}: {items}").format(
                number=g.incident.number, stage=g.stage, items=_("; ").join(g.missing)
                + (_(" ({n} more)").format(n=g.count - len(g.missing))
                   if g.count > len(g.missing) else "")),
             ("incident", g.incident.id), False)
            for g in needs.gaps])
        self._section(_("Statements waiting for you"), [
            ((_("{number} {title} (version {version}): to review for the legal group")
              if s.step == "legal_review" else
              _("{number} {title} (version {version}): to approve as spokesperson")).format(
                number=s.incident.number, title=s.statement_title, version=s.version),
             ("statement", s.incident.id), False)
            for s in needs.statements])
        self._section(_("Legislators' inquiries: legal clocks"), [
            ((_("{number} {name}: registration with the ethics unit {state}")
              if c.clock.kind == "favour" else
              _("{number} {name}: reply to the written interpellation {state}")).format(
                number=c.incident.number, name=c.rep_name,
                state=clock_text(c.clock, taipei_today())),
             ("statement", c.incident.id), c.clock.overdue(taipei_today()))
            for c in needs.inquiry_clocks])
        self._section(_("Waiting for your sign-off"), [
            ((_("Drill report of {unit}, {month}") if s.kind == "report"
              else _("Drill evaluation of {unit}, {month}")).format(
                unit=needs.units.get(s.unit_key, s.unit_key), month=format_month(s.month)),
             (s.kind, s.month.isoformat()), False)
            for s in needs.sign_offs])
        today = taipei_today()
        self._section(_("Corrective actions due"), [
            (_("{action} ({owner}), due {due}").format(
                action=a.description, owner=a.owner,
                due=format_date(a.due, long=False) if a.due else ""),
             ("actions", a.action_id), a.overdue(today))
            for a in needs.actions])
        drills = [((_("{unit}: no drill since {day}, more than {span}").format(
                        unit=u.unit.name, day=format_date(u.last_held, long=False),
                        span=span_text(needs.unit_every_months))
                    if u.last_held else _("{unit}: no drill on record").format(unit=u.unit.name)),
                   ("drills", ""), True) for u in needs.overdue_units]
        drills += [(_("Evaluation of the drill of {unit}, {month}: due {due}, overdue").format(
                        unit=needs.units.get(e.unit_key, e.unit_key), month=format_month(e.month),
                        due=format_date(e.due, long=False)),
                    ("evaluation", e.month.isoformat()), True) for e in needs.late_evaluations]
        drills += [(_("Follow-up of {action} ({owner}), drill of {unit}, {month}: due {due}, "
                      "overdue").format(
                        action=f.description, owner=f.owner or _("no owner"),
                        unit=needs.units.get(f.unit_key, f.unit_key), month=format_month(f.month),
                        due=format_date(f.due, long=False)),
                    ("evaluation", f.month.isoformat()), True) for f in needs.late_follow_ups]
        month = needs.this_month
        if month is not None:
            drills.insert(0, (
                _("This month's drill: {unit}, {status}").format(
                    unit=needs.units.get(month.drill.unit_key, month.drill.unit_key),
                    status=status_label(month.drill.status))
                if month.drill is not None else _("This month's drill: no unit drawn yet"),
                ("drills", ""), False))
        self._section(_("Drills"), drills)
        self._sync_section()

    def _sync_section(self) -> None:
        text, problem, waiting = self._sync
        if text:
            self._section(_("Sync"), [(text, ("sync", ""), problem),
                                      *((line, ("sync", ""), True) for line in waiting)])

    def _section(self, heading: str, rows: list[tuple[str, tuple[str, str], bool]]) -> None:
        """A heading and its rows; nothing at all for a section with none."""
        if not rows:
            return
        head = QListWidgetItem(heading)
        font = QFont(head.font())
        font.setBold(True)
        head.setFont(font)
        head.setFlags(Qt.ItemFlag.NoItemFlags)
        head.setForeground(QBrush(self.palette().windowText().color()))
        self.items.addItem(head)
        for text, target, urgent in rows:
            item = QListWidgetItem("    " + text)
            item.setData(TARGET, target)
            if urgent:
                item.setForeground(QBrush(URGENT))
            self.items.addItem(item)

    def _clicked(self, item: QListWidgetItem) -> None:
        target = item.data(TARGET)
        if target:
            self.open_requested.emit(*target)

    def _level(self, key: str) -> str:
        name = self.needs.levels.get(key) if self.needs is not None else None
        return pick(name) if name else key
