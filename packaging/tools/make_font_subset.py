#!/usr/bin/env python3
"""Build resources/fonts/TWKai-subset.ttf, the Kai (楷書) face bundled with the app.

Why
---
The printable forms (reportlab) need a Traditional Chinese font to embed, and
reportlab's TTFont only accepts TrueType (glyf) outlines, so the usual CFF-based
Noto CJK fonts cannot be used.  The UI also needs a CJK fallback on machines that
have no Chinese font at all.  The government's 全字庫正楷體 (TW-Kai, National
Development Council, licence OGDL-Taiwan 1.0) is TrueType and has the right
official look, but the full file is ~50 MB.  This script cuts it down to the
characters the app can realistically print:

* Basic Latin, Latin-1 punctuation/symbols, General Punctuation, CJK symbols
  and punctuation (U+3000-303F), full-width forms (U+FF01-FF5E), and the Big5
  symbol rows (0xA140-0xA3BF: ○□■※→①... and Bopomofo);
* the Big5 level-1 common characters (常用字, ~5,400, lead bytes 0xA4-0xC6);
* every character in the source documents under the reference directory
  (default /work/shared/reference) — procedure, unit and place names;
* every character in the app's own resources and catalogs (resources/**/*.json,
  i18n/locale/**/*.po) and every non-ASCII character in the app's Python
  sources (top-level *.py, models/, forms/, ui/, i18n/), so new strings are
  picked up when the script is rerun.

Hinting is dropped (the PDF and Qt renderers do not need it), the 'name' table
is kept in full (family "TW-Kai" / 「全字庫正楷體」), and BMP characters stay in a
cmap format 4 subtable.  Output is deterministic: the head timestamps of the
source font are kept.

It is a maintainer tool: the app never runs it and does not depend on fontTools.

How to rerun
------------
    apt-get install fonts-cns11643-kai        # Debian/Ubuntu; or download
                                              # TW-Kai-98_1.ttf from data.gov.tw
    python -m venv /tmp/fontvenv && /tmp/fontvenv/bin/pip install fonttools
    /tmp/fontvenv/bin/python packaging/tools/make_font_subset.py \
        [--source /path/to/TW-Kai-98_1.ttf] [--reference-dir /work/shared/reference]

Rerun it whenever the catalogs, resource files or reference documents gain
characters, and commit the new resources/fonts/TWKai-subset.ttf.  Characters
requested but missing from TW-Kai are listed at the end of the run.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path

try:
    from fontTools import subset
    from fontTools.ttLib import TTFont
except ImportError:  # pragma: no cover - maintainer tool
    sys.exit("fontTools is required: pip install fonttools (maintainer tool only)")

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT = REPO_ROOT / "resources" / "fonts" / "TWKai-subset.ttf"
DEFAULT_REFERENCE_DIR = Path("/work/shared/reference")
# Where distributions put the TW-Kai files (Debian: fonts-cns11643-kai).
FONT_SEARCH_DIRS = [
    Path("/usr/share/fonts/truetype/cns11643"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local" / "share" / "fonts",
    Path.home() / ".fonts",
]
SUBSET_MARK = "subset made by crisisdesk packaging/tools/make_font_subset.py"

# Unicode ranges always requested (inclusive).
FIXED_RANGES: list[tuple[str, int, int]] = [
    ("Basic Latin", 0x0020, 0x007E),
    ("Latin-1 punctuation and symbols", 0x00A0, 0x00BF),
    ("Latin-1 × ÷", 0x00D7, 0x00D7),
    ("Latin-1 × ÷", 0x00F7, 0x00F7),
    ("General Punctuation", 0x2010, 0x203B),
    ("Enclosed numbers ①-⑳ ⑴-⒇", 0x2460, 0x2487),
    ("Parenthesised ideographs ㈠-㈩", 0x3220, 0x3229),
    ("CJK Symbols and Punctuation", 0x3000, 0x303F),
    ("Full-width forms", 0xFF01, 0xFF5E),
]
BIG5_TRAIL_BYTES = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
# Characters that are never worth a glyph (controls, format, surrogates, private use, unassigned).
SKIP_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}


def is_cjk_ideograph(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x3FFFF
    )


def wanted(chars: Iterable[str]) -> set[int]:
    return {ord(c) for c in chars if unicodedata.category(c) not in SKIP_CATEGORIES}


def big5_chars(leads: Iterable[int], keep_ideographs: bool) -> set[int]:
    """Characters Python's 'big5' codec decodes from the given lead bytes."""
    out: set[int] = set()
    for lead in leads:
        for trail in BIG5_TRAIL_BYTES:
            try:
                text = bytes((lead, trail)).decode("big5")
            except UnicodeDecodeError:
                continue
            if len(text) != 1:
                continue
            if keep_ideographs != is_cjk_ideograph(text):
                continue
            out |= wanted(text)
    return out


def chars_of_files(files: Iterable[Path], non_ascii_only: bool = False) -> tuple[set[int], list[Path]]:
    out: set[int] = set()
    used: list[Path] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError) as exc:
            print(f"  skipped {path}: {exc.__class__.__name__}", file=sys.stderr)
            continue
        if non_ascii_only:
            text = "".join(c for c in text if ord(c) > 0x7E)
        out |= wanted(text)
        used.append(path)
    return out, used


def find_source_font() -> Path:
    """The TW-Kai file whose cmap holds the BMP ideographs (the family is split by plane)."""
    candidates: list[Path] = []
    for directory in FONT_SEARCH_DIRS:
        if directory.is_dir():
            candidates += sorted(directory.rglob("TW-Kai*.ttf"))
    for path in candidates:
        font = TTFont(path, lazy=True)
        try:
            if 0x4E00 in font.getBestCmap():
                return path
        finally:
            font.close()
    sys.exit(
        "No TW-Kai TrueType file mapping U+4E00 found "
        f"(looked in {', '.join(map(str, FONT_SEARCH_DIRS))}); pass --source."
    )


def describe(cps: Iterable[int], limit: int = 60) -> str:
    cps = sorted(cps)
    shown = " ".join(f"{chr(cp)}(U+{cp:04X})" for cp in cps[:limit])
    return shown + (f" … and {len(cps) - limit} more" if len(cps) > limit else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, help="TW-Kai TTF holding the BMP ideographs (auto-detected)")
    parser.add_argument("--reference-dir", type=Path, default=DEFAULT_REFERENCE_DIR,
                        help=f"source documents whose characters must be covered (default {DEFAULT_REFERENCE_DIR})")
    parser.add_argument("--allow-missing-reference", action="store_true",
                        help="build even if the reference directory does not exist")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    source = args.source or find_source_font()
    print(f"source font: {source}")

    groups: dict[str, set[int]] = {}
    for label, lo, hi in FIXED_RANGES:
        groups.setdefault(label, set()).update(wanted(map(chr, range(lo, hi + 1))))
    groups["Big5 symbols (0xA140-0xA3BF)"] = big5_chars(range(0xA1, 0xA4), keep_ideographs=False)
    groups["Big5 level-1 常用字 (0xA440-0xC67E)"] = big5_chars(range(0xA4, 0xC7), keep_ideographs=True)

    ref_dir: Path = args.reference_dir
    if ref_dir.is_dir():
        ref_files = sorted(p for p in ref_dir.rglob("*") if p.is_file())
        groups["reference documents"], used = chars_of_files(ref_files)
        print(f"reference documents: {len(used)} files under {ref_dir}")
    elif args.allow_missing_reference:
        print(f"WARNING: reference directory {ref_dir} not found; its characters are not included",
              file=sys.stderr)
    else:
        sys.exit(f"reference directory {ref_dir} not found (use --reference-dir or --allow-missing-reference)")

    app_files = sorted(REPO_ROOT.glob("resources/**/*.json")) + sorted(REPO_ROOT.glob("i18n/locale/**/*.po"))
    groups["app resources and catalogs"], used = chars_of_files(app_files)
    print(f"app resources and catalogs: {len(used)} files")
    py_files = sorted(REPO_ROOT.glob("*.py")) + sorted(
        p for d in ("models", "forms", "ui", "i18n") for p in (REPO_ROOT / d).rglob("*.py")
        if "__pycache__" not in p.parts
    )
    groups["app Python sources (non-ASCII)"], used = chars_of_files(py_files, non_ascii_only=True)
    print(f"app Python sources: {len(used)} files")

    font = TTFont(source, recalcTimestamp=False, recalcBBoxes=True)
    cmap = font.getBestCmap()

    requested: set[int] = set().union(*groups.values())
    found = {cp for cp in requested if cp in cmap}
    print("\ncharacters requested / found in font, by group (groups overlap):")
    for label, cps in groups.items():
        print(f"  {label:40s} {len(cps):6d} / {len(cps & found):6d}")
    print(f"  {'TOTAL (distinct)':40s} {len(requested):6d} / {len(found):6d}")
    missing = requested - found
    # CJK compatibility ideographs (e.g. U+F9E4 理 from PDF text extraction) are canonically
    # equivalent to a unified ideograph: map them to that glyph rather than leave them blank.
    aliases: dict[int, int] = {}
    for cp in sorted(missing):
        nfc = unicodedata.normalize("NFC", chr(cp))
        if len(nfc) == 1 and ord(nfc) != cp and ord(nfc) in cmap:
            aliases[cp] = ord(nfc)
    found |= set(aliases.values())
    missing -= set(aliases)
    if aliases:
        print("\nmapped to their canonical equivalent: "
              + " ".join(f"U+{a:04X}→{chr(b)}(U+{b:04X})" for a, b in aliases.items()))
    if missing:
        print(f"\nnot in TW-Kai ({len(missing)}), will fall back to other fonts: {describe(missing)}")
    missing_cjk = {cp for cp in missing if is_cjk_ideograph(chr(cp))}
    if missing_cjk:
        print(f"  of which CJK ideographs: {describe(missing_cjk)}")

    options = subset.Options()
    options.hinting = False                 # drop instructions, fpgm/prep/cvt
    options.name_IDs = ["*"]                # keep the whole 'name' table ...
    options.name_languages = ["*"]          # ... in every language (全字庫正楷體 / TW-Kai)
    options.name_legacy = True              # ... including the Mac platform records
    options.legacy_cmap = True
    options.notdef_outline = True
    options.recalc_timestamp = False
    options.drop_tables += ["FFTM"]         # FontForge build timestamp
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=sorted(found))
    subsetter.subset(font)

    for table in font["cmap"].tables:
        if table.isUnicode() and (table.format == 12 or all(cp <= 0xFFFF for cp in aliases)):
            for alias, target in aliases.items():
                if target in table.cmap:
                    table.cmap[alias] = table.cmap[target]

    # Mark the unique ID (name 3) so an installed full TW-Kai is not confused with this file.
    # Family / full / PostScript names (1, 4, 6) stay as they are: "TW-Kai".
    for record in font["name"].names:
        if record.nameID == 3:
            record.string = f"{record.toUnicode()}; {SUBSET_MARK}"

    args.output.parent.mkdir(parents=True, exist_ok=True)
    font.save(args.output)
    font.close()

    # Verify what was written.
    check = TTFont(args.output)
    has_fmt4 = any(t.format == 4 and t.platformID == 3 and t.platEncID == 1 for t in check["cmap"].tables)
    out_cmap = check.getBestCmap()
    family = check["name"].getDebugName(1)
    lost = (found | set(aliases)) - set(out_cmap)
    print(f"\nwrote {args.output}")
    print(f"  family name: {family!r}; glyphs: {check['maxp'].numGlyphs}; mapped characters: {len(out_cmap)}")
    print(f"  cmap (3,1) format 4: {'yes' if has_fmt4 else 'NO'}; tables: {' '.join(sorted(check.keys()))}")
    print(f"  size: {args.output.stat().st_size:,} bytes ({args.output.stat().st_size / 2**20:.2f} MiB)")
    check.close()
    if lost or not has_fmt4:
        print(f"ERROR: {len(lost)} characters lost in subsetting, format 4 cmap: {has_fmt4}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
