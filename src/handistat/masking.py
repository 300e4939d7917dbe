"""The one masking of CPR numbers (R-CPR-5, R-IN-3, issue 13 item 10): every message, report,
stored report and log line goes through `mask_cpr`.

A CPR-shaped value is ten ASCII digits as a date `DDMMYY` and a serial `SSSS`, written however
people write them (made-up examples, on day 32 so that they can be no one's): `3210166478`,
`321016-6478`, `321016 6478`, `32.10.16-6478`, `32-10-16 6478`, with an en or em dash, a
non-breaking space, or URL-encoded (`%20`, `+`, `%E2%80%93`). It becomes `DDMMYY-****`. The
date is not checked: an invalid CPR is masked too.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import unquote_plus

_DATE_SEP = r"(?:[ .\-/\u00a0]|%20|\+)?"
_SERIAL_SEP = r"(?:[\s\-\u2010-\u2015\u2212]|%20|\+|%E2%80%9[0-5])*"
CPR_SHAPED = re.compile(
    rf"(?<![0-9])([0-9]{{2}}){_DATE_SEP}([0-9]{{2}}){_DATE_SEP}([0-9]{{2}})"
    rf"{_SERIAL_SEP}[0-9]{{4}}(?![0-9])",
    re.IGNORECASE,
)


def mask_cpr(text: str) -> str:
    """Every CPR-shaped value in `text` as `DDMMYY-****`; the rest unchanged.

    >>> mask_cpr("cpr 32.10.16\u20136478 og 3201901234")
    'cpr 321016-**** og 320190-****'
    """
    return CPR_SHAPED.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)}-****", text)


def mask_deep(value: Any) -> Any:
    """A JSON-like value (a report) with every string and key masked."""
    if isinstance(value, str):
        return mask_cpr(value)
    if isinstance(value, dict):
        return {mask_cpr(str(k)): mask_deep(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [mask_deep(v) for v in value]
    return value


def _mask_arg(value: object) -> object:
    if not isinstance(value, str):
        return value
    masked = mask_cpr(value)
    if masked != value:
        return masked
    decoded = unquote_plus(value)  # a query string in an access log line
    masked = mask_cpr(decoded)
    return masked if masked != decoded else value


class CprMaskingFilter(logging.Filter):
    """Masks the message and its string arguments, keeping the arguments' shape (uvicorn's
    access formatter reads them by position)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask_cpr(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_mask_arg(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _mask_arg(v) for k, v in record.args.items()}
        return True


_FILTER = CprMaskingFilter()


def install_log_masking() -> None:
    """Mask every log record of the process as it is made (so it holds for every logger and
    handler, uvicorn's access log included). Idempotent."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "masks_cpr", False):
        return

    def masked_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        _FILTER.filter(record)
        return record

    masked_record.masks_cpr = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(masked_record)
