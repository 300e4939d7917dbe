"""intake stage (SPEC §2, R-IN-1..8): delivery formats as declarations, the raw zone, parsing
(CSV, JSON, XLSX) and structural validation into accepted rows and a row-level report.
May import `reference`, `stores`, `register.sql` (SQL quoting; `register` imports intake's
service), `settings`, `errors`, `masking`, `clock`; never `api`, `web`, `release`, `approval`
(tests/test_layering.py). Imported by `register`, `approval`, `accounts`, `api`, `web`,
`engines`, `app`, `audit` and the CLI."""
