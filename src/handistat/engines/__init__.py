"""Alternative execution engines for the register's SQL steps (R-GEN-2, R-PERF-6). DuckDB
(`stores.warehouse`) is the default; `engines.spark` runs the same `Step` lists on Apache Spark
and needs the optional `spark` dependency group and Java, so nothing imports it eagerly.
`spark` imports `register`, `intake`, `tables`, `stores`, `app`, `clock`; it is imported
(lazily) by `approval.processing`.
"""
