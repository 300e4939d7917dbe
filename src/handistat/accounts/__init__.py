"""Accounts (R-SEC-3): the domain of who acts - `Principal` and `Role`, users, logins,
sessions and API tokens (`service`, `lifecycle`, `crypto`, `models`), which deliveries a caller
may see (`ownership`) and the `handistat user | token` CLI. May import `intake`, `stores`,
`reference`, `app`, `audit`, `clock`, `errors`, `cli_support`; never `api` or `web`
(tests/test_layering.py): the HTTP side lives in `api.auth`, `api.security`, `api.session`.
Imported by `api`, `web` and `approval`."""
