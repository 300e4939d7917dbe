"""What every command-line module shares: the consoles, the one mapping of errors to the exit
codes of SPEC §13 (message on stderr, no traceback), the statistic names, and the lazy
command group that keeps `handistat` quick to start (issue 15.6)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar

import typer
from rich.console import Console
from typer._click import Command, Context, HelpFormatter  # typer 0.29 carries its own click
from typer.core import TyperCommand, TyperGroup
from typer.main import get_group

from handistat.errors import HandistatError

if TYPE_CHECKING:
    from handistat.app import App

out = Console(width=None if sys.stdout.isatty() else 160, highlight=False)
err = Console(stderr=True, highlight=False)


class Statistic(StrEnum):
    handbu = "handbu"
    genbrug = "genbrug"


@contextmanager
def errors() -> Iterator[None]:
    """Map handistat errors to exit codes: 1 rejected input, 2 usage."""
    try:
        yield
    except HandistatError as exc:
        err.print(f"[red]fejl:[/red] {exc.message}")
        raise typer.Exit(exc.exit_code) from None


def ready_app() -> App:
    """The app with its stores created or migrated (idempotent)."""
    from handistat.app import App

    with errors():
        application = App.load()
        application.init()
    return application


@dataclass(frozen=True)
class Lazy:
    """A command or command group of another module, imported only when it is called.
    `target` is "module:attribute" (a Typer app, or a command function when `group` is
    False); `help` is what the group's listing shows without importing it."""

    target: str
    help: str
    group: bool = True

    def load(self, name: str) -> Command:
        """The click command exactly as `add_typer`/`command` would have built it."""
        module, attribute = self.target.split(":")
        obj: Any = getattr(importlib.import_module(module), attribute)
        parent = typer.Typer()
        if self.group:
            parent.add_typer(obj, name=name, help=self.help)
        else:
            parent.command(name)(obj)
        return get_group(parent).commands[name]

    def stub(self, name: str) -> Command:
        """A stand-in that only lists: the same name and help, nothing imported."""
        if self.group:
            return TyperGroup(name=name, help=self.help)
        return TyperCommand(name=name, help=self.help)


class LazyGroup(TyperGroup):
    """The top-level group: its own commands plus `entries`, imported on first use. While it
    formats its help it lists the entries from their stubs, so `handistat --help` imports none
    of the heavy modules (duckdb, pyarrow, sqlalchemy, fastapi, ...)."""

    entries: ClassVar[dict[str, Lazy]] = {}
    order: ClassVar[list[str]] = []
    _listing = False

    def list_commands(self, ctx: Context) -> list[str]:
        names = [*self.commands, *(n for n in self.entries if n not in self.commands)]
        rank = {name: i for i, name in enumerate(self.order)}
        return sorted(names, key=lambda name: rank.get(name, len(rank)))

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        entry = self.entries.get(cmd_name)
        if entry is None or cmd_name in self.commands:
            return super().get_command(ctx, cmd_name)
        if self._listing:
            return entry.stub(cmd_name)
        self.commands[cmd_name] = entry.load(cmd_name)
        return self.commands[cmd_name]

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False
