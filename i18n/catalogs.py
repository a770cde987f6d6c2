"""Maintain the translation catalogs with babel's Python API.

    python -m i18n.catalogs extract   # sources -> i18n/crisisdesk.pot
    python -m i18n.catalogs update    # .pot -> i18n/locale/{zh_TW,en}/LC_MESSAGES/crisisdesk.po
    python -m i18n.catalogs compile   # .po -> .mo (the app also reads a .po directly)
    python -m i18n.catalogs check     # non-zero exit while anything is untranslated

Why not pybabel: the same steps run on Windows build machines, in CI and in the tests without a
shell, a babel.cfg or a scripts directory on PATH; and `update` has one project rule pybabel
lacks: English is the source language, so an empty English msgstr is filled with its msgid.

Why "zh_TW" and never "zh_Hant_TW": gettext looks for the folder named after the language code
the app asks for (see DESIGN.md, "Known pitfalls").
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from i18n import DOMAIN, LANGUAGES
from models.meta import APP_NAME, VERSION

__all__ = [
    "ROOT",
    "SOURCES",
    "check",
    "compile_catalogs",
    "extract",
    "main",
    "update",
    "write_template",
]

#: The repository root; every path below is relative to it.
ROOT = Path(__file__).resolve().parent.parent

#: Where translatable strings live: folders are searched for *.py, recursively.
SOURCES = ("ui", "models", "forms", "i18n", "main.py")

#: The language the msgids are written in.
SOURCE_LANGUAGE = "en"

_KEYWORDS: dict[str, tuple[int, int] | None] = {"_": None, "N_": None, "ngettext": (1, 2)}

# A comment starting with this, on the line before a string, is shown to translators.
_COMMENT_TAGS = ("TRANSLATORS:",)

_HEADER_COMMENT = (
    "# Translations template for PROJECT.\n"
    "# Regenerate with: python -m i18n.catalogs extract && python -m i18n.catalogs update\n"
    "#"
)

# The line that changes on every extraction even when no message did.
_CREATION_DATE = re.compile(rb'^"POT-Creation-Date: [^"]*"\n', re.MULTILINE)


def template_path(root: Path = ROOT) -> Path:
    """The extracted template, committed so translators can see what changed."""
    return root / "i18n" / f"{DOMAIN}.pot"


def catalog_path(code: str, root: Path = ROOT, suffix: str = ".po") -> Path:
    """The catalog of language `code` (or, with suffix ".mo", its compiled form)."""
    return root / "i18n" / "locale" / code / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def extract(root: Path = ROOT) -> Catalog:
    """Collect every string marked with _(), N_() or ngettext() under `SOURCES` into a
    template catalog, in memory."""
    template = Catalog(
        project=APP_NAME,
        version=VERSION,
        header_comment=_HEADER_COMMENT,
        charset="utf-8",
    )
    for source in SOURCES:
        path = root / source
        for filename, lineno, message, comments, context in _extract_source(path):
            location = (path / filename).relative_to(root).as_posix()
            template.add(
                message, None, [(location, lineno)], auto_comments=comments, context=context
            )
    return template


def write_template(root: Path = ROOT) -> Path:
    """Extract and write the template; a run that changes nothing leaves the file alone."""
    path = template_path(root)
    _write_unless_same(path, _render_po(extract(root)))
    return path


def update(root: Path = ROOT) -> list[Path]:
    """Merge the template into each language's catalog, creating missing catalogs.

    Chinese gets fuzzy matches for changed msgids (a translator confirms them); English does
    not, because a changed msgid *is* the new English text: empty English entries are filled
    with their msgid, while an English msgstr someone wrote on purpose is kept.
    """
    template_file = template_path(root)
    if not template_file.is_file():
        raise FileNotFoundError(f"{template_file} is missing: run `extract` first")
    written = []
    for code in LANGUAGES:
        path = catalog_path(code, root)
        template = _read_po(template_file, code)
        if path.is_file():
            catalog = _read_po(path, code)
            catalog.update(template, no_fuzzy_matching=code == SOURCE_LANGUAGE)
        else:
            catalog = template
            catalog.revision_date = datetime.now().astimezone()
            catalog.fuzzy = False
        if code == SOURCE_LANGUAGE:
            _fill_from_msgid(catalog)
        _write_unless_same(path, _render_po(catalog))
        written.append(path)
    return written


def compile_catalogs(root: Path = ROOT) -> list[Path]:
    """Compile each catalog to .mo, leaving out fuzzy entries as gettext does."""
    written = []
    for code in LANGUAGES:
        catalog = _read_po(catalog_path(code, root), code)
        compiled = io.BytesIO()
        write_mo(compiled, catalog, use_fuzzy=False)
        path = catalog_path(code, root, ".mo")
        # Always rewritten: the app trusts a .mo only when it is not older than its .po.
        path.write_bytes(compiled.getvalue())
        written.append(path)
    return written


def check(root: Path = ROOT) -> list[str]:
    """Everything that keeps a catalog from being complete, one line each: strings in the
    sources that a catalog lacks, empty or fuzzy translations, and placeholder or plural-form
    mistakes. The sources are extracted afresh, so a stale template hides nothing."""
    problems = []
    template = extract(root)
    for code in LANGUAGES:
        path = catalog_path(code, root)
        if not path.is_file():
            problems.append(f"{code}: no catalog at {path}; run `extract` and `update`")
            continue
        catalog = _read_po(path, code)
        for message in _messages(template):
            if catalog.get(message.id, message.context) is None:
                problems.append(f"{code}: missing (run `extract` and `update`): {_show(message)}")
        for message in _messages(catalog):
            if message.fuzzy:
                problems.append(f"{code}: fuzzy: {_show(message)}")
            elif not all(_strings(message)):
                problems.append(f"{code}: untranslated: {_show(message)}")
        for message, errors in catalog.check():
            problems.extend(f"{code}: {error}: {_show(message)}" for error in errors)
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m i18n.catalogs", description="Maintain CrisisDesk's translation catalogs."
    )
    parser.add_argument("command", choices=("extract", "update", "compile", "check"))
    command = parser.parse_args(argv).command
    if command == "extract":
        path = write_template()
        print(f"{path.relative_to(ROOT)}: {len(extract())} messages")
    elif command == "update":
        for path in update():
            print(f"updated {path.relative_to(ROOT)}")
    elif command == "compile":
        for path in compile_catalogs():
            print(f"compiled {path.relative_to(ROOT)}")
    else:
        problems = check()
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print(f"{len(problems)} problem(s) in the catalogs", file=sys.stderr)
            return 1
        print("catalogs complete")
    return 0


def _extract_source(
    path: Path,
) -> Iterator[tuple[str, int, str | tuple[str, ...], list[str], str | None]]:
    """Extract one entry of `SOURCES`, yielding file names relative to `path` (empty for a file).
    Entries that do not exist yet (main.py early on) contribute nothing."""
    if path.is_dir():
        yield from extract_from_dir(
            path,
            [("**.py", "python")],
            keywords=_KEYWORDS,
            comment_tags=_COMMENT_TAGS,
            strip_comment_tags=True,
        )
    elif path.is_file():
        for lineno, message, comments, context in extract_from_file(
            "python", path, keywords=_KEYWORDS, comment_tags=_COMMENT_TAGS, strip_comment_tags=True
        ):
            yield "", lineno, message, comments, context


def _read_po(path: Path, code: str) -> Catalog:
    with path.open("rb") as po_file:
        return read_po(po_file, locale=code, domain=DOMAIN)


def _render_po(catalog: Catalog) -> bytes:
    """The .po text; without line numbers, so moving code does not churn every catalog, and
    without obsolete entries, which git history keeps better."""
    rendered = io.BytesIO()
    write_po(rendered, catalog, include_lineno=False, ignore_obsolete=True)
    return rendered.getvalue()


def _write_unless_same(path: Path, data: bytes) -> None:
    """Write `data` unless the file already holds it, apart from the creation date."""
    if path.is_file() and _CREATION_DATE.sub(b"", path.read_bytes()) == _CREATION_DATE.sub(
        b"", data
    ):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _fill_from_msgid(catalog: Catalog) -> None:
    """Give every empty English msgstr its msgid (singular and plural)."""
    for message in _messages(catalog):
        if isinstance(message.id, str):
            if not message.string:
                message.string = message.id
        else:
            sources = (message.id[0], *[message.id[1]] * (catalog.num_plurals - 1))
            strings = _strings(message)
            message.string = tuple(
                (strings[i] if i < len(strings) else "") or source
                for i, source in enumerate(sources)
            )


def _messages(catalog: Catalog) -> Iterator[Message]:
    """The catalog's messages without its header entry (msgid "")."""
    return (message for message in catalog if message.id)


def _strings(message: Message) -> tuple[str, ...]:
    """The msgstr(s) of `message` as a tuple, whether it has plural forms or not."""
    if isinstance(message.string, str):
        return (message.string,)
    return tuple(message.string or ())


def _show(message: Message) -> str:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return repr(msgid)


if __name__ == "__main__":
    sys.exit(main())
