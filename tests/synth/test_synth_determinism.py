"""Same seed → byte-identical files; another seed → other files (R-SYN-1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from handistat.synth import generate
from tests.synth.conftest import SEED


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_other_seed_differs_and_same_seed_gives_identical_bytes(
    small_out: Path, tmp_path: Path
) -> None:
    generate("small", SEED + 1, tmp_path)
    ours, theirs = _files(tmp_path), _files(small_out)
    assert ours["population/personer.csv"] != theirs["population/personer.csv"]
    assert ours["truth/handbu_episodes.csv"] != theirs["truth/handbu_episodes.csv"]
    assert ours["truth/tables/HJALP2.csv"] != theirs["truth/tables/HJALP2.csv"]
    # Same seed again, into the folder used by the other seed: identical, nothing stale left.
    generate("small", SEED, tmp_path)
    assert _files(tmp_path) == _files(small_out)


def test_unknown_scale_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="scale"):
        generate("huge", 1, tmp_path)


def test_files_are_utf8_without_bom_and_semicolon_separated(small_out: Path) -> None:
    for path in small_out.rglob("*.csv"):
        data = path.read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf"), path
        assert b"\r" not in data, path
        assert b";" in data.split(b"\n", 1)[0], path


def test_one_process_writes_the_same_bytes_as_several(tmp_path: Path) -> None:
    # GENBRUG and its truth are spread over forked processes, municipality by municipality.
    generate("small", SEED, tmp_path / "one", processes=1)
    generate("small", SEED, tmp_path / "three", processes=3)
    assert _files(tmp_path / "one") == _files(tmp_path / "three")
