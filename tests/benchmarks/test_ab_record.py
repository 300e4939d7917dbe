"""`benchmarks.ab_record`: the lines of `ab.sh` into the committed A/B JSON (issue 15)."""

from __future__ import annotations

from benchmarks.ab_record import medians, parse


def test_lines_become_runs_and_other_lines_are_skipped() -> None:
    lines = [
        "intake before 18.88 18.42 0.84",
        "Traceback (most recent call last):",  # a failed run's output is not a run
        "intake after 14.1 13.9 1.5",
        "intake after x 13.9 1.5",
    ]
    assert parse(lines) == [
        {
            "stage": "intake",
            "checkout": "before",
            "seconds": 18.88,
            "cpu_seconds": 18.42,
            "load_1min": 0.84,
        },
        {
            "stage": "intake",
            "checkout": "after",
            "seconds": 14.1,
            "cpu_seconds": 13.9,
            "load_1min": 1.5,
        },
    ]


def test_the_median_is_taken_per_stage_and_checkout() -> None:
    lines = [
        "process a 1 16.3 1",
        "process b 1 12.2 1",
        "process a 1 21.7 1",
        "process b 1 13.5 1",
        "process a 1 14.7 1",
        "process b 1 12.0 1",
        "tables a 1 9 1",
    ]
    # a: 14.7, 16.3, 21.7 -> 16.3; b: 12.0, 12.2, 13.5 -> 12.2; tables a: one run
    assert medians(parse(lines)) == {"process": {"a": 16.3, "b": 12.2}, "tables": {"a": 9.0}}
