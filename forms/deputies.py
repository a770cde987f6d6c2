"""How a form prints what a deputy signed or decided in the post holder's stead, as 公文程式條例
(第4條) has it for a head who cannot act: "除署首長姓名註明不能視事事由外，應由代行人附署職銜、
姓名於後，並加註代行二字". So the holder's post and name come first, marked 不能視事, then the
deputy's title and name with 代行:

    總指揮 張○○ 不能視事
    執行秘書 王○○ 代行

Why 代行 and never 代理: 代理 is for a vacant post (首長出缺), where the acting head signs in
their own name as 代理總指揮 王○○. The app's deputies (職務代理人, procedure 001) step in while
the holder is away or out of reach, which is 代行; a vacant post is filled in the roster, and
whoever fills it signs in their own name. Why "不能視事" rather than the reason (公出, 請假): the
app records who acted for whom, not why; the statute's own words say what is known and nothing
more.
"""

from __future__ import annotations

from i18n import _

__all__ = ["acting_text", "signer_text"]


def acting_text(post: str, holder: str, deputy: str, deputy_title: str = "") -> str:
    """The two lines of a signature or decision by `deputy` (titled `deputy_title`, when it is
    known and is not `post` itself) for `holder`, who holds `post`. A deputy not yet known (a
    box to sign by hand) leaves their name blank before 代行."""
    head = _("{post} {holder} (unable to act)").format(post=post, holder=holder).strip()
    title = "" if deputy_title == post else deputy_title
    who = " ".join(part for part in (title, deputy) if part)
    acting = _("{name} (acting)").format(name=who) if who else _("(acting)")
    return f"{head}\n{acting}"


def signer_text(post: str, name: str, holder: str = "", title: str = "") -> str:
    """Who signed, or was told, as `post`: `name` alone, or, when they acted for `holder`,
    both as `acting_text` prints them."""
    return acting_text(post, holder, name, title) if holder else name
