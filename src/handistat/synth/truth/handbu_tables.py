"""HANDBU01-04 as in reference/dst_tables.md, and our own HANDBU05-06, as declarations."""

from __future__ import annotations

from handistat.synth import refdata
from handistat.synth.truth.common import Dimension, TableSpec

TYPES = tuple(str(t) for t in range(1, 9))


def _kommunedk() -> Dimension:
    return Dimension("KOMMUNEDK", ("000", *(k.kode for k in refdata.kommuner())), ("000",))


def _indsatser(*codes: str) -> Dimension:
    return Dimension("INDSATSER", codes, ("100", "110"))


_LANDSDEL = Dimension("LANDSDEL", ("000", *refdata.landsdele()), ("000",))
_KOEN = Dimension("KØN", ("0", "D", "P", "9"), ("0",))
_ALDER = Dimension("ALDER", ("IALT", "0005", "0611", "1217", "999"), ("IALT",))
_FORLOEB = Dimension("FORLOEB", ("TOT", "NY", "FORTS"), ("TOT",))
_MODTAGER = Dimension("MODTAGER", ("TOT", "NY", "FORTS"), ("TOT",))


def _children_when_110(cell: dict[str, str]) -> bool:
    """INDSATSER 110 counts distinct children; every other code counts episodes."""
    return cell["INDSATSER"] == "110"


def handbu_tables() -> tuple[TableSpec, ...]:
    return (
        TableSpec("HANDBU01", (_kommunedk(), _indsatser("100", "110"), _KOEN), _children_when_110),
        TableSpec("HANDBU02", (_kommunedk(), _indsatser("100", "110"), _ALDER), _children_when_110),
        TableSpec("HANDBU03", (_LANDSDEL, _indsatser("100", "110", *TYPES)), _children_when_110),
        TableSpec(
            "HANDBU04", (_indsatser("100", "110", *TYPES), _ALDER, _KOEN), _children_when_110
        ),
        TableSpec("HANDBU05", (_kommunedk(), _indsatser("100", *TYPES), _FORLOEB), lambda k: False),
        TableSpec("HANDBU06", (_kommunedk(), _MODTAGER), lambda k: True),
    )
