"""Read HANDBU01 from a handistat server with the PyPI client `denstatbank`, unchanged except for
its base URL (R-API-1).

    handistat serve &                       # after `make demo` and a published release
    uv run python docs/denstatbank_example.py http://127.0.0.1:8000

The tests run this script against a live server (tests/api/test_statbank_clients.py).
"""

from __future__ import annotations

import sys

from denstatbank import StatBankClient


def main(base_url: str = "http://127.0.0.1:8000") -> None:
    client = StatBankClient(lang="da")
    client._base_url = base_url.rstrip("/") + "/v1/"  # the only change: our server, not DST's

    tables = client.tables()
    print(tables[["id", "text", "latestPeriod"]].to_string(index=False))

    # Children receiving interventions (110) in the whole country and Copenhagen, every year;
    # KØN is left out, so it is eliminated to its total (0).
    frame = client.data(
        "HANDBU01",
        variables=[
            client.variable_dict("KOMMUNEDK", ["000", "101"]),
            client.variable_dict("INDSATSER", ["110"]),
            client.variable_dict("Tid", ["*"]),
        ],
    )
    print(frame.to_string())


if __name__ == "__main__":
    main(*sys.argv[1:2])
