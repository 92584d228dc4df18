"""The loaded catalogue: a table per kind, and the backlinks derived from them on first use."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, time
from functools import cached_property
from typing import Literal, TypeVar

from generator.catalog.files import Partial, Source
from generator.catalog.redirects import Redirect
from generator.model import vocab
from generator.model.entries import Base, District, Lecture, Lecturer, Place, Series, Station, Topic, Venue

PlaceKind = Literal["venue", "base", "station"]


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

    # Backlinks are derived on first use, after the checks have passed.
    @cached_property
    def places(self) -> dict[str, Venue | Base | Station]:
        return {**self.venues, **self.bases, **self.stations}

    @cached_property
    def lectures_in_order(self) -> list[Lecture]:
        return sorted(self.lectures.values(), key=lecture_order)

    @cached_property
    def lectures_by_lecturer(self) -> dict[str, list[Lecture]]:
        return _group(self.lectures_in_order, lambda l: l.lecturers)

    @cached_property
    def lectures_by_place(self) -> dict[str, list[Lecture]]:
        return _group(self.lectures_in_order, lambda l: [l.venue] if l.venue else [])

    @cached_property
    def lectures_by_topic(self) -> dict[str, list[Lecture]]:
        return _group(self.lectures_in_order, lambda l: l.topics)

    @cached_property
    def lectures_by_series(self) -> dict[str, list[Lecture]]:
        return _group(self.lectures_in_order, lambda l: [l.series] if l.series else [])

    @cached_property
    def lectures_by_audience(self) -> dict[str, list[Lecture]]:
        return _group(self.lectures_in_order, lambda l: vocab.audiences_served(l.audiences))

    @cached_property
    def lectures_by_district(self) -> dict[str, list[Lecture]]:
        return _group(self.lectures_in_order, lambda l: [self.places[l.venue].district] if l.venue else [])

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


T = TypeVar("T")


def _group(items: Iterable[T], keys: Callable[[T], Iterable[str]]) -> dict[str, list[T]]:
    out: dict[str, list[T]] = defaultdict(list)
    for item in items:
        for key in keys(item):
            out[key].append(item)
    return out
