"""Child process for the start-up benchmark: starts either the real app or a bare PySide6
window, prints a line when the window is shown (and, for the app, when the playbook is on
screen), then quits. Run by benchmarks/startup.py, never by users.

"On screen" is when the playbook's text has been painted: the screen's ``loaded`` signal says
its view holds a playbook version (from the database file or the open database), and the
time is taken once the view's next paint is done, not when the text was merely set."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtGui import QShowEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow, QTextBrowser, QWidget  # noqa: E402


class Watch(QObject):
    """Reports when the main window is first shown and when its playbook is on screen.

    Not an event filter on the whole application: such a Python filter is handed every
    object's events, Qt's private objects' too, and the first of those (the gesture manager
    any scroll area creates, such as the app's navigation list) makes PySide create every
    class it has to find its type, 70-110 ms that neither a user's start nor the bare window
    pays. The show is seen in QMainWindow.showEvent (the same for both windows); the filter
    that sees the playbook's paint is installed on the application after the show, so that
    it sees the paint before the app's own watch on that view (ui/runtime/after_paint.py)
    goes on to build the other screens."""

    def __init__(self, wait_for_playbook: bool) -> None:
        super().__init__()
        self.wait_for_playbook = wait_for_playbook
        self.reported = False
        self.viewport: QWidget | None = None
        """The playbook view's viewport, once a playbook is in it and until it painted."""
        shown = QMainWindow.showEvent
        watch = self

        def show_event(window: QMainWindow, event: QShowEvent) -> None:
            shown(window, event)
            if window.objectName() == "main_window" and not watch.reported:
                watch.reported = True
                watch.shown(window)

        QMainWindow.showEvent = show_event  # type: ignore[method-assign]

    def shown(self, window: QMainWindow) -> None:
        print(f"shown {time.time():.6f}", flush=True)
        if not self.wait_for_playbook:
            QTimer.singleShot(0, QApplication.quit)
        else:  # the screens are built from the event loop right after the first show
            QApplication.instance().installEventFilter(self)
            QTimer.singleShot(0, lambda: self.watch_playbook(window))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and obj is self.viewport:
            self.viewport = None
            QTimer.singleShot(0, self.painted)  # once this paint is done
        return False

    def watch_playbook(self, window: QObject) -> None:
        screen = window.findChild(QWidget, "screen_playbook")
        if screen is None:  # not built yet: look again on the next turn of the event loop
            QTimer.singleShot(0, lambda: self.watch_playbook(window))
            return
        view = screen.view  # type: ignore[attr-defined]
        screen.loaded.connect(lambda: self.loaded(view))  # type: ignore[attr-defined]

    def loaded(self, view: QTextBrowser) -> None:
        if not view.toPlainText().strip():
            raise SystemExit("the playbook screen said loaded with nothing in its view")
        self.viewport = view.viewport()

    def painted(self) -> None:
        print(f"loaded {time.time():.6f}", flush=True)
        QTimer.singleShot(0, QApplication.quit)


def main() -> int:
    mode = sys.argv[1]
    app = QApplication(sys.argv[:1])
    watch = Watch(wait_for_playbook=(mode == "app"))  # noqa: F841 (it hooks the show)
    if mode == "bare":
        window = QMainWindow()
        window.setObjectName("main_window")
        window.resize(1180, 760)
        window.show()
        return app.exec()
    # This child imports PySide6 before the app's modules (to see the show), which a real
    # start does not: there PySide's source scan (ui/runtime/feature_scan.py) never sees the
    # modules main.py imports before it, and main.py skips it for the window's own.
    from ui.runtime.feature_scan import skip_feature_scan

    skip_feature_scan()
    import main as crisisdesk

    return crisisdesk.main(["--data-dir", sys.argv[2]])


if __name__ == "__main__":
    sys.exit(main())
