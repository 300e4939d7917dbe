"""Research extracts (R-HB-9, R-MD-1): the HANDBU episode and GENBRUG loan registers as
Parquet with a pseudonymous person key per project (`pseudonym`), a codebook, every extract
audit-logged. May import `stores`, `app`, `errors`, `register.cpr` (the GENBRUG
recipient's CPR from `person_id`); imported only by the CLI."""
