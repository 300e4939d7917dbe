"""JSON-stat: Statbank's 1.0 bundle (JSONSTAT) and a 2.0 dataset (JSONSTAT2), read by pyjstat."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from formats_cubes import KOMMUNE, cubes, handbu04_like, two_by_two
from hypothesis import given, settings
from hypothesis import strategies as st
from pyjstat import pyjstat

from handistat.tables.cube import Cube, CubeDimension
from handistat.tables.formats import JSONSTAT, JSONSTAT2, render

# pyjstat's dataframe writer calls its own deprecated reader.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:pyjstat")


def check_jsonstat2(document: dict[str, Any]) -> None:
    """The JSON-stat 2.0 dataset rules the format relies on, checked by hand."""
    assert document["version"] == "2.0"
    assert document["class"] == "dataset"
    ids, size, dims = document["id"], document["size"], document["dimension"]
    assert ids == list(dims), "id order = dimension keys"
    assert len(size) == len(ids) and len(set(ids)) == len(ids)
    for dim_id, n in zip(ids, size, strict=True):
        category = dims[dim_id]["category"]
        assert sorted(category["index"].values()) == list(range(n))
        assert set(category["label"]) <= set(category["index"])
    assert len(document["value"]) == math.prod(size)
    for role_ids in document.get("role", {}).values():
        assert set(role_ids) <= set(ids)
    for index, symbol in document.get("status", {}).items():
        assert document["value"][int(index)] is None and symbol == ".."
    assert all(isinstance(note, str) for note in document.get("note", []))


def pyjstat_cells(data: bytes) -> list[tuple[tuple[str, ...], int | None]]:
    """The cells as pyjstat reads them, without the one-category ContentsCode."""
    frame = pyjstat.Dataset.read(data.decode("utf-8")).write("dataframe", naming="id")
    dims = [c for c in frame.columns if c not in ("value", "ContentsCode")]
    return [
        (tuple(str(row[d]) for d in dims), None if _missing(row["value"]) else int(row["value"]))
        for _, row in frame.iterrows()
    ]


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def test_bundle_has_statbanks_shape() -> None:
    document = json.loads(render(two_by_two(), "jsonstat", lang="en"))
    assert list(document) == ["dataset"]
    dataset = document["dataset"]
    dimension = dataset["dimension"]
    assert dimension["id"] == ["KOMMUNEDK", "ContentsCode", "Tid"]
    assert dimension["size"] == [2, 1, 2]
    assert dimension["role"] == {"geo": ["KOMMUNEDK"], "metric": ["ContentsCode"], "time": ["Tid"]}
    assert dimension["KOMMUNEDK"] == {
        "label": "municipality",
        "category": {
            "index": {"000": 0, "101": 1},
            "label": {"000": "All Denmark", "101": "Copenhagen"},
        },
    }
    contents = dimension["ContentsCode"]
    assert contents["label"] == "Indhold"
    assert contents["category"]["index"] == {"HANDBU01": 0}
    assert dataset["label"] == (
        "Disability interventions for children aged 0-17 by municipality and time"
    )
    assert dataset["source"] == "Statistics Denmark"
    assert dataset["value"] == [12345, None, 0, 7]
    assert "version" not in dataset and "class" not in dataset


def test_bundle_updated_is_utc_with_z() -> None:
    published = datetime(2026, 3, 1, 8, 0, tzinfo=timezone(timedelta(hours=1)))
    dataset = json.loads(render(two_by_two(), "JSONSTAT", updated=published))["dataset"]
    assert dataset["updated"] == "2026-03-01T07:00:00Z"


def test_dataset_2_0_known_cube() -> None:
    document = json.loads(JSONSTAT2.write(handbu04_like()))
    check_jsonstat2(document)
    assert document["id"] == ["INDSATSER", "KØN", "ContentsCode", "Tid"]
    assert document["role"]["time"] == ["Tid"]
    assert document["status"] == {"9": "..", "11": ".."}
    assert document["note"] == list(handbu04_like().notes)
    # Issue 12 item 10: the label reads as a sentence, without the contents variable.
    assert document["label"] == (
        "Handicapindsatser til børn og unge mellem 0-17 år efter indsats, køn og tid"
    )


def test_dataset_2_0_passes_a_jsonstat_validator() -> None:
    validator = pytest.importorskip("jsonstat_validator")
    published = datetime(2026, 3, 1, 8, tzinfo=UTC)
    for cube in (two_by_two(), handbu04_like()):
        document = json.loads(render(cube, "jsonstat2", updated=published))
        assert validator.validate_jsonstat(document)


@pytest.mark.parametrize("fmt", ["jsonstat", "jsonstat2"])
def test_pyjstat_reads_the_known_cube(fmt: str) -> None:
    cube = handbu04_like()
    assert pyjstat_cells(render(cube, fmt)) == list(cube.cells())


@settings(max_examples=40, deadline=None)
@given(
    cube=cubes(), fmt=st.sampled_from(["jsonstat", "jsonstat2"]), lang=st.sampled_from(["da", "en"])
)
def test_round_trip_through_pyjstat(cube: Cube, fmt: str, lang: str) -> None:
    data = render(cube, fmt, lang=lang)
    assert pyjstat_cells(data) == list(cube.cells())
    document = json.loads(data)
    check_jsonstat2(document if fmt == "jsonstat2" else bundle_as_dataset(document))


def bundle_as_dataset(bundle: dict[str, Any]) -> dict[str, Any]:
    """A 1.0 bundle in 2.0 form: `id`, `size` and `role` move out of `dimension`."""
    dataset = dict(bundle["dataset"])
    dimension = dict(dataset.pop("dimension"))
    moved = {key: dimension.pop(key) for key in ("id", "size", "role")}
    return {"version": "2.0", "class": "dataset", **dataset, **moved, "dimension": dimension}


def test_dimension_id_that_clashes_is_refused() -> None:
    dim = CubeDimension("size", "størrelse", KOMMUNE.codes)
    clash = Cube("T1", "T", "Antal", (dim,), {("000",): 1, ("101",): 2})
    with pytest.raises(ValueError, match="size"):
        JSONSTAT.write(clash)
    assert json.loads(JSONSTAT2.write(clash))["id"] == ["size", "ContentsCode"]
