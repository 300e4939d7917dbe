"""The row-level intake report (R-IN-3): row, column, code, message; capped per code, totals kept.

A CPR number is never echoed in full: only `DDMMYY-****` (`handistat.masking`), in the report
returned and in the copy stored with the delivery (a mapper event below masks that copy).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event

from handistat import masking
from handistat.stores.catalogue import Delivery


def mask_cpr(value: str) -> str:
    """`3201901234` (made up, day 32) → `320190-****` (`masking.mask_cpr`, every way of writing it);
    anything else is shortened but otherwise kept."""
    masked = masking.mask_cpr(value)
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


def _mask_stored_report(_mapper: Any, _connection: Any, target: Delivery) -> None:
    """Whoever builds a delivery's report, the stored copy holds no CPR number (R-CPR-5)."""
    target.report = masking.mask_deep(target.report or {})


event.listen(Delivery, "before_insert", _mask_stored_report)
event.listen(Delivery, "before_update", _mask_stored_report)
