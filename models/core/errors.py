"""Errors a user can act on.

They carry an untranslated message id and its parameters, not a finished sentence, so the
same error reads correctly in whichever language the window or the terminal is using when it
is shown (the language can change between raising and showing). A parameter that is itself
a message (a reason, a problem) is given as a UserError, never as text already translated:
formatting it calls its ``message()``, so it is translated when the whole is shown, in the
same language (see os_reason)."""

from __future__ import annotations

import errno
from typing import Any

from i18n import N_, _


class UserError(Exception):
    """Something the user asked for cannot be done; ``message()`` says why in their language."""

    def __init__(self, msgid: str, **params: Any) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params

    def message(self) -> str:
        text = _(self.msgid)
        # A UserError among the params formats as its own message(), in this same language.
        return text.format(**self.params) if self.params else text

    def __str__(self) -> str:
        return self.message()


class PermissionDenied(UserError):
    """The user's role does not allow this action (enforced here, not only by hidden buttons)."""


class ValidationError(UserError):
    """Input was rejected; ``field`` names the form field or document path that is wrong."""

    def __init__(self, field: str, msgid: str, **params: Any) -> None:
        super().__init__(msgid, **params)
        self.field = field

    def message(self) -> str:
        return f"{self.field}: {super().message()}" if self.field else super().message()


_OS_REASONS = {
    errno.ENOENT: N_("no such file or folder"),
    errno.EACCES: N_("no permission, or another program is using it"),
    errno.EPERM: N_("no permission, or another program is using it"),
    errno.ENOSPC: N_("the disk is full"),
    errno.EROFS: N_("the disk is read-only"),
    errno.ENOTDIR: N_("a part of the path is a file, not a folder"),
    errno.EISDIR: N_("it is a folder, not a file"),
    errno.EEXIST: N_("a file or folder with that name already exists"),
    errno.ELOOP: N_("it is a link that leads back to itself, or through too many links"),
    errno.EXDEV: N_("it cannot be moved to another drive"),
}


def os_reason(exc: OSError) -> UserError:
    """Why the operating system refused, in the user's language.

    The system's own text (``strerror``) is English on most PCs, whatever language the user
    reads. The reason is a UserError so that, given as a parameter of another message
    (``UserError(N_("Cannot write {path}: {error}"), error=os_reason(exc))``), it is
    translated when that message is shown, like the message itself. Rarer errors give their
    number, which IT staff can look up."""
    msgid = _OS_REASONS.get(exc.errno or 0)
    if msgid is not None:
        return UserError(msgid)
    code = getattr(exc, "winerror", None) or exc.errno
    return UserError(N_("system error {code}"), code=code if code is not None else "?")
