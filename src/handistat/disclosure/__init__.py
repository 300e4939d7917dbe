"""disclosure stage (R-SDC-1..5): statistical disclosure control of a release's tables -
logical cells and their relations, primary and secondary suppression, the LP audit of what
an attacker can narrow, and the text check of the Nyt article. Pure: imports only `tables`
(never `api`, `web`, `release`, `approval`; tests/test_layering.py). Imported by `release`."""
