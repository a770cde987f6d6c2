"""The gettext layer for every part of CrisisDesk: the GUI, the domain and the printable forms.

Why gettext and not Qt's tr(): models/ and forms/ must not import Qt, yet their messages (errors,
form captions) need translating too; one catalog per language, extracted with babel, serves all
of them (the Picard habit). Qt's own button texts are left to a QTranslator in ui/.

Why `_()` looks the language up at call time: the user can switch language while the app runs,
and anything re-rendered afterwards must come out in the new language. Strings stored at import
time (module constants, table headers) are therefore marked with `N_()` and passed through `_()`
where they are shown.

Why a pseudo mode (Vorta's TRANS_SCALE): it lengthens every string by about 40 % and brackets
it, so a layout that truncates longer translations, or a text that bypasses `_()`, shows at a
glance.
"""

from __future__ import annotations

import contextlib
import gettext
import io
import logging
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "DEFAULT_LANGUAGE",
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "_",
    "current_language",
    "is_pseudo",
    "ngettext",
    "pick",
    "set_language",
    "translated",
    "use_locale_dir",
]

log = logging.getLogger(__name__)

#: The gettext domain: catalogs are ``<locale dir>/<code>/LC_MESSAGES/crisisdesk.po`` (and .mo).
DOMAIN = "crisisdesk"

#: Languages the app offers, in menu order, each named in its own language.
LANGUAGES: dict[str, str] = {"zh_TW": "繁體中文", "en": "English"}

#: The crisis teams work in Traditional Chinese; English is the second language.
DEFAULT_LANGUAGE = "zh_TW"

#: Where the packaged catalogs live.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

#: How much longer pseudo-localized strings are (0.4 = 40 %), roughly what German or a verbose
#: Chinese rendering adds to an English label.
PSEUDO_SCALE = 0.4

# Spans that must survive pseudo-localization untouched: %-style and {}-style placeholders,
# HTML tags (Qt rich text) and the character after a Qt mnemonic "&".
_MARKUP = re.compile(
    r"%(?:\([^)]*\))?[#0 +-]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[a-zA-Z%]"
    r"|\{\{|\}\}|\{[^{}]*\}"
    r"|<[^<>]*>"
    r"|&."
)
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_FULL_WIDTH_OFFSET = ord("Ａ") - ord("A")


@dataclass(frozen=True)
class _Active:
    """The language in force. Swapped as one object so that a reader on another thread never
    sees the new language code paired with the old catalog."""

    code: str
    pseudo: bool
    translations: gettext.NullTranslations


_locale_dir: Path = LOCALE_DIR
_active: _Active | None = None


def N_(message: str) -> str:
    """Mark `message` for extraction without translating it; pass it through `_()` when shown."""
    return message


def _(message: str) -> str:
    """Translate `message` into the current language, at call time."""
    active = _current()
    # gettext("") returns the catalog's header, never what a caller means.
    text = active.translations.gettext(message) if message else message
    return _pseudo(text) if active.pseudo else text


def translated(labels: Mapping[str, str]) -> dict[str, str]:
    """A vocabulary's labels (key → msgid) in the current language, as a choice offers
    them."""
    return {key: _(label) for key, label in labels.items()}


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate the singular or plural form that fits `n` in the current language."""
    active = _current()
    text = active.translations.ngettext(singular, plural, n)
    return _pseudo(text) if active.pseudo else text


def pick(text: Mapping[str, str]) -> str:
    """Choose the current language's text from bilingual data such as the playbook's
    ``{"zh_TW": ..., "en": ...}``.

    Falls back to Traditional Chinese, the authoritative version, and then to any non-empty
    value, so that a step nobody has translated yet still shows rather than a blank line.
    """
    active = _current()
    chosen = text.get(active.code) or text.get(DEFAULT_LANGUAGE)
    if not chosen:
        chosen = next((value for value in text.values() if value), "")
    return _pseudo(chosen) if active.pseudo else chosen


def set_language(code: str, pseudo: bool = False) -> None:
    """Make `code` (a key of `LANGUAGES`) the language of everything translated from now on.

    Raises ValueError for a language the app does not offer.
    """
    global _active
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; expected one of {', '.join(LANGUAGES)}")
    _active = _Active(code, pseudo, _load(_locale_dir, code))


def current_language() -> str:
    """The code of the language in force, e.g. "zh_TW"."""
    return _current().code


def is_pseudo() -> bool:
    """Whether pseudo-localization is on."""
    return _current().pseudo


def use_locale_dir(path: Path | None) -> None:
    """Read catalogs from `path` instead of the packaged ones (None restores those), and reload
    the current language from there.

    For tests and for translators trying a catalog without rebuilding the app.
    """
    global _locale_dir
    _locale_dir = LOCALE_DIR if path is None else path
    if _active is not None:
        set_language(_active.code, _active.pseudo)


def _current() -> _Active:
    """The active language, loading the default one on first use so that importing this module
    reads no files."""
    if _active is None:
        set_language(DEFAULT_LANGUAGE)
    assert _active is not None
    return _active


def _load(locale_dir: Path, code: str) -> gettext.NullTranslations:
    """Load the catalog for `code`: the compiled .mo when it is at least as new as the .po,
    otherwise the .po compiled (see `_compiled`), so a source checkout works without a build
    step and a stale .mo never hides a fresh translation.

    A missing catalog is logged and falls back to the untranslated (English) source strings:
    a broken installation should still start.
    """
    folder = locale_dir / code / "LC_MESSAGES"
    po_path = folder / f"{DOMAIN}.po"
    mo_path = folder / f"{DOMAIN}.mo"
    if mo_path.is_file() and (
        not po_path.is_file() or mo_path.stat().st_mtime >= po_path.stat().st_mtime
    ):
        with mo_path.open("rb") as mo_file:
            return gettext.GNUTranslations(mo_file)
    if po_path.is_file():
        return _compiled(folder, po_path.read_bytes(), code)
    log.warning("no %s catalog in %s; showing untranslated text", code, folder)
    return gettext.NullTranslations()


def _compiled(folder: Path, source: bytes, code: str) -> gettext.GNUTranslations:
    """The .po text *source* compiled, from the copy kept in *folder* the last time this very
    text was compiled, else compiled now and kept for the next start. A kept copy that does
    not read as a catalog (cut short by a power cut: it is renamed into place without a
    flush to the disk) is compiled and kept again.

    Why kept: compiling with babel takes about a third of a second per catalog, and a source
    checkout (a fresh clone has no .mo: they are not committed) paid it at every start before
    the window could show. Why the copy is named by a digest of the .po's content, not dated
    like the .mo: a .po changed in any way (an edit, a checkout, a copy keeping an older
    date, two saves within one tick of the file system's clock) has another digest, so a
    copy of an older text is never read for it."""
    import hashlib  # only here: its OpenSSL library took 3.5 ms of every start

    digest = hashlib.sha256(source).hexdigest()[:32]
    kept = folder / f".{DOMAIN}.{digest}.mo"
    try:
        return gettext.GNUTranslations(io.BytesIO(kept.read_bytes()))
    except OSError:
        pass  # not compiled yet (or the folder is not readable): compile it below
    except Exception:  # damaged: gettext raises what its parse meets (struct, Unicode...)
        log.warning("the compiled catalog %s is damaged; compiling it again", kept,
                    exc_info=True)
    from babel.messages.mofile import write_mo  # only here: an installed app ships its .mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(source), locale=code, domain=DOMAIN)
    compiled = io.BytesIO()
    # Fuzzy entries are guesses by the merge tool; gettext convention leaves them out.
    write_mo(compiled, catalog, use_fuzzy=False)
    _keep(kept, compiled.getvalue())
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _keep(path: Path, data: bytes) -> None:
    """Write *data* as *path* for the next start, replacing the copies of older texts, where
    the folder is writable (an installed app's may not be: it ships its .mo files anyway).

    Written to a temporary file and renamed, so another process starting at the same moment
    reads the whole copy or none. (Not models.core.files: i18n sits below models.)"""
    import tempfile  # only when a catalog was compiled, not at every start

    tmp: str | None = None
    try:
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f"{path.name}.",
                                         delete=False) as out:
            tmp = out.name
            out.write(data)
        os.chmod(tmp, 0o644)  # a cache anyone may read, like the .po beside it
        os.replace(tmp, path)
        tmp = None
        for older in path.parent.glob(f".{DOMAIN}.*.mo"):
            if older != path:
                older.unlink()
    except OSError as exc:
        log.info("the compiled catalog %s is not kept (%s); it is compiled again at the next "
                 "start", path, exc)
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.remove(tmp)


def _pseudo(text: str) -> str:
    """Pseudo-localize `text`: widen its first letter, pad it by `PSEUDO_SCALE` and bracket
    it ("Playbook" -> "[Ｐlaybook ~~~~]"), leaving placeholders, tags and mnemonics intact so
    that formatting the result still works."""
    if not text:
        return text
    masked = _MARKUP.sub(lambda match: "\0" * len(match.group()), text)
    letter = _ASCII_LETTER.search(masked)
    if letter is not None:
        i = letter.start()
        text = text[:i] + chr(ord(text[i]) + _FULL_WIDTH_OFFSET) + text[i + 1 :]
    padding = "~" * math.ceil(len(text) * PSEUDO_SCALE)
    return f"[{text} {padding}]"
