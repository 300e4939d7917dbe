"""api stage: the one FastAPI app (`app`), request dependencies (`deps`), who is asking and CSRF
(`auth`), security headers and browser error pages (`security`), the session API (`session`),
deliveries, and the Statbank-compatible `/v1` API. May import `accounts`, `intake`, `register`,
`approval`, `release`, `dissemination`, `reference`, `web` (page routers, templates), `app`,
`audit`, `errors`, `masking`. Imported by `web`, `approval`, `release`, `dissemination`,
`ops` and the CLI; never by `accounts` or the domain stages (tests/test_layering.py)."""
