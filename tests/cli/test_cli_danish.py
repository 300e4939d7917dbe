"""Issue 11 item 12: the CLI's help for the top-level commands is Danish, and its output
counts with Danish thousands separators and singular/plural (`20.000 personer`, not
`20,000 personer`)."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_cli import A, run

ENGLISH = (
    "Create or migrate",
    "Write synthetic",
    "Deliver files",
    "The population register",
    "The HMI catalogue",
    "Users of the portal",
    "API tokens for",
    "Depot collaborations",
    "Reports:",
    "The API and the web pages",
    "Rebuild the register",
)


def test_top_level_help_is_danish(tmp_path: Path) -> None:
    page = run(tmp_path, "--help").stdout
    for english in ENGLISH:
        assert english not in page, english
    assert "Opret eller opgradér databaserne" in page
    assert "Dan registret igen fra råzonen" in page
    assert "udtræksdato ÅÅÅÅ-MM-DD" in run(tmp_path, "deliver", "genbrug", "--help").stdout


def test_counts_have_danish_separators_and_grammar(tmp_path: Path) -> None:
    pop = tmp_path / "pop"
    pop.mkdir()
    people = [f"{i:06d}4001;K;2015-06-15;" for i in range(150615, 150615 + 20_000)]
    (pop / "personer.csv").write_text(
        "cpr;koen;foedselsdato;doedsdato\n" + "\n".join(people) + "\n", encoding="utf-8"
    )
    (pop / "bopael.csv").write_text(f"cpr;kommune;fra;til\n{A};101;2015-06-15;\n")
    run(tmp_path, "init")
    loaded = run(tmp_path, "population", "load", str(pop)).stdout
    assert "20.000 personer og 1 bopælsperiode indlæst" in loaded
    assert "20,000" not in loaded
