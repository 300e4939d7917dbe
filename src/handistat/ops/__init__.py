"""Operations: crash recovery at start, backup and restore of every store (SPEC §13,
R-REL-1), the cleanup of old files and `handistat serve`. May import `stores`, `release.models`
(lazily), `api.app` (to serve), `app`, `settings`, `errors`, `cli_support`; nothing
imports ops except the application object (`app`) and the CLI."""
