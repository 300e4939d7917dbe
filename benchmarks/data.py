"""Benchmark data: the `small` synthetic world scaled up to N GENBRUG rows (R-PERF-1, R-PERF-5).

The generator has two fixed scales (`small`: 27 k GENBRUG rows, seconds; `national`: a
pure-Python run of the whole country, far too slow to draw a 1-16 M row curve from). This
module copies the `small` world K times instead, keeping every file format and every quirk:

* **Persons are cloned, not reused.** Copy ``c`` of a person keeps sex, birth date, death
  date and residence history and gets a new CPR with the same birth date (same ``DDMMYY``,
  another century-compatible 7th digit and serial), so each copy is a faithful replica of the
  small world: ~0.75 persons per GENBRUG row, which at 8 M rows is ~6 M persons, about the
  national population. CPRs that are not in the population (typos, nine digits,
  institutions' fictitious numbers) stay as they are, so they stay invalid or fictitious.
* **Municipalities are spread over the country.** The ordinary depots of the small world
  (101, 147, 157, 461, 563, 851, 860) move to a different set of municipalities in each copy
  (residence spells and paying municipality move with them), so a large world has a full load
  for (nearly) every one of the 98 municipalities. The special cases stay put: the depot
  collaboration 661 (665, 671), the system switch of 751 (both loads, and
  ``systemskifter.csv``), silent Læsø (825). Their files grow with every copy.
* **Loans** of copy ``c`` get ``udlaan_id`` + ``-c`` (copy 0 is the small world itself), so
  ids stay unique within a full load. The last copy is partial: a fixed pseudo-random subset
  of rows, so the world has exactly N rows.

`scaled_world(rows, root)` writes ``root/genbrug-<rows>/`` (cached: a manifest records what
was written) with the generator's layout::

    population/personer.csv, population/bopael.csv, hmi_katalog.csv, systemskifter.csv,
    deliveries/genbrug/<kommune>_<kildesystem>_<udtraeksdato>.csv

`handbu_file(rows, root)` writes one HANDBU delivery of N rows (R-PERF-3) built from the small
world's HANDBU rows with new ids.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from handistat.reference import kommuner
from handistat.synth import generate

FORMAT_VERSION = 3
"""Bumped whenever the output of this module changes (invalidates cached worlds)."""

BASE_SCALE = "small"
MOVABLE = ("101", "147", "157", "461", "563", "851", "860")
"""The small world's ordinary depots: moved to other municipalities in each copy."""
FIXED = frozenset({"411", "661", "665", "671", "751", "825"})
"""Christiansø (no persons), the collaboration, the switch, the silent municipality."""
_SERIALS = 1000


@dataclass(frozen=True)
class World:
    path: Path
    rows: int
    copies: int
    files: int
    kommuner: int
    persons: int
    residence_spells: int
    bytes: int
    seed: int
    version: int = FORMAT_VERSION

    @property
    def genbrug_files(self) -> list[Path]:
        return sorted((self.path / "deliveries" / "genbrug").glob("*.csv"))


def parse_rows(text: str) -> int:
    """``250000``, ``250k``, ``0.25M`` or ``1e6`` → an int."""
    value = text.strip().lower().replace("_", "")
    factor = 1
    if value.endswith("k"):
        value, factor = value[:-1], 1_000
    elif value.endswith("m"):
        value, factor = value[:-1], 1_000_000
    return round(float(value) * factor)


def label(rows: int) -> str:
    """A short name for a row count: ``250k``, ``1M``, ``1.5M``."""
    if rows % 1_000_000 == 0:
        return f"{rows // 1_000_000}M"
    if rows >= 1_000_000:
        return f"{rows / 1_000_000:g}M"
    if rows % 1_000 == 0:
        return f"{rows // 1_000}k"
    return str(rows)


# -- the base world ---------------------------------------------------------------------------


def base_world(root: Path, seed: int) -> Path:
    """The generator's `small` world (generated once, then reused)."""
    path = root / f"base-{BASE_SCALE}-{seed}"
    done = path / ".complete"
    if not done.exists():
        shutil.rmtree(path, ignore_errors=True)
        generate(BASE_SCALE, seed, path)
        done.write_text("ok\n", encoding="utf-8")
    return path


def _read(path: Path) -> pa.Table:
    """A `;` CSV with every column as text, empty cells as empty strings."""
    with path.open("rb") as handle:
        names = handle.readline().decode("utf-8").rstrip("\r\n").split(";")
    return pacsv.read_csv(
        path,
        parse_options=pacsv.ParseOptions(delimiter=";"),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )


class _Writer:
    """Appends Arrow tables to a `;` CSV in the generator's format (no quotes, ``\\n``)."""

    def __init__(self, path: Path, names: list[str]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = path.open("wb")
        self.handle.write((";".join(names) + "\n").encode("utf-8"))
        self.names = names
        self.rows = 0
        self.writer: pacsv.CSVWriter | None = None

    def write(self, table: pa.Table) -> None:
        table = table.select(self.names)
        if self.writer is None:
            options = pacsv.WriteOptions(include_header=False, delimiter=";", quoting_style="none")
            self.writer = pacsv.CSVWriter(self.handle, table.schema, write_options=options)
        self.writer.write_table(table)
        self.rows += table.num_rows

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.handle.close()


# -- CPR clones -------------------------------------------------------------------------------


def _birth_year(cpr: str) -> int | None:
    """R-CPR-2's century rule; None unless ``cpr`` is ten digits with a real date."""
    if len(cpr) != 10 or not cpr.isdigit():
        return None
    yy = int(cpr[4:6])
    year = _century(int(cpr[6]), yy) + yy
    try:
        dt.date(year, int(cpr[2:4]), int(cpr[0:2]))
    except ValueError:
        return None
    return year


def _century(d7: int, yy: int) -> int:
    if d7 <= 3:
        return 1900
    if d7 in (4, 9):
        return 2000 if yy <= 36 else 1900
    return 2000 if yy <= 57 else 1800


def _normalise(cpr: str) -> str:
    value = cpr.strip()
    return value[:6] + value[7:] if len(value) == 11 and value[6] == "-" else value


class CprCloner:
    """New CPRs for copies of the population: same birth date, unused serials.

    Within a birth date (``DDMMYY`` and century) the candidates are the century-compatible
    7th digits × 1000 serials (4,000-6,000). Every CPR already in use (persons, and valid
    numbers in the loans) is skipped; clone ``c`` of the person ranked ``r`` within its birth
    date takes the ``r·(K-1) + c-1``-th free candidate, so clones never collide.
    """

    def __init__(self, persons: list[str], taken: set[str], copies: int) -> None:
        self.copies = copies
        groups: dict[tuple[str, int], list[str]] = defaultdict(list)
        for cpr in persons:
            year = _birth_year(cpr)
            if year is None:
                raise ValueError("the base population has a CPR without a valid birth date")
            groups[(cpr[:6], year)].append(cpr)
        keys = sorted(groups)
        index = {key: g for g, key in enumerate(keys)}
        digits = [tuple(d for d in range(10) if _century(d, year % 100) == year // 100 * 100)
                  for _, year in keys]  # fmt: skip
        used: list[list[int]] = [[] for _ in keys]
        for cpr in taken:
            year = _birth_year(cpr)
            g = index.get((cpr[:6], year)) if year is not None else None
            if g is not None and int(cpr[6]) in digits[g]:
                used[g].append(digits[g].index(int(cpr[6])) * _SERIALS + int(cpr[7:]))
        width = max((len(u) for u in used), default=0)
        self.used = np.full((len(keys), max(width, 1)), np.iinfo(np.int64).max, np.int64)
        for g, positions in enumerate(used):
            self.used[g, : len(positions)] = sorted(set(positions))
        self.digits = np.full((len(keys), 6), -1, np.int64)
        for g, ds in enumerate(digits):
            self.digits[g, : len(ds)] = ds
        need = max(len(groups[k]) for k in keys) * (copies - 1) + width
        room = min(len(d) for d in digits) * _SERIALS
        if copies > 1 and need > room:
            raise ValueError(f"{copies} copies need {need} CPRs per birth date, only {room} exist")
        self.group = np.empty(len(persons), np.int64)
        self.rank = np.empty(len(persons), np.int64)
        self.ddmmyy = np.empty(len(persons), np.int64)
        position = {cpr: i for i, cpr in enumerate(persons)}
        for key in keys:
            for r, cpr in enumerate(sorted(groups[key])):
                i = position[cpr]
                self.group[i], self.rank[i], self.ddmmyy[i] = index[key], r, int(cpr[:6])

    def clone(self, copy: int) -> pa.Array:
        """The CPR of every person's clone in copy ``copy`` ≥ 1, in population order."""
        p = self.rank * (self.copies - 1) + (copy - 1)
        for k in range(self.used.shape[1]):  # the p-th free candidate: skip used ones in order
            p += self.used[self.group, k] <= p
        d7 = self.digits[self.group, p // _SERIALS]
        number = self.ddmmyy * 10_000 + d7 * _SERIALS + p % _SERIALS
        return pc.utf8_lpad(pc.cast(pa.array(number), pa.string()), 10, "0")


# -- municipalities ---------------------------------------------------------------------------


def _targets() -> list[str]:
    """Where movable depots go: the movable ones first (copy 0 is the small world)."""
    others = [k.kode for k in kommuner() if k.kode not in FIXED and k.kode not in MOVABLE]
    return [*MOVABLE, *others]


def kommune_map(copy: int) -> dict[str, str]:
    """Copy ``copy``'s municipality for each movable one (injective within a copy)."""
    targets = _targets()
    n = len(MOVABLE)
    return {m: targets[(copy * n + i) % len(targets)] for i, m in enumerate(MOVABLE)}


def _remap(column: pa.ChunkedArray | pa.Array, mapping: dict[str, str]) -> pa.Array:
    values = column.to_numpy(zero_copy_only=False).astype(str)
    uniques, inverse = np.unique(values, return_inverse=True)
    return pa.array([mapping.get(u, u) for u in uniques], pa.string()).take(pa.array(inverse))


# -- loads ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Load:
    kommune: str
    system: str
    day: str
    table: pa.Table
    person: np.ndarray
    """Population index of each row's CPR, -1 when the CPR is not a person's."""
    dash: np.ndarray


def _loads(base: Path, position: dict[str, int]) -> list[_Load]:
    loads = []
    for path in sorted((base / "deliveries" / "genbrug").glob("*.csv")):
        kommune, system, day = path.stem.split("_")
        table = _read(path)
        cprs = table["cpr"].to_pylist()
        person = np.array([position.get(_normalise(c), -1) for c in cprs], np.int64)
        dash = np.array(["-" in c for c in cprs], bool)
        loads.append(_Load(kommune, system, day, table, person, dash))
    return loads


def _replace(table: pa.Table, name: str, values: pa.Array | pa.ChunkedArray) -> pa.Table:
    return table.set_column(table.schema.get_field_index(name), name, values)


def _copy_load(load: _Load, copy: int, clones: pa.Array | None, target: str) -> pa.Table:
    """Copy ``copy`` of a load: cloned CPRs (in the load's own form), suffixed loan ids, the
    copy's municipalities."""
    table = load.table
    if copy == 0 or clones is None:
        return table
    has = load.person >= 0
    picked = clones.take(pa.array(np.where(has, load.person, 0)))
    dashed = pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(picked, 0, 6), pc.utf8_slice_codeunits(picked, 6, 10), "-"
    )
    cpr = pc.if_else(pa.array(has), pc.if_else(pa.array(load.dash), dashed, picked), table["cpr"])
    table = _replace(table, "cpr", cpr.cast(pa.string()))
    table = _replace(
        table, "udlaan_id", pc.binary_join_element_wise(table["udlaan_id"], str(copy), "-")
    )
    table = _replace(
        table, "indberetningskommune", pa.array([target] * table.num_rows, pa.string())
    )
    return _replace(table, "betalingskommune", _remap(table["betalingskommune"], kommune_map(copy)))


def _target(load: _Load, copy: int) -> str:
    return kommune_map(copy).get(load.kommune, load.kommune)


def _key(load: _Load, copy: int, system: dict[str, str]) -> tuple[str, str]:
    """The full load a copy of ``load`` goes to: one per moved depot, as in real life."""
    if load.kommune not in MOVABLE:
        return load.kommune, load.system
    target = _target(load, copy)
    return target, system.setdefault(target, load.system)


def _partial_masks(loads: list[_Load], keep: int, seed: int) -> list[np.ndarray]:
    """A fixed pseudo-random subset of ``keep`` rows over all loads (the last copy)."""
    sizes = [x.table.num_rows for x in loads]
    chosen = np.zeros(sum(sizes), bool)
    chosen[np.random.default_rng(seed).permutation(sum(sizes))[:keep]] = True
    return list(np.split(chosen, np.cumsum(sizes)[:-1]))


def _copies(rows: int, base_rows: int) -> tuple[int, int]:
    """(number of copies, rows taken from the last one)."""
    copies = max(1, -(-rows // base_rows))
    return copies, rows - (copies - 1) * base_rows


# -- the world --------------------------------------------------------------------------------


def _manifest(path: Path) -> dict[str, object] | None:
    try:
        found = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def scaled_world(rows: int, root: Path, seed: int = 1) -> World:
    """A world with exactly ``rows`` GENBRUG rows under ``root`` (reused when present)."""
    path = root / f"genbrug-{label(rows)}-seed{seed}"
    found = _manifest(path)
    if found and found.get("version") == FORMAT_VERSION and found.get("rows") == rows:
        return World(**{**found, "path": path})  # type: ignore[arg-type]
    shutil.rmtree(path, ignore_errors=True)
    world = _build(rows, base_world(root, seed), path, seed)
    manifest = {k: v for k, v in asdict(world).items() if k != "path"}
    (path / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return world


def _build(rows: int, base: Path, out: Path, seed: int) -> World:
    personer = _read(base / "population" / "personer.csv")
    bopael = _read(base / "population" / "bopael.csv")
    persons = personer["cpr"].to_pylist()
    position = {cpr: i for i, cpr in enumerate(persons)}
    loads = _loads(base, position)
    base_rows = sum(x.table.num_rows for x in loads)
    copies, last = _copies(rows, base_rows)
    taken = set(persons) | {
        _normalise(c)
        for x in loads
        for c in x.table["cpr"].to_pylist()
        if _birth_year(_normalise(c))
    }
    cloner = CprCloner(persons, taken, copies)
    spell_person = pa.array([position[c] for c in bopael["cpr"].to_pylist()], pa.int64())
    masks = _partial_masks(loads, last, seed)

    system: dict[str, str] = {}  # a moved depot keeps the system first seen there
    names: dict[tuple[str, str], str] = {}
    for copy in range(copies):
        for x in loads:
            key = _key(x, copy, system)
            names[key] = max(names.get(key, ""), x.day)
    folder = out / "deliveries" / "genbrug"
    columns = loads[0].table.column_names
    writers = {key: _Writer(folder / f"{key[0]}_{key[1]}_{day}.csv", columns)
               for key, day in sorted(names.items())}  # fmt: skip
    people = _Writer(out / "population" / "personer.csv", personer.column_names)
    spells = _Writer(out / "population" / "bopael.csv", bopael.column_names)
    for copy in range(copies):
        clones = cloner.clone(copy) if copy else None
        people.write(personer if clones is None else _replace(personer, "cpr", clones))
        spells.write(_copy_spells(bopael, spell_person, clones, copy))
        for x, mask in zip(loads, masks, strict=True):
            table = _copy_load(x, copy, clones, _target(x, copy))
            if copy == copies - 1 and last < base_rows:
                table = table.filter(pa.array(mask))
            writers[_key(x, copy, system)].write(table)
    for w in (*writers.values(), people, spells):
        w.close()
    for name in ("hmi_katalog.csv", "systemskifter.csv"):
        shutil.copyfile(base / name, out / name)
    written = sum(w.rows for w in writers.values())
    assert written == rows, (written, rows)
    size = sum(p.stat().st_size for p in folder.glob("*.csv"))
    return World(
        out, rows, copies, len(writers), len({k for k, _ in writers}), people.rows, spells.rows,
        size, seed,
    )  # fmt: skip


def _copy_spells(
    bopael: pa.Table, spell_person: pa.Array, clones: pa.Array | None, copy: int
) -> pa.Table:
    if clones is None:
        return bopael
    table = _replace(bopael, "cpr", clones.take(spell_person))
    return _replace(table, "kommune", _remap(table["kommune"], kommune_map(copy)))


# -- HANDBU (R-PERF-3) ------------------------------------------------------------------------


def handbu_file(rows: int, root: Path, seed: int = 1) -> Path:
    """One HANDBU delivery of ``rows`` rows: the small world's rows repeated with new ids."""
    path = root / f"handbu-{label(rows)}-seed{seed}.csv"
    if path.exists():
        return path
    base = base_world(root, seed)
    table = pa.concat_tables(
        _handbu_columns(_read(p)) for p in sorted((base / "deliveries" / "handbu").glob("*.csv"))
    )
    tmp = path.with_suffix(".tmp")
    writer = _Writer(tmp, table.column_names)
    position = pc.cast(pa.array(range(table.num_rows)), pa.string())
    for copy, block in _repeat(table, rows):
        # unique per row: the small world's deliveries repeat ids (later versions of a record)
        suffix = position.slice(0, block.num_rows)
        ids = pc.binary_join_element_wise(block["indsats_id"], f"b{copy}", suffix, "-")
        index = block.schema.get_field_index("indsats_id")
        writer.write(block.set_column(index, "indsats_id", ids))
    writer.close()
    tmp.rename(path)
    return path


HANDBU_COLUMNS = ("kommune", "indsats_id", "cpr", "paragraf", "startdato", "slutdato", "status")


def _handbu_columns(table: pa.Table) -> pa.Table:
    """Deliveries name columns in any case and order (and may leave out `status`)."""
    table = table.rename_columns([n.strip().casefold() for n in table.column_names])
    empty = pa.array([""] * table.num_rows, pa.string())
    return pa.table({n: table[n] if n in table.column_names else empty for n in HANDBU_COLUMNS})


def _repeat(table: pa.Table, rows: int) -> Iterator[tuple[int, pa.Table]]:
    copy = 0
    while rows > 0:
        block = table.slice(0, min(rows, table.num_rows))
        yield copy, block
        rows -= block.num_rows
        copy += 1
