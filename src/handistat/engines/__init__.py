"""Alternative execution engines for the register's SQL steps (R-GEN-2, R-PERF-6).

DuckDB (`handistat.stores.warehouse`) is the default. `handistat.engines.spark` runs the same
`Step` lists on Apache Spark; it needs the optional `spark` dependency group
(`uv sync --group spark`) and Java, so nothing here imports it eagerly.
"""
