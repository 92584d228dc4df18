"""The plan of the generated site: which pages exist, at which URL, from what.

Pure: no I/O.  A `Page` names its source path (as a Markdown file of the docs
tree), its template and the values the template gets.  `plan_pages` knows the
whole site before anything is rendered (`site.outputs` refuses two files at one path).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from operator import attrgetter
from typing import Any

from generator.catalog.articles import Article
from generator.catalog.tables import Catalog
from generator.model import vocab
from generator.model.entries import District, Lecture, Lecturer, Place, Series
from generator.model.kinds import PLACE_LABELS, PLACE_SECTIONS
from generator.model.settings import SiteSettings
from generator.plan import campaigns, stats
from generator.plan.build_date import recent_since

# How many past lectures an entry page lists before pointing at the calendar.
PAST_LIMIT = 30
# How many upcoming lectures a page lists before pointing at the calendar: with 10,000–20,000
# lectures a year a district's or topic's next months would otherwise make a page of megabytes.
UPCOMING_LIMIT = 50
HOME_UPCOMING = 8
# Lectures after those, hidden: lvyin.js shows them when lectures before them are over by the reader's clock.
HOME_SPARE = 16
# How many upcoming lectures of its topics an article shows before pointing at the topic pages.
ARTICLE_UPCOMING = 8


@dataclass(frozen=True)
class Page:
    path: str  # e.g. "lectures/abc.md" → /lectures/abc/
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict, compare=False)
    grown: bool = False  # outside the navigation, one of many that grow with the catalogue (`grown_paths`)

    @property
    def url(self) -> str:
        return page_url(self.path)


def page_url(path: str) -> str:
    """The site URL (directory style, no leading slash) of a docs-tree path."""
    stem = path[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def entry_path(section: str, entry_id: str) -> str:
    return f"{section}/{entry_id}.md"


@dataclass(frozen=True)
class Split:
    """The first lectures on and after the build date, and the most recent earlier ones."""

    upcoming: list[Lecture]
    upcoming_total: int
    past: list[Lecture]
    past_total: int


def split(lectures: list[Lecture], today: date, limit: int = PAST_LIMIT, upcoming_limit: int = UPCOMING_LIMIT) -> Split:
    """`lectures` in date order, as the catalogue's tables list them (`Catalog.lectures_in_order`)."""
    first = first_upcoming(lectures, today)
    return Split(lectures[first:first + upcoming_limit], len(lectures) - first,
                 lectures[max(0, first - limit):first][::-1], first)


def first_upcoming(lectures: list[Lecture], today: date) -> int:
    """Where the lectures on and after `today` begin in `lectures`, which are in date order: a
    search, not a pass over them (a page is planned for each of 100,000 lectures' lecturers, places …)."""
    return bisect_left(lectures, today, key=_date)


def upcoming_count(lectures: list[Lecture], today: date) -> int:
    return len(lectures) - first_upcoming(lectures, today)


_date = attrgetter("date")


class PlanAnew:
    """Plans the entry pages of a kind (`each`) every time; kept_pages.KeptPages keeps those of the last plan."""

    def each(self, kind: str, keys: list[str], inputs: Callable[[str], tuple[Any, ...]], plan: Callable[..., Page],
             changed: set[str] | None = None) -> list[Page]:
        """The page `plan(*inputs(key))` of each key, in order.  `changed`: the keys whose inputs may
        differ from those of the last plan (of the catalogue `Catalog.previous`); None: any key's."""
        return [plan(*inputs(key)) for key in keys]


def plan_pages(catalog: Catalog, today: date, settings: SiteSettings, articles: tuple[Article, ...] = (),
               planner: PlanAnew | None = None) -> list[Page]:
    """Every generated page of the site, in a stable order."""
    c = catalog
    planner = planner or PlanAnew()
    pages: list[Page] = []

    def add(path: str, template: str, title: str, **context: Any) -> None:
        pages.append(Page(path, template, title, {"today": today, "catalog": c, "settings": settings, **context}))

    def grows(path: str, template: str, title: str, **context: Any) -> None:
        pages.append(grown(path, template, title, **context))

    def grown(path: str, template: str, title: str, **context: Any) -> Page:
        return Page(path, template, title, {"today": today, "catalog": c, "settings": settings, **context}, True)

    months = {month: c.lectures_by_month[month] for month in sorted(c.lectures_by_month)}
    upcoming = c.lectures_in_order[first_upcoming(c.lectures_in_order, today):]

    add("index.md", "home.md.j2", "首页", upcoming=upcoming[:HOME_UPCOMING + HOME_SPARE], shown=HOME_UPCOMING,
        upcoming_total=len(upcoming), districts=_sorted(c.districts), topics=_sorted(c.topics),
        audiences=vocab.AUDIENCES, free_venues=sum(1 for v in c.venues.values() if v.admission == "free"))

    for topic in c.topics.values():
        add(entry_path("topics", topic.id), "topic.md.j2", topic.name, topic=topic,
            articles=[a for a in articles if topic.id in a.topics],
            lecturers=c.lecturers_by_topic.get(topic.id, []), lectures=split(c.lectures_by_topic.get(topic.id, []), today))
    month_counts = {month: len(lectures) for month, lectures in months.items()}
    add("lectures/index.md", "lectures_index.md.j2", "讲座", upcoming=upcoming[:UPCOMING_LIMIT],
        upcoming_total=len(upcoming), months=month_counts)
    add("calendar/index.md", "calendar_index.md.j2", "讲座日历", months=month_counts, current=today.strftime("%Y-%m"))
    add("opendata/index.md", "opendata.md.j2", "开放数据", years=sorted({month[:4] for month in months}))
    add("lecturers/index.md", "lecturers_index.md.j2", "讲师团",
        city=[p for p in _sorted(c.lecturers, "name") if p.level == "city"],
        county=_group_by_district(c, [p for p in c.lecturers.values() if p.level == "county"]))
    for kind, section in PLACE_SECTIONS.items():
        table = _places_of(c, kind)
        add(f"{section}/index.md", "places_index.md.j2", PLACE_LABELS[kind], kind=kind,
            groups=_group_by_district(c, list(table.values())))
    add("districts/index.md", "districts_index.md.j2", "区县", districts=_sorted(c.districts),
        counts={d: len(c.places_by_district.get(d, [])) for d in c.districts},
        upcoming_counts={d: upcoming_count(c.lectures_by_district.get(d, []), today) for d in c.districts})
    add("topics/index.md", "topics_index.md.j2", "主题", topics=_sorted(c.topics),
        counts={t: len(c.lectures_by_topic.get(t, [])) for t in c.topics})
    add("series/index.md", "series_index.md.j2", "系列课程", series=_sorted(c.series),
        counts={s: len(c.lectures_by_series.get(s, [])) for s in c.series})
    add("audiences/index.md", "audiences_index.md.j2", "按孩子年龄", audiences=vocab.AUDIENCES,
        counts={a: upcoming_count(c.lectures_by_audience.get(a, []), today) for a in vocab.AUDIENCES})
    add("nearby/index.md", "nearby.md.j2", "附近", groups=_group_by_district(c, list(c.places.values())))
    for article in articles:
        of_article = article_upcoming(c, article, today)
        add(article.page_path, "article.md.j2", article.title, article=article,
            upcoming=of_article[:ARTICLE_UPCOMING], upcoming_total=len(of_article))
    add("articles/index.md", "articles_index.md.j2", "家长课堂",
        groups=[(t, [a for a in articles if a.topics[0] == t.id]) for t in c.topics.values()])
    of_campaign = {campaign.id: campaigns.lectures(c, campaign) for campaign in campaigns.CAMPAIGNS}
    for campaign in campaigns.CAMPAIGNS:
        add(f"campaigns/{campaign.id}.md", "campaign.md.j2", campaign.title, campaign=campaign,
            lectures=split(of_campaign[campaign.id], today, limit=10_000, upcoming_limit=10_000),
            series=campaigns.series(c, campaign))
    add("campaigns/index.md", "campaigns_index.md.j2", "主题活动", campaigns=campaigns.CAMPAIGNS,
        counts={k: len(lectures) for k, lectures in of_campaign.items()})
    add("stats/index.md", "stats.md.j2", "数据统计", stats=stats.compute(c, today))

    # Last, the pages outside the navigation that grow with the catalogue (see `grown_paths`): the lists
    # of a district, an age group (and of it in a district) and a month, then the entry pages of series,
    # lecturers, places and lectures.
    near = {audience: [(district, c.lectures_near.get((audience, district.id), [])) for district in _sorted(c.districts)]
            for audience in vocab.AUDIENCES}
    for district in c.districts.values():
        places = c.places_by_district.get(district.id, [])
        grows(entry_path("districts", district.id), "district.md.j2", district.name, district=district,
            venues=[p for p in places if p.id in c.venues], bases=[p for p in places if p.id in c.bases],
            stations=[p for p in places if p.id in c.stations],
            lecturers=c.lecturers_by_district.get(district.id, []),
            lectures=split(c.lectures_by_district.get(district.id, []), today))
    for audience, label in vocab.AUDIENCES.items():
        grows(entry_path("audiences", audience), "audience.md.j2", f"适合{label}", audience=audience, label=label,
              near=[(district, upcoming_count(lectures, today)) for district, lectures in near[audience]],
            lectures=split(c.lectures_by_audience.get(audience, []), today),
            venues=[v for v in _sorted(c.venues) if audience in vocab.audiences_served(v.audiences)])

    def month_page(month: str, lectures: list[Lecture], previous: str | None, following: str | None) -> Page:
        return grown(f"calendar/{month}.md", "calendar_month.md.j2", _month_title(month), month=month,
                     days=_by_day(lectures), previous=previous, next=following)

    month_keys = list(months)
    around = dict(zip(month_keys, zip([None, *month_keys[:-1]], [*month_keys[1:], None], strict=True), strict=True))
    pages += planner.each("calendar", month_keys, lambda month: (month, months[month], *around[month]), month_page)
    # The finder's lists without JavaScript: each age group's lectures in each district (the home page's finder).
    for audience, label in vocab.AUDIENCES.items():
        for district, lectures in near[audience]:
            grows(f"audiences/{audience}/{district.id}.md", "audience_district.md.j2", f"适合{label} · {district.name}",
                audience=audience, label=label, district=district, lectures=split(lectures, today))

    def series_page(series: Series, sessions: list[Lecture]) -> Page:
        return grown(entry_path("series", series.id), "series.md.j2", series.title, series=series, sessions=sessions)

    def lecturer_page(person: Lecturer, district: District | None, lectures: list[Lecture]) -> Page:
        return grown(entry_path("lecturers", person.id), "lecturer.md.j2", person.name, lecturer=person,
                     district=district, lectures=split(lectures, today))

    def place_page(place: Place, district: District, lectures: list[Lecture]) -> Page:
        kind = c.place_kind(place.id)
        return grown(entry_path(PLACE_SECTIONS[kind], place.id), f"{kind}.md.j2", place.name, place=place, kind=kind,
                     district=district, lectures=split(lectures, today))

    recent = recent_since(today)

    def lecture_page(lecture: Lecture, venue: Place | None, district: District | None, series: Series | None,
                     siblings: list[Lecture]) -> Page:
        return grown(entry_path("lectures", lecture.id), "lecture.md.j2", lecture.title, lecture=lecture, place=venue,
                     place_kind=c.place_kind(venue.id) if venue else None, district=district, series=series,
                     siblings=[s for s in siblings if s.id != lecture.id],
                     upcoming_flag=lecture.date >= today, calendar_file=lecture.date >= recent)

    pages += planner.each("series", list(c.series), lambda key: (c.series[key], c.lectures_by_series.get(key, [])),
                          series_page)

    def lecturer_inputs(key: str) -> tuple[Any, ...]:
        person = c.lecturers[key]
        return person, c.districts.get(person.district) if person.district else None, c.lectures_by_lecturer.get(key, [])

    pages += planner.each("lecturers", list(c.lecturers), lecturer_inputs, lecturer_page,
                          _entries_to_plan(c, "lecturers", "lectures_by_lecturer"))

    def place_inputs(key: str) -> tuple[Any, ...]:
        place = c.places[key]
        return place, c.districts[place.district], c.lectures_by_place.get(key, [])

    for kind in PLACE_SECTIONS:
        pages += planner.each(kind, list(_places_of(c, kind)), place_inputs, place_page,
                              _entries_to_plan(c, "places", "lectures_by_place"))

    def lecture_inputs(key: str) -> tuple[Any, ...]:
        lecture = c.lectures[key]
        venue = c.places.get(lecture.venue) if lecture.venue else None
        return (lecture, venue, c.districts[venue.district] if venue else None, c.series.get(lecture.series) if lecture.series else None,
                c.lectures_by_series.get(lecture.series, []) if lecture.series else [])

    pages += planner.each("lectures", list(c.lectures), lecture_inputs, lecture_page, _lectures_to_plan(c))

    return pages


def _entries_to_plan(c: Catalog, table: str, lists: str) -> set[str] | None:
    """The keys of `table` (lecturers or places) whose pages may be planned otherwise than from the
    catalogue read before (`previous`): those edited and those whose lectures (`lists`) changed;
    None: any key's (no catalogue before, or a district edited)."""
    edited, listed, districts = c.edited(table), c.edited(lists), c.edited("districts")
    if edited is None or listed is None or districts is None or districts:
        return None
    return edited | listed


def _lectures_to_plan(c: Catalog) -> set[str] | None:
    """The lectures whose pages may be planned otherwise than from the catalogue read before (`previous`):
    those edited and the sessions of each series whose sessions changed; None: any lecture's (no
    catalogue before, many lectures edited, or a place, district or series edited)."""
    lectures, sessions = c.edited("lectures"), c.edited("lectures_by_series")
    others = [c.edited(name) for name in ("places", "districts", "series")]
    if lectures is None or sessions is None or any(keys is None or keys for keys in others):
        return None
    return lectures | {lecture.id for series in sessions for lecture in c.lectures_by_series.get(series, [])}


def grown_paths(pages: list[Page]) -> list[str]:
    """The pages outside the navigation that grow with the catalogue, which end the plan: a parallel
    build makes them in slices beside the rest (engine/parallel_build.py) and adds them to the end
    of the sitemap.  (The topics' pages stay with the navigation's: articles link to them in Markdown.)"""
    return [page.path for page in pages if page.grown]


def article_upcoming(c: Catalog, article: Article, today: date) -> list[Lecture]:
    """Lectures of the article's topics from the build date on that will take place (not cancelled or postponed), in date order."""
    wanted = set(article.topics)
    lectures = c.lectures_in_order
    return [l for l in lectures[first_upcoming(lectures, today):] if l.status in ("scheduled", "done") and wanted & set(l.topics)]


def _places_of(c: Catalog, kind: str) -> Mapping[str, Place]:
    tables: dict[str, Mapping[str, Place]] = {"venue": c.venues, "base": c.bases, "station": c.stations}
    return tables[kind]


def _sorted(table: dict[str, Any], key: str = "id") -> list[Any]:
    return sorted(table.values(), key=lambda e: getattr(e, key))


def _by_day(lectures: list[Lecture]) -> list[tuple[date, list[Lecture]]]:
    """`lectures` (in date order) by day."""
    return [(day, list(group)) for day, group in groupby(lectures, key=_date)]


def _month_title(month: str) -> str:
    year, number = month.split("-")
    return f"{year}年{int(number)}月讲座"


def _group_by_district(c: Catalog, entries: list[Any]) -> list[tuple[Any, list[Any]]]:
    groups: dict[str, list[Any]] = defaultdict(list)
    for entry in sorted(entries, key=lambda e: e.id):
        groups[entry.district].append(entry)
    return [(district, groups[district.id]) for district in c.districts.values() if district.id in groups]
