"""Errors a user can act on.

They carry an untranslated message id and its parameters, not a finished sentence, so the
same error reads correctly in whichever language the window or the terminal is using when it
is shown (the language can change between raising and showing)."""

from __future__ import annotations

from typing import Any

from i18n import _


class Msgid(str):
    """A parameter of a UserError that is itself a message id (marked with N_): translated
    when the message is shown, like the message, so both read in the same language."""


class UserError(Exception):
    """Something the user asked for cannot be done; ``message()`` says why in their language."""

    def __init__(self, msgid: str, **params: Any) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params

    def message(self) -> str:
        text = _(self.msgid)
        if not self.params:
            return text
        return text.format(**{key: _(value) if isinstance(value, Msgid) else value
                              for key, value in self.params.items()})

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
