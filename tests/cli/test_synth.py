"""`lvyin synth`: synthetic catalogues for the benchmark are valid, deterministic, and pages do not grow with N."""

from __future__ import annotations

import re
import statistics
from pathlib import Path

import pytest
from conftest import build_site

from generator.bench.synth import TODAY, synthesize
from generator.catalog.load import load_catalog
from generator.cli.main import main as lvyin
from generator.model.vocab import audiences_served
from generator.plan.pages import UPCOMING_LIMIT


def files_of(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_synth_command_writes_a_catalogue_that_validates(tmp_path, capsys):
    assert lvyin(["synth", "--lectures", "300", "--seed", "3", "--out", str(tmp_path)]) == 0
    catalog = tmp_path / "catalog"
    assert lvyin(["validate", "--catalog", str(catalog)]) == 0
    assert "目录数据检查通过：讲座 300 场" in capsys.readouterr().out
    c = load_catalog(catalog)
    assert len(c.districts) == 13 and len(c.stations) == 2000 and len(c.lecturers) == 1000
    assert len(c.venues) + len(c.bases) == 500
    lectures = list(c.lectures.values())
    # Every format, past and upcoming, and the cancelled lectures an archive has.
    assert {l.format for l in lectures} == {"offline", "online", "hybrid"}
    assert any(l.date < TODAY for l in lectures) and any(l.date >= TODAY for l in lectures)
    assert all(l.online_url for l in lectures if l.format != "offline")
    # Lectures are split by month, and Chinese text of a real lecture's length.
    assert sorted(p.name for p in (catalog / "lectures").iterdir())[0] == "2026-09.yaml"
    assert all(350 <= len(re.findall(r"[\u4e00-\u9fff]", l.description)) for l in lectures)


def test_same_seed_gives_identical_files(tmp_path):
    a = files_of(synthesize(tmp_path / "a", 150, seed=5, stations=60, lecturers=40, venues=20, bases=10))
    b = files_of(synthesize(tmp_path / "b", 150, seed=5, stations=60, lecturers=40, venues=20, bases=10))
    c = files_of(synthesize(tmp_path / "c", 150, seed=6, stations=60, lecturers=40, venues=20, bases=10))
    assert a == b
    assert a != c


def test_a_busy_small_catalogue_has_no_double_bookings(tmp_path):
    """Few places and lecturers for many lectures: the slot grid still keeps every check green."""
    catalog = synthesize(tmp_path, 2000, seed=2, stations=30, lecturers=25, venues=8, bases=5)
    assert len(load_catalog(catalog).lectures) == 2000  # load_catalog raises on any clash


def lecture_page_sizes(site: Path) -> list[int]:
    return [p.stat().st_size for p in (site / "lectures").glob("*/index.html")]


@pytest.mark.parametrize("sizes", [(100, 400)])
def test_a_lecture_page_does_not_grow_with_the_catalogue(tmp_path, sizes):
    medians = []
    for n in sizes:
        catalog = synthesize(tmp_path / str(n), n, seed=1, stations=40, lecturers=30, venues=14, bases=8)
        site = tmp_path / str(n) / "site"
        assert build_site(catalog, site, "--today", TODAY.isoformat()) == 0
        pages = lecture_page_sizes(site)
        assert len(pages) == n
        medians.append(statistics.median(pages))
    small, large = medians
    assert abs(large - small) / small < 0.05, f"median lecture page {small:.0f} B at N={sizes[0]}, {large:.0f} B at N={sizes[1]}"
    upcoming = [l for l in load_catalog(catalog).lectures.values() if l.date >= TODAY]
    assert len(upcoming) > UPCOMING_LIMIT  # so the lists below must stop
    # The list pages stop too: the lectures index after the next UPCOMING_LIMIT, pointing at the months.
    html = (site / "lectures" / "index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<li class="lv-item lv-lecture', html)) == UPCOMING_LIMIT
    assert f"近期讲座（<span data-lv-upcoming-count>{len(upcoming)}</span> 场）" in html and f"这里列出最近的 {UPCOMING_LIMIT} 场" in html
    # … and an entry page's upcoming list (here: primary-school parents') after as many, pointing at the calendar.
    primary = [l for l in upcoming if "primary" in audiences_served(l.audiences)]  # 全学段 lectures too
    assert len(primary) > UPCOMING_LIMIT
    html = (site / "audiences" / "primary" / "index.html").read_text(encoding="utf-8")
    upcoming_list = html.split('id="upcoming"')[1].split('id="past"')[0]
    assert len(re.findall(r'<li class="lv-item lv-lecture', upcoming_list)) == UPCOMING_LIMIT
    assert f"共 <span data-lv-upcoming-count>{len(primary)}</span> 场近期讲座，这里列出最近 {UPCOMING_LIMIT} 场" in upcoming_list
