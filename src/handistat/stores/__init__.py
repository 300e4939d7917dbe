"""The only doors to the databases (STYLE 5): `catalogue`, the operational store (SQLAlchemy,
Alembic `migrations/`), and `warehouse`, the analytical store (the only module opening DuckDB).
Imports of handistat only `masking` and `register.sql` (the `Step` the warehouse runs).
Imported by every package that keeps or reads data, and by `app`, `audit` and `ops`."""
