"""Shipped files as the app reads them: from the checkout as they are, and from a bundle that
holds a large one gzip-compressed beside where it would be (the form font)."""

from __future__ import annotations

import errno
import gzip
from pathlib import Path

import pytest

import appinfo.resources as resources
from appinfo.resources import read_resource
from forms.fonts import KAI, register_fonts
from forms.render import render_pdf
from forms.samples import sample_documents


@pytest.fixture
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty resources folder in place of the checkout's."""
    monkeypatch.setattr(resources, "resource_root", lambda: tmp_path)
    (tmp_path / "fonts").mkdir()
    return tmp_path / "fonts"


def test_a_file_is_read_as_it_is_and_a_compressed_one_unpacked(shipped: Path) -> None:
    (shipped / "plain.txt").write_bytes(b"plain")
    (shipped / "packed.ttf.gz").write_bytes(gzip.compress(b"\x00\x01face"))
    assert read_resource("fonts", "plain.txt") == b"plain"
    assert read_resource("fonts", "packed.ttf") == b"\x00\x01face"


def test_a_missing_or_damaged_file_is_an_os_error_naming_it(shipped: Path) -> None:
    with pytest.raises(FileNotFoundError, match="absent.ttf"):
        read_resource("fonts", "absent.ttf")
    packed = gzip.compress(b"face" * 1000)
    (shipped / "cut.ttf.gz").write_bytes(packed[: len(packed) // 2])  # cut short
    (shipped / "garbled.ttf.gz").write_bytes(packed[:10] + b"\xff" * 50 + packed[60:])
    (shipped / "other.ttf.gz").write_bytes(b"not gzip at all")
    for name in ("cut", "garbled", "other"):
        with pytest.raises(OSError) as raised:
            read_resource("fonts", f"{name}.ttf")
        assert raised.value.filename == str(shipped / f"{name}.ttf.gz")  # named, with a reason
        assert raised.value.errno == errno.EIO and "damaged" in str(raised.value)


def test_the_form_font_prints_from_its_compressed_copy(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """As in the bundle: only TWKai-subset.ttf.gz is there, and a form still gets the face."""
    checkout_fonts = resources.resource_path("fonts")
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    face = (checkout_fonts / "TWKai-subset.ttf").read_bytes()
    (fonts / "TWKai-subset.ttf.gz").write_bytes(gzip.compress(face, compresslevel=1))
    monkeypatch.setattr(resources, "resource_root", lambda: tmp_path)
    import forms.fonts

    forms.fonts._load_kai.cache_clear()
    try:
        assert register_fonts() == KAI
        assert forms.fonts._kai().face.charToGlyph[ord("關")]  # a glyph of its own
        pdf = render_pdf(sample_documents()["drill_report"])
        assert b"/FontName /AAAAAA+TW-Kai" in pdf  # the face embedded as a subset
    finally:
        forms.fonts._load_kai.cache_clear()
