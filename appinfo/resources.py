"""Where the app's own files are, from a source checkout and from a PyInstaller bundle.

The one place that tells a bundle from a checkout: everything that opens a shipped file
(playbook, units, icons, licence texts) asks `resource_path`, the form font `read_resource`
(the bundle ships it compressed), and the IT defaults file
is looked for in `install_dir`. (The catalogs in i18n/locale and the Alembic scripts in
models/storage/migrations are found beside their own package: PyInstaller gives a bundled module a
``__file__`` inside the bundle, and packaging/crisisdesk.spec puts them there.)
"""

from __future__ import annotations

import errno
import gzip
import sys
import zlib
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent  # appinfo/ sits at the checkout's root


def is_bundled() -> bool:
    """True in a PyInstaller bundle (the installed app), False when run from the sources."""
    return bool(getattr(sys, "frozen", False) and getattr(sys, "_MEIPASS", None))


def resource_root() -> Path:
    if is_bundled():
        return Path(getattr(sys, "_MEIPASS")) / "resources"  # noqa: B009
    return _CHECKOUT / "resources"


def resource_path(*parts: str) -> Path:
    return resource_root().joinpath(*parts)


COMPRESSED_SUFFIX = ".gz"
"""A shipped file the bundle holds gzip-compressed is named with this after its own name."""


def read_resource(*parts: str) -> bytes:
    """The bytes of a shipped file, which the bundle may hold gzip-compressed beside where the
    file would be (``NAME.gz``, packaging/crisisdesk.spec: the 34 MB form font is 18 MB so).
    Raises OSError naming the file when neither is there or the compressed one is damaged."""
    path = resource_path(*parts)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        packed = path.with_name(path.name + COMPRESSED_SUFFIX)
        if not packed.is_file():
            raise
    try:
        return gzip.decompress(packed.read_bytes())
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:  # not gzip, cut short, garbled
        raise OSError(errno.EIO, f"damaged ({exc})", str(packed)) from exc


def install_dir() -> Path:
    """The folder of the program itself: beside the executable in a bundle (where IT staff put
    crisisdesk-defaults.json), the checkout's root (beside main.py) otherwise."""
    if is_bundled():
        return Path(sys.executable).resolve().parent
    return _CHECKOUT
