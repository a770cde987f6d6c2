"""The UI font: a system Chinese font when there is one, and only without one the shipped Kai
face, which Qt on Windows would read whole (34 MB) at every start (docs/benchmarks.md)."""

from __future__ import annotations

import gzip
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase

import appinfo.resources as resources
from appinfo.resources import resource_path
from ui.runtime.fonts import install_ui_font


def test_the_shipped_face_is_registered_only_on_a_pc_without_a_chinese_font(  # type: ignore[no-untyped-def]
        qapp, monkeypatch) -> None:
    registered: list[int] = []
    register = QFontDatabase.addApplicationFontFromData

    def spy(data: bytes) -> int:
        registered.append(len(data))
        return register(data)

    monkeypatch.setattr(QFontDatabase, "addApplicationFontFromData", spy)
    before = QFont(qapp.font())
    try:
        monkeypatch.setattr(QFontDatabase, "families",
                            lambda *_args: ["DejaVu Sans", "Noto Sans CJK TC"])
        install_ui_font(qapp)
        assert registered == []
        assert qapp.font().families()[1:] == ["Noto Sans CJK TC"]

        monkeypatch.setattr(QFontDatabase, "families", lambda *_args: ["DejaVu Sans"])
        install_ui_font(qapp)
        assert registered == [(resource_path("fonts") / "TWKai-subset.ttf").stat().st_size]
        assert qapp.font().families()[-1] == "TW-Kai"
    finally:
        qapp.setFont(before)


def test_the_compressed_face_of_the_bundle_is_registered_too(  # type: ignore[no-untyped-def]
        qapp, monkeypatch, tmp_path: Path) -> None:
    """In the bundle only TWKai-subset.ttf.gz is there; a PC without a Chinese font still
    gets the face."""
    face = (resource_path("fonts") / "TWKai-subset.ttf").read_bytes()
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "TWKai-subset.ttf.gz").write_bytes(gzip.compress(face, 1))
    monkeypatch.setattr(resources, "resource_root", lambda: tmp_path)
    monkeypatch.setattr(QFontDatabase, "families", lambda *_args: ["DejaVu Sans"])
    before = QFont(qapp.font())
    try:
        install_ui_font(qapp)
        assert qapp.font().families()[-1] == "TW-Kai"
    finally:
        qapp.setFont(before)
