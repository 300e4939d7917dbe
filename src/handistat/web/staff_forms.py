"""What the staff pages' forms share (R-GEN-4): the fields naming the statistic and year an
action is about, the confirmation flag of a two-step action (the first post shows what will
happen, the second, from the confirmation page, does it), and the way back to a page with a
message (post/redirect/get). Used by the approval workflow's pages (`web.staff_approval`) and
the releases' (`release.staff_pages`).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import Form
from fastapi.responses import RedirectResponse

from handistat.web.portal_pages import back_to

StatistikFelt = Annotated[str, Form(pattern="^(handbu|genbrug)$")]
AarFelt = Annotated[int, Form(ge=2000, le=2100)]
Bekraeft = Annotated[str, Form(max_length=3)]
"""`ja` when the post comes from the confirmation page; anything else asks first."""


def confirmed(bekraeft: str) -> bool:
    return bekraeft == "ja"


def with_query(path: str, **params: object) -> str:
    return f"{path}?{urlencode(params)}"


def back_with(path: str, **params: object) -> RedirectResponse:
    """Back to the page at `path` with `params` (usually the message) in its query."""
    return back_to(with_query(path, **params))
