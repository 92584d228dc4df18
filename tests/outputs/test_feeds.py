"""Calendar feeds (.ics) of a built site, read back with the icalendar library."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import BASE_FILES, DEMO_CATALOG, build_site, write_catalog
from icalendar import Calendar

from generator.outputs.feeds import feed_ical, make_feeds
from generator.plan.geo import wgs84_to_gcj02
from generator.plan.site import load_site

HOST = "jtjy.example.cn"
FEED_FILES = {
    "stations/weibin.yaml": BASE_FILES["stations/weibin.yaml"] + """
          location: {lat: 34.35, lng: 107.15, crs: wgs84}
        """,
    "stations/jintai.yaml": """
        - id: jintai-station
          name: 金台区东风路社区家庭教育指导服务站
          kind: community
          district: jintai
          street: 东风路街道
          address: 东风路 8 号
          host: 东风路社区居委会
        """,
    "lectures/2026-12.yaml": BASE_FILES["lectures/2026-12.yaml"] + """
          registration: 电话 0917-1234567
          description: |
            **重点**：怎样<b>选书</b>。

            - 第一条
            - 第二条

            [报名](https://example.cn/r)
        - id: safety-1212
          title: 冬季居家安全
          date: 2026-12-12
          start: 19:00
          end: 20:30
          lecturers: [wang-fang]
          venue: qingjiang
          topics: [safety]
          organizer: 清姜路社区
          status: cancelled
          status_note: 场地维修，改期另行通知
        - id: online-1220
          title: 线上答疑：寒假怎么过
          date: 2026-12-20
          start: 20:00
          end: 21:00
          format: online
          online_url: https://live.example.cn/1220
          topics: [reading]
          organizer: 市妇联
        """,
    "lectures/2026-08.yaml": """
        - id: old-0801
          title: 暑期亲子共读（三个多月前）
          date: 2026-08-01
          start: 09:00
          end: 10:30
          lecturers: [wang-fang]
          venue: qingjiang
          topics: [reading]
          organizer: 清姜路社区
        - id: edge-0830
          title: 开学前的亲子共读（90 天前）
          date: 2026-08-30
          start: 09:00
          end: 10:30
          lecturers: [wang-fang]
          venue: qingjiang
          topics: [reading]
          organizer: 清姜路社区
        """,
    "lectures/2027-01.yaml": """
        - id: station-0109
          title: 新年家庭会议
          date: 2027-01-09
          start: 09:30
          end: 11:00
          venue: qingjiang
          topics: [reading]
          organizer: 清姜路社区
        """,
}
# (start, end) in Beijing time of each lecture, as the editor typed it.
TIMES = {
    "old-0801": ("2026-08-01 09:00", "2026-08-01 10:30"),
    "edge-0830": ("2026-08-30 09:00", "2026-08-30 10:30"),
    "reading-1205": ("2026-12-05 14:30", "2026-12-05 16:00"),
    "safety-1212": ("2026-12-12 19:00", "2026-12-12 20:30"),
    "online-1220": ("2026-12-20 20:00", "2026-12-20 21:00"),
    "station-0109": ("2027-01-09 09:30", "2027-01-09 11:00"),
}
# The build date is DEMO_TODAY (2026-11-28): every feed, a lecture's own too, holds the lectures
# from 90 days before it on (2026-08-30, edge-0830); old-0801 is only on its page and in /api/lectures/2026.json.
FEEDS = {
    "all.ics": set(TIMES) - {"old-0801"},
    "districts/weibin.ics": {"edge-0830", "reading-1205", "safety-1212", "station-0109"},
    "districts/jintai.ics": set(),
    "stations/qingjiang.ics": {"edge-0830", "safety-1212", "station-0109"},
    "stations/jintai-station.ics": set(),
    "lecturers/wang-fang.ics": {"edge-0830", "reading-1205", "safety-1212"},
    "topics/reading.ics": {"edge-0830", "reading-1205", "online-1220", "station-0109"},
    "topics/safety.ics": {"safety-1212"},
    **{f"lectures/{lecture}.ics": {lecture} for lecture in TIMES if lecture != "old-0801"},
}


@pytest.fixture(scope="module")
def catalog(tmp_path_factory) -> Path:
    root = write_catalog(tmp_path_factory.mktemp("feeds") / "catalog", BASE_FILES)
    return write_catalog(root, FEED_FILES)


@pytest.fixture(scope="module")
def site(catalog) -> Path:
    site = catalog.parent / "site"
    assert build_site(catalog, site) == 0
    return site


def read(site: Path, feed: str) -> Calendar:
    return Calendar.from_ical((site / "feeds" / feed).read_bytes())


def events(cal: Calendar) -> dict[str, object]:
    return {str(e["UID"]).removesuffix("@" + HOST): e for e in cal.walk("VEVENT")}


def local(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M")


def test_every_feed_has_its_lectures_at_their_beijing_times(site):
    for feed, expected in FEEDS.items():
        cal = read(site, feed)
        found = events(cal)
        assert set(found) == expected, feed
        assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"], feed
        for lecture, event in found.items():
            start, end = event.decoded("DTSTART"), event.decoded("DTEND")
            assert (start.replace(tzinfo=None), end.replace(tzinfo=None)) == tuple(map(local, TIMES[lecture])), feed
            assert start.utcoffset() == end.utcoffset() == timedelta(hours=8)
    raw = (site / "feeds" / "all.ics").read_text(encoding="utf-8")
    assert "DTSTART;TZID=Asia/Shanghai:20261205T143000" in raw and "DTEND;TZID=Asia/Shanghai:20261205T160000" in raw


def test_calendar_names_are_chinese(site):
    assert str(read(site, "all.ics")["X-WR-CALNAME"]) == "宝鸡市家庭教育公益大讲堂·全部讲座"
    assert str(read(site, "districts/weibin.ics")["X-WR-CALNAME"]) == "渭滨区家庭教育讲座"
    assert str(read(site, "stations/qingjiang.ics")["X-WR-CALNAME"]) == "清姜路社区家庭教育指导服务站讲座"
    assert str(read(site, "lecturers/wang-fang.ics")["X-WR-CALNAME"]) == "王芳的讲座"
    assert str(read(site, "lectures/reading-1205.ics")["X-WR-CALNAME"]) == "亲子共读的三个方法"


def test_cancelled_lectures_stay_in_the_feed_as_cancelled(site):
    for feed in ("all.ics", "stations/qingjiang.ics", "lecturers/wang-fang.ics", "lectures/safety-1212.ics"):
        found = events(read(site, feed))
        assert str(found["safety-1212"]["STATUS"]) == "CANCELLED", feed
        assert str(found["safety-1212"]["SUMMARY"]) == "【已取消】冬季居家安全"
        assert "场地维修，改期另行通知" in str(found["safety-1212"]["DESCRIPTION"])
    assert {str(e["STATUS"]) for u, e in events(read(site, "all.ics")).items() if u != "safety-1212"} == {"CONFIRMED"}


def test_event_fields_a_phone_shows(site):
    found = events(read(site, "all.ics"))
    event = found["reading-1205"]
    assert str(event["UID"]) == "reading-1205@jtjy.example.cn"
    assert str(event["URL"]) == "https://jtjy.example.cn/lectures/reading-1205/"
    assert str(event["LOCATION"]) == "宝鸡市图书馆，渭滨区新建路 1 号"
    description = str(event["DESCRIPTION"])
    assert description.startswith("主讲：王芳（高级教师）\n适合：小学\n形式：线下\n主办：市妇联\n报名：电话 0917-1234567")
    # Limited Markdown becomes plain text: no markup, the link target kept, the editor's "<b>" kept as typed.
    assert "重点：怎样<b>选书</b>。\n· 第一条\n· 第二条\n报名（https://example.cn/r）" in description
    assert "**" not in description and "<strong>" not in description and "<p>" not in description
    assert description.endswith("详情：https://jtjy.example.cn/lectures/reading-1205/")
    assert [str(c) for c in event["CATEGORIES"].cats] == ["亲子阅读"]
    online = found["online-1220"]
    assert str(online["LOCATION"]) == "线上：https://live.example.cn/1220" and "GEO" not in online


def test_geo_is_wgs84(site):
    found = events(read(site, "all.ics"))
    # The library's point is GCJ-02 (the default): GEO is the WGS-84 point that maps onto it.
    lat, lng = found["reading-1205"]["GEO"].latitude, found["reading-1205"]["GEO"].longitude
    assert 0.0005 < abs(lat - 34.3619) + abs(lng - 107.2373) < 0.02  # a few hundred metres, as GCJ-02 shifts
    back = wgs84_to_gcj02(lat, lng)
    assert abs(back[0] - 34.3619) < 2e-6 and abs(back[1] - 107.2373) < 2e-6
    # The station's point was typed as WGS-84: unchanged.
    geo = found["station-0109"]["GEO"]
    assert (geo.latitude, geo.longitude) == (34.35, 107.15)


def test_unchanged_input_gives_unchanged_files(catalog, site):
    built = {a.path: a.content for a in make_feeds(load_site(catalog, "2026-11-28"))}
    again = {a.path: a.content for a in make_feeds(load_site(catalog, "2026-11-28"))}
    assert built == again
    for feed in FEEDS:
        assert built[f"feeds/{feed}"] == (site / "feeds" / feed).read_bytes(), feed
    stamps = set(re.findall(rb"DTSTAMP:(\S+)", built["feeds/all.ics"]))
    assert stamps == {b"20261127T160000Z"}  # midnight of the build date in Beijing, not the clock
    later = {a.path: a.content for a in make_feeds(load_site(catalog, "2026-12-01"))}
    strip = lambda data: re.sub(rb"DTSTAMP:\S+", b"", data)  # noqa: E731
    for feed in ("feeds/topics/safety.ics", "feeds/lectures/safety-1212.ics"):  # no lecture leaves them
        assert strip(later[feed]) == strip(built[feed]) != built[feed], feed
    # A later build date moves the window: edge-0830 is no longer 90 days back, and loses its own file.
    assert set(events(Calendar.from_ical(later["feeds/all.ics"]))) == FEEDS["all.ics"] - {"edge-0830"}
    assert "feeds/lectures/edge-0830.ics" in built and "feeds/lectures/edge-0830.ics" not in later


def test_the_atom_feed_keeps_the_window_of_the_calendar_feeds(site):
    atom = (site / "feeds" / "lectures.xml").read_text(encoding="utf-8")
    ids = set(re.findall(r"<id>tag:[^<]*:lectures/([^<]+)</id>", atom))
    assert ids == FEEDS["all.ics"]


def page(site: Path, url: str) -> tuple[Path, BeautifulSoup]:
    path = site / url / "index.html"
    return path, BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("url, feed", [
    ("districts/weibin", "districts/weibin.ics"),
    ("stations/qingjiang", "stations/qingjiang.ics"),
    ("lecturers/wang-fang", "lecturers/wang-fang.ics"),
    ("topics/safety", "topics/safety.ics"),
    ("calendar", "all.ics"),
    ("calendar/2026-12", "all.ics"),
    ("districts", "all.ics"),
    ("stations", "all.ics"),
    ("lecturers", "all.ics"),
    ("topics", "all.ics"),
])
def test_pages_offer_subscribe_and_download_links(site, url, feed):
    path, doc = page(site, url)
    subscribe = [a for a in doc.find_all("a") if a.get("href", "").startswith("webcal://")]
    assert [a["href"] for a in subscribe] == [f"webcal://jtjy.example.cn/feeds/{feed}"]
    assert subscribe[0].get_text().startswith("订阅")
    download = doc.select_one("a.lv-ics")
    assert (path.parent / download["href"]).resolve() == (site / "feeds" / feed).resolve()


def test_lecture_page_has_an_add_to_calendar_button(site):
    path, doc = page(site, "lectures/reading-1205")
    button = [a for a in doc.find_all("a") if a.get_text() == "加入日历"]
    assert len(button) == 1
    target = (path.parent / button[0]["href"]).resolve()
    assert target == (site / "feeds" / "lectures" / "reading-1205.ics").resolve()
    assert set(events(Calendar.from_ical(target.read_bytes()))) == {"reading-1205"}


def test_a_cancelled_lecture_offers_no_calendar_button_but_keeps_its_file(site):
    """A parent would add the old date; a calendar that subscribed to it learns of the cancellation."""
    _, doc = page(site, "lectures/safety-1212")
    assert [a for a in doc.find_all("a") if a.get_text() == "加入日历"] == []
    assert set(events(Calendar.from_ical((site / "feeds" / "lectures" / "safety-1212.ics").read_bytes()))) == {"safety-1212"}


def test_a_lecture_before_the_window_has_no_calendar_file_nor_button(site):
    assert not (site / "feeds" / "lectures" / "old-0801.ics").exists()
    assert sorted(p.stem for p in (site / "feeds" / "lectures").glob("*.ics")) == sorted(set(TIMES) - {"old-0801"})
    _, doc = page(site, "lectures/old-0801")
    assert doc.h1 and [a for a in doc.find_all("a") if a.get_text() == "加入日历"] == []
    _, doc = page(site, "lectures/edge-0830")  # past, but inside the window
    assert [a for a in doc.find_all("a") if a.get_text() == "加入日历"]
    records = {r["id"]: r for r in json.loads((site / "api" / "lectures" / "2026.json").read_text(encoding="utf-8"))["lectures"]}
    assert records["old-0801"]["ics"] is None
    assert records["edge-0830"]["ics"] == "https://jtjy.example.cn/feeds/lectures/edge-0830.ics"


def test_demo_feeds_hold_every_lecture(demo_site):
    texts = [p.read_text(encoding="utf-8") for p in sorted((DEMO_CATALOG / "lectures").glob("*.yaml"))]
    typed_ids = [i for t in texts for i in re.findall(r"^- id: (\S+)", t, re.M)]
    cancelled = sum(len(re.findall(r"^  status: cancelled$", t, re.M)) for t in texts)
    all_events = events(Calendar.from_ical((demo_site / "feeds" / "all.ics").read_bytes()))
    assert sorted(all_events) == sorted(typed_ids) and len(typed_ids) >= 150
    assert sum(1 for e in all_events.values() if str(e["STATUS"]) == "CANCELLED") == cancelled >= 3
    feeds = sorted((demo_site / "feeds").rglob("*.ics"))
    assert len(list((demo_site / "feeds" / "lectures").glob("*.ics"))) == len(typed_ids)
    station_ids = [i for p in (DEMO_CATALOG / "stations").glob("*.yaml")
                   for i in re.findall(r"^- id: (\S+)", p.read_text(encoding="utf-8"), re.M)]
    assert sorted(p.stem for p in (demo_site / "feeds" / "stations").glob("*.ics")) == sorted(station_ids)
    for path in feeds:
        cal = Calendar.from_ical(path.read_bytes())
        assert cal.walk("VTIMEZONE") and str(cal["X-WR-CALNAME"]), path
        for event in cal.walk("VEVENT"):
            assert event.decoded("DTSTART").utcoffset() == timedelta(hours=8), path


# Text holding what separates values and properties in a calendar file (`;`, `,`) and what
# escapes there (`\`, here before an n: unescaped it would read as a line break).
SEPARATORS = "亲子;共读,三个方法\\new"


def unescaped(value: object) -> str:
    """A TEXT value as RFC 5545 3.3.11 reads it back (icalendar keeps NAME and X-WR-CALNAME escaped)."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], str(value))


def test_calendar_separators_in_titles_and_names_read_back_unchanged(tmp_path):
    root = write_catalog(tmp_path / "catalog", BASE_FILES)
    write_catalog(root, {
        "topics.yaml": BASE_FILES["topics.yaml"].replace("name: 亲子阅读", "name: '阅读,写作;表达\\'"),
        "lectures/2026-12.yaml": BASE_FILES["lectures/2026-12.yaml"].replace("title: 亲子共读的三个方法", f"title: '{SEPARATORS}'"),
    })
    assert build_site(root, tmp_path / "site") == 0
    lecture = read(tmp_path / "site", "lectures/reading-1205.ics")
    assert unescaped(lecture["NAME"]) == unescaped(lecture["X-WR-CALNAME"]) == SEPARATORS
    raw = (tmp_path / "site" / "feeds" / "lectures" / "reading-1205.ics").read_bytes().decode("utf-8")
    assert "\r\nNAME:亲子\\;共读\\,三个方法\\\\new\r\n" in raw
    (event,) = lecture.walk("VEVENT")
    assert str(event["SUMMARY"]) == SEPARATORS
    assert [str(c) for c in event["CATEGORIES"].cats] == ["阅读,写作;表达\\"]
    topic = read(tmp_path / "site", "topics/reading.ics")
    assert unescaped(topic["NAME"]) == unescaped(topic["X-WR-CALNAME"]) == "阅读,写作;表达\\·家庭教育讲座"


def test_no_text_leaves_its_content_line():
    """Line breaks of every kind and control characters, should they ever reach a feed."""
    raw = feed_ical("甲\r乙\n丙\r\n丁\u2028戊\x85己\x00,;\\", [])
    lines = re.split(rb"\r\n|\r|\n", raw)  # as the least forgiving reader splits them
    assert lines.count(b"BEGIN:VCALENDAR") == lines.count(b"END:VCALENDAR") == 1
    assert all(re.match(rb"([A-Z-]+[:;]| )", line) for line in lines if line), lines
    cal = Calendar.from_ical(raw)
    assert unescaped(cal["NAME"]) == unescaped(cal["X-WR-CALNAME"]) == "甲\n乙\n丙\n丁\n戊\n己,;\\"
