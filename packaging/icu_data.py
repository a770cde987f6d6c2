"""A smaller ICU data library for the Linux bundle: Qt's libicudata.so.NN with only the data Qt
can ask for in this app, 32 MB down to about 3 MB.

Why: PySide6's Qt links ICU, and its data library is the largest file in the bundle. Qt Core
calls ICU for four things only (`nm -D libQt6Core.so.6` lists them): collation (QCollator, e.g.
the file dialog's sorting), time-zone display names, case mapping, and converters for legacy
text encodings (QStringDecoder with a non-Unicode name; the app decodes its files in Python).
The app speaks Chinese and English, so collation and zone names are kept for zh* and en* and
root (the fallback ICU uses for any other locale); the converter tables (5 MB), break-iterator
dictionaries, transliterators, spell-out rules and the display names of languages, currencies
and units, which Qt never asks ICU for, are left out. A locale left out still works: ICU falls
back to root, as for a locale it has never heard of.

How: the library is one exported symbol (icudtNN_dat) holding an ICU "common data" package;
the package is rewritten without the items left out and linked again into a library of the
same name (a C compiler's assembler includes the bytes). Windows' Qt uses the system's ICU, so
this is for Linux only.

    python packaging/icu_data.py SOURCE.so TARGET.so    (the spec calls slim_library)
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

LANGUAGES = ("en", "zh")
"""Locales whose collation, zone names and locale data are kept (with root)."""
TREES = ("coll", "zone", "region")
"""Subtrees kept for those locales: collation, time-zone names, and the country names that
generic zone names ("Taiwan Time") are made from. Every other subtree (brkitr, translit, rbnf,
curr, lang, unit) is left out whole."""
ROOT_KEEP = re.compile(r".*\.(icu|nrm)$")
"""Top-level items kept whatever their name: properties, the converter alias table (Qt asks ICU
which encodings exist), normalisation data."""
ROOT_DROP = re.compile(r".*\.(cnv|spp|cfu)$|unames\.icu$")
"""Top-level items left out: converter tables, stringprep profiles, confusables, character
names (for transliteration and u_charName, which Qt does not call)."""
LOCALE = re.compile(r"([a-z]{2,3}|root)(_[A-Za-z0-9]*)*\.res")
"""A locale's item ("zh_Hant_TW.res", "de_.res" for a variant); res_index.res matches too."""
ALIGN = 16  # ICU aligns every item in a package
PAD = b"\xaa"  # and fills the gaps with this, as its icupkg does


def keep(name: str) -> bool:
    """Whether the package item *name* (e.g. "icudt73l/coll/zh.res") stays."""
    parts = name.split("/")[1:]
    if len(parts) == 2:
        tree, leaf = parts  # a tree's own data (coll/ucadata.icu, res_index, pool) stays
        return tree in TREES and (not LOCALE.fullmatch(leaf) or leaf == "res_index.res"
                                  or _kept_locale(leaf))
    leaf = parts[0]
    if ROOT_DROP.fullmatch(leaf):
        return False
    if ROOT_KEEP.fullmatch(leaf) or leaf == "res_index.res" or not LOCALE.fullmatch(leaf):
        return True  # supplemental data (calendars, zones, likely subtags...): not a locale
    return _kept_locale(leaf)


def _kept_locale(leaf: str) -> bool:
    stem = leaf.removesuffix(".res")
    return stem == "root" or stem.split("_")[0] in LANGUAGES


def read_package(blob: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The package's header and its items (name, bytes with the padding after them) in
    table-of-contents order."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", blob, 0)
    if (magic1, magic2) != (0xDA, 0x27) or blob[12:16] != b"CmnD":
        raise ValueError("not an ICU common data package")
    (count,) = struct.unpack_from("<I", blob, header_size)
    entries = [struct.unpack_from("<II", blob, header_size + 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_offset, data_offset) in enumerate(entries):
        start = header_size + name_offset
        name = blob[start:blob.index(b"\0", start)].decode("ascii")
        end = header_size + entries[i + 1][1] if i + 1 < count else len(blob)
        items.append((name, blob[header_size + data_offset:end]))
    return blob[:header_size], items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """A package of *items* (kept in their sorted order: ICU looks names up by bisection)."""
    names = b"".join(name.encode("ascii") + b"\0" for name, _data in items)
    toc_size = 4 + 8 * len(items)
    data_start = _aligned(len(header) + toc_size + len(names)) - len(header)
    toc, name_offset, data_offset, body = [], toc_size, data_start, []
    for name, data in items:
        toc.append(struct.pack("<II", name_offset, data_offset))
        name_offset += len(name) + 1
        padded = data + PAD * (_aligned(len(data)) - len(data))
        body.append(padded)
        data_offset += len(padded)
    table = struct.pack("<I", len(items)) + b"".join(toc) + names
    return header + table + PAD * (data_start - len(table)) + b"".join(body)


def _aligned(size: int) -> int:
    return (size + ALIGN - 1) // ALIGN * ALIGN


def _symbol(library: Path) -> tuple[str, int, int]:
    """The data symbol's name, file offset and size (nm from binutils, as strip is)."""
    listing = subprocess.run(["nm", "-D", "--defined-only", "-S", str(library)],
                             capture_output=True, text=True, check=True).stdout
    for line in listing.splitlines():
        fields = line.split()
        if len(fields) == 4 and re.fullmatch(r"icudt\d+_dat", fields[3]):
            return fields[3], _file_offset(library, int(fields[0], 16)), int(fields[1], 16)
    raise ValueError(f"{library} exports no icudtNN_dat")


def _file_offset(library: Path, address: int) -> int:
    """Where the loadable segment holding *address* has it in the file (ELF64, little-endian)."""
    elf = library.read_bytes()[:4096]
    if elf[:6] != b"\x7fELF\x02\x01":
        raise ValueError(f"{library} is not a 64-bit little-endian ELF file")
    phoff, = struct.unpack_from("<Q", elf, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", elf, 0x36)
    for i in range(phnum):
        kind, _flags, offset, vaddr, _paddr, filesz = struct.unpack_from(
            "<IIQQQQ", elf, phoff + i * phentsize)
        if kind == 1 and vaddr <= address < vaddr + filesz:  # PT_LOAD
            return address - vaddr + offset
    raise ValueError(f"{library}: address {address:#x} is in no loadable segment")


def _link(package: bytes, symbol: str, soname: str, target: Path) -> None:
    """A shared library named *soname* exporting *package* as *symbol*, as ICU's own is."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if not compiler:
        raise SystemExit("icu_data: no C compiler (cc) to link the smaller ICU data library; "
                         "install one (Debian/Ubuntu: apt-get install gcc)")
    with tempfile.TemporaryDirectory() as tmp:
        data, source = Path(tmp) / "icudata.dat", Path(tmp) / "icudata.S"
        data.write_bytes(package)
        source.write_text(
            f'\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n'
            f'\t.balign {ALIGN}\n{symbol}:\n\t.incbin "{data}"\n'
            f'\t.size {symbol}, . - {symbol}\n\t.section .note.GNU-stack,"",@progbits\n',
            encoding="ascii")
        subprocess.run([compiler, "-shared", "-nostdlib", f"-Wl,-soname,{soname}", "-o",
                        str(target), str(source)], check=True)


def package_of(library: Path) -> tuple[str, bytes]:
    """The data symbol's name and the package it holds."""
    symbol, offset, size = _symbol(library)
    return symbol, library.read_bytes()[offset:offset + size]


def slim_library(source: Path, target: Path) -> tuple[int, int]:
    """Write the smaller library to *target*; returns the items kept and left out."""
    symbol, package = package_of(source)
    header, items = read_package(package)
    kept = [(name, data) for name, data in items if keep(name)]
    target.parent.mkdir(parents=True, exist_ok=True)
    _link(write_package(header, kept), symbol, source.name, target)
    return len(kept), len(items) - len(kept)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    kept_count, dropped = slim_library(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{kept_count} items kept, {dropped} left out")
