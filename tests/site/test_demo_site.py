"""The shipped demo catalogue, built into the real site."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from generator.engine.site_check import check_site
from generator.model.kinds import PLACE_SECTIONS


def html(site, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_demo_catalogue_is_as_large_as_promised(catalog):
    assert len(catalog.districts) >= 12
    assert {d.name for d in catalog.districts.values()} >= {"渭滨区", "金台区", "陈仓区", "凤翔区", "岐山县", "扶风县", "眉县", "陇县", "千阳县", "麟游县", "凤县", "太白县"}
    assert len(catalog.topics) >= 12 and len(catalog.lecturers) >= 24 and len(catalog.venues) >= 24
    assert len(catalog.bases) >= 10 and len(catalog.stations) >= 24
    per_district = {d: sum(1 for s in catalog.stations.values() if s.district == d) for d in catalog.districts}
    assert all(per_district[d] >= 2 for d in per_district if catalog.districts[d].kind != "功能区"), per_district
    lectures = list(catalog.lectures.values())
    assert len(lectures) >= 150
    assert min(l.date for l in lectures).isoformat() >= "2026-09-01" and max(l.date for l in lectures).isoformat() <= "2027-06-30"
    assert sum(1 for l in lectures if l.replay) >= 10
    assert sum(1 for l in lectures if l.status == "cancelled") >= 3 and sum(1 for l in lectures if l.status == "postponed") >= 3
    assert sum(1 for l in lectures if l.format == "online") >= 3 and sum(1 for l in lectures if l.format == "hybrid") >= 3
    assert all(p.private for p in catalog.lecturers.values())


def test_every_entry_has_its_page_at_the_contract_url(demo_site, catalog):
    sections = {"lectures": catalog.lectures, "lecturers": catalog.lecturers, "districts": catalog.districts,
                "topics": catalog.topics, "series": catalog.series,
                **{section: {"venue": catalog.venues, "base": catalog.bases, "station": catalog.stations}[kind] for kind, section in PLACE_SECTIONS.items()}}
    for section, table in sections.items():
        for entry_id, entry in table.items():
            doc = html(demo_site, f"{section}/{entry_id}")
            title = getattr(entry, "title", None) if section in ("lectures", "series") else entry.name
            assert doc.select_one("article.lv-entry h1").get_text() == title, (section, entry_id)
    for url in ("", "calendar", "search", "lectures", "lecturers", "venues", "bases", "stations", "districts", "topics", "series", "about"):
        assert (demo_site / url / "index.html").is_file(), url


def test_lecture_pages_are_small_and_do_not_link_every_lecture(demo_site, catalog):
    total = len(catalog.lectures)
    for lecture_id in catalog.lectures:
        path = demo_site / "lectures" / lecture_id / "index.html"
        assert path.stat().st_size < 150_000, lecture_id
        links = set(re.findall(r'href="\.\./([a-z0-9-]+)/"', path.read_text(encoding="utf-8")))
        assert len(links) < total / 4, lecture_id


def test_backlinks_on_entry_pages(demo_site, catalog):
    person = max(catalog.lecturers.values(), key=lambda p: len(catalog.lectures_by_lecturer.get(p.id, [])))
    links = {a["href"] for a in html(demo_site, f"lecturers/{person.id}").select("a.lv-title")}
    assert {f"../../lectures/{l.id}/" for l in catalog.lectures_by_lecturer[person.id]} <= links
    station = next(iter(catalog.stations.values()))
    links = {a["href"] for a in html(demo_site, f"stations/{station.id}").select("a.lv-title")}
    assert {f"../../lectures/{l.id}/" for l in catalog.lectures_by_place.get(station.id, [])} <= links
    district = catalog.districts["weibin"]
    doc = html(demo_site, f"districts/{district.id}")
    links = {a["href"] for a in doc.select("a.lv-title")}
    assert {f"../../stations/{s.id}/" for s in catalog.stations.values() if s.district == "weibin"} <= links
    assert {f"../../venues/{v.id}/" for v in catalog.venues.values() if v.district == "weibin"} <= links
    topic = max(catalog.topics.values(), key=lambda t: len(catalog.lectures_by_topic.get(t.id, [])))
    links = {a["href"] for a in html(demo_site, f"topics/{topic.id}").select("a.lv-title")}
    assert {f"../../lecturers/{p.id}/" for p in catalog.lecturers_by_topic.get(topic.id, [])} <= links
    for series in catalog.series.values():
        links = {a["href"] for a in html(demo_site, f"series/{series.id}").select("a.lv-title")}
        assert {f"../../lectures/{l.id}/" for l in catalog.lectures_by_series[series.id]} == links


def test_cancelled_and_postponed_lectures_are_marked(demo_site, catalog):
    for lecture in catalog.lectures.values():
        if lecture.status in ("cancelled", "postponed"):
            doc = html(demo_site, f"lectures/{lecture.id}")
            note = doc.select_one(".lv-status-note")
            assert note and note.select_one(".admonition-title").get_text() in ("已取消", "已延期")


def test_home_page_offers_every_way_in(demo_site, catalog):
    doc = html(demo_site, "")
    assert "演示数据" in doc.select_one(".md-banner").get_text()  # the banner every page has, not a second notice
    assert doc.select_one("form.lv-search-form")["action"] == "search/"
    hrefs = {a["href"] for a in doc.select(".lv-home a")}
    assert {f"districts/{d}/" for d in catalog.districts} <= hrefs
    assert {f"topics/{t}/" for t in catalog.topics} <= hrefs
    assert {"audiences/primary/", "audiences/junior/", "venues/"} <= hrefs
    upcoming = doc.select(".lv-home .lv-lecture")
    assert upcoming and all(a.select_one("time")["datetime"] >= "2026-11-28" for a in upcoming)


def test_navigation_lists_sections_not_every_lecture(demo_site, catalog):
    doc = html(demo_site, "")
    nav_links = {a["href"] for a in doc.select("nav.md-nav--primary a")}
    assert not any(h.startswith("lectures/") and h != "lectures/" for h in nav_links), nav_links
    assert len(nav_links) < 30


def test_no_broken_links_and_nothing_from_other_hosts(demo_site):
    assert check_site(demo_site) == []
    for path in demo_site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text and "cdn." not in text, path


def test_every_page_says_the_data_is_demo_data(demo_site):
    for url in ("lectures", "venues", "about"):
        assert "演示数据" in html(demo_site, url).select_one(".md-banner").get_text()
