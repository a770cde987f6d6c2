"""Printing made ready in the background once the window is up, so the first Print of the day
costs what every later one does.

What the first form of a process pays besides its own rendering: importing reportlab and the
layout engine (forms/), parsing the 34 MB form font, and loading pdfium, about 0.6 s on the
office PCs' kind of machine (docs/benchmarks.md). None of it may delay the window (start-up
loads none of it, tests/unit/test_layering.py), and none of it may hold the database worker,
where every user's act waits its turn: so it happens on a thread of its own, started a little
after the window has its data on screen.

Why that is safe: the thread only imports modules and loads the font. An import that the
worker needs meanwhile waits for this thread's (Python's import lock), and so does a form
printed while the font loads (forms/fonts.py), so nothing is done twice and nothing is half
done. pdfium is loaded here but never called: all its calls stay on the worker
(ui/printing/page_images.py).
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QTimer

__all__ = ["WARM_AFTER_MS", "warm_up_printing"]

log = logging.getLogger(__name__)

WARM_AFTER_MS = 500
"""How long after the call the warming starts: the screens' first data is shown first (the
thread competes with the window for the interpreter while it runs)."""

_started = threading.Event()


def warm_up_printing(delay_ms: int = WARM_AFTER_MS) -> None:
    """Load what printing needs on a background thread, *delay_ms* from now; once per
    process (later calls do nothing). Called on the GUI thread."""
    if _started.is_set():
        return
    _started.set()
    QTimer.singleShot(delay_ms, _start)


def _start() -> None:
    threading.Thread(target=_warm, name="crisisdesk-print-warm", daemon=True).start()


def _warm() -> None:
    """In the order a print's job imports them, so the two never wait on each other."""
    try:
        import forms.coverage
        import forms.render  # reportlab and the layout engine
        from forms.fonts import register_fonts

        register_fonts()  # parses the font
        import ui.printing.page_images  # pdfium, loaded but never called here
    except Exception:  # a print then loads it itself, and says what fails
        log.exception("printing could not be made ready in the background")
