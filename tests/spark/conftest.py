"""PySpark in local mode (R-GEN-2, R-PERF-6): one session per test module.

Without the optional `spark` dependency group (`uv sync --group spark`) these modules are
not collected at all; with it, Java 17 must be on the PATH.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from typing import Any

import pytest

collect_ignore_glob = [] if importlib.util.find_spec("pyspark") else ["test_*.py"]


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from handistat.engines.spark import local_session

    # Adaptive execution only re-plans tiny stages here; off, the suite runs ~25 % faster.
    session = local_session(2, 2, {"spark.sql.adaptive.enabled": "false"})
    yield session
    session.stop()


@pytest.fixture(scope="module")
def runner(spark: Any) -> Iterator[Any]:
    from handistat.engines.spark import SparkRunner

    engine = SparkRunner(spark)
    yield engine
    engine.release()
