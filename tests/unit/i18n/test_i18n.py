"""The gettext layer, pseudo-localization, bilingual data, date formatting and the catalog tool.

Catalog mechanics are tested against catalogs written to a temporary folder (use_locale_dir),
so the tests do not depend on which strings the app happens to contain.
"""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

import i18n
from i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    N_,
    _,
    catalogs,
    current_language,
    is_pseudo,
    ngettext,
    pick,
    set_language,
    use_locale_dir,
)
from i18n.formatting import format_date, format_datetime

ROOT = Path(__file__).resolve().parents[3]


def write_catalog(locale_dir: Path, code: str, messages: dict[str, str], mo: bool = False) -> Path:
    """Write a catalog for `code` (as .po, or .mo when `mo`) and return its path."""
    catalog = Catalog(locale=code, domain=i18n.DOMAIN, fuzzy=False)
    for msgid, msgstr in messages.items():
        catalog.add(msgid, msgstr)
    folder = locale_dir / code / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{i18n.DOMAIN}{'.mo' if mo else '.po'}"
    with path.open("wb") as out:
        (write_mo if mo else write_po)(out, catalog)
    return path


def load(path: Path, code: str) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=code)


def save(path: Path, catalog: Catalog) -> None:
    with path.open("wb") as out:
        write_po(out, catalog)


@pytest.fixture
def locale_dir(tmp_path: Path) -> Iterator[Path]:
    """A temporary locale folder with a Chinese and an English catalog, in use for the test."""
    folder = tmp_path / "locale"
    write_catalog(folder, "zh_TW", {"Open incident": "開立事件", "Stale": "舊"})
    write_catalog(folder, "en", {"Open incident": "Open incident"})
    use_locale_dir(folder)
    yield folder
    use_locale_dir(None)


# --- language switching ---------------------------------------------------------------------


def test_defaults() -> None:
    assert LANGUAGES == {"zh_TW": "繁體中文", "en": "English"}
    assert DEFAULT_LANGUAGE == "zh_TW"
    assert current_language() == "zh_TW"
    assert not is_pseudo()


@pytest.mark.usefixtures("locale_dir")
def test_switching_language_changes_translation_at_call_time() -> None:
    set_language("zh_TW")
    assert _("Open incident") == "開立事件"
    set_language("en")
    assert current_language() == "en"
    assert _("Open incident") == "Open incident"
    set_language("zh_TW")
    assert _("Open incident") == "開立事件"


@pytest.mark.usefixtures("locale_dir")
def test_untranslated_and_empty_strings() -> None:
    assert _("Not in any catalog") == "Not in any catalog"
    assert _("") == ""  # never the catalog header


@pytest.mark.usefixtures("locale_dir")
def test_marker_does_not_translate() -> None:
    label = N_("Open incident")
    assert label == "Open incident"
    assert _(label) == "開立事件"


def test_unknown_language() -> None:
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        set_language("fr")
    assert current_language() == "zh_TW"


def test_missing_catalog_falls_back_to_source_text(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    use_locale_dir(tmp_path)
    try:
        with caplog.at_level(logging.WARNING, logger="i18n"):
            set_language("zh_TW")
        assert _("Open incident") == "Open incident"
        assert "no zh_TW catalog" in caplog.text
    finally:
        use_locale_dir(None)


def test_fresh_mo_is_used_and_stale_mo_is_ignored(locale_dir: Path) -> None:
    po = locale_dir / "zh_TW" / "LC_MESSAGES" / "crisisdesk.po"
    mo = write_catalog(locale_dir, "zh_TW", {"Stale": "來自 mo"}, mo=True)
    newer, older = po.stat().st_mtime + 10, po.stat().st_mtime - 10
    os.utime(mo, (newer, newer))
    set_language("zh_TW")
    assert _("Stale") == "來自 mo"
    os.utime(mo, (older, older))
    set_language("zh_TW")
    assert _("Stale") == "舊"


def _kept(locale_dir: Path, code: str = "zh_TW") -> list[Path]:
    """The compiled copies of `code`'s .po kept beside it (i18n._compiled)."""
    return sorted((locale_dir / code / "LC_MESSAGES").glob(f".{i18n.DOMAIN}.*.mo"))


def test_a_compiled_po_is_kept_and_read_at_the_next_start(
    locale_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A source checkout has no .mo: the .po compiled once is kept, and the next start reads
    that copy instead of compiling again (a third of a second per catalog with babel)."""
    set_language("en")
    set_language("zh_TW")
    assert len(_kept(locale_dir)) == len(_kept(locale_dir, "en")) == 1
    assert not (locale_dir / "zh_TW" / "LC_MESSAGES" / "crisisdesk.mo").exists()

    def no_babel(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr("babel.messages.pofile.read_po", no_babel)
    set_language("en")
    set_language("zh_TW")
    assert _("Open incident") == "開立事件"


def test_a_changed_po_is_compiled_again_whatever_its_date(locale_dir: Path) -> None:
    """The kept copy is named by the .po's content: a .po changed within the same tick of the
    file system's clock, or copied in with an older date, still shows its new text."""
    po = locale_dir / "zh_TW" / "LC_MESSAGES" / "crisisdesk.po"
    set_language("zh_TW")
    assert _("Stale") == "舊"
    before = po.stat()
    write_catalog(locale_dir, "zh_TW", {"Open incident": "開立事件", "Stale": "新"})
    os.utime(po, ns=(before.st_atime_ns, before.st_mtime_ns))  # the very same date
    set_language("zh_TW")
    assert _("Stale") == "新"
    assert len(_kept(locale_dir)) == 1  # the copy of the older text is gone


def test_a_kept_copy_cut_short_is_compiled_again(
    locale_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A power cut may leave the kept copy cut short: the next start compiles the .po again
    and keeps a whole copy, rather than failing at every start until someone finds a hidden
    file."""
    set_language("zh_TW")
    (kept,) = _kept(locale_dir)
    kept.write_bytes(kept.read_bytes()[:40])
    with caplog.at_level(logging.WARNING, logger="i18n"):
        set_language("zh_TW")
    assert _("Open incident") == "開立事件"
    assert "is damaged" in caplog.text
    set_language("zh_TW")  # the copy kept again reads whole
    assert _kept(locale_dir) == [kept] and len(kept.read_bytes()) > 40


def test_a_catalog_folder_that_cannot_keep_the_copy_still_translates(
    locale_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An installed app's folder may be read-only: the .po is compiled at each start then,
    and said in the log, never a failure."""
    folder = locale_dir / "zh_TW" / "LC_MESSAGES"
    po = folder / "crisisdesk.po"
    digest = hashlib.sha256(po.read_bytes()).hexdigest()[:32]
    for kept in _kept(locale_dir):
        kept.unlink()
    (folder / f".{i18n.DOMAIN}.{digest}.mo").mkdir()  # in the way of the copy's name
    with caplog.at_level(logging.INFO, logger="i18n"):
        set_language("zh_TW")
    assert _("Open incident") == "開立事件"
    assert "is not kept" in caplog.text
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [po.name, f".{i18n.DOMAIN}.{digest}.mo"])  # no temporary file left behind


def test_fuzzy_translations_are_not_used(locale_dir: Path) -> None:
    po = locale_dir / "zh_TW" / "LC_MESSAGES" / "crisisdesk.po"
    catalog = load(po, "zh_TW")
    message = catalog.get("Open incident")
    assert message is not None
    message.flags.add("fuzzy")
    save(po, catalog)
    set_language("zh_TW")
    assert _("Open incident") == "Open incident"


@pytest.mark.usefixtures("locale_dir")
def test_ngettext() -> None:
    set_language("en")
    assert ngettext("%(n)d unit", "%(n)d units", 1) % {"n": 1} == "1 unit"
    assert ngettext("%(n)d unit", "%(n)d units", 3) % {"n": 3} == "3 units"


def test_shipped_catalogs_load() -> None:
    """The packaged .po files parse; the ROC messages are translated into Chinese."""
    set_language("zh_TW")
    assert _("Month %(month)d does not exist: months run from 1 to 12.") == (
        "%(month)d月不存在：月份應為1至12。"
    )


# --- pseudo-localization --------------------------------------------------------------------


@pytest.mark.usefixtures("locale_dir")
def test_pseudo_lengthens_and_brackets() -> None:
    set_language("en", pseudo=True)
    assert is_pseudo()
    assert _("Playbook") == "[Ｐlaybook ~~~~]"
    text = _("Open incident")
    assert text.startswith("[Ｏpen incident ") and text.endswith("]")
    assert len(text) >= 1.4 * len("Open incident")
    set_language("en")
    assert _("Playbook") == "Playbook"


@pytest.mark.usefixtures("locale_dir")
def test_pseudo_applies_to_translations() -> None:
    set_language("zh_TW", pseudo=True)
    assert _("Open incident") == "[開立事件 ~~]"


@pytest.mark.parametrize(
    ("message", "values", "expected"),
    [
        ("%(count)d incidents", {"count": 3}, "[3 ｉncidents ~~~~~~~~]"),
        ("%s of %d", ("a", 2), "[a ｏf 2 ~~~~]"),
        ("Done: 100%%", (), "[Ｄone: 100% ~~~~~]"),
    ],
)
def test_pseudo_keeps_percent_placeholders(message: str, values: object, expected: str) -> None:
    set_language("en", pseudo=True)
    assert _(message) % values == expected


def test_pseudo_keeps_brace_placeholders() -> None:
    set_language("en", pseudo=True)
    assert _("{name} signed").format(name="陳組長") == "[陳組長 ｓigned ~~~~~~]"


def test_pseudo_keeps_markup_and_mnemonics() -> None:
    set_language("en", pseudo=True)
    assert _("&Open").startswith("[&Oｐen ")
    assert _("<b>Bold</b>").startswith("[<b>Ｂold</b> ")
    assert ngettext("%(n)d unit", "%(n)d units", 2) % {"n": 2} == "[2 ｕnits ~~~~~]"


# --- bilingual data -------------------------------------------------------------------------


def test_pick() -> None:
    text = {"zh_TW": "通報", "en": "Notify"}
    assert pick(text) == "通報"
    set_language("en")
    assert pick(text) == "Notify"
    assert pick({"zh_TW": "通報", "en": ""}) == "通報"
    assert pick({"zh_TW": "通報"}) == "通報"
    assert pick({"zh_TW": "", "ja": "通知"}) == "通知"
    assert pick({}) == ""
    set_language("en", pseudo=True)
    assert pick(text) == "[Ｎotify ~~~]"


# --- formatting -----------------------------------------------------------------------------


def test_format_date() -> None:
    day = date(2026, 11, 24)
    assert format_date(day) == "民國115年11月24日"
    assert format_date(day, long=False) == "115/11/24"
    set_language("en")
    assert format_date(day) == "Nov 24, 2026"
    assert format_date(day, long=False) == "2026-11-24"


def test_format_datetime_converts_utc_to_taipei() -> None:
    moment = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
    assert format_datetime(moment) == "民國115年11月25日 07:30"
    assert format_datetime(moment, long=False) == "115/11/25 07:30"
    set_language("en")
    assert format_datetime(moment) == "Nov 25, 2026, 07:30"
    assert format_datetime(moment, long=False) == "2026-11-25 07:30"


def test_format_datetime_zones() -> None:
    naive = datetime(2026, 11, 24, 6, 5)
    assert format_datetime(naive, long=False) == "115/11/24 14:05"
    assert format_datetime(naive, long=False, tz="UTC") == "115/11/24 06:05"
    other_offset = datetime(2026, 11, 24, 14, 5, tzinfo=timezone(timedelta(hours=8)))
    assert format_datetime(other_offset) == "民國115年11月24日 14:05"


# --- the catalog tool -----------------------------------------------------------------------


def test_catalog_tool_round_trip(tmp_path: Path) -> None:
    """extract -> update -> check -> translate -> compile, on a small source tree."""
    (tmp_path / "ui").mkdir()
    (tmp_path / "ui" / "sample.py").write_text(
        textwrap.dedent(
            """
            from i18n import N_, _, ngettext
            # TRANSLATORS: a button
            _("Open incident")
            N_("Drill")
            ngettext("%(n)d unit", "%(n)d units", 2)
            """
        ),
        encoding="utf-8",
    )
    (tmp_path / "main.py").write_text('_("Quit")\n', encoding="utf-8")

    template = catalogs.write_template(tmp_path)
    assert (tmp_path / "i18n" / "crisisdesk.pot").is_file()
    extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in template}
    assert extracted == {"", "Open incident", "Drill", "%(n)d unit", "Quit"}

    catalogs.update(tmp_path)
    en = load(catalogs.catalog_path("en", tmp_path), "en")
    assert en.get("Drill").string == "Drill"
    assert en.get("%(n)d unit").string == ("%(n)d unit", "%(n)d units")
    zh_path = catalogs.catalog_path("zh_TW", tmp_path)
    zh = load(zh_path, "zh_TW")
    assert zh.locale_identifier == "zh_TW"
    assert "a button" in zh.get("Open incident").auto_comments

    problems = catalogs.check(tmp_path)
    assert all(problem.startswith("zh_TW: untranslated") for problem in problems)
    assert len(problems) == 4

    translations = {"Open incident": "開立事件", "Drill": "演練", "Quit": "結束"}
    for msgid, msgstr in translations.items():
        zh.get(msgid).string = msgstr
    zh.get("%(n)d unit").string = ("%(n)d 個單位",)
    save(zh_path, zh)
    assert catalogs.check(tmp_path) == []

    zh.get("Drill").flags.add("fuzzy")
    save(zh_path, zh)
    (tmp_path / "main.py").write_text('_("Quit")\n_("Sign off")\n', encoding="utf-8")
    problems = catalogs.check(tmp_path)
    assert "zh_TW: fuzzy: 'Drill'" in problems
    assert "zh_TW: missing (run `extract` and `update`): 'Sign off'" in problems
    assert "en: missing (run `extract` and `update`): 'Sign off'" in problems
    assert len(problems) == 3
    zh.get("Drill").flags.discard("fuzzy")
    save(zh_path, zh)

    compiled = catalogs.compile_catalogs(tmp_path)
    assert [path.suffix for path in compiled] == [".mo", ".mo"]
    use_locale_dir(tmp_path / "i18n" / "locale")
    try:
        set_language("zh_TW")
        assert _("Open incident") == "開立事件"
        assert ngettext("%(n)d unit", "%(n)d units", 5) % {"n": 5} == "5 個單位"
    finally:
        use_locale_dir(None)


def test_catalog_check_reports_placeholder_mistakes(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "m.py").write_text('_("%(count)d open")\n', encoding="utf-8")
    catalogs.write_template(tmp_path)
    catalogs.update(tmp_path)
    zh_path = catalogs.catalog_path("zh_TW", tmp_path)
    zh = load(zh_path, "zh_TW")
    zh.get("%(count)d open").string = "%(total)d 件"
    save(zh_path, zh)
    [problem] = catalogs.check(tmp_path)
    assert problem.startswith("zh_TW: ") and "'%(count)d open'" in problem


def test_update_after_a_msgid_changes(tmp_path: Path) -> None:
    """Chinese keeps the old translation as a fuzzy guess; English simply takes the new text."""
    source = tmp_path / "ui" / "s.py"
    source.parent.mkdir()
    source.write_text('_("Open the incident")\n', encoding="utf-8")
    catalogs.write_template(tmp_path)
    catalogs.update(tmp_path)
    zh_path = catalogs.catalog_path("zh_TW", tmp_path)
    zh = load(zh_path, "zh_TW")
    zh.get("Open the incident").string = "開立事件"
    save(zh_path, zh)

    source.write_text('_("Open an incident")\n', encoding="utf-8")
    catalogs.write_template(tmp_path)
    catalogs.update(tmp_path)
    guess = load(zh_path, "zh_TW").get("Open an incident")
    assert guess.fuzzy and guess.string == "開立事件"
    english = load(catalogs.catalog_path("en", tmp_path), "en").get("Open an incident")
    assert not english.fuzzy and english.string == "Open an incident"
    assert catalogs.check(tmp_path) == ["zh_TW: fuzzy: 'Open an incident'"]


def test_update_keeps_unchanged_template(tmp_path: Path) -> None:
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "f.py").write_text('_("Page")\n', encoding="utf-8")
    catalogs.write_template(tmp_path)
    template = catalogs.template_path(tmp_path)
    before = template.read_bytes()
    os.utime(template, (0, 0))
    catalogs.write_template(tmp_path)
    assert template.read_bytes() == before
    assert template.stat().st_mtime == 0


# --- layering -------------------------------------------------------------------------------


def test_i18n_does_not_import_qt() -> None:
    """The printable forms use i18n without a GUI: none of it may pull in PySide6."""
    code = (
        "import sys, i18n, i18n.roc, i18n.formatting, i18n.catalogs; "
        "i18n._('x'); sys.exit('PySide6' in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_shipped_catalogs_are_complete() -> None:
    """Every string the code marks for translation has a Chinese and an English text, with
    the same placeholders: a new string without a translation fails here, not in front of a
    user."""
    from i18n.catalogs import check

    assert check() == []


ONE_WORD = {
    "記錄檔": "紀錄檔",  # the log file: the project's older strings write the noun 紀錄
    "未預期": "非預期",  # as the older "非預期的錯誤"
    "損壞": "損毀",  # a damaged file, as in the government's wording and the older strings
    "毀損": "損毀",
}


def test_the_chinese_catalog_says_one_thing_one_way() -> None:
    """One word for one idea: the log is 紀錄檔 in one box and 記錄檔 in the next one reads
    as two files; and a placeholder sits in a Chinese sentence without spaces around it."""
    catalog = load(catalogs.catalog_path("zh_TW"), "zh_TW")
    texts = [text for message in catalog if message.id
             for text in ([message.string] if isinstance(message.string, str)
                          else message.string)]
    for other, ours in ONE_WORD.items():
        assert [t for t in texts if other in t] == [], f"write {ours}, not {other}"
    assert [t for t in texts if "{file} 不是" in t or "寫入 {file} 的" in t] == []


def test_no_translation_call_inside_an_f_string() -> None:
    """babel does not extract _("…") written inside an f-string, so such a text would stay
    English on a Chinese screen while the catalog check passes. Translate first, then format."""
    import ast

    root = Path(__file__).resolve().parents[3]
    found = []
    for layer in ("ui", "models", "forms", "i18n"):
        for path in sorted((root / layer).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.JoinedStr):
                    found += [f"{path.relative_to(root)}:{call.lineno}" for call in ast.walk(node)
                              if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                              and call.func.id in ("_", "N_", "ngettext")]
    assert found == []
