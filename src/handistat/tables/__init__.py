"""tables stage (R-TAB-1..4): tables declared as data (`spec`, `handbu`, `genbrug`), computed
from the register into a `Cube` (`compute`, `registry`), and written by `formats`. May import
`register` (SQL quoting), `stores`, `reference`, `errors`, `publisher`; never `api`, `web`,
`release`, `approval` (tests/test_layering.py). Imported by `disclosure`, `release`,
`dissemination`, `approval`, `engines`, `web` and the CLI."""
