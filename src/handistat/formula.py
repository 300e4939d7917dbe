"""Formula injection (CSV/XLSX injection, issue 13 item 13; R-REL-3): delivered text that a
spreadsheet would run as a formula is written with a leading apostrophe.

A value is neutralised when it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return, unless it is a plain number (``-5``, ``+1.5``): numbers stay numbers. Apply it to
every cell of a CSV or XLSX that holds text a municipality sent (reports, record downloads);
the Statbank formats hold only our own codes, texts and numbers and are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?[0-9]+(?:[.,][0-9]+)?$")


def neutralise(value: object) -> object:
    """`value` as it can safely go into a spreadsheet cell.

    >>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("-5"), neutralise(7)
    ('\\'=HYPERLINK("http://x")', '-5', 7)
    """
    if isinstance(value, str) and value.startswith(TRIGGERS) and not _NUMBER.match(value):
        return "'" + value
    return value


def safe_row(values: Iterable[object]) -> list[object]:
    return [neutralise(v) for v in values]
