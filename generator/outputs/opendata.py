"""Open data for other sites and the city's WeChat platform.

`/api/lectures.json` holds the lectures from `build_date.RECENT_DAYS` days before
the build date on (what the city's platforms show, and what changes), and lists
the files `/api/lectures/<year>.json`, each with every lecture of a year (at
100,000 lectures one file of all of them was 281 MB, for a consumer to download
again every day).  `/api/places.json` holds every place.  They hold public
fields only: each record is built field by field into a model that forbids
anything else, so a private field (lecturer.private) cannot slip in.  The same
models publish their JSON Schemas (`/api/lectures.schema.json`,
`/api/places.schema.json`).
`/feeds/lectures.xml` is an Atom feed (RFC 4287) of the lectures by date (from
`build_date.RECENT_DAYS` days before the build date on, as the calendar feeds),
rendered by the site's Jinja environment, which escapes every value.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any, Final, Literal, TypedDict
from urllib.parse import urlsplit

import pydantic_core
from pydantic import BaseModel, ConfigDict, Field

from generator.digests import digest, entry_digest
from generator.model import vocab
from generator.model.entries import Base, Lecture, Station, Venue
from generator.model.kinds import PLACE_SECTIONS
from generator.outputs.feeds import SUMMARY_MARK, feed_path, plain_text
from generator.outputs.files import Asset, KeyedAsset
from generator.plan.build_date import RECENT_DAYS, SHANGHAI, recent, recent_since
from generator.plan.geo import to_gcj02, to_wgs84
from generator.render.environment import environment

if TYPE_CHECKING:
    from generator.model.settings import SiteSettings
    from generator.plan.site import Site

API_VERSION: Final = 2  # 2: lectures.json from RECENT_DAYS back on, every year in lectures/<year>.json
# A tag URI (RFC 4151) names each Atom entry for good, whatever the site's address becomes later.
TAG_YEAR = 2026


class _Public(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Ref(_Public):
    id: str
    name: str


class LecturerRef(Ref):
    title: str = Field(description="职称/职务")
    organization: str = Field(description="工作单位")
    url: str = Field(description="讲师页面")


class PlaceRef(Ref):
    kind: Literal["venue", "base", "station"] = Field(description="venue 开放场馆，base 实践基地，station 指导站点")
    address: str
    url: str


class PublicLecture(_Public):
    id: str = Field(description="讲座编号，永不改变")
    title: str
    date: str = Field(description="日期，年-月-日（北京时间）", pattern=r"^\d{4}-\d{2}-\d{2}$")
    start: str = Field(description="开始时间，时:分", pattern=r"^\d{2}:\d{2}$")
    end: str = Field(description="结束时间，时:分", pattern=r"^\d{2}:\d{2}$")
    starts_at: str = Field(description="开始时刻，ISO 8601，带 +08:00")
    ends_at: str = Field(description="结束时刻，ISO 8601，带 +08:00")
    status: Literal["scheduled", "cancelled", "postponed", "done"]
    status_label: str
    status_note: str | None
    format: Literal["offline", "online", "hybrid"]
    online_url: str | None
    place: PlaceRef | None
    district: Ref | None
    lecturers: list[LecturerRef]
    audiences: list[Literal[tuple(vocab.AUDIENCES)]]  # type: ignore[valid-type]
    audience_labels: list[str]
    topics: list[Ref]
    series: Ref | None
    organizer: str
    registration: str | None
    capacity: int | None
    replay: str | None
    description: str | None = Field(description="内容介绍（有限的 Markdown 原文）")
    url: str = Field(description="讲座页面")
    ics: str | None = Field(description=f"单场讲座的日历文件（近 {RECENT_DAYS} 天和今后的讲座才有）")


class Location(_Public):
    lat: float = Field(description="WGS-84 纬度")
    lng: float = Field(description="WGS-84 经度")
    gcj02: list[float] = Field(description="GCJ-02 坐标 [纬度, 经度]（高德、腾讯地图）", min_length=2, max_length=2)


class PublicPlace(_Public):
    id: str
    kind: Literal["venue", "base", "station"]
    category: str = Field(description="类别（中文）")
    name: str
    district: Ref
    address: str
    location: Location | None
    hours: str | None
    phone: str | None
    website: str | None
    admission: Literal["free", "discount", "paid"] | None
    street: str | None
    host: str | None
    description: str | None
    url: str = Field(description="本站页面")
    ics: str | None = Field(description="站点讲座的日历订阅（仅指导站点）")
    upcoming: int = Field(description="构建日及以后的讲座场数")


class _Document(_Public):
    version: Literal[2] = API_VERSION
    name: str = Field(description="网站名称")
    source: str = Field(description="网站地址")
    updated: str = Field(description="数据日期（构建日）")


class YearFile(_Public):
    year: int
    url: str = Field(description="这一年全部讲座的文件")
    lectures: int = Field(description="这一年的讲座场数")


class LecturesDocument(_Document):
    since: str = Field(description="本文件所含讲座的第一天（含）", pattern=r"^\d{4}-\d{2}-\d{2}$")
    until: str | None = Field(description="本文件所含讲座的最后一天（含）；null：包括今后的全部讲座")
    years: list[YearFile] = Field(description="按年份的全部讲座，每年一个文件")
    lectures: list[PublicLecture]


class PlacesDocument(_Document):
    places: list[PublicPlace]


def _iso(day: date, moment: time) -> str:
    return datetime.combine(day, moment, SHANGHAI).isoformat()


_Refs = dict[tuple[str, str], Any]  # (maker, id) → the reference made


def _ref(refs: _Refs, make: Callable[[Site, str], _Public], site: Site, id: str) -> Any:
    """`make(site, id)`, made once for all the lectures that refer to `id` (at 100,000 lectures,
    making the same few thousand references again was most of the open data's time)."""
    key = (make.__name__, id)
    found = refs.get(key)
    if found is None:
        found = refs[key] = make(site, id)
    return found


def public_lecture(site: Site, lecture: Lecture, refs: _Refs) -> PublicLecture:
    c, s = site.catalog, site.settings
    place = c.places.get(lecture.venue) if lecture.venue else None
    return PublicLecture(
        id=lecture.id, title=lecture.title, date=lecture.date.isoformat(),
        start=f"{lecture.start:%H:%M}", end=f"{lecture.end:%H:%M}",
        starts_at=_iso(lecture.date, lecture.start), ends_at=_iso(lecture.date, lecture.end),
        status=lecture.status, status_label=vocab.STATUSES[lecture.status], status_note=lecture.status_note,
        format=lecture.format, online_url=lecture.online_url,
        place=_ref(refs, _place_ref, site, place.id) if place else None,
        district=_ref(refs, _district_ref, site, place.district) if place else None,
        lecturers=[_ref(refs, _lecturer_ref, site, i) for i in lecture.lecturers],
        audiences=list(lecture.audiences), audience_labels=[vocab.AUDIENCES[a] for a in lecture.audiences],
        topics=[_ref(refs, _topic_ref, site, t) for t in lecture.topics],
        series=_ref(refs, _series_ref, site, lecture.series) if lecture.series else None,
        organizer=lecture.organizer, registration=lecture.registration, capacity=lecture.capacity,
        replay=lecture.replay, description=lecture.description,
        url=s.absolute(f"lectures/{lecture.id}/"),
        ics=s.absolute(feed_path("lectures", lecture.id)) if lecture.date >= recent_since(site.today) else None,
    )


def _place_ref(site: Site, id: str) -> PlaceRef:
    place, kind = site.catalog.places[id], site.catalog.place_kind(id)
    return PlaceRef(id=place.id, name=place.name, kind=kind, address=place.address,
                    url=site.settings.absolute(f"{PLACE_SECTIONS[kind]}/{place.id}/"))


def _district_ref(site: Site, id: str) -> Ref:
    return Ref(id=id, name=site.catalog.districts[id].name)


def _lecturer_ref(site: Site, id: str) -> LecturerRef:
    p = site.catalog.lecturers[id]
    return LecturerRef(id=p.id, name=p.name, title=p.title, organization=p.organization,
                       url=site.settings.absolute(f"lecturers/{p.id}/"))


def _topic_ref(site: Site, id: str) -> Ref:
    return Ref(id=id, name=site.catalog.topics[id].name)


def _series_ref(site: Site, id: str) -> Ref:
    return Ref(id=id, name=site.catalog.series[id].title)


def public_place(site: Site, place: Venue | Base | Station) -> PublicPlace:
    c, s = site.catalog, site.settings
    kind = c.place_kind(place.id)
    district = c.districts[place.district]
    category = {"venue": vocab.VENUE_KINDS, "base": vocab.BASE_KINDS, "station": vocab.STATION_KINDS}[kind][place.kind]
    location = None
    if place.location:
        loc = place.location
        lat, lng = to_wgs84(loc.lat, loc.lng, loc.crs)
        g_lat, g_lng = to_gcj02(loc.lat, loc.lng, loc.crs)
        location = Location(lat=round(lat, 6), lng=round(lng, 6), gcj02=[round(g_lat, 6), round(g_lng, 6)])
    return PublicPlace(
        id=place.id, kind=kind, category=category, name=place.name,
        district=Ref(id=district.id, name=district.name), address=place.address, location=location,
        hours=getattr(place, "hours", None), phone=getattr(place, "phone", None), website=getattr(place, "url", None),
        admission=getattr(place, "admission", None), street=getattr(place, "street", None),
        host=getattr(place, "host", None), description=place.description,
        url=s.absolute(f"{PLACE_SECTIONS[kind]}/{place.id}/"),
        ics=s.absolute(feed_path("stations", place.id)) if kind == "station" else None,
        upcoming=sum(1 for l in c.lectures_by_place.get(place.id, []) if l.date >= site.today),
    )


class _Header(TypedDict):
    """What every open data document starts with (`_Document`)."""

    name: str
    source: str
    updated: str


def _header(site: Site) -> _Header:
    return {"name": site.settings.name, "source": site.settings.base_url, "updated": site.today.isoformat()}


def _json(data: BaseModel | dict[str, Any]) -> bytes:
    """Indented JSON in UTF-8, by pydantic-core straight to bytes (the same bytes as `json.dumps`
    with `ensure_ascii=False`, without the dicts and the text on the way: at 100,000 lectures
    those were 750 MB at the open data part's peak)."""
    return pydantic_core.to_json(data, indent=1) + b"\n"


def schema(model: type[BaseModel], site_path: str, title: str, settings: SiteSettings) -> dict[str, Any]:
    result = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": settings.absolute(site_path),
              **model.model_json_schema(), "title": title}
    return result


def year_path(year: int) -> str:
    return f"api/lectures/{year}.json"


def make_open_data(site: Site) -> list[Asset | KeyedAsset]:
    c, s = site.catalog, site.settings
    refs: _Refs = {}
    public: dict[str, PublicLecture] = {}  # made once, as a file needs it

    def records(lectures: list[Lecture]) -> list[PublicLecture]:
        return [public.get(l.id) or public.setdefault(l.id, public_lecture(site, l, refs)) for l in lectures]

    by_year: dict[int, list[Lecture]] = {}
    for lecture in c.lectures_in_order:
        by_year.setdefault(lecture.date.year, []).append(lecture)
    years = [YearFile(year=y, url=s.absolute(year_path(y)), lectures=len(ls)) for y, ls in by_year.items()]
    lectures = LecturesDocument(**_header(site), since=recent_since(site.today).isoformat(), until=None, years=years,
                                lectures=records(recent(c.lectures_in_order, site.today)))
    places = PlacesDocument(**_header(site), places=[public_place(site, p) for p in sorted(c.places.values(), key=lambda p: p.id)])

    shared = functools.cache(lambda: _shared_key(site, years))

    def year_file(y: int, ls: list[Lecture]) -> KeyedAsset:
        return KeyedAsset(year_path(y), lambda: digest("open data year", str(y), shared(), *(entry_digest(l) for l in ls)),
                          lambda: year_json(site, y, years, records(ls)))

    return [
        Asset("api/lectures.json", _json(lectures)),
        *(year_file(y, ls) for y, ls in by_year.items()),
        Asset("api/lectures.schema.json", _json(schema(LecturesDocument, "api/lectures.schema.json", "讲座开放数据", s))),
        Asset("api/places.json", _json(places)),
        Asset("api/places.schema.json", _json(schema(PlacesDocument, "api/places.schema.json", "场馆、基地和站点开放数据", s))),
        Asset("feeds/lectures.xml", atom(site, lectures.lectures).encode("utf-8")),  # as the calendar feeds
    ]


def year_json(site: Site, year: int, years: list[YearFile], lectures: list[PublicLecture]) -> bytes:
    return _json(LecturesDocument(**_header(site), since=f"{year}-01-01", until=f"{year}-12-31", years=years,
                                  lectures=lectures))


def _shared_key(site: Site, years: list[YearFile]) -> str:
    """What every year's file is made of besides its lectures (the key of each is this and their
    digests): every entry a lecture's record may name (places, districts, lecturers, topics,
    series), the list of years, the build date (`updated`, and which lectures have a calendar
    file), and the settings (though site.yaml is part of the tools' fingerprint)."""
    c = site.catalog
    named = [entry for table in (c.places, c.districts, c.lecturers, c.topics, c.series) for entry in table.values()]
    return digest(site.today.isoformat(), entry_digest(site.settings), *(entry_digest(y) for y in years),
                  *(entry_digest(entry) for entry in named))


def atom(site: Site, lectures: list[PublicLecture]) -> str:
    s = site.settings
    host = urlsplit(s.base_url).hostname
    updated = datetime.combine(site.today, time(0), SHANGHAI).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    by_id = site.catalog.lectures
    entries = [{
        "id": f"tag:{host},{TAG_YEAR}:lectures/{l.id}",
        "title": SUMMARY_MARK.get(l.status, "") + l.title,
        "url": l.url,
        "summary": _summary(l, plain_text(by_id[l.id].description)),
        "categories": [t.name for t in l.topics],
    } for l in lectures]
    template = environment().get_template("atom.xml.j2")
    return template.render(name=s.name, organizer=s.organizer, site_url=s.base_url,
                           self_url=s.absolute("feeds/lectures.xml"), feed_id=f"tag:{host},{TAG_YEAR}:lectures",
                           updated=updated, entries=entries)


def _summary(l: PublicLecture, description: str) -> str:
    when = f"{l.date} {l.start}–{l.end}"
    parts = [f"时间：{when}"]
    if l.place:
        parts.append(f"地点：{l.place.name}（{l.place.address}）")
    if l.format != "offline":
        parts.append(f"形式：{vocab.FORMATS[l.format]}")
    if l.lecturers:
        parts.append("主讲：" + "、".join(p.name for p in l.lecturers))
    if l.audience_labels:
        parts.append("适合：" + "、".join(l.audience_labels))
    if l.status in ("cancelled", "postponed"):
        parts.append(f"状态：{l.status_label}" + (f"（{l.status_note}）" if l.status_note else ""))
    if description:
        parts.append(description)
    return "\n".join(parts)
