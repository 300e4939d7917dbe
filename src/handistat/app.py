"""The application object: settings, the two stores and the services, wired once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO

from handistat.clock import Clock, system_clock, today_copenhagen
from handistat.intake.service import IntakeService
from handistat.ops.cleanup import clean_if_alone, hold_shared
from handistat.settings import Settings, load_settings
from handistat.stores.catalogue import Catalogue
from handistat.stores.warehouse import Warehouse


@dataclass
class App:
    settings: Settings
    clock: Clock = system_clock
    catalogue: Catalogue = field(init=False)
    warehouse: Warehouse = field(init=False)
    intake: IntakeService = field(init=False)
    presence: IO[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.catalogue = Catalogue(self.settings.catalogue)
        self.warehouse = Warehouse(
            self.settings.duckdb_file, memory_limit=self.settings.duckdb_memory_limit
        )
        self.intake = IntakeService(self.settings, self.catalogue, self.clock)
        self.presence = hold_shared(self.settings)  # see ops.cleanup

    @classmethod
    def load(cls, clock: Clock = system_clock) -> App:
        return cls(load_settings(), clock)

    def init(self) -> None:
        """Create or migrate every store (idempotent)."""
        self.catalogue.migrate()
        self.settings.raw_zone.mkdir(parents=True, exist_ok=True)
        clean_if_alone(self.presence, self.settings, self.catalogue, self.warehouse)

    def default_years(self) -> list[int]:
        return list(range(2022, today_copenhagen(self.clock).year + 1))
