"""register stage (R-HB-*, R-GB-*, R-CPR-*): the HANDBU episode and GENBRUG loan registers
rebuilt from the raw zone as engine-neutral SQL steps (`sql`), the population register, CPR
checks, depot collaborations and the register's reports. May import `intake`, `stores`,
`reference`, `app`, `audit`, `clock`, `errors`, `formula`, `cli_support`; never `api`, `web`,
`release`, `approval` (tests/test_layering.py). Imported by `intake`, `tables`, `stores`
(`sql`), `approval`, `engines`, `api`, `web` and the CLI."""
