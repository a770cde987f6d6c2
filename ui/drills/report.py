"""The drill report form (危機管理演練報告表) of the month's drill: entered by the unit tested
field for field as the form in 001 has it (測試單位, 演練時間, 演練項目, 模擬案由, 演練過程摘要)
with the review a drill report needs, submitted (簽報) to the commander and the executive
secretary, who each sign (a deputy's signature records 代) or return it with a comment. A
signed report is locked; a change needs a reopen with a reason, and every version stays.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from i18n import _, pick
from i18n.formatting import format_datetime
from models.core.errors import ValidationError
from models.org.people import Role
from ui.drills.panel import DrillPanel, events_html
from ui.printing.jobs import FormPrinter
from ui.printing.record_header import of_drill
from ui.runtime.context import AppContext
from ui.runtime.feedback import show_at_field
from ui.runtime.naming import named
from ui.runtime.ops import Op
from ui.widgets.event_time import EventTimeEdit

if TYPE_CHECKING:
    from forms.document import FormDocument
    from models.drills.reports.kinds import ReportDraft
    from models.drills.reports.queries import ReportView
    from models.drills.reports.signed_copies import SignedCopyInfo
    from models.org.people import Actor
    from models.playbook.model import Playbook
    from models.storage.db import Database


class ReportPanel(DrillPanel):
    """Signals:
        shown(): the report of the drill on screen was (re)loaded.
    """

    shown = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, "report")
        self.view: ReportView | None = None
        self._shown: tuple[str, int, str] | None = None
        self.copies: tuple[SignedCopyInfo, ...] = ()
        tz = ctx.settings.timezone
        self.unit = named(QLabel(), "report_unit")
        self.start = EventTimeEdit(tz, name="report_start")
        self.end = EventTimeEdit(tz, name="report_end")
        self.items_box = QWidget()
        self.items_layout = QVBoxLayout(self.items_box)  # one a line: in a row, too wide
        self.items_layout.setContentsMargins(0, 0, 0, 0)
        self.items: dict[str, QCheckBox] = {}
        self.case = named(QLineEdit(), "report_case")
        self.summary = named(QPlainTextEdit(), "report_summary")
        self._drafted = ""
        """The live drill's drafted summary as last put on screen (not stored, not typed): a
        later draft of the whole drill replaces it while it stands untouched."""
        self.participants = named(QPlainTextEdit(), "report_participants")
        self.went_well = named(QPlainTextEdit(), "report_went_well")
        self.to_improve = named(QPlainTextEdit(), "report_to_improve")
        self.suggestions = named(QPlainTextEdit(), "report_suggestions")
        for text in (self.participants, self.went_well, self.to_improve, self.suggestions):
            text.setMaximumHeight(60)
            text.setTabChangesFocus(True)
        self.summary.setTabChangesFocus(True)
        self.labels = [QLabel() for _i in range(10)]
        form = QFormLayout()
        for label, field in zip(self.labels, (
                self.unit, self.start, self.end, self.items_box, self.case, self.summary,
                self.participants, self.went_well, self.to_improve, self.suggestions),
                strict=True):
            form.addRow(label, field)
        self.deputy_for = named(QLineEdit(), "report_deputy_for")
        self.buttons = {name: named(QPushButton(), f"report_{name}") for name in (
            "save", "submit", "sign", "return", "reopen", "print", "attach")}
        self.printer = FormPrinter(ctx, self)
        self.buttons["print"].clicked.connect(self.print_form)
        self.buttons["attach"].clicked.connect(self.attach_scan)
        self.copy_result = named(QLabel(), "report_copy_result")
        self.copy_result.setWordWrap(True)
        self.buttons["save"].clicked.connect(self.save)
        self.buttons["submit"].clicked.connect(self.submit)
        self.buttons["sign"].clicked.connect(self.sign)
        self.buttons["return"].clicked.connect(self.send_back)
        self.buttons["reopen"].clicked.connect(self.reopen)
        self.state = named(QLabel(), "report_state")
        self.state.setWordWrap(True)
        self.history = named(QTextBrowser(), "report_history")
        self.history.setMaximumHeight(140)
        b = self.buttons
        rows = self.button_rows(((b["save"], b["submit"]), (b["print"], b["attach"]),
                                 (b["sign"], b["return"], b["reopen"])), self.deputy_for)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.state)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(rows)
        layout.addWidget(self.hint)
        layout.addWidget(self.copy_result)
        layout.addWidget(self.history)
        self._fields = {"time_start": self.start, "time_end": self.end,
                        "items": self.items_box, "simulated_case": self.case,
                        "summary": self.summary}
        ctx.language_changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self) -> None:
        from models.drills.reports.kinds import REPORT_FIELDS

        for label, key in zip(self.labels, ("unit", "time_start", "time_end", "items",
                                            "simulated_case", "summary", "participants",
                                            "went_well", "to_improve", "suggestions"),
                              strict=True):
            label.setText(_(REPORT_FIELDS[key]))
        self.participants.setPlaceholderText(_("One name per line"))
        self.deputy_for.setPlaceholderText(_("Signing for (when a deputy signs)"))
        for name, text in (("save", _("Save")), ("submit", _("Submit to the commander and "
                                                              "the executive secretary")),
                           ("sign", _("Sign off")), ("return", _("Return…")),
                           ("reopen", _("Reopen…")), ("print", _("Print")),
                           ("attach", _("Attach the signed scan…"))):
            self.buttons[name].setText(text)
        self.start.retranslate()
        self.end.retranslate()
        if self.view is not None:  # labels only: what is typed stays
            self._fill_items()
            self._show_state(self.view, self.view.report.status if self.view.report
                             else "draft")

    # --- loading -------------------------------------------------------------------------

    def load(self, drill_id: str, playbook: Playbook) -> None:
        self.drill_id, self.playbook = drill_id, playbook
        if not drill_id:
            self.view = None
            self.setEnabled(False)
            self.state.setText(_("Draw the unit first."))
            return

        tz = self.ctx.settings.timezone

        def query(db: Database) -> tuple[ReportView, tuple[SignedCopyInfo, ...]]:
            from models.drills.reports.signed_copies import report_copies
            from models.live_drills.summary import live_report_view

            view = live_report_view(db, drill_id, tz)  # a live drill pre-fills the form
            return view, report_copies(db, view.report.id) if view.report else ()

        self.ctx.worker.run("report_view", query, self._loaded)

    def _loaded(self, result: tuple[ReportView, tuple[SignedCopyInfo, ...]]) -> None:
        view, self.copies = result
        self._show(view)

    def _show(self, view: ReportView) -> None:
        if view.drill.id != self.drill_id:
            return
        self.view = view
        self.setEnabled(True)
        status = view.report.status if view.report else "draft"
        shown = (view.drill.id, view.current.number if view.current else 0, status)
        if shown != self._shown:  # another drill or version: never refill what is typed
            self._shown = shown
            self._fill(view)
        elif status in ("draft", "returned"):
            self._carry_over(view)
        self._show_state(view, status)

    def _carry_over(self, view: ReportView) -> None:
        """The category and scenario chosen after the form was opened fill 演練項目 and 模擬案由
        where they are still empty on screen, as a live drill's drafted summary fills
        演練過程摘要 and its start and end fill 演練時間 where the fields still follow the clock
        (the form was shown before the drill ran: the planning group starts it from this
        screen). Typed text and a time the user set are never replaced."""
        for edit, moment in ((self.start, view.draft.time_start),
                             (self.end, view.draft.time_end)):
            if moment is not None and edit.following:
                edit.set_value(moment)
        if not any(box.isChecked() for box in self.items.values()):
            for key in view.draft.items:
                if key in self.items:
                    self.items[key].setChecked(True)
        if not self.case.text().strip():
            self.case.setText(view.draft.simulated_case)
        shown = self.summary.toPlainText()
        if (not shown.strip() or shown == self._drafted) and shown != view.draft.summary:
            self.summary.setPlainText(view.draft.summary)  # a live drill's drafted summary
            self._drafted = view.draft.summary

    def _fill(self, view: ReportView) -> None:
        """Show the stored form of the drill's current version, every field of it."""
        self._fill_items()
        self.deputy_for.clear()
        self.copy_result.clear()
        draft = view.draft
        self.unit.setText(pick({"zh_TW": view.unit_name_zh, "en": view.unit_name_en}))
        for edit, moment in ((self.start, draft.time_start), (self.end, draft.time_end)):
            if moment is not None:
                edit.set_value(moment)
            else:
                edit.set_now()
        for key, box in self.items.items():
            box.setChecked(key in draft.items)
        self.case.setText(draft.simulated_case)
        self.summary.setPlainText(draft.summary)
        # Not stored yet: a live drill's draft, which a later one may replace.
        self._drafted = draft.summary if view.current is None else ""
        self.participants.setPlainText("\n".join(draft.participants))
        self.went_well.setPlainText(draft.went_well)
        self.to_improve.setPlainText(draft.to_improve)
        self.suggestions.setPlainText(draft.suggestions)

    def _show_state(self, view: ReportView, status: str) -> None:
        from models.drills.reports.kinds import status_label

        self.state.setText(_("Report: {status}").format(status=status_label(status)) +
                           (_(" (locked: signed by both)") if view.locked else ""))
        editable = status in ("draft", "returned") or view.report is None
        self.buttons["save"].setEnabled(editable)
        self.buttons["submit"].setEnabled(editable and view.report is not None)
        self.offer_signing(
            locked=view.locked, submitted=status == "submitted", events=view.events,
            number=view.current.number if view.current else 0,
            not_submitted=_("The unit has not submitted the report yet."),
            controls=(self.buttons["sign"], self.buttons["return"], self.deputy_for))
        self.buttons["reopen"].setEnabled(view.locked)
        self.buttons["print"].setEnabled(view.report is not None)
        self.buttons["attach"].setEnabled(view.report is not None)
        self.history.setHtml(self._history_html(view) + self._copies_html())
        self.shown.emit()

    def _fill_items(self) -> None:
        keys = [c.key for c in self.playbook.categories]
        if list(self.items) == keys:
            for c in self.playbook.categories:
                self.items[c.key].setText(pick(c.drill_item))
            return
        for box in self.items.values():
            box.deleteLater()
        self.items.clear()
        for c in self.playbook.categories:
            box = named(QCheckBox(pick(c.drill_item)), f"report_item_{c.key}")
            self.items[c.key] = box
            self.items_layout.addWidget(box)

    def _copies_html(self) -> str:
        """The signed scans on file, and whether each is still the current version's."""
        tz = self.ctx.settings.timezone
        lines = []
        for copy in self.copies:
            if copy.matched_version is None:
                state = _("not printed from this report")
            elif copy.matches_current:
                state = _("version {number}, current").format(number=copy.matched_version)
            else:
                state = _("version {number}, outdated").format(number=copy.matched_version)
            lines.append("<li>" + escape(_("Signed scan {file} ({when}, {who}): {state}").format(
                file=copy.filename, when=format_datetime(copy.attached_at, long=False, tz=tz),
                who=copy.attached_by, state=state)) + "</li>")
        return "<ul>" + "".join(lines) + "</ul>" if lines else ""

    def _history_html(self, view: ReportView) -> str:
        from models.drills.reports.kinds import REPORT_EVENTS

        return events_html(view.events, REPORT_EVENTS, self.ctx.settings.timezone,
                           versions=True)

    # --- acts ----------------------------------------------------------------------------

    def draft(self) -> ReportDraft:
        from models.drills.reports.kinds import ReportDraft

        return ReportDraft(
            time_start=self.start.value(), time_end=self.end.value(),
            items=tuple(k for k, box in self.items.items() if box.isChecked()),
            simulated_case=self.case.text(), summary=self.summary.toPlainText(),
            participants=tuple(n.strip() for n in self.participants.toPlainText().splitlines()
                               if n.strip()),
            went_well=self.went_well.toPlainText(), to_improve=self.to_improve.toPlainText(),
            suggestions=self.suggestions.toPlainText())

    def save(self) -> None:
        draft = self.draft()

        def save(db: Database, actor: Actor, drill_id: str) -> object:
            from models.drills.reports.actions import save_report

            return save_report(db, actor, drill_id, draft)

        self.act("save_report", save)

    def fields(self) -> Mapping[str, QWidget]:
        return self._fields

    def print_form(self) -> None:
        drill_id, playbook, tz = self.drill_id, self.playbook, self.ctx.settings.timezone

        def make(db: Database) -> tuple[str, FormDocument]:
            from models.drills.print import report_form
            from models.drills.reports.queries import report_view

            view = report_view(db, drill_id)
            return f"drill-report-{view.drill.month:%Y-%m}", report_form(view, playbook, tz)

        self.printer.print_document(make, of_drill(drill_id))

    def attach_scan(self) -> None:
        """Keep the scan of the signed paper with the report, and say whether the code read
        off the paper is the current version's (the paper may predate a reopen). The code is
        read off the scan's QR code; only a scan without one asks for the code typed off the
        paper (attach_file)."""
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Attach the signed scan"), str(Path.home()),
            _("Scans (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)"))
        if path:
            self.attach_file(Path(path), "")

    def _ask_code(self, path: Path) -> None:
        """No QR code could be read off *path*: attach it with the code the user types."""
        code, ok = QInputDialog.getText(self, _("Attach the signed scan"), _(
            "No QR code could be read off the scan: type the whole code printed under the "
            "form."))
        if ok and code.strip():
            self.attach_file(path, code)

    def attach_file(self, path: Path, code: str) -> None:
        report_id = self._report_id()
        self.error.hide()

        def attach(db: Database) -> SignedCopyInfo:
            from models.drills.reports.signed_copies import attach_report_copy

            return attach_report_copy(db, actor, report_id, path, code)

        def attached(copy: SignedCopyInfo) -> None:
            if copy.matched_version is None:
                text = _("Attached. The code on the paper matches no version of this report: "
                         "the paper was not printed from it.")
            elif copy.matches_current:
                text = _("Attached. The paper is version {number}, the current one.").format(
                    number=copy.matched_version)
            else:
                text = _("Attached. The paper is version {number}, but the report is now "
                         "version {current}: print and sign it again.").format(
                             number=copy.matched_version, current=copy.current_version)
            self.copy_result.setText(text)

        def failed(exc: Exception) -> None:
            if not code and isinstance(exc, ValidationError) and exc.field == "code":
                self._ask_code(path)  # no QR code on the scan: the typed code, the fallback
                return
            show_at_field(self, exc, self.error, {})
            self.error.show()

        actor = self.ctx.actor
        Op(self.ctx, "attach_scan", attach, parent=self).on_done(attached).on_error(
            failed).run()

    def _report_id(self) -> str:
        return self.view.report.id if self.view and self.view.report else ""

    def submit(self) -> None:
        draft, report_id = self.draft(), self._report_id()

        def submit(db: Database, actor: Actor, drill_id: str) -> object:
            from models.drills.reports.actions import save_report, submit_report

            save_report(db, actor, drill_id, draft)
            return submit_report(db, actor, report_id)

        self.act("submit_report", submit)

    def sign(self) -> None:
        report_id, deputy_for = self._report_id(), self.deputy_for.text()
        as_role = "commander" if self.ctx.actor.role == Role.COMMANDER else "secretary"
        name = self.ctx.actor.name

        def sign(db: Database, actor: Actor, _drill_id: str) -> object:
            from models.drills.reports.actions import sign_off

            return sign_off(db, actor, report_id, as_role=as_role, name=name,
                            deputy_for=deputy_for)

        self.act("sign_report", sign)
        self.deputy_for.clear()  # the next signer signs in their own right unless they say

    def send_back(self) -> None:
        report_id = self._report_id()

        def send_back(db: Database, actor: Actor, comment: str) -> object:
            from models.drills.reports.actions import return_report

            return return_report(db, actor, report_id, comment)

        self.return_with_comment(_("Return the report"), _("What must the unit change?"),
                                 "return_report", send_back)

    def reopen(self) -> None:
        reason, ok = QInputDialog.getMultiLineText(self, _("Reopen the signed report"),
                                                   _("Why must the signed report change?"))
        if not ok:
            return
        report_id = self._report_id()

        def reopen(db: Database, actor: Actor, _drill_id: str) -> object:
            from models.drills.reports.actions import reopen_report

            return reopen_report(db, actor, report_id, reason)

        self.act("reopen_report", reopen)
