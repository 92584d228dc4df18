"""Open data of the built demo site: JSON that validates against its published schemas, an Atom feed."""

from __future__ import annotations

import copy
import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import jsonschema
import yaml
from bs4 import BeautifulSoup
from conftest import DEMO_CATALOG, build_site

from generator.outputs.opendata import make_open_data
from generator.plan.site import load_site

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://jtjy.example.cn/"


def load(site: Path, name: str):
    return json.loads((site / "api" / name).read_text(encoding="utf-8"))


def typed_ids(folder: str) -> list[str]:
    return [i for p in sorted((DEMO_CATALOG / folder).glob("*.yaml"))
            for i in re.findall(r"^- id: (\S+)", p.read_text(encoding="utf-8"), re.M)]


def validator(site: Path, name: str) -> jsonschema.Draft202012Validator:
    schema = load(site, name)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == SITE_URL + "api/" + name
    return jsonschema.Draft202012Validator(schema)


def test_lectures_json_validates_against_its_schema(demo_site):
    data = load(demo_site, "lectures.json")
    validator(demo_site, "lectures.schema.json").validate(data)
    assert [l["id"] for l in data["lectures"]] and sorted(l["id"] for l in data["lectures"]) == sorted(typed_ids("lectures"))
    assert data["updated"] == "2026-11-28" and data["source"] == SITE_URL
    assert (data["version"], data["since"], data["until"]) == (2, "2026-08-30", None)  # 90 days back on
    starts = [l["starts_at"] for l in data["lectures"]]
    assert starts == sorted(starts)  # by date
    first = next(l for l in data["lectures"] if l["id"] == "2026-12-01-phone-down-ball-up")
    assert (first["date"], first["start"], first["end"]) == ("2026-12-01", "19:00", "20:30")
    assert first["starts_at"] == "2026-12-01T19:00:00+08:00"
    assert first["place"]["id"] == "qishan-caijiapo-school" and first["place"]["kind"] == "station"
    assert first["url"] == SITE_URL + "lectures/2026-12-01-phone-down-ball-up/"
    assert first["ics"] == SITE_URL + "feeds/lectures/2026-12-01-phone-down-ball-up.ics"
    assert (demo_site / "feeds" / "lectures" / "2026-12-01-phone-down-ball-up.ics").is_file()


def test_every_lecture_is_in_the_file_of_its_year(make_catalog, tmp_path):
    catalog = make_catalog({"lectures/2025-05.yaml": """
        - id: old-0510
          title: 去年的家长课
          date: 2025-05-10
          start: 09:00
          end: 10:30
          format: online
          online_url: https://meeting.example.cn/1
          audiences: [primary]
          topics: [reading]
          organizer: 市妇联
        """})
    assert build_site(catalog, tmp_path / "site") == 0
    site = tmp_path / "site"
    main = load(site, "lectures.json")
    assert [l["id"] for l in main["lectures"]] == ["reading-1205"]  # from 2026-08-30 on
    assert main["years"] == [{"year": 2025, "url": SITE_URL + "api/lectures/2025.json", "lectures": 1},
                             {"year": 2026, "url": SITE_URL + "api/lectures/2026.json", "lectures": 1}]
    schema = validator(site, "lectures.schema.json")
    for year, ids in ((2025, ["old-0510"]), (2026, ["reading-1205"])):
        data = load(site, f"lectures/{year}.json")
        schema.validate(data)
        assert (data["since"], data["until"], data["years"]) == (f"{year}-01-01", f"{year}-12-31", main["years"])
        assert [l["id"] for l in data["lectures"]] == ids
    old = load(site, "lectures/2025.json")["lectures"][0]
    assert (old["title"], old["ics"]) == ("去年的家长课", None)
    page = BeautifulSoup((site / "opendata" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert [a.get_text() for a in page.select(".lv-open-data a") if "lectures/" in a["href"]] == ["2025 年", "2026 年"]


def test_places_json_validates_against_its_schema(demo_site):
    data = load(demo_site, "places.json")
    validator(demo_site, "places.schema.json").validate(data)
    expected = typed_ids("venues") + typed_ids("bases") + typed_ids("stations")
    assert sorted(p["id"] for p in data["places"]) == sorted(expected)
    station = next(p for p in data["places"] if p["id"] == "weibin-qingjianglu")
    assert station["kind"] == "station" and station["url"] == SITE_URL + "stations/weibin-qingjianglu/"
    assert station["location"]["gcj02"] == [34.3558, 107.143]
    # WGS-84 lies a few hundred metres from the GCJ-02 point the editor picked.
    shift = abs(station["location"]["lat"] - 34.3558) + abs(station["location"]["lng"] - 107.143)
    assert 0.0005 < shift < 0.02


def test_schemas_reject_fields_they_do_not_publish(demo_site):
    lectures = validator(demo_site, "lectures.schema.json")
    data = load(demo_site, "lectures.json")
    leaked = copy.deepcopy(data)
    leaked["lectures"][0]["lecturers"] = [dict(leaked["lectures"][0]["lecturers"][0], private={"phone": "13800000000"})]
    assert not lectures.is_valid(leaked)
    missing = copy.deepcopy(data)
    del missing["lectures"][0]["title"]
    assert not lectures.is_valid(missing)
    wrong = copy.deepcopy(data)
    wrong["lectures"][0]["start"] = "7pm"
    assert not lectures.is_valid(wrong)


def _private_values(node) -> list[str]:
    if isinstance(node, dict):
        return [v for k, value in node.items() for v in (_strings(value) if k == "private" else _private_values(value))]
    if isinstance(node, list):
        return [v for item in node for v in _private_values(item)]
    return []


def _strings(node) -> list[str]:
    if isinstance(node, dict):
        return [v for value in node.values() for v in _strings(value)]
    if isinstance(node, list):
        return [v for item in node for v in _strings(item)]
    return [str(node)] if node is not None else []


def _keys(node) -> set[str]:
    if isinstance(node, dict):
        return set(node) | {k for value in node.values() for k in _keys(value)}
    if isinstance(node, list):
        return {k for item in node for k in _keys(item)}
    return set()


def test_no_private_field_in_open_data_feeds_or_sheets(demo_site):
    secrets = [v for p in sorted((DEMO_CATALOG / "lecturers").glob("*.yaml"))
               for v in _private_values(yaml.safe_load(p.read_text(encoding="utf-8")))]
    secrets = [s for s in secrets if len(s) >= 6]
    assert len(secrets) >= 20
    files = [p for folder in ("api", "feeds", "print") for p in (demo_site / folder).rglob("*") if p.is_file()]
    assert len(files) > 300
    for path in files:
        text = path.read_text(encoding="utf-8")
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{leaked[:3]} in {path.relative_to(demo_site)}"
    for name in ("lectures.json", "lectures/2026.json", "lectures/2027.json", "places.json"):
        keys = _keys(load(demo_site, name))
        assert not keys & {"private", "phone_private", "id_number", "email", "notes"}, name


def test_atom_feed_has_every_lecture_by_date(demo_site):
    root = ET.parse(demo_site / "feeds" / "lectures.xml").getroot()
    assert root.tag == ATOM + "feed"
    for name in ("id", "title", "updated"):
        assert len(root.findall(ATOM + name)) == 1, name
    assert root.findtext(ATOM + "title") == "宝鸡市家庭教育公益大讲堂·讲座"
    assert root.find(f"{ATOM}author/{ATOM}name").text == "宝鸡市妇女联合会　宝鸡市教育局"
    links = {l.get("rel"): l.get("href") for l in root.findall(ATOM + "link")}
    assert links["self"] == SITE_URL + "feeds/lectures.xml" and links["alternate"] == SITE_URL
    datetime.fromisoformat(root.findtext(ATOM + "updated").replace("Z", "+00:00"))
    entries = root.findall(ATOM + "entry")
    lectures = load(demo_site, "lectures.json")["lectures"]
    assert len(entries) == len(lectures)
    ids = [e.findtext(ATOM + "id") for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("tag:jtjy.example.cn,2026:lectures/") for i in ids)
    assert [i.rsplit("/", 1)[1] for i in ids] == [l["id"] for l in lectures]  # the JSON's order: by date
    for entry, lecture in zip(entries, lectures):
        for name in ("id", "title", "updated", "summary"):
            assert len(entry.findall(ATOM + name)) == 1, (lecture["id"], name)
        datetime.fromisoformat(entry.findtext(ATOM + "updated").replace("Z", "+00:00"))
        alternate = [l.get("href") for l in entry.findall(ATOM + "link") if l.get("rel") == "alternate"]
        assert alternate == [lecture["url"]]
        title = entry.findtext(ATOM + "title")
        assert title == ("【已取消】" if lecture["status"] == "cancelled" else "【已延期】" if lecture["status"] == "postponed" else "") + lecture["title"]
        assert f"时间：{lecture['date']} {lecture['start']}–{lecture['end']}" in entry.findtext(ATOM + "summary")


def test_feed_readers_read_the_atom_feed(demo_site):
    """feedparser, what many feed readers and aggregators use, reads it as well-formed Atom 1.0."""
    import feedparser

    feed = feedparser.parse((demo_site / "feeds" / "lectures.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    lectures = load(demo_site, "lectures.json")["lectures"]
    assert [e.link for e in feed.entries] == [l["url"] for l in lectures]
    assert feed.feed.title == "宝鸡市家庭教育公益大讲堂·讲座" and feed.feed.author == "宝鸡市妇女联合会　宝鸡市教育局"
    assert all(e.updated_parsed and e.id and e.title and e.summary for e in feed.entries)


def test_text_with_markup_characters_survives_every_format(make_catalog):
    title = '<b>家长</b> & “孩子” \'一起\' ]]> `读书`'
    catalog = make_catalog({"lectures/2026-12.yaml": f"""
        - id: reading-1205
          title: '{title.replace("'", "''")}'
          date: 2026-12-05
          start: 14:30
          end: 16:00
          venue: city-library
          organizer: 市妇联 & 教育局
        """})
    assets = {a.path: a.content for a in make_open_data(load_site(catalog, "2026-11-28"))}
    entry = ET.fromstring(assets["feeds/lectures.xml"]).find(f"{ATOM}entry")
    assert entry.findtext(ATOM + "title") == title
    lecture = json.loads(assets["api/lectures.json"])["lectures"][0]
    assert lecture["title"] == title and lecture["organizer"] == "市妇联 & 教育局"
    jsonschema.validate(json.loads(assets["api/lectures.json"]), json.loads(assets["api/lectures.schema.json"]))


def test_open_data_page_links_to_every_file_and_the_calendar_page_to_none(demo_site):
    assert not BeautifulSoup((demo_site / "calendar" / "index.html").read_text(encoding="utf-8"), "html.parser").select(
        "a[href*='api/'], a[href$='.xml']")  # parents' pages offer calendars, not data formats
    path = demo_site / "opendata" / "index.html"
    doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in doc.select(".lv-open-data a")]
    targets = {(path.parent / href).resolve().relative_to(demo_site.resolve()).as_posix() for href in links}
    assert targets == {"feeds/lectures.xml", "api/lectures.json", "api/lectures.schema.json", "api/places.json",
                       "api/places.schema.json", "api/lectures/2026.json", "api/lectures/2027.json"}
    assert all((demo_site / t).is_file() for t in targets)
