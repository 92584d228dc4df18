"""The coverage dashboard: figures computed here, independently, from the catalogue,
compared with the /stats/ page's tables, its CSV files, its charts and `lvyin stats`."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from datetime import date

from bs4 import BeautifulSoup
from conftest import BASE_FILES, DEMO_CATALOG, DEMO_TODAY

from generator.catalog.load import load_catalog
from generator.cli.main import main as lvyin
from generator.outputs.site_files import outputs
from generator.plan.site import load_site
from generator.plan.stats import compute, school_year

TODAY = date.fromisoformat(DEMO_TODAY)
# The school year that contains 2026-11-28.
YEAR_START, YEAR_END = date(2026, 9, 1), date(2027, 8, 31)
KEYS = ["districts", "stations", "months", "topics", "audiences", "lecturers", "admission", "formats"]


def expected_tables(c) -> dict[str, list[list[str]]]:
    """Every table of the dashboard, computed from the catalogue by this test, as text cells."""
    live = [l for l in c.lectures.values() if YEAR_START <= l.date <= YEAR_END and l.status in ("scheduled", "done")]
    station_rows, district_rows = [], []
    for d in c.districts.values():
        stations = sorted((s for s in c.stations.values() if s.district == d.id), key=lambda s: s.id)
        if not stations:
            continue
        totals = []
        for s in stations:
            mine = [l for l in live if l.venue == s.id]
            held = sum(1 for l in mine if l.date < TODAY)
            ahead = len(mine) - held
            totals.append((held, ahead))
            kind = {"community": "社区家庭教育指导服务站", "village": "村家庭教育指导服务站", "school": "家长学校"}[s.kind]
            verdict = "达标" if held + ahead >= 4 else f"差 {4 - held - ahead} 场"
            station_rows.append([d.name, s.name, kind, held, ahead, held + ahead, verdict])
        on = sum(1 for h, a in totals if h + a >= 4)
        district_rows.append([d.name, len(stations), sum(h for h, _ in totals), sum(a for _, a in totals),
                              sum(h + a for h, a in totals), on, round(100 * on / len(stations) + 1e-9)])
    months = [[f"{y}年{m}月", sum(1 for l in live if (l.date.year, l.date.month) == (y, m))]
              for y, m in [(2026, m) for m in range(9, 13)] + [(2027, m) for m in range(1, 9)]]
    topics = [[t.name, sum(1 for l in live if t.id in l.topics)] for t in c.topics.values()]
    labels = {"preschool": "学前", "primary": "小学", "junior": "初中", "senior": "高中", "all": "全学段",
              "grandparents": "祖辈家长", "left-behind": "留守儿童家庭", "in-need": "困境儿童家庭"}
    audiences = [[label, sum(1 for l in live if a in l.audiences)] for a, label in labels.items()]
    people = [[p.name, {"city": "市级讲师团", "county": "县区讲师团"}[p.level], sum(1 for l in live if p.id in l.lecturers)]
              for p in c.lecturers.values()]
    people.sort(key=lambda r: (-r[2], r[0]))
    admission = [[label, sum(1 for v in c.venues.values() if v.admission == k)]
                 for k, label in (("free", "免费开放"), ("discount", "优惠开放"), ("paid", "收费"))]
    formats = [[label, sum(1 for l in live if l.format == k)]
               for k, label in (("offline", "线下"), ("online", "线上"), ("hybrid", "线上线下同步"))]
    tables = {"districts": district_rows, "stations": station_rows, "months": months, "topics": topics,
              "audiences": audiences, "lecturers": people, "admission": admission, "formats": formats}
    return {k: [[str(v) for v in row] for row in rows] for k, rows in tables.items()}


def page_tables(html: str) -> dict[str, list[list[str]]]:
    doc = BeautifulSoup(html, "html.parser")
    return {t["data-stats"]: [[cell.get_text(strip=True) for cell in tr.find_all(["th", "td"])] for tr in t.select("tbody tr")]
            for t in doc.select("table[data-stats]")}


def test_demo_figures_on_the_page_and_in_the_csvs(demo_site, catalog):
    expected = expected_tables(catalog)
    html = (demo_site / "stats" / "index.html").read_text(encoding="utf-8")
    assert page_tables(html) == expected
    for key in KEYS:
        raw = (demo_site / "stats" / f"{key}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), key  # BOM: Excel on Chinese Windows reads UTF-8
        assert b"\r\n" in raw
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert rows[1:] == expected[key], key
        headers = [th.get_text() for th in BeautifulSoup(html, "html.parser").select(f"table[data-stats={key}] thead th")]
        assert rows[0] == headers
    # The demo's stations all reach the plan's four sessions over the school year.
    assert all(row[-1] == "达标" for row in expected["stations"])
    assert sum(int(r[1]) for r in expected["districts"]) == len(catalog.stations)


def test_each_chart_is_static_svg_beside_its_table_with_a_download(demo_site):
    doc = BeautifulSoup((demo_site / "stats" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert not doc.select("article script, .lv-stats script")
    for key in KEYS:
        section = doc.select_one(f"section#{key}")
        table = section.select_one("table[data-stats]")
        assert table.caption.get_text() == section.h2.get_text()
        img = section.select_one("figure.lv-chart img")
        assert img["src"] == f"{key}.svg"
        assert section.select_one("a[download]")["href"] == f"{key}.csv"
        svg = (demo_site / "stats" / f"{key}.svg").read_text(encoding="utf-8")
        root = ET.fromstring(svg)  # well-formed XML
        assert not re.search(r"<script|href=|url\(|@import", svg)
        ns = "{http://www.w3.org/2000/svg}"
        rows = table.select("tbody tr")
        bars = [r for r in root.iter(f"{ns}rect")][1:]  # the first rect is the background
        assert len(bars) == len(rows), key
        labels = [t.text for t in root.iter(f"{ns}text")]
        label_column = 1 if key == "stations" else 0  # the station's name, not its district
        for row in rows:
            cells = [c.get_text(strip=True) for c in row.find_all(["th", "td"])]
            assert cells[label_column] in labels, key


def test_lvyin_stats_prints_the_same_tables(catalog, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "240")
    assert lvyin(["stats", "--catalog", str(DEMO_CATALOG), "--today", DEMO_TODAY]) == 0
    out = capsys.readouterr().out
    expected = expected_tables(catalog)
    lines = out.splitlines()
    for key in ("districts", "stations", "lecturers", "formats"):
        for row in expected[key]:
            line = next((l for l in lines if f"│ {row[0]} " in l and (len(row) < 3 or row[1] in l)), None)
            assert line is not None, (key, row)
            cells = [c.strip() for c in line.strip("│ ").split("│")]
            assert cells == row, (key, cells, row)
    assert "2026—2027 学年" in out and "达标站点 38 / 38 个" in out


def test_school_year_boundaries():
    assert school_year(date(2026, 9, 1)).start == date(2026, 9, 1)
    assert school_year(date(2026, 8, 31)).start == date(2025, 9, 1)
    assert school_year(date(2027, 2, 1)).end == date(2027, 8, 31)


# A small catalogue with the cases that decide what counts: two stations in one district, one
# station elsewhere, sessions held and scheduled, cancelled, postponed, last school year, online.
def lecture(lid: str, day: str, venue: str | None, status: str = "scheduled", fmt: str = "offline", start: str = "09:00") -> str:
    place = f"\n  venue: {venue}" if venue else ""
    online = "\n  online_url: https://live.example.cn/x" if fmt != "offline" else ""
    return f"""
- id: {lid}
  title: 讲座 {lid}
  date: {day}
  start: {start}
  end: "{int(start[:2]) + 1:02d}:00"
  lecturers: [wang-fang]{place}
  format: {fmt}{online}
  audiences: [primary]
  topics: [safety]
  organizer: 市妇联
  status: {status}
"""


SMALL = {
    "stations/weibin.yaml": BASE_FILES["stations/weibin.yaml"] + """
        - id: qiaonan
          name: 桥南家长学校
          kind: school
          district: weibin
          street: 桥南街道
          address: 桥南路 1 号
          host: 桥南小学
        - id: dongfeng
          name: 东风路社区家庭教育指导服务站
          kind: community
          district: jintai
          street: 东风路街道
          address: 东风路 3 号
          host: 东风路社区居委会
        """,
    "lectures/2026-12.yaml": "\n".join([
        # qingjiang: 2 held, 2 scheduled (+1 cancelled, +1 postponed, +1 last school year) → 4, on target
        lecture("q1", "2026-09-12", "qingjiang", "done"), lecture("q2", "2026-10-10", "qingjiang"),
        lecture("q3", "2026-12-05", "qingjiang"), lecture("q4", "2027-06-05", "qingjiang"),
        lecture("q5", "2026-12-12", "qingjiang", "cancelled"), lecture("q6", "2027-01-09", "qingjiang", "postponed"),
        lecture("q7", "2026-06-06", "qingjiang", "done"),
        # qiaonan: 1 held, 1 scheduled → 2, short by 2
        lecture("n1", "2026-11-01", "qiaonan", "done"), lecture("n2", "2027-03-06", "qiaonan"),
        # dongfeng: nothing this year; one next school year
        lecture("d1", "2027-09-04", "dongfeng"),
        # not at a station: a library and online
        lecture("v1", "2026-12-19", "city-library", fmt="hybrid"), lecture("o1", "2026-12-26", None, fmt="online"),
    ]),
}


def test_small_catalogue_counts_what_the_plan_counts(make_catalog):
    catalog_dir = make_catalog(SMALL)
    stats = compute(load_catalog(catalog_dir), TODAY)
    stations = {row[1]: row[3:] for row in stats.table("stations").rows}
    assert stations == {"清姜路社区家庭教育指导服务站": (2, 2, 4, "达标"), "桥南家长学校": (1, 1, 2, "差 2 场"),
                        "东风路社区家庭教育指导服务站": (0, 0, 0, "差 4 场")}
    assert stats.table("districts").rows == (("渭滨区", 2, 3, 3, 6, 1, 50), ("金台区", 1, 0, 0, 0, 0, 0))
    assert (stats.stations, stats.stations_on_target, stats.held, stats.scheduled) == (3, 1, 3, 3)
    formats = dict(stats.table("formats").rows)
    assert formats == {"线下": 6, "线上": 1, "线上线下同步": 1}
    months = dict(stats.table("months").rows)
    assert months["2026年12月"] == 3 and months["2027年1月"] == 0 and sum(months.values()) == 8
    assert dict((r[0], r[2]) for r in stats.table("lecturers").rows) == {"王芳": 8}


def test_small_catalogue_page_and_csv_show_the_shortfall(make_catalog):
    site = load_site(make_catalog(SMALL), DEMO_TODAY)
    files = dict(outputs(site))
    tables = page_tables(files["stats/index.md"])
    assert ["渭滨区", "桥南家长学校", "家长学校", "1", "1", "2", "差 2 场"] in tables["stations"]
    assert tables["districts"][0] == ["渭滨区", "2", "3", "3", "6", "1", "50"]
    rows = list(csv.reader(io.StringIO(files["stats/stations.csv"].decode("utf-8-sig"))))
    assert rows[1:] == tables["stations"]
    assert "达标站点</dt><dd>1 / 3 个" in files["stats/index.md"]
    svg = files["stats/stations.svg"].decode("utf-8")
    assert "目标 4场" in svg and svg.count("#ef6c00") == 2  # the two stations short of the target


def test_figures_after_an_edit_are_those_a_first_reading_gives(make_catalog):
    """`lvyin serve` reads the catalogue again after each edit: an edit the figures do not count (a
    title) keeps the last figures; one they count (a status) gives new ones, as a first reading does."""
    from generator.catalog.files import FileCache
    from generator.catalog.load import check_catalog

    catalog_dir, files = make_catalog(SMALL), FileCache()
    lectures = catalog_dir / "lectures" / "2026-12.yaml"
    text = lectures.read_text(encoding="utf-8")
    catalog = check_catalog(catalog_dir, files)[0]
    figures = compute(catalog, TODAY)
    titled = text.replace("title: 讲座 q2", "title: 讲座 q2（改）", 1)
    for edited, alike in ((titled, True), (titled.replace("status: cancelled", "status: scheduled", 1), False)):
        lectures.write_text(edited, encoding="utf-8")
        previous, catalog = catalog, check_catalog(catalog_dir, files)[0]
        assert catalog.previous is previous  # kept alive, as the preview keeps it while it plans
        again = compute(catalog, TODAY)
        assert (again is figures) == alike
        assert again == compute(load_catalog(catalog_dir), TODAY)
        figures = compute(catalog, TODAY)  # of the catalogue read last again, for the next edit
    stations = {row[1]: row[3:] for row in figures.table("stations").rows}
    assert stations["清姜路社区家庭教育指导服务站"] == (2, 3, 5, "达标")  # q5 no longer cancelled
