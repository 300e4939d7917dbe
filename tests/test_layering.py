"""The layering by stage (docs/architecture.md): which handistat packages a package may not import.

Every import statement of src/handistat is read with `ast` - at module level, inside functions
and under `TYPE_CHECKING` alike, `from handistat import x` and relative imports included - so a
lazy import does not hide a circle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "handistat"

DOMAIN = ("disclosure", "tables", "register", "intake", "reference", "synth")
"""Stages that compute: they know nothing of HTTP, pages, releases or approvals."""

FORBIDDEN: dict[str, frozenset[str]] = {
    # domain types and services; the HTTP side is api.auth, api.security, api.session
    "accounts": frozenset({"api", "web", "approval", "release", "dissemination"}),
    **{
        package: frozenset({"api", "web", "release", "approval", "dissemination", "ops"})
        for package in DOMAIN
    },
}


def _module_parts(path: Path) -> list[str]:
    parts = ["handistat", *path.relative_to(SRC).with_suffix("").parts]
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imported(path: Path, tree: ast.AST) -> Iterator[tuple[str, int]]:
    """(dotted module, line) of every import in one file, relative ones made absolute."""
    here = _module_parts(path)
    package = here if path.name == "__init__.py" else here[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            yield module, node.lineno
            for alias in node.names:  # `from handistat import api` imports a package
                yield f"{module}.{alias.name}", node.lineno


def imports_of(package: str) -> Iterator[tuple[str, str, int]]:
    """(other handistat package, file, line) for every import in `package`."""
    for path in sorted((SRC / package).rglob("*.py")):
        for module, line in _imported(path, ast.parse(path.read_text("utf-8"), str(path))):
            parts = module.split(".")
            if parts[0] == "handistat" and len(parts) > 1 and parts[1] != package:
                yield parts[1], str(path.relative_to(SRC.parent)), line


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_does_not_import_later_stages(package: str) -> None:
    assert (SRC / package).is_dir(), f"{package} is not a package of src/handistat"
    found = sorted(
        {
            f"{path}:{line} imports handistat.{other}"
            for other, path, line in imports_of(package)
            if other in FORBIDDEN[package]
        }
    )
    assert not found, f"{package} may not import {sorted(FORBIDDEN[package])}:\n" + "\n".join(found)


def test_the_reader_sees_every_kind_of_import() -> None:
    """The parser itself: lazy, relative and `from handistat import x` imports are all seen."""
    path = SRC / "accounts" / "example.py"
    source = (
        "import handistat.web.templating\n"
        "from handistat import api\n"
        "from ..release import service\n"
        "def f():\n"
        "    from handistat.approval.routes import router\n"
    )
    found = {m.split(".")[1] for m, _ in _imported(path, ast.parse(source)) if "." in m}
    assert {"web", "api", "release", "approval"} <= found


HTTP_DOORS = {"approval": frozenset({"handistat/approval/routes.py"})}
"""A stage with routes of its own reaches `api` only from them: its domain modules take
`Principal` and `Role` from `accounts` (the house rule: domain types live there)."""


@pytest.mark.parametrize("package", sorted(HTTP_DOORS))
def test_only_the_routes_of_a_stage_import_api(package: str) -> None:
    found = sorted(
        f"{path}:{line}"
        for other, path, line in imports_of(package)
        if other == "api" and path not in HTTP_DOORS[package]
    )
    assert not found, f"only {sorted(HTTP_DOORS[package])} of {package} may import api: {found}"
