"""The coordination group's figures: is the plan's "at least 4 free sessions per station a year" met?

Pure: a catalogue and a build date in, tables out.  The `/stats/` page, its
CSV and SVG files and `lvyin stats` all show these same tables.

Definitions (also stated on the page):

- **This year** is the school year (学年) that contains the build date:
  1 September to 31 August.  The lecture hall's programme, its series and the
  catalogue all run by school year, so in November a station is judged on the
  programme that started in September, not on four months of a calendar year.
- **A free session** (普惠性指导服务活动) is a lecture held at a family-education
  guidance station (`venue` is a station) whose status is `scheduled` or `done`.
  Cancelled and postponed sessions do not count (a postponed session counts
  once it has its new date).  Sessions before the build date are *held*
  (已举办), the others *scheduled* (已安排); both count towards the target.
- The other tables (by month, topic, audience, lecturer, format) count every
  lecture of the school year with status `scheduled` or `done`, wherever it is;
  a lecture with two topics counts once for each.  Venues by admission counts
  the venues of the catalogue.
"""

from __future__ import annotations

import weakref
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from operator import attrgetter

from generator.catalog.tables import Catalog
from generator.model import vocab
from generator.model.entries import Lecture

TARGET = 4  # free sessions per station per year (实施方案 第 15 条)
COUNTED = ("scheduled", "done")


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def label(self) -> str:
        return f"{self.start.year}—{self.end.year} 学年"

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


def school_year(today: date) -> Period:
    first = today.year if today.month >= 9 else today.year - 1
    return Period(date(first, 9, 1), date(first + 1, 9, 1) - timedelta(days=1))


@dataclass(frozen=True)
class Chart:
    label: int  # column of the bar labels
    value: int  # column of the bar lengths
    maximum: float | None = None  # fixed scale (100 for shares); None: the largest value
    unit: str = ""
    target: float | None = None  # a marked line, e.g. the plan's target


@dataclass(frozen=True)
class Table:
    key: str  # file name of its CSV and SVG
    title: str
    note: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str | int, ...], ...]
    chart: Chart | None = None


@dataclass(frozen=True)
class Stats:
    today: date
    period: Period
    target: int
    stations: int
    stations_on_target: int
    held: int
    scheduled: int
    tables: tuple[Table, ...]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def percent(part: int, whole: int) -> int:
    """A share in whole percent, rounded half up (3 of 8 → 38)."""
    return (200 * part + whole) // (2 * whole) if whole else 0


def counted_lectures(catalog: Catalog, period: Period) -> list[Lecture]:
    """The lectures of `period` that count, found by a search in date order (`Catalog.lectures_in_order`)."""
    lectures = catalog.lectures_in_order
    of_period = lectures[bisect_left(lectures, period.start, key=_date):bisect_right(lectures, period.end, key=_date)]
    return [l for l in of_period if l.status in COUNTED]


_date = attrgetter("date")


# What the figures read of a lecture: an edit to anything else (a title, a description) changes none.
_counted_fields = attrgetter("date", "status", "venue", "topics", "audiences", "lecturers", "format")
_last: tuple[weakref.ref[Catalog], date, Stats] | None = None  # the last figures, and of what


def compute(catalog: Catalog, today: date) -> Stats:
    """The figures of `catalog` on `today`: those of the last computed when `catalog` is its catalogue
    or the one read after it (`lvyin serve`, after an edit) with only lectures replaced, each by one that counts alike."""
    global _last
    before = _last[0]() if _last is not None and _last[1] == today else None
    replaced = catalog.replaced_since(before)
    alike = before is catalog or replaced is not None and replaced.keys() <= {"lectures"} and all(
        _counted_fields(old) == _counted_fields(new) for old, new in zip(*replaced.get("lectures", ([], [])), strict=True))
    stats = _last[2] if alike and _last is not None else _compute(catalog, today)
    _last = (weakref.ref(catalog), today, stats)
    return stats


def _compute(catalog: Catalog, today: date) -> Stats:
    period = school_year(today)
    lectures = counted_lectures(catalog, period)
    held: Counter[str] = Counter()
    ahead: Counter[str] = Counter()
    for l in lectures:
        if l.venue in catalog.stations:
            (held if l.date < today else ahead)[l.venue] += 1

    station_rows = []
    on_target = 0
    by_district: dict[str, list[tuple[int, int]]] = {d: [] for d in catalog.districts}
    for district in catalog.districts.values():
        for station in sorted((s for s in catalog.stations.values() if s.district == district.id), key=lambda s: s.id):
            h, a = held[station.id], ahead[station.id]
            by_district[district.id].append((h, a))
            gap = TARGET - h - a
            on_target += gap <= 0
            station_rows.append((district.name, station.name, vocab.STATION_KINDS[station.kind], h, a, h + a,
                                 "达标" if gap <= 0 else f"差 {gap} 场"))
    district_rows = []
    for district in catalog.districts.values():
        counts = by_district[district.id]
        if not counts:
            continue
        on = sum(1 for h, a in counts if h + a >= TARGET)
        district_rows.append((district.name, len(counts), sum(h for h, _ in counts), sum(a for _, a in counts),
                              sum(h + a for h, a in counts), on, percent(on, len(counts))))

    months: Counter[tuple[int, int]] = Counter((l.date.year, l.date.month) for l in lectures)
    month_rows = []
    day = period.start
    while day <= period.end:
        month_rows.append((f"{day.year}年{day.month}月", months[day.year, day.month]))
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    topics = Counter(t for l in lectures for t in l.topics)
    audiences = Counter(a for l in lectures for a in l.audiences)
    speakers = Counter(p for l in lectures for p in l.lecturers)
    lecturer_rows = sorted(((p.name, vocab.LEVELS[p.level], speakers[p.id]) for p in catalog.lecturers.values()),
                           key=lambda r: (-r[2], r[0]))
    admissions: Counter[str] = Counter(v.admission for v in catalog.venues.values())
    formats: Counter[str] = Counter(l.format for l in lectures)

    total_stations = len(station_rows)
    target_note = f"实施方案要求每个站点每年至少 {TARGET} 次；“合计”＝已举办＋已安排。"
    tables = (
        Table("districts", "各县区站点达标情况", target_note,
              ("县区", "站点数", "已举办", "已安排", "合计", "达标站点", "达标比例（%）"), tuple(district_rows),
              Chart(label=0, value=6, maximum=100, unit="%")),
        Table("stations", "各站点普惠性指导服务场次", target_note,
              ("县区", "站点", "类型", "已举办", "已安排", "合计", "是否达标"), tuple(station_rows),
              Chart(label=1, value=5, unit="场", target=TARGET)),
        Table("months", "各月讲座场次", "本学年每月举办和安排的讲座（不含取消、延期）。",
              ("月份", "场次"), tuple(month_rows), Chart(label=0, value=1, unit="场")),
        Table("topics", "各主题讲座场次", "一场讲座有几个主题就分别计入几个主题。",
              ("主题", "场次"), tuple((t.name, topics[t.id]) for t in catalog.topics.values()), Chart(label=0, value=1, unit="场")),
        Table("audiences", "适合各类家长的讲座场次", "一场讲座适合几类家长就分别计入几类。",
              ("适合人群", "场次"), tuple((label, audiences[a]) for a, label in vocab.AUDIENCES.items()), Chart(label=0, value=1, unit="场")),
        Table("lecturers", "讲师主讲场次", "本学年每位讲师主讲（含合讲）的场次，从多到少。",
              ("讲师", "级别", "场次"), tuple(lecturer_rows), Chart(label=0, value=2, unit="场")),
        Table("admission", "开放场馆的开放方式", "目录中全部开放场馆，按免费、优惠、收费计数。",
              ("开放方式", "场馆数"), tuple((label, admissions[k]) for k, label in vocab.ADMISSIONS.items()), Chart(label=0, value=1, unit="个")),
        Table("formats", "线上与线下讲座", "本学年讲座的举办形式。",
              ("形式", "场次"), tuple((label, formats[k]) for k, label in vocab.FORMATS.items()), Chart(label=0, value=1, unit="场")),
    )
    return Stats(today, period, TARGET, total_stations, on_target, sum(held.values()), sum(ahead.values()), tables)
