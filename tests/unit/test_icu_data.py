"""packaging/icu_data.py, which makes the Linux bundle's ICU data library smaller: what it keeps
and leaves out, and that it rewrites an ICU package byte for byte as ICU's own tool lays it out
(what Qt then reads from it: tests/e2e/test_bundle.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Loaded by path: the folder is named "packaging", like the PyPI library PyInstaller imports.
_spec = importlib.util.spec_from_file_location("icu_data", ROOT / "packaging" / "icu_data.py")
assert _spec is not None and _spec.loader is not None
icu_data = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(icu_data)


@pytest.mark.parametrize(("name", "kept"), [
    ("icudt73l/coll/zh.res", True),            # Chinese collation (stroke, zhuyin...)
    ("icudt73l/coll/zh_Hant_TW.res", True),
    ("icudt73l/coll/en.res", True),
    ("icudt73l/coll/root.res", True),          # what every other locale falls back to
    ("icudt73l/coll/ucadata.icu", True),       # the collation tables root.res needs
    ("icudt73l/coll/res_index.res", True),
    ("icudt73l/coll/de.res", False),
    ("icudt73l/coll/de_.res", False),          # a variant, named with an empty part
    ("icudt73l/zone/zh_Hant.res", True),       # time-zone names
    ("icudt73l/zone/fr.res", False),
    ("icudt73l/region/zh_Hant.res", True),     # "Taiwan" in generic zone names
    ("icudt73l/zh_Hant_TW.res", True),
    ("icudt73l/ja.res", False),
    ("icudt73l/res_index.res", True),
    ("icudt73l/pool.res", True),
    ("icudt73l/supplementalData.res", True),
    ("icudt73l/zoneinfo64.res", True),
    ("icudt73l/metaZones.res", True),
    ("icudt73l/cnvalias.icu", True),
    ("icudt73l/nfkc.nrm", True),
    ("icudt73l/unames.icu", False),
    ("icudt73l/windows-950-2000.cnv", False),  # converters: Qt asks for none
    ("icudt73l/rfc3491.spp", False),
    ("icudt73l/brkitr/cjdict.dict", False),    # break iterators: Qt has its own
    ("icudt73l/translit/root.res", False),
    ("icudt73l/curr/zh.res", False),
    ("icudt73l/lang/zh.res", False),
    ("icudt73l/unit/en.res", False),
    ("icudt73l/rbnf/zh.res", False),
])
def test_what_is_kept(name: str, kept: bool) -> None:
    assert icu_data.keep(name) is kept


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's ICU is Linux's only")
def test_a_package_is_written_back_as_it_was_read() -> None:
    import PySide6

    library = next((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    _symbol, blob = icu_data.package_of(library)
    header, items = icu_data.read_package(blob)
    assert len(items) > 3000 and all(name.startswith("icudt") for name, _data in items)
    assert icu_data.write_package(header, items) == blob
