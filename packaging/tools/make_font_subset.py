#!/usr/bin/env python3
"""Build resources/fonts/TWKai-subset.ttf, the Kai (楷書) face bundled with the app.

Why
---
The printable forms (reportlab) need a Traditional Chinese font to embed, and
reportlab's TTFont only accepts TrueType (glyf) outlines, so the usual CFF-based
Noto CJK fonts cannot be used.  The UI also needs a CJK fallback on machines that
have no Chinese font at all.  The government's 全字庫正楷體 (TW-Kai, National
Development Council, licence OGDL-Taiwan 1.0) is TrueType and has the right
official look.  Its BMP file (TW-Kai-98_1.ttf, 52 MB, 39,160 glyphs) also draws
Hangul, Yi, Thai, Indic and other scripts the forms never print; this script
keeps what a customs office's form can hold:

* every character of Big5 as Windows (cp950) and Python ('big5') decode it:
  the symbols (0xA140-0xA3FE), level 1 常用字 (0xA440-0xC67E), level 2 次常用字
  (0xC940-0xF9D5, where many given names are: 璇 翊 婕 煒 ...) and the ETEN
  extensions (kana, box drawing, 碁銹裏墻恒粧嫺);
* every CJK ideograph the face has in the BMP: CJK Unified Ideographs, Extension A
  and the compatibility block.  This is the CNS 11643 repertoire of the BMP, where
  the rare characters of personal names mostly are.  Extension B and beyond live in
  TW-Kai-Ext-B-98_1.ttf; together with the BMP ideographs they would pass the
  65,535-glyph limit of one TrueType face, so they are not in the subset and print
  as 〓 with a warning (forms/coverage.py);
* Latin: Basic Latin, Latin-1 Supplement, Latin Extended-A and -B (accented
  letters, pinyin tones) and Latin Extended Additional (Vietnamese: Nguyễn), for
  foreign names; General Punctuation, enclosed numbers, CJK symbols and punctuation,
  full-width forms;
* every character in the source documents under the reference directory
  (default /work/shared/reference): procedure, unit and place names;
* every character in the app's own resources and catalogs (resources/**/*.json,
  i18n/locale/**/*.po) and every non-ASCII character in the app's Python
  sources (top-level *.py, models/, forms/, ui/, i18n/), so new strings are
  picked up when the script is rerun.

Three kinds of code point get the glyph of an equivalent one instead of being left
blank (an alias in the cmap, no new glyph):

* a CJK compatibility ideograph (U+F9E4 理, from PDF text extraction) gets the glyph
  of the unified ideograph it is canonically equivalent to;
* a Big5 code that the two decoders map to different characters gets, for the one
  the face lacks, the glyph of the other (0xA1E3: '∼' U+223C in Python's 'big5',
  '～' U+FF5E in cp950; TW-Kai draws only the second);
* a character TW-Kai maps to an empty glyph (STAND_INS): Big5 0xA3BC 'ˉ' U+02C9, the
  Bopomofo first-tone mark, which Bopomofo text leaves unwritten and TW-Kai draws as
  nothing, gets the spacing macron '¯' U+00AF, the shape every other font gives it.

Hinting is dropped (the PDF and Qt renderers do not need it), the 'name' table
is kept in full (family "TW-Kai" / 「全字庫正楷體」), and BMP characters stay in a
cmap format 4 subtable.  Output is deterministic for one fontTools version (4.69.1
made the committed file): the head timestamps of the source font are kept.

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

# Unicode ranges always requested (inclusive); what the face lacks in them is reported.
FIXED_RANGES: list[tuple[str, int, int]] = [
    ("Basic Latin", 0x0020, 0x007E),
    ("Latin-1 Supplement", 0x00A0, 0x00FF),
    ("Latin Extended-A", 0x0100, 0x017F),
    ("Latin Extended-B", 0x0180, 0x024F),
    ("Latin Extended Additional (Vietnamese)", 0x1E00, 0x1EFF),
    ("General Punctuation", 0x2010, 0x203B),
    ("Enclosed numbers ①-⑳ ⑴-⒇", 0x2460, 0x2487),
    ("Parenthesised ideographs ㈠-㈩", 0x3220, 0x3229),
    ("CJK Symbols and Punctuation", 0x3000, 0x303F),
    ("Full-width forms", 0xFF01, 0xFF5E),
]
# The BMP's ideograph blocks: every code point of them the face maps is kept.
IDEOGRAPH_BLOCKS: list[tuple[str, int, int]] = [
    ("CJK Unified Ideographs", 0x4E00, 0x9FFF),
    ("CJK Extension A", 0x3400, 0x4DBF),
    ("CJK Compatibility Ideographs", 0xF900, 0xFAFF),
]
# Big5's regions by their two-byte code (inclusive); anything else decoded is an extension.
BIG5_REGIONS: list[tuple[str, int, int]] = [
    ("Big5 symbols (0xA140-0xA3FE)", 0xA140, 0xA3FE),
    ("Big5 level 1 常用字 (0xA440-0xC67E)", 0xA440, 0xC67E),
    ("Big5 level 2 次常用字 (0xC940-0xF9D5)", 0xC940, 0xF9D5),
]
BIG5_EXTENSIONS = "Big5 ETEN extensions (kana, box drawing, 碁銹裏墻恒粧嫺)"
BIG5_CODECS = ("big5", "cp950")
# Characters TW-Kai maps to an empty glyph -> the character whose glyph prints them instead.
STAND_INS = {0x02C9: 0x00AF}  # ˉ Bopomofo first tone (Big5 0xA3BC) -> ¯ macron
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


def big5_table() -> dict[int, tuple[str, ...]]:
    """Each two-byte Big5 code -> the distinct characters the decoders give it (one, or two
    where 'big5' and cp950 disagree, as for 0xA1E3 ∼/～)."""
    table: dict[int, tuple[str, ...]] = {}
    for lead in range(0x81, 0xFF):
        for trail in BIG5_TRAIL_BYTES:
            decoded: list[str] = []
            for codec in BIG5_CODECS:
                try:
                    text = bytes((lead, trail)).decode(codec)
                except UnicodeDecodeError:
                    continue
                if len(text) == 1 and text not in decoded:
                    decoded.append(text)
            if decoded:
                table[lead << 8 | trail] = tuple(decoded)
    return table


def big5_groups(table: dict[int, tuple[str, ...]]) -> dict[str, set[int]]:
    groups: dict[str, set[int]] = {label: set() for label, _lo, _hi in BIG5_REGIONS}
    groups[BIG5_EXTENSIONS] = set()
    for code, chars in table.items():
        label = next((label for label, lo, hi in BIG5_REGIONS if lo <= code <= hi),
                     BIG5_EXTENSIONS)
        groups[label] |= wanted(chars)
    return groups


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


def equivalents(missing: set[int], cmap: dict[int, str],
                big5: dict[int, tuple[str, ...]]) -> dict[int, int]:
    """Missing code point -> a code point the face draws that stands for the same character
    (see the module docstring): its NFC form, or the other decoding of its Big5 code."""
    aliases: dict[int, int] = {}
    for cp in sorted(missing):
        nfc = unicodedata.normalize("NFC", chr(cp))
        if len(nfc) == 1 and ord(nfc) != cp and ord(nfc) in cmap:
            aliases[cp] = ord(nfc)
    for chars in big5.values():
        drawn = [ord(c) for c in chars if ord(c) in cmap]
        for c in chars:
            if ord(c) in missing and ord(c) not in aliases and drawn:
                aliases[ord(c)] = drawn[0]
    return aliases


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
    font = TTFont(source, recalcTimestamp=False, recalcBBoxes=True)
    cmap = font.getBestCmap()

    groups: dict[str, set[int]] = {}
    for label, lo, hi in FIXED_RANGES:
        groups.setdefault(label, set()).update(wanted(map(chr, range(lo, hi + 1))))
    big5 = big5_table()
    groups.update(big5_groups(big5))
    for label, lo, hi in IDEOGRAPH_BLOCKS:
        groups[f"{label} the face has"] = {cp for cp in cmap if lo <= cp <= hi}

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

    requested: set[int] = set().union(*groups.values())
    found = {cp for cp in requested if cp in cmap}
    print("\ncharacters requested / found in font, by group (groups overlap):")
    for label, cps in groups.items():
        print(f"  {label:44s} {len(cps):6d} / {len(cps & found):6d}")
    print(f"  {'TOTAL (distinct)':44s} {len(requested):6d} / {len(found):6d}")
    aliases = equivalents(requested - found, cmap, big5)
    glyf = font["glyf"]
    for blank, stand_in in STAND_INS.items():
        if blank in found and glyf[cmap[blank]].numberOfContours == 0 and stand_in in cmap:
            aliases[blank] = stand_in
            found = (found - {blank}) | {stand_in}
    missing = requested - found - set(aliases)
    found |= set(aliases.values())
    if aliases:
        print("\ndrawn with the glyph of an equivalent character: "
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
