"""release stage (R-PUB-1..5): freezing a statistic's tables with disclosure control, the
schedule, vintages and revisions, the Nyt article, the CLI and the public and staff release
pages. May import `tables`, `disclosure`, `stores`, `approval` (decisions, lazily),
`dissemination`, `api` and `web` (for its pages), `app`, `audit`, `clock`, `errors`.
Imported by `dissemination`, `approval`, `api` (`statbank`), `web`, `ops` and the CLI."""
