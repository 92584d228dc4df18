"""Calendar feeds (iCalendar, RFC 5545) for phones and desktop calendars.

`/feeds/all.ics`, one feed per district, station, lecturer and topic, and one
per lecture (the 加入日历 button).  Files depend only on the catalogue, the
settings and the build date, so an unchanged input gives an unchanged file:
DTSTAMP is the start of the build date, UIDs are `lecture-id@host`.  Cancelled
lectures stay in every feed with STATUS:CANCELLED, so subscribed phones remove
them instead of keeping a stale entry.

Every feed, a lecture's own included, holds the lectures from
`build_date.RECENT_DAYS` days before the build date on (see plan/build_date.py): with
five years of lectures all.ics had grown to 223 MB, downloaded daily by every
subscribed phone, and the archive's own files were most of the feeds' cost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from icalendar import Calendar, Event, Timezone, vGeo, vText
from markdown_it.token import Token

from generator.memo import remembered
from generator.model import vocab
from generator.model.entries import Lecture
from generator.outputs.files import Asset
from generator.plan.build_date import SHANGHAI, recent
from generator.plan.geo import to_wgs84
from generator.source.markdown import markdown_parser

if TYPE_CHECKING:
    from generator.catalog.tables import Catalog
    from generator.model.settings import SiteSettings
    from generator.plan.site import Site

TZID = "Asia/Shanghai"
PRODID = "-//lvyin//宝鸡市家庭教育公益大讲堂//ZH"
# iCalendar status of each catalogue status; a postponed lecture's date is not to be trusted.
ICAL_STATUS = {"scheduled": "CONFIRMED", "done": "CONFIRMED", "cancelled": "CANCELLED", "postponed": "TENTATIVE"}
SUMMARY_MARK = {"cancelled": "【已取消】", "postponed": "【已延期】"}


# Every line break as LF, which vText writes as "\\n"; other control characters have no place in
# TEXT (RFC 5545 3.3.11 allows tab) and are dropped.
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def ical_text(value: str) -> vText:
    """The one way text enters a calendar file: a property value vText escapes (`\\`, `;`, `,`,
    line breaks) so that it stays on its content line whatever the catalogue holds."""
    return vText(_CONTROLS.sub("", _LINE_BREAKS.sub("\n", value)))


def feed_path(kind: str, entry_id: str | None = None) -> str:
    """Site path of a feed: `feed_path("all")`, `feed_path("districts", "weibin")`, `feed_path("lectures", id)`."""
    return "feeds/all.ics" if kind == "all" else f"feeds/{kind}/{entry_id}.ics"


def webcal(settings: SiteSettings, site_path: str) -> str:
    """The subscribe address (webcal://) of a public file."""
    return "webcal://" + settings.absolute(site_path).split("://", 1)[1]


@remembered("plain_text")
def plain_text(markdown: str | None) -> str:
    """Limited Markdown (description, bio) as plain text: paragraphs, list items, link targets kept."""
    if not markdown:
        return ""
    blocks: list[str] = []
    prefix = ""
    for token in markdown_parser().parse(markdown):
        if token.type == "list_item_open":
            prefix = "· "
        elif token.type == "inline":
            blocks.append(prefix + _inline_text(token.children or []))
            prefix = ""
    return "\n".join(b for b in blocks if b.strip())


def _inline_text(children: list[Token]) -> str:
    out: list[str] = []
    links: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif child.type == "link_open":
            links.append(str(child.attrs.get("href", "")))
        elif child.type == "link_close" and links:
            target = links.pop()
            if target and target not in out[-1:]:
                out.append(f"（{target}）")
    return "".join(out).strip()


def _stamp_line(today: date) -> bytes:
    """DTSTAMP: midnight of the build date in Beijing, in UTC as RFC 5545 requires."""
    stamp = datetime.combine(today, time(0), SHANGHAI).astimezone(UTC)
    return stamp.strftime("DTSTAMP:%Y%m%dT%H%M%SZ\r\n").encode()


def lecture_event(site: Site, lecture: Lecture) -> bytes:
    """The lecture's VEVENT as iCalendar text."""
    c, settings = site.catalog, site.settings
    place = c.places.get(lecture.venue) if lecture.venue else None
    url = settings.absolute(f"lectures/{lecture.id}/")
    where: list[str] = []
    if place:
        where.append(f"{place.name}，{place.address}")
    if lecture.format != "offline":
        where.append(f"线上：{lecture.online_url}" if lecture.online_url else "线上")
    geo = None
    if place and place.location:
        lat, lng = to_wgs84(place.location.lat, place.location.lng, place.location.crs)
        geo = (round(lat, 6), round(lng, 6))
    event = _event_ical(
        f"{lecture.id}@{urlsplit(settings.base_url).hostname}",
        datetime.combine(lecture.date, lecture.start, SHANGHAI), datetime.combine(lecture.date, lecture.end, SHANGHAI),
        SUMMARY_MARK.get(lecture.status, "") + lecture.title, ICAL_STATUS[lecture.status], url, "；".join(where), geo,
        _description(c, lecture, url), tuple(c.topics[topic].name for topic in lecture.topics))
    # The stamp goes in after BEGIN:VEVENT, outside what is remembered: the next day's build
    # makes no event again only because the date moved on.
    return BEGIN_EVENT + _stamp_line(site.today) + event[len(BEGIN_EVENT):]


BEGIN_EVENT = b"BEGIN:VEVENT\r\n"


@remembered("vevent")
def _event_ical(uid: str, start: datetime, end: datetime, summary: str, status: str, url: str,
                location: str, geo: tuple[float, float] | None, description: str, categories: tuple[str, ...]) -> bytes:
    event = Event()
    event.add("uid", uid)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", ical_text(summary))
    event.add("status", status)
    event.add("url", url)
    if location:
        event.add("location", ical_text(location))
    if geo:
        event.add("geo", vGeo(geo))
    event.add("description", ical_text(description))
    if categories:
        event.add("categories", [ical_text(name) for name in categories])
    ical: bytes = event.to_ical()
    assert ical.startswith(BEGIN_EVENT)
    return ical


def _description(c: Catalog, lecture: Lecture, url: str) -> str:
    lines: list[str] = []
    if lecture.status in ("cancelled", "postponed"):
        lines.append(f"{vocab.STATUSES[lecture.status]}：{lecture.status_note or ''}".rstrip("："))
    if lecture.lecturers:
        people = "、".join(f"{c.lecturers[i].name}（{c.lecturers[i].title}）" for i in lecture.lecturers)
        lines.append(f"主讲：{people}")
    if lecture.audiences:
        lines.append("适合：" + "、".join(vocab.AUDIENCES[a] for a in lecture.audiences))
    lines.append(f"形式：{vocab.FORMATS[lecture.format]}")
    lines.append(f"主办：{lecture.organizer}")
    if lecture.registration:
        lines.append(f"报名：{lecture.registration}")
    if lecture.capacity:
        lines.append(f"名额：{lecture.capacity} 人")
    text = plain_text(lecture.description)
    if text:
        lines += ["", text]
    lines += ["", f"详情：{url}"]
    return "\n".join(lines)


@lru_cache(maxsize=1)
def _vtimezone() -> Timezone:
    # Slow to compute and the same for every feed; never mutated after this.
    return Timezone.from_tzid(TZID)


END_CALENDAR = b"END:VCALENDAR\r\n"


def calendar_header(name: str) -> Calendar:
    """A feed's calendar with its properties and no components."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", ical_text(name))
    cal.add("name", ical_text(name))
    cal.add("x-wr-timezone", TZID)
    cal.add("refresh-interval", timedelta(days=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "P1D")
    return cal


@lru_cache(maxsize=1)
def _vtimezone_ical() -> bytes:
    ical: bytes = _vtimezone().to_ical()
    return ical


def feed_ical(name: str, events: Iterable[bytes]) -> bytes:
    """The feed as iCalendar bytes: its properties, the VTIMEZONE (always present, so a feed
    without lectures is still a valid calendar: RFC 5545 wants at least one component) and
    the lectures' events, each serialised once for all the feeds it is in."""
    return _feed_header(name) + _vtimezone_ical() + b"".join(events) + END_CALENDAR


@remembered("feed_header")
def _feed_header(name: str) -> bytes:
    header: bytes = calendar_header(name).to_ical()
    assert header.endswith(END_CALENDAR)
    return header[: -len(END_CALENDAR)]


def make_feeds(site: Site) -> list[Asset]:
    c, name, today = site.catalog, site.settings.name, site.today
    lectures = recent(c.lectures_in_order, today)
    feeds: list[tuple[str, str, list[Lecture]]] = [(feed_path("all"), f"{name}·全部讲座", lectures)]
    for d in c.districts.values():
        feeds.append((feed_path("districts", d.id), f"{d.name}家庭教育讲座", recent(c.lectures_by_district.get(d.id, []), today)))
    for s in c.stations.values():
        feeds.append((feed_path("stations", s.id), f"{s.name}讲座", recent(c.lectures_by_place.get(s.id, []), today)))
    for p in c.lecturers.values():
        feeds.append((feed_path("lecturers", p.id), f"{p.name}的讲座", recent(c.lectures_by_lecturer.get(p.id, []), today)))
    for t in c.topics.values():
        feeds.append((feed_path("topics", t.id), f"{t.name}·家庭教育讲座", recent(c.lectures_by_topic.get(t.id, []), today)))
    for lecture in lectures:
        feeds.append((feed_path("lectures", lecture.id), lecture.title, [lecture]))
    events = {lecture.id: lecture_event(site, lecture) for lecture in lectures}
    return [Asset(path, feed_ical(title, (events[l.id] for l in held))) for path, title, held in feeds]
