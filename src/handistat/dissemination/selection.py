"""The Statbank API's value selection syntax (statbank_api.md §5.2), for one variable.

Each entry of a variable's list selects on its own and the result is the union, in the
variable's own order: plain codes (any letter case), ``*`` wildcards (``*``, ``2020*``,
``*K1``, ``202*K1``), positions (``>=A<=B``, ``>A``, ``<B``), nth rules counted from the newest
value (``(1)``, ``(-n+3)``; a ``-`` or ``first`` prefix counts from the oldest) and sums
(``sum(a;b)``, ``sum(text=a;b)``, ``sum(code|text=a;b)``, ``sum(code|[da t][en t]=a;b)``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from handistat.dissemination.errors import not_allowed, value_not_found
from handistat.tables.cube import CubeDimension

_NTH = re.compile(r"^(-|\+|first|last)?\((.+)\)$", re.IGNORECASE)
_AN_B = re.compile(r"^([+-]?[0-9]{0,9})n(?:([+-])([0-9]{1,9}))?$")
_PLACE = re.compile(r"^[+-]?[0-9]{1,9}$")
ITEM_LIMIT = 4000
"""Longest value entry taken (a ``sum(...)`` of every municipality is about 500)."""
WILDCARD_LIMIT = 100
"""Longest ``*`` pattern taken; every code is far shorter."""
_RANGE = re.compile(r"^(?:(>=|>)([^<>]+))?(?:(<=|<)([^<>]+))?$")
_CALC = re.compile(r"^(sum|subtract|multiply|divide)\((.*)\)$", re.IGNORECASE | re.DOTALL)
_LANG_TEXT = re.compile(r"\[(da|en)\s+([^\]]*)\]", re.IGNORECASE)


@dataclass(frozen=True)
class Sum:
    """A calculated value: the sum of `members` (codes of the variable)."""

    code: str
    text: str
    text_en: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class Selection:
    codes: tuple[str, ...]
    """Chosen codes, in the variable's order."""
    sums: tuple[Sum, ...] = ()


class _Resolver:
    def __init__(self, dim: CubeDimension, total: str | None) -> None:
        self.dim = dim
        self.codes = dim.code_ids()
        self.by_fold = {c.casefold(): i for i, c in enumerate(self.codes)}
        self.total = total

    def index(self, code: str) -> int:
        found = self.by_fold.get(code.strip().casefold())
        if found is None:
            raise value_not_found(code.strip(), self.dim.id)
        return found

    def glob(self, pattern: str) -> set[int]:
        return {i for i, c in enumerate(self.codes) if wildcard_match(pattern, c)}

    def positions(self, item: str) -> set[int]:
        m = _RANGE.match(item)
        if m is None or not (m.group(1) or m.group(3)):
            raise value_not_found(item, self.dim.id)
        low, high = 0, len(self.codes) - 1
        if m.group(1):
            low = self.index(m.group(2)) + (1 if m.group(1) == ">" else 0)
        if m.group(3):
            high = self.index(m.group(4)) - (1 if m.group(3) == "<" else 0)
        return set(range(low, high + 1))

    def nth(self, prefix: str, rule: str) -> set[int]:
        n_values = len(self.codes)
        places = nth_places(rule, n_values, self.dim.id)
        from_oldest = prefix.casefold() in {"-", "first"}
        return {p - 1 if from_oldest else n_values - p for p in places}

    def calculation(self, kind: str, body: str) -> Sum:
        if kind.casefold() != "sum":
            raise not_allowed(
                f"Beregningen {kind} understøttes ikke; brug sum(...)",
                f"The calculation {kind} is not supported; use sum(...)",
            )
        return self.summation(body)

    def summation(self, body: str) -> Sum:
        head, _, members_text = body.rpartition("=")
        code, _, label = head.partition("|") if "|" in head else ("", "", head)
        members = tuple(self.codes[self.index(m)] for m in re.split(r"[;,]", members_text) if m)
        if not members:
            raise value_not_found(f"sum({body})", self.dim.id)
        if self.total is not None and self.total in members:
            raise not_allowed(
                f"Elimineringsværdien {self.total} kan ikke indgå i en sum ({self.dim.id})",
                f"The elimination value {self.total} cannot be part of a sum ({self.dim.id})",
            )
        texts = {m.group(1).casefold(): m.group(2).strip() for m in _LANG_TEXT.finditer(label)}
        plain = _LANG_TEXT.sub("", label).strip()
        da = texts.get("da") or plain or " + ".join(self._text(m) for m in members)
        en = texts.get("en") or texts.get("da") or plain or " + ".join(members)
        return Sum(code.strip() or plain or f"sum({';'.join(members)})", da, en, members)

    def _text(self, code: str) -> str:
        return self.dim.codes[self.codes.index(code)].text


def wildcard_match(pattern: str, text: str) -> bool:
    """Whether `text` matches `pattern` in full, ``*`` standing for any run of characters,
    letter case ignored.

    Linear in the lengths, never backtracking: the pieces between the stars are found in
    order, each at its leftmost place (a regex of ``.*`` pieces took seconds on 120 stars).
    """
    pieces = pattern.casefold().split("*")
    subject = text.casefold()
    first, last = pieces[0], pieces[-1]
    if len(pieces) == 1:
        return subject == first
    if len(first) + len(last) > len(subject):
        return False
    if not (subject.startswith(first) and subject.endswith(last)):
        return False
    place, end = len(first), len(subject) - len(last)
    for piece in pieces[1:-1]:
        found = subject.find(piece, place, end)
        if found < 0:
            return False
        place = found + len(piece)
    return True


def nth_places(rule: str, count: int, variable: str) -> list[int]:
    """1-based places ``an+b`` (n = 0, 1, ...) within 1..count; ``odd``, ``even`` too."""
    # A `+` sent unencoded in a GET query arrives as a space: ``(-n 3)`` means ``(-n+3)``.
    text = re.sub(r"n\s+(\d)", r"n+\1", rule.strip().casefold())
    text = {"odd": "2n+1", "even": "2n"}.get(text, text).replace(" ", "")
    if _PLACE.match(text):
        a, b = 0, int(text)
    else:
        m = _AN_B.match(text)
        if m is None:
            raise value_not_found(f"({rule})", variable)
        step = m.group(1)
        a = -1 if step == "-" else 1 if step in {"", "+"} else int(step)
        b = 0 if m.group(2) is None else int(m.group(3)) * (-1 if m.group(2) == "-" else 1)
    steps = range(count + 1) if a else range(1)
    return sorted({a * n + b for n in steps if 1 <= a * n + b <= count})


def _check_length(item: str, variable: str) -> None:
    limit = WILDCARD_LIMIT if "*" in item and not _CALC.match(item) else ITEM_LIMIT
    if len(item) > limit:
        raise not_allowed(
            f"Værdien er for lang ({len(item)} tegn, højst {limit}) for variabel: {variable}",
            f"The value is too long ({len(item)} characters, at most {limit}) for: {variable}",
        )


def resolve(dim: CubeDimension, items: Iterable[str], total: str | None = None) -> Selection:
    """The codes and sums that `items` select from `dim`."""
    resolver = _Resolver(dim, total)
    chosen: set[int] = set()
    sums: list[Sum] = []
    for raw in items:
        item = raw.strip()
        if not item:
            continue
        _check_length(item, dim.id)
        if calc := _CALC.match(item):
            sums.append(resolver.calculation(calc.group(1), calc.group(2)))
        elif nth := _NTH.match(item):
            chosen |= resolver.nth(nth.group(1) or "", nth.group(2))
        elif item[0] in "<>":
            chosen |= resolver.positions(item)
        elif "*" in item:
            chosen |= resolver.glob(item)
        else:
            chosen.add(resolver.index(item))
    return Selection(tuple(resolver.codes[i] for i in sorted(chosen)), tuple(sums))


def split_values(text: str) -> list[str]:
    """A GET value list: split on commas that are not inside parentheses."""
    items: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char == "," and depth == 0:
            items.append("".join(current))
            current = []
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        current.append(char)
    items.append("".join(current))
    return [i for i in (s.strip() for s in items) if i]


def flatten(values: Sequence[object]) -> list[str]:
    """A POSTed ``values`` list (strings, numbers) as strings."""
    return [str(v) for v in values if v is not None]
