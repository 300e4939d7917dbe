"""Shared by `handistat user` and `handistat token` (the mechanism is in cli_support)."""

from handistat.cli_support import err, errors, out, ready_app

CLI_ACTOR = "cli"

__all__ = ["CLI_ACTOR", "err", "errors", "out", "ready_app"]
