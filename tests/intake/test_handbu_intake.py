"""R-IN-2..6 for HANDBU deliveries, through the real intake service."""

from __future__ import annotations

import json

import pytest

from handistat.app import App
from handistat.errors import DeliveryRejected, PayloadTooLarge
from handistat.intake.policies import HANDBU_POLICY
from handistat.intake.report import mask_cpr
from handistat.intake.service import Sender
from handistat.settings import load_settings

HEADER = "kommune;indsats_id;cpr;paragraf;startdato;slutdato;status\n"
GOOD = "101;r1;1506154001;SEL32;2023-01-01;;\n"
STAFF = Sender("test", None)


def receive(app: App, body: bytes, sender: Sender = STAFF, media: str = "text/csv") -> dict:  # type: ignore[type-arg]
    return app.intake.receive(HANDBU_POLICY, [body], sender, media_type=media)


def rejected(app: App, body: bytes, sender: Sender = STAFF) -> DeliveryRejected:
    with pytest.raises(DeliveryRejected) as info:
        receive(app, body, sender)
    return info.value


def test_valid_rows_accepted_and_bad_rows_listed(app: App) -> None:
    # R-IN-4: HANDBU accepts the valid rows and lists the rejected ones.
    body = (
        HEADER + GOOD + "101;r2;1506154001;SEL99;2023-01-01;;\n"
        "101;r3;1506154001;SEL32;2023-05-01;2023-04-01;\n"
    ).encode()
    report = receive(app, body)
    assert report["outcome"] == "partially_accepted"
    assert (report["rows_total"], report["rows_accepted"], report["rows_rejected"]) == (3, 1, 2)
    assert [(e["row"], e["column"], e["code"]) for e in report["errors"]] == [
        (3, "paragraf", "UNKNOWN_CODE"),
        (4, "slutdato", "END_BEFORE_START"),
    ]


def test_same_bytes_twice_is_idempotent_and_says_so(app: App) -> None:
    first = receive(app, (HEADER + GOOD).encode())
    second = receive(app, (HEADER + GOOD).encode())
    assert second["duplicate_of"] == first["delivery_id"]
    assert "allerede modtaget" in second["message"]
    from sqlalchemy import func, select

    from handistat.stores.catalogue import Delivery

    with app.catalogue.session() as s:
        assert s.scalar(select(func.count()).select_from(Delivery)) == 1


def test_raw_zone_holds_the_exact_bytes_named_by_hash(app: App) -> None:
    import hashlib

    body = ("\ufeff" + HEADER + GOOD).encode()
    report = receive(app, body)
    sha = hashlib.sha256(body).hexdigest()
    assert report["sha256"] == sha
    assert (app.settings.raw_zone / sha[:2] / sha).read_bytes() == body
    assert not any((app.settings.raw_zone / "tmp").iterdir())


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"", "EMPTY"),
        (b"kommune,indsats_id,cpr\n101,a,b\n", "WRONG_DELIMITER"),
        (b"kommune;indsats_id;cpr\n101;a;1506154001\n", "BAD_HEADER"),
        ((HEADER + "101;r1;15061540ø1;SEL32;2023-01-01;;\n").encode("latin-1"), "NOT_UTF8"),
        (b"\x00\x01\x02binary\xff\xfe", "NOT_UTF8"),
        ((HEADER.replace("status", "cpr")).encode(), "BAD_HEADER"),
    ],
)
def test_unreadable_deliveries_are_rejected_whole(app: App, body: bytes, code: str) -> None:
    error = rejected(app, body)
    assert error.details["code"] == code
    assert error.details["report"]["outcome"] == "rejected"


def test_missing_columns_are_named(app: App) -> None:
    error = rejected(app, b"kommune;indsats_id;cpr\n101;a;1506154001\n")
    assert "paragraf" in error.message and "startdato" in error.message


def test_cpr_never_echoed_in_full(app: App) -> None:
    body = HEADER + "101;r1;1506154001;XX;2023-01-01;;\n101;r2;3102154001;SEL32;2023;;\n"
    report = rejected(app, body.encode()).details["report"]
    text = json.dumps(report)
    assert "1506154001" not in text and "3102154001" not in text
    assert "310215-****" in text
    assert mask_cpr("x 1506154001 y 150615-4001") == "x 150615-**** y 150615-****"


def test_error_list_is_capped_per_code_with_totals(app: App, tmp_path: object) -> None:
    settings = app.settings.model_copy(update={"error_cap_per_code": 5})  # same stores
    capped = App(settings, app.clock)
    rows = "".join(f"101;r{i};1506154001;XX;2023-01-01;;\n" for i in range(12))
    report = capped.intake.receive(HANDBU_POLICY, [(HEADER + rows + GOOD).encode()], STAFF)
    assert report["error_totals"] == {"UNKNOWN_CODE": 12}
    assert len(report["errors"]) == 5 and report["errors_truncated"]
    assert report["rows_accepted"] == 1


def test_ragged_rows_are_row_errors(app: App) -> None:
    report = receive(app, (HEADER + GOOD + "101;r2;1506154001\n").encode())
    assert [(e["row"], e["code"]) for e in report["errors"]] == [(3, "WRONG_FIELD_COUNT")]


def test_repeated_id_within_a_delivery_last_row_wins(app: App) -> None:
    # R-HB-1 (2026-12-01): the last row of a key wins; the earlier one is superseded, no error.
    report = receive(
        app,
        (
            HEADER + GOOD + GOOD.replace("2023-01-01", "2023-02-01") + GOOD.replace("r1", "r5")
        ).encode(),
    )
    assert (report["outcome"], report["rows_accepted"], report["errors"]) == ("accepted", 2, [])
    assert report["superseded"] == [{"row": 2, "key": "101/r1", "replaced_by_row": 3}]


def test_column_names_case_insensitive_and_order_free(app: App) -> None:
    body = "CPR;Startdato;KOMMUNE;paragraf;indsats_id\n1506154001;2023-01-01;101;sel32;r1\n"
    report = receive(app, body.encode())
    assert report["outcome"] == "accepted"


def test_dates_out_of_range(app: App) -> None:
    # Clock: 2026-03-02; more than one year ahead is 2027-03-03 onwards.
    body = (
        HEADER + "101;r1;1506154001;SEL32;1999-12-31;;\n"
        "101;r2;1506154001;SEL32;2027-03-02;;\n101;r3;1506154001;SEL32;2027-03-03;;\n"
    )
    report = receive(app, body.encode())
    assert [(e["row"], e["code"]) for e in report["errors"]] == [
        (2, "START_TOO_EARLY"),
        (4, "START_IN_FUTURE"),
    ]


def test_scope_limits_rows_to_own_municipalities(app: App) -> None:
    # R-IN-5: a sender scoped to 101 cannot deliver rows for 147.
    sender = Sender("vendor", frozenset({"101"}), "api")
    body = HEADER + GOOD + "147;r2;1506154001;SEL32;2023-01-01;;\n"
    report = receive(app, body.encode(), sender)
    assert [(e["row"], e["code"]) for e in report["errors"]] == [(3, "KOMMUNE_NOT_ALLOWED")]


def test_json_body(app: App) -> None:
    body = {
        "kommune": "101",
        "records": [
            {
                "indsats_id": "r1",
                "cpr": "150615-4001",
                "paragraf": "SEL32",
                "startdato": "2023-01-01",
            },
            {
                "indsats_id": "r2",
                "cpr": "1506154001",
                "paragraf": "SEL32",
                "startdato": "2023-13-01",
            },
        ],
    }
    report = receive(app, json.dumps(body).encode(), media="application/json")
    assert report["rows_accepted"] == 1
    assert [(e["row"], e["code"]) for e in report["errors"]] == [(2, "BAD_DATE")]


def test_over_the_size_limit_is_refused_and_nothing_kept(app: App) -> None:
    small = App(load_settings(data_dir=app.settings.data_dir, max_body_bytes=100), app.clock)
    with pytest.raises(PayloadTooLarge):
        small.intake.receive(HANDBU_POLICY, [(HEADER + GOOD * 10).encode()], STAFF)
    assert not any(p.is_file() for p in small.settings.raw_zone.rglob("*"))


def test_formula_injection_is_just_an_invalid_value(app: App) -> None:
    body = (HEADER + "101;=cmd|calc;1506154001;SEL32;2023-01-01;;\n").encode()
    report = rejected(app, body).details["report"]
    assert report["errors"][0]["code"] == "BAD_FORMAT"


def test_json_records_without_known_fields_are_row_errors(app: App) -> None:
    # Regression: a record with no known field used to skip the checks and fail in SQL.
    with pytest.raises(DeliveryRejected) as info:
        receive(app, json.dumps({"records": [{}, {"x": 1}]}).encode(), media="application/json")
    report = info.value.details["report"]
    assert report["rows_rejected"] == 2
    assert report["error_totals"]["MISSING_VALUE"] == 2 * 5  # five required fields each


def test_a_header_without_a_line_break_is_a_delivery_without_rows(app: App) -> None:
    """Found by issue 15's generated bodies: Arrow's parser refused a one-line body (`Empty
    CSV file`), which escaped as an unhandled error. It is the header and no rows, as with
    the line break (R-IN-4: a HANDBU delivery without rows changes nothing)."""
    reports = [receive(app, HEADER.encode()), receive(app, HEADER.rstrip("\n").encode())]
    assert [(r["outcome"], r["rows_total"], r["rows_accepted"]) for r in reports] == [
        ("accepted", 0, 0),
        ("accepted", 0, 0),
    ]
