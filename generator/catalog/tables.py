"""The loaded catalogue: a table per kind, and the backlinks derived from them on first use.

A catalogue read after another (`before`, `lvyin serve` after an edit) derives its lectures'
tables from that one's while it is still in use (the preview keeps it until its pass over the
new one ends, engine/incremental.py): the lectures gone are taken out of the lists that held them
and the new ones put in, in order (`_regroup`), and every other list is the very same object as
before, which lets the plan and the checks tell at once what an edit did not touch.  The order of
a table's keys is not part of it (a regrouped table adds a new key last): it is read by key.
"""

from __future__ import annotations

import weakref
from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import InitVar, dataclass, field
from datetime import date, time
from functools import cached_property
from typing import Any, Literal, TypeVar

from generator.catalog.files import Partial, Source
from generator.catalog.redirects import Redirect
from generator.model import vocab
from generator.model.entries import Base, District, Lecture, Lecturer, Place, Series, Station, Topic, Venue
from generator.model.kinds import TABLE

PlaceKind = Literal["venue", "base", "station"]
ENTRY_TABLES = {kind.file for kind in TABLE}  # the tables of entries: "lectures", "districts", …
# Table name → (the entries of `before` replaced, those that replaced them), when the reader knows them.
Replaced = dict[str, tuple[list[Any], list[Any]]]


@dataclass
class Catalog:
    districts: dict[str, District]
    topics: dict[str, Topic]
    series: dict[str, Series]
    lecturers: dict[str, Lecturer]
    venues: dict[str, Venue]
    bases: dict[str, Base]
    stations: dict[str, Station]
    lectures: dict[str, Lecture]
    sources: dict[tuple[str, str], Source] = field(default_factory=dict, repr=False)
    redirects: list[Redirect] = field(default_factory=list, repr=False)  # renamed ids
    # The catalogue read before this one, whose lectures' tables this one's are derived from (`_lectures_by`)
    # while it lives: it is not kept alive for that, nor the one before it, and so on.
    before: InitVar[Catalog | None] = None
    # With `before`: which of its entries this one's replaced, table by table (a table not named has the
    # very entries it had), when the reader knows (catalog/load.py); else `edited` compares the tables.
    replaced: InitVar[Replaced | None] = None

    def __post_init__(self, before: Catalog | None, replaced: Replaced | None) -> None:
        self._before = weakref.ref(before) if before is not None else None
        self._replaced = replaced if before is not None else None

    def replaced_since(self, before: Catalog | None) -> Replaced | None:
        """The entries of `before` this catalogue replaced, table by table (`replaced`), if it is the
        catalogue read before this one and the reader told which they were; else None."""
        return self._replaced if before is not None and before is self.previous else None

    @property
    def previous(self) -> Catalog | None:
        """The catalogue read before this one, while it lives."""
        return self._before() if self._before is not None else None

    def edited(self, name: str) -> set[Any] | None:
        """The keys of the table `name` whose entries are not the very ones `previous` held, or are in
        one of the two only (an entry of an unchanged file is the same object, and so is a list of
        lectures an edit did not touch); None without `previous`, or for the lectures when so many
        changed that the tables were grouped anew."""
        before = self.previous
        if before is None:
            return None
        if name == "lectures":
            changes = self._lecture_changes
            return None if changes is None else {lecture.id for lectures in changes for lecture in lectures}
        if self._replaced is not None and name in ENTRY_TABLES:
            return {entry.id for entries in self._replaced.get(name, ()) for entry in entries}
        then, now = getattr(before, name), getattr(self, name)
        return {key for key in then.keys() | now.keys() if then.get(key) is not now.get(key)}

    # Backlinks are derived on first use, after the checks have passed.
    @cached_property
    def places(self) -> dict[str, Venue | Base | Station]:
        return {**self.venues, **self.bases, **self.stations}

    @cached_property
    def lectures_in_order(self) -> list[Lecture]:
        changes, before = self._lecture_changes, self.previous
        then = before.__dict__.get("lectures_in_order") if before is not None else None
        if changes is None or then is None:
            return sorted(self.lectures.values(), key=lecture_order)
        return _regroup({_ALL: then}, *changes, lambda l: (_ALL,)).get(_ALL, [])

    @cached_property
    def lectures_by_lecturer(self) -> dict[str, list[Lecture]]:
        return self._lectures_by("lectures_by_lecturer", lambda l: l.lecturers)

    @cached_property
    def lectures_by_place(self) -> dict[str, list[Lecture]]:
        return self._lectures_by("lectures_by_place", lambda l: [l.venue] if l.venue else [])

    @cached_property
    def lectures_by_topic(self) -> dict[str, list[Lecture]]:
        return self._lectures_by("lectures_by_topic", lambda l: l.topics)

    @cached_property
    def lectures_by_series(self) -> dict[str, list[Lecture]]:
        return self._lectures_by("lectures_by_series", lambda l: [l.series] if l.series else [])

    @cached_property
    def lectures_by_audience(self) -> dict[str, list[Lecture]]:
        return self._lectures_by("lectures_by_audience", lambda l: vocab.audiences_served(l.audiences))

    @cached_property
    def lectures_by_month(self) -> dict[str, list[Lecture]]:
        """By month, "2027-03"."""
        return self._lectures_by("lectures_by_month", lambda l: [f"{l.date.year:04d}-{l.date.month:02d}"])

    @cached_property
    def lectures_by_district(self) -> dict[str, list[Lecture]]:
        return self._lectures_by("lectures_by_district", lambda l: [self.places[l.venue].district] if l.venue else [],
                                 self._same_places)

    @cached_property
    def lectures_near(self) -> dict[tuple[str, str], list[Lecture]]:
        """By (audience, district): the lectures there for that audience (全学段 counts for each school
        stage) and the online ones without a place, which are for every district."""
        everywhere, before = list(self.districts), self.previous
        same_districts = before is not None and _same_entries(before.districts, self.districts)
        return self._lectures_by("lectures_near", lambda l: [
            (audience, district) for audience in vocab.audiences_served(l.audiences)
            for district in ([self.places[l.venue].district] if l.venue else everywhere)],
            self._same_places and same_districts)

    def _lectures_by(self, name: str, keys: Callable[[Lecture], Iterable[K]], same_keys: bool = True) -> dict[K, list[Lecture]]:
        """The lectures in order of time under each of their `keys`: from the table `name` of the
        catalogue `before` with the lectures changed since, if it has that table and `keys` gave
        the same keys then (`same_keys`); else grouped anew."""
        changes, before = self._lecture_changes, self.previous
        then = before.__dict__.get(name) if before is not None and same_keys else None
        if changes is None or then is None:
            return _group(self.lectures_in_order, keys)
        return _regroup(then, *changes, keys)

    @cached_property
    def _lecture_changes(self) -> tuple[list[Lecture], list[Lecture]] | None:
        """(gone, new): the lectures of `before` this catalogue does not hold, and those it holds
        that `before` did not (an entry of an unchanged file is the same object); None: without
        `before`, or when so many changed that grouping anew is quicker."""
        before = self.previous
        if before is None:
            return None
        if self._replaced is not None:
            gone, new = (sorted(entries, key=lecture_order) for entries in self._replaced.get("lectures", ([], [])))
        else:
            then, now = _by_identity(before.lectures), _by_identity(self.lectures)  # both alive: an id is one object
            gone = sorted((then[key] for key in then.keys() - now.keys()), key=lecture_order)
            new = sorted((now[key] for key in now.keys() - then.keys()), key=lecture_order)
        return (gone, new) if len(gone) + len(new) <= max(len(self.lectures) // 10, REGROUP_ALWAYS) else None

    @cached_property
    def _same_places(self) -> bool:
        """Whether every place is the one `before` had (a lecture's district is its place's)."""
        before = self.previous
        return before is not None and _same_entries(before.places, self.places)

    @cached_property
    def lecturers_by_topic(self) -> dict[str, list[Lecturer]]:
        return _group(sorted(self.lecturers.values(), key=lambda p: p.id), lambda p: p.topics)

    @cached_property
    def lecturers_by_district(self) -> dict[str, list[Lecturer]]:
        return _group(sorted(self.lecturers.values(), key=lambda p: p.id), lambda p: [p.district] if p.district else [])

    @cached_property
    def places_by_district(self) -> dict[str, list[Place]]:
        return _group(sorted(self.places.values(), key=lambda p: p.id), lambda p: [p.district])

    def place_kind(self, place_id: str) -> PlaceKind:
        if place_id in self.venues:
            return "venue"
        return "base" if place_id in self.bases else "station"


def lecture_order(lecture: Lecture | Partial) -> tuple[date, time, str]:
    """In order of time (a broken lecture with these fields sound takes part in the clash check)."""
    return (lecture.date, lecture.start, lecture.id)


# Up to this many lectures changed, or a tenth of them, a table is regrouped rather than grouped anew: that
# costs about the lectures changed times the lists they are in, whose length grows with the catalogue.
REGROUP_ALWAYS = 200
T = TypeVar("T")
K = TypeVar("K")
_ALL = ""  # the one key of `lectures_in_order` as a table


def _group(items: Iterable[T], keys: Callable[[T], Iterable[K]]) -> dict[K, list[T]]:
    out: dict[K, list[T]] = defaultdict(list)
    for item in items:
        for key in keys(item):
            out[key].append(item)
    return out


def _regroup(then: dict[K, list[Lecture]], gone: list[Lecture], new: list[Lecture],
             keys: Callable[[Lecture], Iterable[K]]) -> dict[K, list[Lecture]]:
    """`then` (lists in order of time) without the lectures `gone` and with the `new` ones: a list
    they change is a new list, every other the very same object."""
    out = dict(then)
    changed: dict[K, list[Lecture]] = {}
    for lecture in gone:
        for key in keys(lecture):
            group = changed.get(key)
            if group is None:
                group = changed[key] = list(then[key])
            at = bisect_left(group, lecture_order(lecture), key=lecture_order)
            assert group[at] is lecture, "a table of `before` holds its lectures in order"
            del group[at]
    for lecture in new:
        for key in keys(lecture):
            group = changed.get(key)
            if group is None:
                group = changed[key] = list(then.get(key, []))
            insort(group, lecture, key=lecture_order)
    for key, group in changed.items():
        if group:
            out[key] = group
        else:
            del out[key]
    return out


def _by_identity(table: dict[str, Lecture]) -> dict[int, Lecture]:
    return dict(zip(map(id, table.values()), table.values(), strict=True))


def _same_entries(then: Mapping[str, object], now: Mapping[str, object]) -> bool:
    return len(then) == len(now) and all(then.get(key) is entry for key, entry in now.items())
