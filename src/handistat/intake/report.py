"""The row-level intake report (R-IN-3): row, column, code, message; capped per code, totals kept.

A CPR number is never echoed in full: only `DDMMYY-****`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

_CPR_LIKE = re.compile(r"(?<!\d)(\d{6})-?\d{4}(?!\d)")


def mask_cpr(value: str) -> str:
    """`0101901234` (made up) → `010190-****`; anything else is shortened but otherwise kept."""
    masked = _CPR_LIKE.sub(lambda m: f"{m.group(1)}-****", value)
    return masked if len(masked) <= 60 else masked[:57] + "..."


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    code: str
    message: str
    value: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "message": self.message,
            "value": self.value,
        }


@dataclass
class ErrorCollector:
    """Keeps the first `cap` errors of each code and counts them all."""

    cap: int = 1000
    kept: list[RowError] = field(default_factory=list)
    totals: Counter[str] = field(default_factory=Counter)
    rejected_rows: set[int] = field(default_factory=set)

    def add(self, error: RowError) -> None:
        self.totals[error.code] += 1
        self.rejected_rows.add(error.row)
        if self.totals[error.code] <= self.cap:
            self.kept.append(error)

    @property
    def truncated(self) -> bool:
        return any(n > self.cap for n in self.totals.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "error_totals": dict(sorted(self.totals.items())),
            "errors": [e.as_dict() for e in sorted(self.kept, key=lambda e: (e.row, e.column))],
            "errors_truncated": self.truncated,
            "error_cap_per_code": self.cap,
        }
