"""The sync's process as the window starts and watches it (ui/sync/controller.py).

Its own module, imported when the first run starts: QProcess and the eight enums PySide makes
for it cost 1.5 ms, which the window's start no longer pays (docs/benchmarks.md, issue 16)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QProcess


class SyncProcess(QProcess):
    """One run of ``main.py sync``; each callback comes on the GUI thread with the process:
    *ended(process, code, crashed, said)* when it ended (*said*: what it wrote to its error
    output), *not_started(process, why)* when the program could not be started at all
    (missing, not allowed); any other error of a started process ends in *ended*."""

    def __init__(self, parent: QObject, program: str, arguments: list[str],
                 ended: Callable[[SyncProcess, int, bool, str], None],
                 not_started: Callable[[SyncProcess, str], None]) -> None:
        super().__init__(parent)
        self.setProgram(program)
        self.setArguments(arguments)
        self.setStandardInputFile(QProcess.nullDevice())
        self.setStandardOutputFile(QProcess.nullDevice())  # the report file says it all
        self._ended, self._not_started = ended, not_started
        self.finished.connect(self._on_finished)
        self.errorOccurred.connect(self._on_error)

    def _on_finished(self, code: int, status: QProcess.ExitStatus) -> None:
        said = bytes(self.readAllStandardError().data()).decode("utf-8", "replace")
        self._ended(self, code, status != QProcess.ExitStatus.NormalExit, said)

    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._not_started(self, f"{self.program()} could not start: {self.errorString()}")

    def let_go(self) -> None:
        """Forget the process without waiting for it: QProcess's destructor kills a process it
        still counts as running and waits up to 30 s for it, which for one stuck in a call to
        a share (a kill takes effect only when the call returns) froze the closing window,
        or kept a windowless program alive. Only after a kill: the process ends by itself."""
        self.setProcessState(QProcess.ProcessState.NotRunning)
