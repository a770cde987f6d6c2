"""The evaluation of a drill (評估與觀摩) by the planning group, from the signed report: a rating
per response stage on the defined scale, the timeliness of the notification against the
level's rule, strengths, improvements and corrective actions; submitted for approval (陳核),
then signed off or returned like the report; then circulated to every unit (影送各單位參考),
each unit's acknowledgement recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from i18n import _, pick
from i18n.formatting import format_datetime
from models.org.people import Permission, Role
from ui.drills.measures import MeasuresBox
from ui.drills.panel import DrillPanel, events_html
from ui.printing.jobs import FormPrinter
from ui.printing.record_header import of_drill
from ui.printing.signed_scans import SignedScanDialog
from ui.runtime.context import AppContext
from ui.runtime.naming import named
from ui.widgets.combos import refill, select_data
from ui.widgets.event_time import EventTimeEdit
from ui.widgets.roc_date_edit import RocDateEdit, a_month_ahead

if TYPE_CHECKING:
    from forms.document import FormDocument
    from models.drills.reports.kinds import EvaluationDraft
    from models.drills.reports.queries import EvaluationView
    from models.live_drills.measures import DrillMeasures
    from models.org.people import Actor
    from models.playbook.model import Playbook
    from models.storage.db import Database


class EvaluationPanel(DrillPanel):
    """Signals:
        shown(): the evaluation of the drill on screen was (re)loaded.
    """

    shown = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, "evaluation")
        self.view: EvaluationView | None = None
        self.playbook: Playbook | None = None
        self.measures: DrillMeasures | None = None
        """What the drill measured when it ran live (None: recorded after the fact)."""
        self.measured: dict[int, QLabel] = {}
        """Beside each stage's rating, the figures it rests on (a live drill's)."""
        self.measures_box = MeasuresBox()
        tz = ctx.settings.timezone
        self.state = named(QLabel(), "evaluation_state")
        self.state.setWordWrap(True)
        self.ratings_box = QWidget()
        self.ratings_form = QFormLayout(self.ratings_box)
        self.ratings: dict[int, QComboBox] = {}
        self.level = named(QComboBox(), "evaluation_level")
        self._level_chosen = False
        """The user chose the level since the form was filled: a measured one no longer
        replaces it (_carry_measures)."""
        self.level.activated.connect(self._choose_level)
        self.inject_at = EventTimeEdit(tz, name="evaluation_inject")
        self.notified_at = EventTimeEdit(tz, name="evaluation_notified")
        self.strengths = named(QPlainTextEdit(), "evaluation_strengths")
        self.improvements = named(QPlainTextEdit(), "evaluation_improvements")
        for text in (self.strengths, self.improvements):
            text.setMaximumHeight(60)
            text.setTabChangesFocus(True)
        self.action_table = named(QTableWidget(0, 4), "evaluation_actions")
        self.action_table.verticalHeader().hide()
        self.action_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.action_table.setMaximumHeight(130)
        self.add_action = named(QPushButton(), "evaluation_add_action")
        self.add_action.clicked.connect(lambda: self._add_action_row(None))
        self.remove_action = named(QPushButton(), "evaluation_remove_action")
        self.remove_action.clicked.connect(self._remove_action_row)
        self._action_ids: list[str | None] = []
        self.labels = [QLabel() for _i in range(5)]
        form = QFormLayout()
        for label, field in zip(self.labels, (self.level, self.inject_at, self.notified_at,
                                              self.strengths, self.improvements), strict=True):
            form.addRow(label, field)
        self.buttons = {name: named(QPushButton(), f"evaluation_{name}")
                        for name in ("save", "submit", "sign", "return", "circulate", "print")}
        self.printer = FormPrinter(ctx, self)
        self.buttons["print"].clicked.connect(self.print_form)
        self.buttons["save"].clicked.connect(self.save)
        self.buttons["submit"].clicked.connect(self.submit)
        self.buttons["sign"].clicked.connect(self.sign)
        self.buttons["return"].clicked.connect(self.send_back)
        self.buttons["circulate"].clicked.connect(self.circulate)
        self.scans_button = named(QPushButton(), "evaluation_scans")
        self.scans_button.clicked.connect(self.open_scans)
        self.history = named(QTextBrowser(), "evaluation_history")
        self.history.setMaximumHeight(90)
        self.circulation = named(QTableWidget(0, 3), "evaluation_circulation")
        self.circulation.verticalHeader().hide()
        self.circulation.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.ack_buttons: dict[str, QPushButton] = {}
        self._shown: tuple[str, str, str, int] | None = None
        self.deputy_for = named(QLineEdit(), "evaluation_deputy_for")
        b = self.buttons
        rows = self.button_rows(((b["save"], b["submit"]), (b["circulate"], b["print"]),
                                 (b["sign"], b["return"])), self.deputy_for)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.state)
        layout.addWidget(self.ratings_box)
        layout.addWidget(self.measures_box)
        layout.addLayout(form)
        layout.addWidget(self.action_table)
        action_row = QHBoxLayout()
        action_row.addWidget(self.add_action)
        action_row.addWidget(self.remove_action)
        action_row.addStretch(1)
        layout.addLayout(action_row)
        layout.addWidget(self.error)
        layout.addLayout(rows)
        layout.addWidget(self.scans_button)
        layout.addWidget(self.hint)
        layout.addWidget(self.history)
        layout.addWidget(self.circulation, 1)
        ctx.language_changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self) -> None:
        for label, text in zip(self.labels, (_("Level of the simulated incident"),
                                             _("Inject received"), _("Notified"),
                                             _("Strengths"), _("Improvements")), strict=True):
            label.setText(text)
        for name, text in (("save", _("Save")), ("submit", _("Submit for approval")),
                           ("sign", _("Sign off")), ("return", _("Return…")),
                           ("circulate", _("Circulate to every unit")), ("print", _("Print"))):
            self.buttons[name].setText(text)
        self.scans_button.setText(_("Signed scans of the evaluation…"))
        self.circulation.setHorizontalHeaderLabels([_("Unit"), _("Acknowledged"), ""])
        self.action_table.setHorizontalHeaderLabels([_("Corrective action"), _("Owner"), _("Due"),
                                                _("Done")])
        self.add_action.setText(_("Add a corrective action"))
        self.deputy_for.setPlaceholderText(_("Signing for (when a deputy signs)"))
        self.remove_action.setText(_("Remove"))
        self.inject_at.retranslate()
        self.notified_at.retranslate()
        if self.view is not None:
            self._show(self.view)
        if self.measures is not None and self.playbook is not None:
            self.load(self.drill_id, self.playbook)  # the figures' words, in the new language

    def load(self, drill_id: str, playbook: Playbook) -> None:
        self.drill_id, self.playbook = drill_id, playbook
        if not drill_id:
            self.view = None
            self.setEnabled(False)
            return

        tz = self.ctx.settings.timezone

        def query(db: Database) -> tuple[EvaluationView, DrillMeasures | None]:
            from models.drills.reports.queries import evaluation_view
            from models.live_drills.measures import drill_measures

            return evaluation_view(db, drill_id), drill_measures(db, drill_id, tz)

        self.ctx.worker.run("evaluation_view", query, self._loaded)

    def _loaded(self, result: tuple[EvaluationView, DrillMeasures | None]) -> None:
        view, measures = result
        if view.drill.id == self.drill_id:
            self.measures = measures
        self._show(view)

    def _show(self, view: EvaluationView) -> None:
        from models.drills.reports.kinds import (
            EVALUATION_EVENTS,
            RATING_SCALE,
            evaluation_status_label,
        )

        if view.drill.id != self.drill_id or self.playbook is None:
            return
        self.view = view
        self.setEnabled(True)
        evaluation = view.evaluation
        shown = (view.drill.id, evaluation.id if evaluation else "",
                 evaluation.status if evaluation else "", evaluation.row_version
                 if evaluation else 0)
        # Another drill or a stored change: show what is stored. Otherwise (a reload for
        # something else: a setting, a sync) the user's unsaved choices stay.
        stored_changed = shown != self._shown
        if list(self.ratings) != [s.stage for s in view.stages]:
            stored_changed = True
            while self.ratings_form.rowCount():
                self.ratings_form.removeRow(0)
            self.ratings = {}
            self.measured = {}
            for stage in view.stages:
                combo = named(QComboBox(), f"evaluation_rating_{stage.stage}")
                self.ratings[stage.stage] = combo
                measured = named(QLabel(), f"evaluation_measured_{stage.stage}")
                measured.setWordWrap(True)
                self.measured[stage.stage] = measured
                # The figures under the rating, as a row of their own: a wrapped label nested
                # in a row's widget is not given its height by the form, and was cut.
                self.ratings_form.addRow(QLabel(), combo)
                self.ratings_form.addRow("", measured)
        for row, stage in enumerate(view.stages):
            item = self.ratings_form.itemAt(2 * row, QFormLayout.ItemRole.LabelRole)
            label = item.widget() if item is not None else None
            assert isinstance(label, QLabel)  # each rating's row was given a QLabel
            label.setText(f"{stage.stage}. {stage.name}")
            combo = self.ratings[stage.stage]
            refill(combo, [(_("(not rated)"), None),
                           *((str(r.value) + " " + _(r.label), r.value) for r in RATING_SCALE)])
            for i, r in enumerate(RATING_SCALE, start=1):
                combo.setItemData(i, _(r.criteria), Qt.ItemDataRole.ToolTipRole)
            if stored_changed:
                select_data(combo, stage.rating)
        self._show_measures()
        refill(self.level, [(pick(lv.name), lv.key) for lv in self.playbook.levels])
        if stored_changed:
            self._shown = shown
            self._fill(evaluation)
        elif evaluation is None:
            self._carry_measures()
        state = (_("Evaluation: {status}").format(status=evaluation_status_label(evaluation.status))
                 if evaluation else _("No evaluation yet."))
        if evaluation is not None and evaluation.notify_minutes is not None:
            state += "\n" + (_("Notified {minutes} min after the inject: in time.")
                            if evaluation.notify_within else
                            _("Notified {minutes} min after the inject: too late.")).format(
                                minutes=evaluation.notify_minutes)
        if not view.report_signed:
            state = _("The commander and the executive secretary must both sign the report "
                      "before it can be evaluated.")
        self.state.setText(state)
        actor = self.ctx.actor
        status = evaluation.status if evaluation else "draft"
        editable = (view.report_signed and status in ("draft", "returned")
                    and actor.may(Permission.PLAN_DRILLS))
        self.buttons["save"].setEnabled(editable)
        self.buttons["submit"].setEnabled(editable)  # it saves what is on screen first
        for widget in (self.add_action, self.remove_action):
            widget.setEnabled(editable)
        # Once signed, only the follow-up of the corrective actions (done or not) changes.
        follow_up = view.locked and actor.may(Permission.PLAN_DRILLS)
        self.action_table.setEnabled(editable or follow_up)
        self.action_table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers if editable
                                     else QAbstractItemView.EditTrigger.NoEditTriggers)
        for row in range(self.action_table.rowCount()):
            due = self.action_table.cellWidget(row, 2)
            if due is not None:
                due.setEnabled(editable)
        self.offer_signing(
            locked=view.locked, submitted=view.submitted, events=view.events, number=0,
            not_submitted=_("The planning group has not submitted the evaluation for approval "
                            "yet."),
            controls=(self.buttons["sign"], self.buttons["return"], self.deputy_for))
        self.history.setHtml(events_html(view.events, EVALUATION_EVENTS,
                                         self.ctx.settings.timezone, versions=False))
        self.buttons["circulate"].setEnabled(view.locked and not view.circulation
                                             and actor.may(Permission.PLAN_DRILLS))
        self.buttons["print"].setEnabled(evaluation is not None)
        self.scans_button.setEnabled(evaluation is not None)
        self._show_circulation(view)
        self.shown.emit()

    def _show_measures(self) -> None:
        """A live drill's figures beside each stage's rating, and its injects under them;
        each step of the scale says, on its tooltip, the figures the stage's rating rests on."""
        from models.drills.reports.kinds import RATING_SCALE
        from models.live_drills.measures_text import stage_lines

        m, playbook = self.measures, self.playbook
        self.measures_box.show_measures(m, self.ctx.settings.timezone)
        for stage, label in self.measured.items():
            label.setVisible(m is not None)
            if m is None or playbook is None:
                continue
            lines = stage_lines(m, playbook, stage)
            label.setText("\n".join(lines))
            basis = _("Rests on what the drill measured:")
            for i, r in enumerate(RATING_SCALE, start=1):
                self.ratings[stage].setItemData(i, "\n".join((_(r.criteria), basis, *lines)),
                                                Qt.ItemDataRole.ToolTipRole)

    def _choose_level(self) -> None:
        self._level_chosen = True

    def _carry_measures(self) -> None:
        """Before the first save, what the drill measured fills the level, the inject and the
        notification where the user set nothing: the form may have been filled before the
        drill ran (the planning group starts it from this screen), when there was nothing
        measured to fill them with."""
        m = self.measures
        if m is None:
            return
        if not self._level_chosen:
            select_data(self.level, m.level_key)
        for edit, moment in ((self.inject_at, m.since), (self.notified_at, m.told_at)):
            if moment is not None and edit.following:
                edit.set_value(moment)

    def _fill(self, evaluation: Any) -> None:
        """Every field from the stored evaluation, or empty for a drill without one; before
        the first save of a live drill's, the level, the inject and the notification as
        measured (the planning group may change them)."""
        self.deputy_for.clear()
        self._level_chosen = False
        m = self.measures if evaluation is None else None
        select_data(self.level, evaluation.level_key if evaluation
                    else m.level_key if m else None)
        for edit, moment in ((self.inject_at, evaluation.inject_at if evaluation
                              else m.since if m else None),
                             (self.notified_at, evaluation.notified_at if evaluation
                              else m.told_at if m else None)):
            if moment is not None:
                edit.set_value(moment)
            else:
                edit.set_now()
        self.strengths.setPlainText(evaluation.strengths if evaluation else "")
        self.improvements.setPlainText(evaluation.improvements if evaluation else "")
        self.action_table.setRowCount(0)
        self._action_ids = []
        for action in evaluation.actions if evaluation else ():
            self._add_action_row(action)

    def _show_circulation(self, view: EvaluationView) -> None:
        tz = self.ctx.settings.timezone
        self.circulation.setRowCount(len(view.circulation))
        self.ack_buttons.clear()
        for row, entry in enumerate(view.circulation):
            self.circulation.setItem(row, 0, QTableWidgetItem(entry.name))
            acked = (_("{when}, {who}").format(
                when=format_datetime(entry.acknowledged_at, long=False, tz=tz),
                who=entry.acknowledged_by) if entry.acknowledged_at else _("pending"))
            self.circulation.setItem(row, 1, QTableWidgetItem(acked))
            if entry.acknowledged_at is None:
                button = named(QPushButton(_("Acknowledge")), f"ack_{entry.unit_key}")
                button.clicked.connect(lambda _c=False, k=entry.unit_key: self.acknowledge(k))
                actor = self.ctx.actor
                button.setEnabled(actor.unit == entry.unit_key
                                  or actor.may(Permission.PLAN_DRILLS))
                self.ack_buttons[entry.unit_key] = button
                self.circulation.setCellWidget(row, 2, button)
            else:
                self.circulation.removeCellWidget(row, 2)

    # --- acts ----------------------------------------------------------------------------

    def draft(self) -> EvaluationDraft:
        from models.drills.reports.kinds import CorrectiveDraft, EvaluationDraft

        ratings = {stage: combo.currentData() for stage, combo in self.ratings.items()
                   if combo.currentData() is not None}
        actions = [CorrectiveDraft(
            description=self._cell(row, 0), owner=self._cell(row, 1),
            due=self._due(row), status="done" if self._done(row) else "open",
            id=self._action_ids[row] if row < len(self._action_ids) else None)
            for row in range(self.action_table.rowCount())]
        return EvaluationDraft(
            ratings=ratings, level_key=self.level.currentData() or "",
            inject_at=self.inject_at.value(), notified_at=self.notified_at.value(),
            strengths=self.strengths.toPlainText(),
            improvements=self.improvements.toPlainText(),
            actions=tuple(actions))

    def _add_action_row(self, action: Any) -> None:
        """A row for a corrective action: its text, owner, due date and done box."""
        row = self.action_table.rowCount()
        self.action_table.insertRow(row)
        self._action_ids.insert(row, action.id if action else None)
        self.action_table.setItem(row, 0, QTableWidgetItem(action.description if action else ""))
        self.action_table.setItem(row, 1, QTableWidgetItem(action.owner if action else ""))
        due = RocDateEdit()
        due.setObjectName(f"evaluation_action_due_{row}")
        if action is not None and action.due is not None:
            due.setDate(QDate(action.due.year, action.due.month, action.due.day))
        else:
            due.setDate(a_month_ahead())
        self.action_table.setCellWidget(row, 2, due)
        done = named(QCheckBox(), f"evaluation_action_done_{row}")
        done.setChecked(action is not None and action.status == "done")
        if action is not None:
            done.toggled.connect(lambda on, a=action.id: self._follow_up(a, on))
        self.action_table.setCellWidget(row, 3, done)

    def _follow_up(self, action_id: str, done: bool) -> None:
        """After sign-off a corrective action is still followed until it is done."""
        if self.view is None or not self.view.locked:
            return  # before sign-off the box is saved with the evaluation

        def store(db: Database, actor: Actor, _drill_id: str) -> None:
            from models.drills.reports.actions import set_corrective_status

            set_corrective_status(db, actor, action_id, "done" if done else "open")

        self.act("corrective_status", store)

    def _remove_action_row(self) -> None:
        row = self.action_table.currentRow()
        if 0 <= row < self.action_table.rowCount():
            self.action_table.removeRow(row)
            del self._action_ids[row]  # the ids follow their rows

    def _cell(self, row: int, column: int) -> str:
        item = self.action_table.item(row, column)
        return item.text() if item is not None else ""

    def _due(self, row: int) -> Any:
        widget = self.action_table.cellWidget(row, 2)
        return widget.date().toPython() if isinstance(widget, RocDateEdit) else None

    def _done(self, row: int) -> bool:
        widget = self.action_table.cellWidget(row, 3)
        return isinstance(widget, QCheckBox) and widget.isChecked()

    def fields(self) -> Mapping[str, QWidget]:
        return {"strengths": self.strengths, "improvements": self.improvements}

    def print_form(self) -> None:
        drill_id, tz, playbook = self.drill_id, self.ctx.settings.timezone, self.playbook

        def make(db: Database) -> tuple[str, FormDocument]:
            from models.drills.print import evaluation_form
            from models.drills.reports.queries import evaluation_view
            from models.live_drills.measures import drill_measures
            from models.live_drills.measures_text import measures_blocks

            view = evaluation_view(db, drill_id)
            measures = drill_measures(db, drill_id, tz)
            measured = (measures_blocks(measures, playbook, tz)
                        if measures is not None and playbook is not None else ())
            return (f"drill-evaluation-{view.drill.month:%Y-%m}",
                    evaluation_form(view, tz, measured))

        self.printer.print_document(make, of_drill(drill_id))

    def open_scans(self) -> None:
        """The signed scans of the evaluation report."""
        if self._evaluation_id():
            SignedScanDialog(self.ctx, "drill_evaluation", self._evaluation_id(), self).open()

    def _evaluation_id(self) -> str:
        return self.view.evaluation.id if self.view and self.view.evaluation else ""

    def save(self) -> None:
        draft = self.draft()

        def save(db: Database, actor: Actor, drill_id: str) -> object:
            from models.drills.reports.actions import save_evaluation

            return save_evaluation(db, actor, drill_id, draft)

        self.act("save_evaluation", save)

    def submit(self) -> None:
        """Save what is on screen, then submit it for approval (陳核): what the signers see
        is what the planning group last saw."""
        draft = self.draft()

        def submit(db: Database, actor: Actor, drill_id: str) -> object:
            from models.drills.reports.actions import save_evaluation, submit_evaluation

            saved = save_evaluation(db, actor, drill_id, draft)
            return submit_evaluation(db, actor, saved.id)

        self.act("submit_evaluation", submit)

    def send_back(self) -> None:
        evaluation_id = self._evaluation_id()

        def send_back(db: Database, actor: Actor, comment: str) -> object:
            from models.drills.reports.actions import return_evaluation

            return return_evaluation(db, actor, evaluation_id, comment)

        self.return_with_comment(_("Return the evaluation"),
                                 _("What must the planning group change?"),
                                 "return_evaluation", send_back)

    def sign(self) -> None:
        evaluation_id, name = self._evaluation_id(), self.ctx.actor.name
        as_role = "commander" if self.ctx.actor.role == Role.COMMANDER else "secretary"
        deputy_for = self.deputy_for.text()

        def sign(db: Database, actor: Actor, _drill_id: str) -> object:
            from models.drills.reports.actions import sign_off_evaluation

            return sign_off_evaluation(db, actor, evaluation_id, as_role=as_role, name=name,
                                       deputy_for=deputy_for)

        self.act("sign_evaluation", sign)
        self.deputy_for.clear()

    def circulate(self) -> None:
        evaluation_id = self._evaluation_id()

        def circulate(db: Database, actor: Actor, _drill_id: str) -> object:
            from models.drills.reports.actions import circulate

            return circulate(db, actor, evaluation_id)

        self.act("circulate", circulate)

    def acknowledge(self, unit_key: str) -> None:
        evaluation_id = self._evaluation_id()

        def acknowledge(db: Database, actor: Actor, _drill_id: str) -> object:
            from models.drills.reports.actions import acknowledge_circulation

            return acknowledge_circulation(db, actor, evaluation_id, unit_key)

        self.act("acknowledge_circulation", acknowledge)

