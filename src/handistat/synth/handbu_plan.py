"""Plan every HANDBU row: the records of the true episodes and their quirks (R-SYN-2).

Later versions of a record are always delivered strictly after the earlier ones; a quirk
whose follow-up would fall after the generator's today is not planted (the record is then
sent once, true), so what the truth expects is always what was delivered last.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import replace

from handistat.synth.config import BARNETS_LOV_FRA, TODAY
from handistat.synth.cpr import birth_date, typo
from handistat.synth.handbu_episodes import TrueEpisode
from handistat.synth.handbu_model import Content, Sent
from handistat.synth.handbu_records import base_send, paragraf_for, pieces_for, wrong_version
from handistat.synth.handbu_schedule import Timetable
from handistat.synth.population import Population

DAY = dt.timedelta(days=1)
_ID_FORMATS = ("{k}-{n:06d}", "IND{n:08d}", "{k}.{y}.{n}", "SAG:{n:07d}:1", "hb_{n:x}")
_PHANTOM_FROM = dt.date(2022, 1, 1)
_PHANTOM_TO = dt.date(2025, 12, 31)

Chain = list[tuple[Content, dt.date]]


def _days(rng: random.Random, lo: int, hi: int) -> dt.timedelta:
    return dt.timedelta(days=rng.randint(lo, hi))


class RecordMaker:
    """Turns true episodes into sent rows; counts every quirk it plants."""

    def __init__(self, rng: random.Random, timetable: Timetable, pop: Population) -> None:
        self.rng = rng
        self.timetable = timetable
        self.pop = pop
        self.sent: list[Sent] = []
        self.quirks: Counter[str] = Counter()
        self._next_id: Counter[str] = Counter()
        order = sorted(timetable.cadence)
        rng.shuffle(order)
        self.practice = {k: ("long", "short")[n % 2] for n, k in enumerate(order)}
        self.id_format = {k: _ID_FORMATS[n % len(_ID_FORMATS)] for n, k in enumerate(order)}

    # -- plumbing --------------------------------------------------------------------------
    def new_id(self, kommune: str, start: dt.date) -> str:
        self._next_id[kommune] += 1
        n = self._next_id[kommune]
        return self.id_format[kommune].format(k=kommune, n=n, y=start.year)

    def first(self, kommune: str, content: Content, send: dt.date) -> Chain:
        return [(content, self.timetable.delivery(kommune, send))]

    def follow(self, kommune: str, chain: Chain, content: Content, wish: dt.date) -> bool:
        """Append a later version, delivered strictly after the previous one; False if too late."""
        send = max(wish, chain[-1][1] + DAY)
        if send > TODAY:
            return False
        chain.append((content, self.timetable.delivery(kommune, send)))
        return True

    def emit(self, kommune: str, indsats_id: str, chain: Chain) -> None:
        self.sent.extend(Sent(delivery, kommune, indsats_id, c) for c, delivery in chain)

    def unknown_cpr(self, like: str) -> str:
        """A CPR of valid form, born the same day as ``like``, but not in the register."""
        return self.pop.allocator.next(birth_date(like))

    # -- the records of true episodes ------------------------------------------------------
    def episode(self, episode: TrueEpisode) -> None:
        pattern, pieces = pieces_for(self.rng, self.practice[episode.kommune], episode)
        if self.pop.death[episode.person]:  # nobody cuts new records for a dead child
            pattern, pieces = "long", [(episode.start, episode.slut)]
        self.quirks[f"episode_as_{pattern}"] += 1
        cpr = self.pop.cpr[episode.person]
        for start, slut in pieces:
            true = Content(cpr, paragraf_for(episode.indsats, start), start, slut)
            self.record(episode.kommune, episode.indsats, true)
        if any(p[0] < BARNETS_LOV_FRA for p in pieces) and any(
            p[0] >= BARNETS_LOV_FRA for p in pieces
        ):
            self.quirks["episode_with_sel_and_bl_codes"] += 1

    def record(self, kommune: str, indsats: int, true: Content) -> None:
        send = base_send(self.rng, true.start)
        self.emit(
            kommune,
            self.new_id(kommune, true.start),
            self.quirky_chain(kommune, indsats, true, send),
        )
        if self.rng.random() < 0.02:
            twin_send = min(send + _days(self.rng, 0, 60), TODAY)
            self.emit(
                kommune, self.new_id(kommune, true.start), self.first(kommune, true, twin_send)
            )
            self.quirks["exact_duplicate"] += 1

    def _first_version(self, indsats: int, true: Content) -> tuple[str, Content] | None:
        r = self.rng.random()
        if true.slut is not None and r < 0.15:
            return "updated_open_then_closed", replace(true, slut=None)
        if r < 0.19:
            return "corrected", wrong_version(self.rng, true, indsats)
        if r < 0.21:
            return "cpr_typo_corrected", replace(true, cpr=typo(true.cpr, self.rng))
        if r < 0.22:
            return "unknown_cpr_corrected", replace(true, cpr=self.unknown_cpr(true.cpr))
        return None

    def quirky_chain(self, kommune: str, indsats: int, true: Content, send: dt.date) -> Chain:
        planned = self._first_version(indsats, true)
        if planned is None:
            return self.first(kommune, true, send)
        name, wrong = planned
        chain = self.first(kommune, wrong, send)
        if name == "updated_open_then_closed" and true.slut is not None:
            wish = true.slut + _days(self.rng, 0, 60)
        else:
            wish = chain[0][1] + _days(self.rng, 1, 120)
        if self.follow(kommune, chain, true, wish):
            self.quirks[name] += 1
            return chain
        return self.first(kommune, true, send)

    # -- rows that must never count --------------------------------------------------------
    def phantom(self, person: int, episode: TrueEpisode) -> Content | None:
        """A plausible record for the child of ``episode`` that is not part of any episode."""
        lo = max(self.pop.birth_date(person) + 30 * DAY, _PHANTOM_FROM)
        if lo > _PHANTOM_TO:
            return None
        start = dt.date.fromordinal(self.rng.randint(lo.toordinal(), _PHANTOM_TO.toordinal()))
        indsats = episode.indsats if self.rng.random() < 0.6 else self.rng.randint(1, 7)
        slut = None if self.rng.random() < 0.4 else start + _days(self.rng, 30, 400)
        return Content(self.pop.cpr[person], paragraf_for(indsats, start), start, slut)

    def phantoms(self, episode: TrueEpisode) -> None:
        """Annulled records, records with mistyped CPRs and records for unknown children."""
        content = self.phantom(episode.person, episode)
        r = self.rng.random()
        if content is None or r >= 0.07:
            return
        kommune = episode.kommune
        chain = self.first(kommune, content, base_send(self.rng, content.start))
        if r < 0.03:
            annulled = replace(content, status="annulleret")
            if not self.follow(kommune, chain, annulled, chain[0][1] + _days(self.rng, 1, 90)):
                return
            self.quirks["annulled"] += 1
        elif r < 0.05:
            chain = [(replace(content, cpr=typo(content.cpr, self.rng)), chain[0][1])]
            self.quirks["cpr_typo_never_corrected"] += 1
        else:
            chain = [(replace(content, cpr=self.unknown_cpr(content.cpr)), chain[0][1])]
            self.quirks["unknown_cpr_never_corrected"] += 1
        self.emit(kommune, self.new_id(kommune, content.start), chain)


def plan_rows(
    pop: Population, episodes: list[TrueEpisode], timetable: Timetable, seed: int
) -> tuple[list[Sent], Counter[str]]:
    """Every row of every HANDBU delivery, and how often each quirk was planted."""
    maker = RecordMaker(random.Random(f"{seed}:handbu-records"), timetable, pop)
    first_episode: dict[int, TrueEpisode] = {}
    for episode in episodes:
        maker.episode(episode)
        first_episode.setdefault(episode.person, episode)
        if episode.slut is None:
            maker.quirks["open_episode"] += 1
    for episode in first_episode.values():
        maker.phantoms(episode)
    return maker.sent, maker.quirks
