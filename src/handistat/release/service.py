"""Releases (R-PUB-1..3): freeze a statistic's tables, schedule, approve, and the views.

`create` computes every table of the statistic for the reference year and the two before it,
writes the artefact and then commits the catalogue row. `publish` approves a release; it is
public from its scheduled time on (`Release.is_public`), so the embargo holds without a job
running at 08:00. Views merge the vintages a reader may see (`public_view`, `vintage_view`).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from handistat.audit import record
from handistat.disclosure.protect import Protected
from handistat.disclosure.text import revealed
from handistat.errors import Conflict, EmbargoActive, NotFound, UsageError
from handistat.release import artefact
from handistat.release.artefact import FrozenTable
from handistat.release.decisions import apply_decisions, municipality_decisions
from handistat.release.models import APPROVED, PREPARED, WITHDRAWN, Release, ReleaseRow
from handistat.release.protection import (
    AUDIT_DOCUMENT,
    INTERNAL_DOCUMENT,
    documents,
    earlier_vintages,
    protect_statistic,
)
from handistat.release.schedule import release_years
from handistat.release.vintages import MergeCache, RevisedCell, VintageView, revised_cells
from handistat.tables.cube import Cube
from handistat.tables.registry import TABLES
from handistat.tables.spec import TableSpec

if TYPE_CHECKING:
    from handistat.app import App

ROWS_TTL_SECONDS = 2.0
"""How long another process's `release publish` may take to reach a running server."""


def statistic_tables(statistic: str) -> list[TableSpec]:
    specs = [s for s in TABLES.values() if s.statistic == statistic and s.published]
    if not specs:
        raise UsageError(f"der er ingen tabeller for statistikken {statistic!r}")
    return specs


def frozen_table(spec: TableSpec, cube: Cube) -> FrozenTable:
    totals = {d.id: d.totals[0].code for d in spec.dimensions if d.eliminable}
    return FrozenTable(cube, spec.statistic, spec.subject, totals)


class ReleaseService:
    """One per App; safe to share between request threads."""

    def __init__(self, application: App) -> None:
        self.app = application
        self.root = application.settings.data_dir / "releases"
        self._lock = threading.Lock()
        self._rows: tuple[float, tuple[Release, ...]] | None = None
        self._artefacts: dict[str, Mapping[str, FrozenTable]] = {}
        self._merged: MergeCache = {}
        self._revisions: dict[tuple[str, ...], list[RevisedCell]] = {}

    # -- rows ------------------------------------------------------------------------------
    def releases(self) -> tuple[Release, ...]:
        """Every release, oldest first (cached briefly; writes here refresh at once)."""
        cached = self._rows
        if cached is not None and time.monotonic() - cached[0] < ROWS_TTL_SECONDS:
            return cached[1]
        with self.app.catalogue.session() as session:
            rows = session.scalars(select(ReleaseRow)).all()
            found = tuple(sorted((Release.of(r) for r in rows), key=lambda r: r.order))
        self._rows = (time.monotonic(), found)
        return found

    def cached_releases(self) -> tuple[Release, ...] | None:
        """`releases()` when it can answer without the database, else None (the Statbank
        API's event loop must not wait for it, R-PERF-4)."""
        cached = self._rows
        if cached is not None and time.monotonic() - cached[0] < ROWS_TTL_SECONDS:
            return cached[1]
        return None

    def get(self, release_id: str) -> Release:
        for release in self.releases():
            if release.id == release_id.strip().lower():
                return release
        raise NotFound(f"udgivelsen {release_id!r} findes ikke; se `handistat release list`")

    def _changed(self) -> None:
        self._rows = None

    # -- create, publish, article ----------------------------------------------------------
    def create(self, statistic: str, year: int, scheduled_at: dt.datetime, actor: str) -> Release:
        specs = statistic_tables(statistic)
        years = release_years(year)
        self._require_register(specs, year)
        decisions = municipality_decisions(self.app, statistic, year)
        protected = self.protect(statistic, year, decisions)
        frozen = apply_decisions(
            [frozen_table(s, protected.tables[s.id]) for s in specs], decisions
        )
        now = self.app.clock()
        with self._lock:
            release_id = self._next_id(statistic, year)
            meta = {
                "statistic": statistic,
                "reference_year": year,
                "years": years,
                "created_at": now.isoformat(),
                "scheduled_at": scheduled_at.isoformat(),
                "municipalities": decisions,
            }
            digest = artefact.freeze(self.root, release_id, frozen, meta, documents(protected))
            row = ReleaseRow(
                id=release_id,
                statistic=statistic,
                reference_year=year,
                years=years,
                tables=[t.table_id for t in frozen],
                scheduled_at=scheduled_at,
                created_at=now,
                created_by=actor,
                status=PREPARED,
                manifest_sha256=digest,
                article=self._draft_article(statistic, frozen, decisions),
                municipalities=decisions,
            )
            with self.app.catalogue.session() as session:
                session.add(row)
                record(session, now, actor, "release.create", release_id, {"years": years})
            self._changed()
        return self.get(release_id)

    def protect(self, statistic: str, year: int, decisions: Mapping[str, Any]) -> Protected:
        """The statistic's tables for the release years of `year`, protected jointly with the
        earlier vintages (R-SDC-2); a failing audit stops here, and nothing is frozen."""
        _, protected = protect_statistic(
            self.app,
            statistic_tables(statistic),
            release_years(year),
            decisions,
            earlier_vintages(self, statistic),
        )
        if not protected.passed:
            failed = ", ".join(protected.report["fejl"][:5])
            raise Conflict(
                f"diskretioneringen af {statistic} {year} består ikke revisionen "
                f"({len(protected.report['fejl'])} celler kan beregnes for snævert: {failed}); "
                "der er ikke dannet nogen udgivelse"
            )
        return protected

    def _refuse_hidden_figures(self, release: Release, text: str) -> None:
        """R-SDC-5: an article may not state the value of a suppressed cell."""
        internal = self.disclosure(release, internal=True) or {}
        hidden = internal.get("vaerdier", {}).values()
        shown = {v for t in self.load(release).values() for v in t.cube.values.values()}
        found = revealed(text, hidden, (v for v in shown if v is not None))
        if found:
            figures = ", ".join(str(v) for v in found)
            raise Conflict(
                f"teksten nævner tal, der er undertrykt af hensyn til diskretionen ({figures}); "
                "skriv dem som '..' eller omtal dem uden tal"
            )

    def disclosure(self, release: Release, *, internal: bool = False) -> dict[str, Any] | None:
        """The release's audit report (or, for staff, the loss and the hidden values)."""
        name = INTERNAL_DOCUMENT if internal else AUDIT_DOCUMENT
        return artefact.load_document(self.root, release.id, release.manifest_sha256, name)

    def publish(self, release_id: str, actor: str) -> Release:
        release = self.get(release_id)
        if release.status == APPROVED:
            raise Conflict(f"udgivelsen {release.id} er allerede godkendt til offentliggørelse")
        self.load(release)  # never approve an artefact that does not verify
        self._update(release.id, actor, "release.publish", status=APPROVED)
        return self.get(release.id)

    def set_article(self, release_id: str, text: str | None, actor: str) -> Release:
        """Replace the Nyt text (None: generate it again); only before the release is public."""
        release = self.get(release_id)
        if release.is_public(self.app.clock()):
            raise Conflict(f"udgivelsen {release.id} er offentliggjort; artiklen kan ikke ændres")
        if text is None:
            text = self._draft_article(
                release.statistic, list(self.load(release).values()), release.municipalities
            )
        if text is not None:
            self._refuse_hidden_figures(release, text)
        self._update(release.id, actor, "release.article", article=text, article_edited_by=actor)
        return self.get(release.id)

    def _update(self, release_id: str, actor: str, action: str, **fields: object) -> None:
        with self._lock, self.app.catalogue.session() as session:
            row = session.get(ReleaseRow, release_id)
            if row is None:
                raise NotFound(f"udgivelsen {release_id!r} findes ikke")
            if action == "release.publish":
                row.approved_at = self.app.clock()
                row.approved_by = actor
            for name, value in fields.items():
                setattr(row, name, value)
            record(session, self.app.clock(), actor, action, release_id, {})
        self._changed()

    def _next_id(self, statistic: str, year: int) -> str:
        """``handbu-2025-1``, ``-2``, ...; a directory left by a killed `create` stays unused."""
        prefix = f"{statistic}-{year}-"
        on_disk = [p.name for p in self.root.glob(f"{prefix}*")] if self.root.exists() else []
        taken = [r.id for r in self.releases() if r.id.startswith(prefix)] + on_disk
        numbers = [int(i.removeprefix(prefix)) for i in taken if i.removeprefix(prefix).isdigit()]
        return f"{prefix}{max(numbers, default=0) + 1}"

    def _require_register(self, specs: list[TableSpec], year: int) -> None:
        for fact in sorted({s.fact for s in specs}):
            if not self.app.warehouse.has_table(fact):
                raise Conflict(f"registret er ikke dannet; kør `handistat process` først ({fact})")
            found = self.app.warehouse.query(
                f"SELECT count(*) AS n FROM {fact} WHERE aar = ?", [year]
            )
            if not found.to_pylist()[0]["n"]:
                raise Conflict(
                    f"registret har ingen enheder for {year}; kør `handistat process` efter "
                    "de sidste leverancer"
                )

    def _draft_article(
        self, statistic: str, tables: list[FrozenTable], decisions: Mapping[str, object]
    ) -> str | None:
        from handistat.release.nyt import draft_article

        return draft_article(statistic, {t.table_id: t for t in tables}, decisions)

    # -- artefacts and views ---------------------------------------------------------------
    def load(self, release: Release) -> Mapping[str, FrozenTable]:
        """The release's tables, verified once per process (an artefact never changes)."""
        found = self._artefacts.get(release.id)
        if found is None:
            found = artefact.load(self.root, release.id, release.manifest_sha256)
            self._artefacts[release.id] = found
        return found

    def view(self, releases: tuple[Release, ...]) -> VintageView:
        return VintageView(releases, self.load, self._merged)

    def public_view(self, now: dt.datetime) -> VintageView:
        """What anyone may see at `now`: approved releases past their time (R-PUB-2)."""
        return self.view(tuple(r for r in self.releases() if r.is_public(now)))

    def vintage_view(self, release_id: str, now: dt.datetime, *, staff: bool) -> VintageView:
        """The statistic's tables as they stood when `release_id` was published (or, for
        staff, will stand): the approved releases before it, then it."""
        release = self.get(release_id)
        if not (staff or release.is_public(now)):
            raise EmbargoActive(f"udgivelsen {release_id!r} findes ikke")
        return self.view((*self._before(release), release))

    def _before(self, release: Release) -> tuple[Release, ...]:
        return tuple(
            r
            for r in self.releases()
            if r.statistic == release.statistic and r.status == APPROVED and r.order < release.order
        )

    def revisions(self, release_id: str) -> list[RevisedCell]:
        """Every cell of the release that differs from what was published before it."""
        release = self.get(release_id)
        before = self.view(self._before(release))
        key = (*before.key, release.id)
        if key not in self._revisions:
            cells: list[RevisedCell] = []
            for table_id, table in self.load(release).items():
                previous = before.table(table_id).table if before.has(table_id) else None
                cells += revised_cells(previous, table)
            self._revisions[key] = cells
        return self._revisions[key]

    # -- staff: withdraw and reschedule (issue 11 item 3) ------------------------------------
    def _not_public(self, release_id: str) -> Release:
        release = self.get(release_id)
        if release.is_public(self.app.clock()):
            raise Conflict(
                f"udgivelsen {release.id} er offentliggjort; den kan ikke længere ændres"
            )
        if release.status == WITHDRAWN:
            raise Conflict(f"udgivelsen {release.id} er trukket tilbage")
        return release

    def withdraw(self, release_id: str, actor: str) -> Release:
        """Withdraw a release before its public time: it is never published (audited)."""
        release = self._not_public(release_id)
        self._update(release.id, actor, "release.withdraw", status=WITHDRAWN)
        return self.get(release.id)

    def reschedule(self, release_id: str, scheduled_at: dt.datetime, actor: str) -> Release:
        """Move the public time of a release that is not public yet; never into the past."""
        release = self._not_public(release_id)
        if scheduled_at < self.app.clock():
            raise Conflict("det nye tidspunkt ligger i fortiden; vælg et senere tidspunkt")
        with self._lock, self.app.catalogue.session() as session:
            row = session.get(ReleaseRow, release.id)
            if row is None:
                raise NotFound(f"udgivelsen {release.id!r} findes ikke")
            row.scheduled_at = scheduled_at
            record(
                session,
                self.app.clock(),
                actor,
                "release.reschedule",
                release.id,
                {"fra": release.scheduled_at.isoformat(), "til": scheduled_at.isoformat()},
            )
        self._changed()
        return self.get(release.id)
