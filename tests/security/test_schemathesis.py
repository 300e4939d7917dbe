"""schemathesis against the OpenAPI description (issue 13 item 17; R-REL-3): generated requests
to every described operation, through the real app with published tables and a vendor token,
never answer 5xx. Examples are bounded so the run stays well under a minute.

The operations are driven with hypothesis directly (`as_strategy`): schemathesis' pytest
plugin does not run under pytest 9.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import Case

from handistat.accounts.resolve import accounts
from handistat.api.app import create_app
from tests.accounts.helpers import cheap_hashing
from tests.api.statbank_fixture import Published, published

__all__ = ["published"]
EXAMPLES = 5


def test_no_operation_answers_5xx(published: Published) -> None:
    cheap_hashing()
    token = accounts(published.app).create_token(["101"], "schemathesis", "test")[0]
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(published.app))
    headers = {"Authorization": f"Bearer {token}"}
    failures: list[str] = []
    calls: list[int] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Case) -> None:
            response = case.call(headers=headers)
            calls.append(response.status_code)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.status_code}")

        run()
    assert len(calls) >= len(operations) and failures == [], failures[:10]
