"""Child process for the start-up benchmark: starts either the real app or a bare PySide6
window, prints a line when the window is shown (and, for the app, when the playbook is on
screen), then quits. Run by benchmarks/startup.py, never by users."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget  # noqa: E402


class Watch(QObject):
    """Reports when the main window is first shown and when its playbook has loaded."""

    def __init__(self, wait_for_playbook: bool) -> None:
        super().__init__()
        self.wait_for_playbook = wait_for_playbook

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Show and obj.objectName() == "main_window":
            print(f"shown {time.time():.6f}", flush=True)
            if not self.wait_for_playbook:
                QTimer.singleShot(0, QApplication.quit)
            else:  # the screens are built from the event loop right after the first show
                QTimer.singleShot(0, lambda: self.watch_playbook(obj))
        return False

    def watch_playbook(self, window: QObject) -> None:
        screen = window.findChild(QWidget, "screen_playbook")
        if screen is None:  # not built yet: look again on the next turn of the event loop
            QTimer.singleShot(0, lambda: self.watch_playbook(window))
            return
        screen.loaded.connect(self.loaded)  # type: ignore[attr-defined]

    def loaded(self) -> None:
        print(f"loaded {time.time():.6f}", flush=True)
        QTimer.singleShot(0, QApplication.quit)


def main() -> int:
    mode = sys.argv[1]
    app = QApplication(sys.argv[:1])
    watch = Watch(wait_for_playbook=(mode == "app"))
    app.installEventFilter(watch)
    if mode == "bare":
        window = QMainWindow()
        window.setObjectName("main_window")
        window.resize(1180, 760)
        window.show()
        return app.exec()
    import main as crisisdesk

    return crisisdesk.main(["--data-dir", sys.argv[2]])


if __name__ == "__main__":
    sys.exit(main())
