"""Depot collaborations with validity dates, maintained by staff (R-GB-4, R-GEN-4).

A collaboration row says: from `gyldig_fra` to `gyldig_til` (inclusive; empty = still valid),
`indberetningskommune` reports GENBRUG loans for member `medlemskommune`. The GENBRUG register
reads membership on each loan's `udleveringsdato`. The packaged list
(`reference/samarbejder.csv`) is the default: migration 0010 seeds it into this table. Every
change is audit-logged. The CLI (`handistat samarbejde`) and the staff page
(`/personale/samarbejder`) both call the functions here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from handistat.audit import record
from handistat.clock import Clock
from handistat.errors import Conflict, DeliveryRejected, NotFound
from handistat.reference import kommune_koder
from handistat.stores.catalogue import Base, Catalogue


class SamarbejdeRow(Base):
    __tablename__ = "samarbejde"
    __table_args__ = (
        UniqueConstraint(
            "indberetningskommune", "medlemskommune", "gyldig_fra", name="uq_samarbejde"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    indberetningskommune: Mapped[str] = mapped_column(String(3), index=True)
    medlemskommune: Mapped[str] = mapped_column(String(3))
    navn: Mapped[str] = mapped_column(String(200))
    gyldig_fra: Mapped[str] = mapped_column(String(10))
    gyldig_til: Mapped[str | None] = mapped_column(String(10))
    changed_at: Mapped[dt.datetime]
    changed_by: Mapped[str] = mapped_column(String(200))


@dataclass(frozen=True)
class Samarbejde:
    indberetningskommune: str
    medlemskommune: str
    navn: str
    gyldig_fra: dt.date
    gyldig_til: dt.date | None

    def as_dict(self) -> dict[str, str]:
        return {
            "indberetningskommune": self.indberetningskommune,
            "medlemskommune": self.medlemskommune,
            "navn": self.navn,
            "gyldig_fra": self.gyldig_fra.isoformat(),
            "gyldig_til": self.gyldig_til.isoformat() if self.gyldig_til else "",
        }


def _kommune(code: str, role: str) -> str:
    code = code.strip()
    if code not in kommune_koder():
        raise DeliveryRejected(f"{role} {code!r} er ikke en kendt kommunekode")
    return code


def _date(text: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise DeliveryRejected(f"{name} {text!r} skal være en dato på formen ÅÅÅÅ-MM-DD") from None


def _as_value(row: SamarbejdeRow) -> Samarbejde:
    til = dt.date.fromisoformat(row.gyldig_til) if row.gyldig_til else None
    return Samarbejde(
        row.indberetningskommune,
        row.medlemskommune,
        row.navn,
        dt.date.fromisoformat(row.gyldig_fra),
        til,
    )


def list_samarbejder(catalogue: Catalogue) -> list[Samarbejde]:
    """Every membership period, by reporter, member and start."""
    with catalogue.session() as s:
        rows = s.scalars(
            select(SamarbejdeRow).order_by(
                SamarbejdeRow.indberetningskommune,
                SamarbejdeRow.medlemskommune,
                SamarbejdeRow.gyldig_fra,
            )
        )
        return [_as_value(r) for r in rows]


def _overlaps(a: Samarbejde, fra: dt.date, til: dt.date | None) -> bool:
    return (a.gyldig_til is None or a.gyldig_til >= fra) and (til is None or til >= a.gyldig_fra)


def add_samarbejde(
    catalogue: Catalogue,
    clock: Clock,
    actor: str,
    *,
    indberetter: str,
    medlem: str,
    fra: str,
    til: str | None = None,
    navn: str | None = None,
) -> Samarbejde:
    """A new membership period; refused when it overlaps one of the same pair."""
    k, m = _kommune(indberetter, "indberetter"), _kommune(medlem, "medlem")
    start = _date(fra, "fra")
    end = _date(til, "til") if til else None
    if end is not None and end < start:
        raise DeliveryRejected("til-datoen ligger før fra-datoen")
    name = (navn or "").strip()[:200] or f"Samarbejde om hjælpemiddeldepot ({k})"
    new = Samarbejde(k, m, name, start, end)
    now = clock()
    with catalogue.session() as s:
        same = [
            _as_value(r)
            for r in s.scalars(
                select(SamarbejdeRow).where(
                    SamarbejdeRow.indberetningskommune == k, SamarbejdeRow.medlemskommune == m
                )
            )
        ]
        if any(_overlaps(old, start, end) for old in same):
            raise Conflict(
                f"{m} er allerede medlem af {k}s samarbejde i en del af perioden; "
                "afslut det gamle medlemskab først (samarbejde end)"
            )
        s.add(
            SamarbejdeRow(
                indberetningskommune=k,
                medlemskommune=m,
                navn=name,
                gyldig_fra=start.isoformat(),
                gyldig_til=end.isoformat() if end else None,
                changed_at=now,
                changed_by=actor,
            )
        )
        record(s, now, actor, "genbrug.samarbejde.tilfoej", k, new.as_dict())
    return new


def end_samarbejde(
    catalogue: Catalogue, clock: Clock, actor: str, *, indberetter: str, medlem: str, til: str
) -> Samarbejde:
    """End the open (or latest) membership of `medlem` in `indberetter`'s collaboration."""
    k, m = _kommune(indberetter, "indberetter"), _kommune(medlem, "medlem")
    end = _date(til, "til")
    now = clock()
    with catalogue.session() as s:
        row = s.scalar(
            select(SamarbejdeRow)
            .where(
                SamarbejdeRow.indberetningskommune == k,
                SamarbejdeRow.medlemskommune == m,
                SamarbejdeRow.gyldig_fra <= end.isoformat(),
            )
            .order_by(SamarbejdeRow.gyldig_fra.desc())
        )
        if row is None:
            raise NotFound(f"{m} er ikke medlem af {k}s samarbejde på {end.isoformat()}")
        if row.gyldig_til is not None and row.gyldig_til < end.isoformat():
            raise Conflict(f"medlemskabet sluttede allerede {row.gyldig_til}")
        before = row.gyldig_til or ""
        row.gyldig_til = end.isoformat()
        row.changed_at, row.changed_by = now, actor
        ended = _as_value(row)
        record(
            s, now, actor, "genbrug.samarbejde.afslut", k, {**ended.as_dict(), "tidligere": before}
        )
    return ended
