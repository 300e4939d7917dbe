"""Dissemination (R-API-1..2, R-WEB-1): the Statbank API's parameters, value selection,
`/v1/data` as a pure function and its output formats, the web statbank's views, search,
notes and server-rendered charts. May import `release` (views of published tables),
`tables`, `api.deps` and `api.auth` (who asks), `web.templating`, `clock`, `errors`,
`publisher`. Imported by `api` (`statbank`), `release` (pages) and `web` (public pages)."""
