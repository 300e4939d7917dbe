"""approval stage: municipal validation lists, approval reports, reminders and the release
decision per municipality (R-VAL-1..5). May import `accounts`, `intake`, `register`,
`engines`, `tables`, `release`, `stores`, `reference`, `api` (from `routes` only, its HTTP
door; the other modules take `Principal` from `accounts`: tests/test_layering.py),
`web.danish` (Danish dates and numbers), `app`, `audit`, `clock`, `errors`.
Imported by `release` (lazily), `api`, `web` and the CLI."""

from __future__ import annotations

from typing import Any


def release_decisions(application: Any, statistic: str, year: int) -> list[dict[str, Any]]:
    """Each municipality's status at release (read by `handistat.release.decisions`)."""
    from handistat.approval.release import release_decisions as decisions

    return decisions(application, statistic, year)
