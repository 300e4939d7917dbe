"""One validated settings object (R-GEN-3): `HANDISTAT_*` environment variables and an optional
TOML file named by `HANDISTAT_CONFIG`. Bad settings stop start-up with a clear message."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from handistat.errors import SettingsInvalid
from handistat.publisher import Publisher

MEMORY_FRACTION = 8
"""DuckDB may use 1/8 of physical memory by default (R-PERF-1: peak ≤ 4 GiB at 8 M rows)."""
MEMORY_PER_THREAD = 1536
"""…and at most 1.5 GiB (in MiB) per core, so a small-memory, many-core box is not starved
while a large one does not hand the register most of its memory."""


def machine_memory_limit(physical_bytes: int | None = None, cores: int | None = None) -> str:
    """DuckDB's `memory_limit` from this machine: min(RAM / 8, 1.5 GiB × cores), at least
    256 MiB. DuckDB's own default (80 % of RAM) let an 8 M-row run peak at 6.9 GiB; with
    3 GB it peaked at 3.1 GiB for +8 % CPU (benchmarks/README.md). Override with
    HANDISTAT_DUCKDB_MEMORY_LIMIT."""
    if physical_bytes is None:
        physical_bytes = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    cores = cores or os.cpu_count() or 1
    mib = min(physical_bytes // MEMORY_FRACTION // 2**20, MEMORY_PER_THREAD * cores)
    return f"{max(mib, 256)}MiB"


class Settings(BaseSettings):
    """Where the embedded stores live and the knobs of the methodology."""

    model_config = SettingsConfigDict(env_prefix="HANDISTAT_", extra="forbid")

    data_dir: Path = Field(default=Path("data"), description="holds every embedded store")
    duckdb_path: Path | None = Field(default=None, description="default: DATA_DIR/register.duckdb")
    catalogue_url: str | None = Field(default=None, description="SQLAlchemy URL; default SQLite")
    raw_dir: Path | None = Field(default=None, description="raw zone; default DATA_DIR/raw")
    duckdb_memory_limit: str | None = Field(
        default_factory=lambda: machine_memory_limit(),
        pattern=r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$",
        description="e.g. '3GB'; default derived from the machine (`machine_memory_limit`)",
    )
    max_body_bytes: int = Field(default=2 * 1024**3, gt=0)
    api_cache_bytes: int = Field(
        default=64 * 1024**2, ge=0, description="/v1 response cache, total body bytes"
    )
    api_max_body_bytes: int = Field(
        default=1024**2, gt=0, description="largest POST body of the /v1 API (413 beyond)"
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="addresses/networks of reverse proxies whose X-Forwarded-For is believed",
    )
    error_cap_per_code: int = Field(default=1000, gt=0)
    handbu_merge_gap_days: int = Field(default=14, ge=0, description="R-HB-4")
    genbrug_duplicate_days: int = Field(default=3, ge=0, description="R-IN-8")
    genbrug_exclude_unknown_hmi: bool = Field(default=False, description="R-GB-3")
    disclosure_k: int = Field(default=3, ge=1, description="R-SDC-1: counts 1..k-1 are hidden")
    disclosure_p: int = Field(
        default=3, ge=1, description="R-SDC-3: a primary cell's audit interval is at least p wide"
    )
    timezone: str = "Europe/Copenhagen"
    publisher: Publisher = Field(
        default_factory=Publisher, description="source and contact in every public output"
    )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        import ipaddress

        for item in value:
            try:
                ipaddress.ip_network(item.strip(), strict=False)
            except ValueError as exc:
                raise ValueError(f"not an address or network: {item!r}") from exc
        return value

    @property
    def duckdb_file(self) -> Path:
        return self.duckdb_path or self.data_dir / "register.duckdb"

    @property
    def catalogue(self) -> str:
        return self.catalogue_url or f"sqlite:///{self.data_dir / 'catalogue.sqlite'}"

    @property
    def raw_zone(self) -> Path:
        return self.raw_dir or self.data_dir / "raw"


def load_settings(**overrides: Any) -> Settings:
    """Read the settings; a TOML file named by HANDISTAT_CONFIG supplies defaults."""
    values: dict[str, Any] = {}
    config = os.environ.get("HANDISTAT_CONFIG")
    if config:
        try:
            values.update(tomllib.loads(Path(config).read_text(encoding="utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SettingsInvalid(f"cannot read HANDISTAT_CONFIG={config}: {exc}") from exc
    values.update(overrides)
    try:
        return Settings(**values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise SettingsInvalid(f"invalid settings: {problems}") from exc
