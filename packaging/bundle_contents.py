"""What the CrisisDesk bundle leaves out, and why the app does not miss it (issue 16: the Linux
bundle was 260 MB). packaging/crisisdesk.spec applies these lists; tests/e2e/test_bundle.py
reads them to tell a library the bundle should carry from one the system provides.

Each entry is something the app never uses (a module the import scan found through an optional
import, a Qt plugin for hardware or services an office desktop app does not use) or a Linux
library every desktop has, whose copy on the PC is used. What stays is named with its reason
too. Removing an entry puts the part back in the bundle; nothing else needs changing.
"""

from __future__ import annotations

import sys

IS_LINUX = sys.platform.startswith("linux")

BABEL_LOCALES = ("root", "en", "zh", "zh_Hant", "zh_Hant_TW")
"""What babel loads: English dates (locale "en") and the zh_TW catalog (zh_TW is zh_Hant_TW,
which inherits from zh_Hant and root)."""
EXCLUDES: list[str] = [
    "tkinter", "pytest", "hypothesis", "mypy", "IPython", "numpy",
    # Qt modules the app never imports (their Qt libraries go with them: the spec's _prune).
    "PySide6.QtNetwork", "PySide6.QtDBus",
    # Pillow: reportlab imports PIL.Image when it starts (reportlab/lib/utils.py), so Pillow's
    # core stays; the forms draw no pictures, so its optional codecs (AVIF, WebP), fonts,
    # colour management and math, with the libraries they bring, do not. The signed scans
    # (models/core/scan_codes.py) need its PNG, JPEG and TIFF decoders, which are in the core.
    "PIL._avif", "PIL._webp", "PIL._imagingft", "PIL._imagingcms", "PIL._imagingmath",
    "PIL._imagingmorph", "PIL._imagingtk",
    # The app opens no network connection (its sync is a shared folder).
    "ssl",
    # SQLite is the only database; Alembic imports the PostgreSQL dialect when it starts.
    "sqlalchemy.dialects.mssql", "sqlalchemy.dialects.mysql", "sqlalchemy.dialects.oracle",
    # Optional extras others import when present: syntax colouring of Mako's error pages,
    # setuptools' entry points (babel reads them through importlib.metadata), line editing.
    "pygments", "pkg_resources", "readline",
]
QT_PLATFORMS = {"qxcb", "qwayland", "qoffscreen", "qwindows"}
"""X11 and Wayland desktops, Windows, and off-screen (the self-test, the smoke tests). Not:
framebuffer, EGL, VNC, Vulkan display or the minimal ones."""
QT_PLUGIN_FOLDERS_DROPPED = {
    "egldeviceintegrations", "generic",           # embedded devices without a desktop
    "networkinformation", "tls",                  # QtNetwork's
    "xcbglintegrations", "wayland-graphics-integration-client",  # OpenGL: the app draws none
}
QT_PLUGINS_KEPT = {
    "imageformats": {"qsvg"},  # the window icon; PNG (the self-test's picture) is built in
    "wayland-shell-integration": {"xdg-shell"},  # what desktop compositors speak
}
"""Within these folders only these plugins stay; other folders (platform themes, input methods
such as ibus for Chinese, print support, icon engines, Windows styles) stay whole."""
QT_LIBRARIES_DROPPED = {"opengl32sw.dll", "d3dcompiler_47.dll"}
"""Windows: software OpenGL and the Direct3D shader compiler, which Qt loads for OpenGL and Qt
Quick only (the Linux counterpart is the GL integration plugins above)."""
SYSTEM_PROVIDED = {"libqgtk3.so", "libcupsprintersupport.so"}
"""Plugins that work with the desktop's own GTK and CUPS: the plugin stays, the libraries only it
needs do not. Where GTK or CUPS is installed (every GNOME desktop; every PC that prints) Qt loads
them from the system, matching each other; where not, Qt skips the plugin as before, and the
print dialog offers PDF only, as on any PC without CUPS."""
SYSTEM_LIBRARIES = {
    "libasound.so.2", "libcom_err.so.2", "libexpat.so.1", "libfontconfig.so.1",
    "libfreetype.so.6", "libfribidi.so.0", "libgcc_s.so.1", "libgdk_pixbuf-2.0.so.0",
    "libgio-2.0.so.0", "libglib-2.0.so.0", "libgmp.so.10", "libgobject-2.0.so.0",
    "libgpg-error.so.0", "libharfbuzz.so.0", "libICE.so.6", "libjack.so.0", "libp11-kit.so.0",
    "libpango-1.0.so.0", "libpangocairo-1.0.so.0", "libpangoft2-1.0.so.0", "libSM.so.6",
    "libstdc++.so.6", "libthai.so.0", "libusb-1.0.so.0", "libuuid.so.1", "libX11.so.6",
    "libz.so.1",
} if IS_LINUX else set[str]()
"""Linux libraries every desktop has, taken from the system as PyInstaller already takes the C
library, OpenGL and libxcb: the AppImage project's list of libraries not to bundle
(linuxdeployqt's excludelist.h) less those PyInstaller leaves out itself. A bundled copy
is older than the system's on a newer distribution, and is then loaded in its place: the
desktop's GTK, input methods or graphics drivers need the newer one (the well-known case is
libstdc++). The bundle needs a system at least as new as the one it was built on anyway (the C
library), and such a system has all of these."""
