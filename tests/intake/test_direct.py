"""The one-pass DuckDB validation of a clean CSV delivery (issue 15 item 1; R-IN-1, R-IN-4,
R-IN-6, R-HB-1). It may only ever accept what the general path (Arrow's parser, then the
validation query per batch) accepts, and stage exactly the same rows; anything else it
hands back (None) so the general path writes the row-level report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handistat.app import App
from handistat.intake.direct import DIRECT_MIN_BYTES, validate_direct
from handistat.intake.genbrug import genbrug_policy
from handistat.intake.parse import check_header, parse_csv
from handistat.intake.policies import HANDBU_POLICY
from handistat.intake.rules import DeliveryFormat
from handistat.intake.service import Policy, Sender
from handistat.intake.validate import Validated, validate_to_parquet

TODAY = dt.date(2026, 3, 2)
GENBRUG_FMT = genbrug_policy(
    {"indberetningskommune": "101", "kildesystem": "A", "udtraeksdato": "2026-03-01"}
).fmt
GENBRUG_HEADER = (
    "indberetningskommune;betalingskommune;udlaan_id;hmi_nummer;cpr;paragraf;"
    "udleveringsdato;indleveringsdato"
)


def _direct(body: bytes, fmt: DeliveryFormat, tmp: Path, **scope: object) -> Validated | None:
    path = tmp / "body.csv"
    path.write_bytes(body)
    names, warnings = check_header(path, fmt.required_columns, fmt.known_columns)
    out = tmp / "direct.parquet"
    return validate_direct(path, names, warnings, fmt, out, today=TODAY, **scope)  # type: ignore[arg-type]


def _general(body: bytes, fmt: DeliveryFormat, tmp: Path) -> tuple[Validated, pa.Table]:
    path = tmp / "body.csv"
    path.write_bytes(body)
    parsed = parse_csv(path, fmt.required_columns, fmt.known_columns)
    out = tmp / "general.parquet"
    validated = validate_to_parquet(parsed, fmt, out, today=TODAY, cap=1000)
    return validated, pq.read_table(out)


def test_known_answer_genbrug_rows_are_numbered_trimmed_and_typed(tmp_path: Path) -> None:
    body = (
        f"{GENBRUG_HEADER}\r\n"
        "101;147; U1 ;123456;0101501001;sel83;2024-01-02;\r\n"
        '101;101;"U;2";7;;;2023-12-31;2024-02-01\r\n'
        "101;101;U3;42;010150-1001; Sel86 ;2022-07-01;2022-07-01\r\n"
    ).encode()
    found = _direct(body, GENBRUG_FMT, tmp_path)
    assert found is not None and found.direct
    assert (found.rows_total, found.rows_accepted, found.errors.totals) == (3, 3, {})
    staged = pq.read_table(tmp_path / "direct.parquet").to_pylist()
    d = dt.date
    assert [tuple(r.values()) for r in staged] == [
        (2, "101", "147", "U1", "123456", "0101501001", "SEL83", d(2024, 1, 2), None),
        (3, "101", "101", "U;2", "7", None, None, d(2023, 12, 31), d(2024, 2, 1)),
        (4, "101", "101", "U3", "42", "010150-1001", "SEL86", d(2022, 7, 1), d(2022, 7, 1)),
    ]


def test_known_answer_handbu_defaults_and_upper_case(tmp_path: Path) -> None:
    body = b"kommune;indsats_id;cpr;paragraf;startdato\n101;a1;1506154001;sel32;2023-01-05\n"
    found = _direct(body, HANDBU_POLICY.fmt, tmp_path)
    assert found is not None
    (row,) = pq.read_table(tmp_path / "direct.parquet").to_pylist()
    assert row == {
        "_row": 2, "kommune": "101", "indsats_id": "a1", "cpr": "1506154001",
        "paragraf": "SEL32", "startdato": dt.date(2023, 1, 5), "slutdato": None,
        "status": "aktiv",
    }  # fmt: skip


@pytest.mark.parametrize(
    "row",
    [
        "999;101;U9;1;;;2024-01-01;",  # unknown municipality
        "101;101;U9;x1;;;2024-01-01;",  # device number not digits
        "101;101;U9;1;;;2024-02-30;",  # no such day
        "101;101;U9;1;;;2024-01-01",  # a field short
        "101;101;U9;1;;;2024-01-01;;",  # a field too many
        "102;102;U9;1;;;2024-01-01;",  # not the header's municipality (a row rule)
        "101;101;U1;1;;;2024-01-01;",  # U1 again: a repeated key
        '101;101;"U9;1;;;2024-01-01;',  # an unterminated quote
    ],
)
def test_a_body_with_any_error_goes_to_the_general_path(tmp_path: Path, row: str) -> None:
    body = f"{GENBRUG_HEADER}\n101;101;U1;1;;;2024-01-01;\n{row}\n".encode()
    assert _direct(body, GENBRUG_FMT, tmp_path) is None
    assert not (tmp_path / "direct.parquet").exists()
    assert not list(tmp_path.glob("*.direct.parquet"))


@pytest.mark.parametrize(
    "row",
    [
        " 101;101;U9;1;;;2024-01-01;",  # a padded municipality
        "101;101;U9;1 ;;;2024-01-01;",  # a padded device number
        "101;101;U9;1;;;2024-01-01\u00a0;",  # a date with a no-break space
        "101;101;U9;1;;;2024-01-01; ",  # a blank return date
    ],
)
def test_a_padded_value_of_a_checked_column_goes_to_the_general_path(
    tmp_path: Path, row: str
) -> None:
    """Issue 15: such a column is read untrimmed in one pass; the general path trims it and
    accepts the row, so the staged rows are the general path's."""
    body = f"{GENBRUG_HEADER}\n101;101;U1;1;;;2024-01-01;\n{row}\n".encode()
    assert _direct(body, GENBRUG_FMT, tmp_path) is None
    general, staged = _general(body, GENBRUG_FMT, tmp_path)
    assert general.errors.totals == {} and general.rows_accepted == 2
    assert staged.column("indberetningskommune").to_pylist() == ["101", "101"]
    assert staged.column("hmi_nummer").to_pylist() == ["1", "1"]
    assert staged.column("udleveringsdato").to_pylist() == [dt.date(2024, 1, 1)] * 2


def test_padded_values_of_unchecked_columns_are_trimmed_in_one_pass(tmp_path: Path) -> None:
    body = f"{GENBRUG_HEADER}\n101;101; U1 ;1; 0101501001 ; sel83 ;2024-01-01;\n".encode()
    assert _direct(body, GENBRUG_FMT, tmp_path) is not None
    _, staged = _general(body, GENBRUG_FMT, tmp_path)
    assert pq.read_table(tmp_path / "direct.parquet").equals(staged)
    assert staged.column("udlaan_id").to_pylist() == ["U1"]
    assert staged.column("paragraf").to_pylist() == ["SEL83"]


def test_a_row_outside_the_senders_scope_goes_to_the_general_path(tmp_path: Path) -> None:
    body = b"kommune;indsats_id;cpr;paragraf;startdato\n101;a1;1506154001;SEL32;2023-01-05\n"
    fmt = HANDBU_POLICY.fmt
    assert _direct(body, fmt, tmp_path, scope=frozenset({"147"})) is None
    assert _direct(body, fmt, tmp_path, scope=frozenset({"101"})) is not None


# -- generated bodies: the direct path against the general path ------------------------------

_GOOD = {
    "kommune": ["101", "147"],
    "indsats_id": ["a1", "a2", "b.7"],
    "cpr": ["1506154001", "150615-4001", "0101501001"],
    "paragraf": ["SEL32", "sel36", "BL82-1"],
    "startdato": ["2023-01-05", "2024-02-29"],
    "slutdato": ["", "2025-01-01"],
    "status": ["", "aktiv", "ANNULLERET"],
    "x_ekstra": ["", "noget"],
}
_BAD = ["", "  ", "999", "2024-13-01", "3002241234", "ab cd", "SEL99", "1999-12-31"]
_PADDING = [" ", "  ", "\t", "\u00a0"]
"""Around a valid value: the general path trims it away, the direct one hands such a body
over (`rules.ends_checked`)."""


@st.composite
def handbu_bodies(draw: st.DrawFn, tricky: bool = True) -> bytes:
    """A HANDBU body, valid or not, with the quirks of real files: optional columns absent,
    an unknown column, header spelling, CRLF, quotes, line breaks and `;` inside quotes,
    blank lines, ragged rows, a byte-order mark."""
    optional = draw(st.lists(st.sampled_from(["slutdato", "status", "x_ekstra"]), unique=True))
    columns = draw(st.permutations(["kommune", "indsats_id", "cpr", "paragraf", "startdato"]))
    columns = [*columns, *optional]
    header = [f" {c.upper()} " if draw(st.booleans()) and tricky else c for c in columns]
    newline = draw(st.sampled_from(["\n", "\r\n"])) if tricky else "\n"
    lines = [";".join(header)]
    for _ in range(draw(st.integers(0, 6))):
        fields = []
        for column in columns:
            value = draw(st.sampled_from(_GOOD[column]))
            if tricky and draw(st.integers(0, 9)) == 0:
                value = draw(st.sampled_from(_BAD))
            elif tricky and draw(st.integers(0, 7)) == 0:
                pad = draw(st.sampled_from(_PADDING))
                value = draw(st.sampled_from([pad + value, value + pad, pad + value + pad]))
            if tricky and draw(st.integers(0, 7)) == 0:
                inner = draw(st.sampled_from(['"', ";", "\n", "\r\n", ""]))
                value = '"' + value.replace('"', '""') + inner.replace('"', '""') + '"'
            fields.append(value)
        if tricky and draw(st.integers(0, 15)) == 0:
            fields = fields[:-1] if draw(st.booleans()) else [*fields, "x"]
        lines.append(";".join(fields))
        if tricky and draw(st.integers(0, 20)) == 0:
            lines.append("")
    bom = "\ufeff" if tricky and draw(st.booleans()) else ""
    end = newline if draw(st.booleans()) or not tricky else ""
    return (bom + newline.join(lines) + end).encode()


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=handbu_bodies())
def test_the_direct_path_accepts_only_what_the_general_path_accepts_unchanged(
    tmp_path: Path, body: bytes
) -> None:
    for old in tmp_path.iterdir():
        old.unlink()
    direct = _direct(body, HANDBU_POLICY.fmt, tmp_path)
    general, staged = _general(body, HANDBU_POLICY.fmt, tmp_path)
    if direct is None:
        return
    assert general.errors.totals == {} and general.superseded_total == 0
    assert (direct.rows_total, direct.rows_accepted) == (general.rows_total, general.rows_accepted)
    assert direct.warnings == general.warnings
    assert pq.read_table(tmp_path / "direct.parquet").equals(staged)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=handbu_bodies(tricky=False))
def test_a_plain_body_without_errors_is_judged_directly(tmp_path: Path, body: bytes) -> None:
    """The direct path is not merely safe but used: a plain body (LF, no quotes, every value
    valid) that the general path accepts whole, without repeated keys, is accepted directly."""
    for old in tmp_path.iterdir():
        old.unlink()
    general, staged = _general(body, HANDBU_POLICY.fmt, tmp_path)
    if general.rows_total == 0 or general.superseded_total:
        return
    direct = _direct(body, HANDBU_POLICY.fmt, tmp_path)
    assert direct is not None
    assert pq.read_table(tmp_path / "direct.parquet").equals(staged)


def test_a_large_full_load_is_judged_directly_by_the_service(app: App) -> None:
    """Through `IntakeService.validate` as `receive` calls it: a body of at least
    `DIRECT_MIN_BYTES` goes the direct way; the same rows with one bad date do not."""
    rows = [f"101;101;U{i};{i % 1000};0101501001;SEL83;2024-01-02;" for i in range(40_000)]
    body = f"{GENBRUG_HEADER}\n" + "\n".join(rows) + "\n"
    assert len(body) >= DIRECT_MIN_BYTES
    policy = genbrug_policy(
        {"indberetningskommune": "101", "kildesystem": "A", "udtraeksdato": "2026-03-01"}
    )
    bad = body.replace("U39999;999;0101501001;SEL83;2024-01-02", "U39999;999;0;SEL83;2024-02-30")
    assert bad != body
    judged = [_validated(app, policy, text) for text in (body, bad)]
    assert [(v.direct, v.rows_accepted, dict(v.errors.totals)) for v in judged] == [
        (True, 40_000, {}),
        (False, 39_999, {"BAD_DATE": 1}),
    ]


def _validated(app: App, policy: Policy, body: str) -> Validated:
    blob = app.intake.raw.store([body.encode()], max_bytes=1 << 30)
    out = app.settings.data_dir / "staged" / "test" / f"{blob.sha256}.parquet"
    sender = Sender("test", None)
    return app.intake.validate(policy, blob, "text/csv", app.clock(), sender.scope, out)


def test_the_general_path_after_the_direct_one_reads_the_header_once(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large body with one row error is tried directly, then judged by the general path;
    its header is checked once, by the first (issue 15 review: it was checked twice)."""
    import handistat.intake.parse as parse
    import handistat.intake.service as service

    calls: list[Path] = []
    original = parse.check_header

    def counted(path: Path, required: set[str], known: set[str]) -> tuple[list[str], list[str]]:
        calls.append(path)
        return original(path, required, known)

    monkeypatch.setattr(parse, "check_header", counted)
    monkeypatch.setattr(service, "check_header", counted)
    rows = [f"101;101;U{i};{i % 1000};0101501001;SEL83;2024-01-02;" for i in range(40_000)]
    rows[7] = "101;101;U7;7;0101501001;SEL83;2024-02-30;"  # one bad date
    body = f"{GENBRUG_HEADER}\n" + "\n".join(rows) + "\n"
    policy = genbrug_policy(
        {"indberetningskommune": "101", "kildesystem": "A", "udtraeksdato": "2026-03-01"}
    )
    judged = _validated(app, policy, body)
    assert (judged.direct, judged.rows_accepted, dict(judged.errors.totals)) == (
        False,
        39_999,
        {"BAD_DATE": 1},
    )
    assert len(calls) == 1
