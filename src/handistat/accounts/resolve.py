"""The accounts service over an `App`, and the name of the session cookie it hands out.

What a request resolves to (token or cookie, CSRF) is the HTTP layer's work:
`handistat.api.auth`, which imports this module, never the other way round.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from handistat.accounts.service import Accounts

if TYPE_CHECKING:
    from handistat.app import App

SESSION_COOKIE = "handistat_session"


def accounts(application: App) -> Accounts:
    return Accounts(application.catalogue, application.clock)
