"""A big site's search index comes in parts; the search page finds pages of every part."""

from __future__ import annotations

import html
import json
import math
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from browser import require_browser, serve
from conftest import build_site
from test_kills import all_gone

import generator.engine.search_index as search_index
from generator import workers
from generator.bench.synth import synthesize

PART_SIZE = 40
BUILD_DAY = "2027-05-01"  # late in the synthetic school year: most lectures are past


# The pages each Pagefind run of the fixture's build was given.
GIVEN: list[bytes] = []


@pytest.fixture(scope="module")
def split_site(tmp_path_factory):
    require_browser()
    root = tmp_path_factory.mktemp("parts")
    catalog = synthesize(root, 120, seed=4, stations=30, lecturers=20, venues=10, bases=6)
    saved, run = search_index.PART_SIZE, search_index._run
    kept = root / "given"  # the index is a part of the build, in a process of its own: the pages go to files
    kept.mkdir()

    def given(tree: Path, output: Path) -> str:
        for page in tree.rglob("*.html"):
            Path(tempfile.mkstemp(dir=kept)[1]).write_bytes(page.read_bytes())
        return run(tree, output)

    search_index.PART_SIZE, search_index._run = PART_SIZE, given
    try:
        assert build_site(catalog, root / "site", "--today", BUILD_DAY) == 0
    finally:
        search_index.PART_SIZE, search_index._run = saved, run
    GIVEN.extend(file.read_bytes() for file in kept.iterdir())
    return root / "site"


def title(path: Path) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", path.read_text(encoding="utf-8"), re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", found[1])).strip() if found else ""


def test_the_index_is_split_current_parts_first_then_older_lectures(split_site):
    listing = json.loads((split_site / "pagefind" / "parts.json").read_text(encoding="utf-8"))
    parts = search_index.plan_parts(split_site, PART_SIZE)
    current = [p for p in parts if not p.archive]
    archive = [p for p in parts if p.archive]
    assert len(current) >= 2 and len(archive) >= 2
    assert parts == current + archive
    # As few current parts as twice the part size allows (a phone loads each), of about even size
    # (here the upcoming lectures would need a part more of their own: see the test below).
    pages = sum(len(p.pages) for p in current)
    assert len(current) == math.ceil(pages / (2 * PART_SIZE))
    assert max(len(p.pages) for p in current) - min(len(p.pages) for p in current) <= 2 * PART_SIZE // 16
    assert all(len(p.pages) <= PART_SIZE for p in archive)
    assert listing["current"] == [f"../pagefind-parts/{n}/" for n in range(1, len(current))]
    assert [a["url"] for a in listing["archive"]] == [f"../pagefind-parts/{n}/" for n in range(len(current), len(parts))]
    for entry, part in zip(listing["archive"], archive):  # past lectures only, the newest part first
        assert {p.parts[0] for p in part.pages} == {"lectures"} and entry["pages"] == len(part.pages)
        assert entry["from"] <= entry["to"] < BUILD_DAY
    assert [a["to"] for a in listing["archive"]] == sorted((a["to"] for a in listing["archive"]), reverse=True)
    assert all(not p.archive for p in parts[: len(current)])
    for n in range(1, len(parts)):
        assert (split_site / "pagefind-parts" / str(n) / "pagefind-entry.json").is_file()


def test_the_upcoming_lectures_get_parts_of_their_own_only_where_that_takes_no_more_parts():
    def pages(folder: str, count: int, day: str | None = None) -> list:
        return [(Path(f"{folder}/{folder}-{n:03d}/index.html"), day, "") for n in range(count)]

    past = pages("lectures", 10, "2027-05-01")
    # Parts of 40 at most: 40 lectures and 25 other pages make 2 parts either way, each group its own.
    apart = search_index._plan(pages("lectures", 40) + pages("lecturers", 25) + past, 20, keyed=False)
    assert [({page.parts[0] for page in p.pages}, len(p.pages)) for p in apart if not p.archive] == [
        ({"lectures"}, 40), ({"lecturers"}, 25)]
    # 45 lectures would need 2 parts of their own, and the others a third: 70 pages go in 2 parts, mixed.
    mixed = search_index._plan(pages("lectures", 45) + pages("lecturers", 25) + past, 20, keyed=False)
    assert [len(p.pages) for p in mixed if not p.archive] == [35, 35]


def test_the_lectures_of_a_day_gone_to_the_archive_change_only_the_current_part_that_held_them(
        split_site, tmp_path, monkeypatch):
    """The nightly rebuild: the next upcoming lectures become past; the other current parts keep
    their pages (their boundaries do not move), so the build cache keeps their index."""
    # Marks about ten pages apart, more than the day's lectures move a boundary (as at scale: about 300 and 55).
    monkeypatch.setattr(search_index, "MARKS_PER_PART", 2 * PART_SIZE // 10)
    site = Path(shutil.copytree(split_site, tmp_path / "site", ignore=shutil.ignore_patterns("pagefind*")))
    before = [p for p in search_index.plan_parts(site, PART_SIZE, keyed=True) if not p.archive]
    lectures = sorted(page for part in before for page in part.pages if page.parts[0] == "lectures")
    for page in lectures[:3]:  # the day's lectures: the first upcoming ones
        (site / page).unlink()
    after = [p for p in search_index.plan_parts(site, PART_SIZE, keyed=True) if not p.archive]
    held = {n for n, part in enumerate(before) if set(lectures[:3]) & set(part.pages)}
    assert len(held) == 1 and len(after) == len(before) >= 2
    assert [part.key for n, part in enumerate(after) if n not in held] == [part.key for n, part in enumerate(before) if n not in held]


def test_a_big_site_is_read_for_the_plan_by_several_processes_with_the_same_plan(split_site, monkeypatch):
    alone = search_index.plan_parts(split_site, PART_SIZE)
    spawned = []
    real = search_index.lifeline.fork_pool
    monkeypatch.setattr(search_index.lifeline, "fork_pool", lambda processes: spawned.append(processes) or real(processes))
    monkeypatch.setattr(search_index.search_copies, "SCAN_SLICE", 7)  # pages read in slices of 7 by forked workers
    assert search_index.plan_parts(split_site, PART_SIZE) == alone
    assert len(spawned) == 1


def test_pages_are_digested_only_for_a_build_cache(split_site, monkeypatch):
    digested: list[bytes] = []
    real = search_index.digest
    monkeypatch.setattr(search_index, "digest", lambda *parts: digested.extend(p for p in parts if isinstance(p, bytes)) or real(*parts))
    plain = search_index.plan_parts(split_site, PART_SIZE)
    assert digested == [] and {part.key for part in plain} == {""}  # a build without cache reads no page twice
    keyed = search_index.plan_parts(split_site, PART_SIZE, keyed=True)
    assert len(digested) >= sum(len(part.pages) for part in keyed)  # every page read, each digested
    assert [part.pages for part in keyed] == [part.pages for part in plain]
    assert len({part.key for part in keyed}) == len(keyed) and "" not in {part.key for part in keyed}


def test_pagefind_is_given_each_pages_head_and_marked_element_and_makes_the_index_of_the_whole_pages(split_site, tmp_path):
    """`lvyin build`'s parts leave a copy of each page with only what Pagefind reads (a third less
    for it to parse on the archive, and no list that Pagefind ignores): every file of every part
    of the index is as from the whole pages."""
    pages = list((split_site).rglob("*.html"))
    marked = [p for p in pages if b"data-pagefind-body" in p.read_bytes()]
    assert len(GIVEN) == len(marked) > 100
    assert not any(b"md-header" in page or b"md-sidebar" in page or b"md-footer" in page for page in GIVEN)
    assert all(page.count(b"data-pagefind-body") == 1 and b"<title>" in page for page in GIVEN)
    assert not any(b"data-lv-when" in page for page in GIVEN)  # the lists of lectures, which Pagefind ignores
    assert all(b"data-pagefind-filter" in page for page in GIVEN)  # but what Pagefind reads in ignored parts
    whole = tmp_path / "whole"
    shutil.copytree(split_site, whole, ignore=shutil.ignore_patterns(search_index.BUNDLE, search_index.PARTS_DIR))
    with search_index.copies_folder(tmp_path) as copies:  # where the build keeps its copies: the same file system
        for page in sorted(marked):  # whole pages as the "copies"
            target = Path(copies) / page.relative_to(split_site)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(page, target)
        search_index.index_site(whole, PART_SIZE, copies=Path(copies))

    def index(site: Path) -> dict[str, bytes]:
        return {p.relative_to(site).as_posix(): p.read_bytes() for folder in (search_index.BUNDLE, search_index.PARTS_DIR)
                for p in (site / folder).rglob("*") if p.is_file()}

    built, reference = index(split_site), index(whole)
    assert len(built) > 50 and built.keys() == reference.keys()
    assert [name for name in built if built[name] != reference[name]] == []


def _record_runs(monkeypatch) -> list[tuple[str, int, float]]:
    """Fake Pagefind runs; returns ("start"/"end", pages, time) of each.  A run lasts until another
    one goes on beside it (at most 2 s), so that the order does not depend on the machine's speed."""
    events: list[tuple[str, int, float]] = []
    changed = threading.Condition()
    going = [0]

    def run(tree: Path, output: Path) -> str:
        pages = sum(1 for _ in tree.rglob("*.html"))
        with changed:
            events.append(("start", pages, time.perf_counter()))
            going[0] += 1
            changed.notify_all()
            changed.wait_for(lambda: going[0] >= 2, timeout=2)
        time.sleep(0.05)
        with changed:
            events.append(("end", pages, time.perf_counter()))
            going[0] -= 1
        output.mkdir(parents=True, exist_ok=True)
        return ""

    monkeypatch.setattr(search_index, "_run", run)
    return events


def _side_by_side(events) -> list[list[int]]:
    """The pages of the runs going on after each start."""
    running, seen = [], []
    for kind, pages, _ in events:
        if kind == "start":
            running.append(pages)
            seen.append(list(running))
        else:
            running.remove(pages)
    return seen


def test_copies_a_killed_build_left_in_memory_are_deleted_by_the_next_build(tmp_path, monkeypatch):
    memory = tmp_path / "shm"
    memory.mkdir()
    monkeypatch.setattr(workers, "IN_MEMORY", memory)
    monkeypatch.setattr(search_index, "IN_MEMORY_ROOM", 0)
    ended = subprocess.Popen(["true"])
    ended.wait()
    killed = memory / f"lvyin-search-copies-{ended.pid}-a1b2c3d4"  # its build is gone
    running = memory / f"lvyin-search-copies-{os.getppid()}-e5f6g7h8"  # another build, still going
    for folder in (killed, running):
        (folder / "lectures").mkdir(parents=True)
    with search_index.copies_folder(tmp_path) as copies:
        assert Path(copies).parent == memory
        assert sorted(p.name for p in memory.iterdir()) == sorted([running.name, Path(copies).name])
    # its own, deleted once done with, in the background
    assert all_gone(lambda: [p.name for p in memory.iterdir() if p != running]) == []
    assert running.is_dir()


def test_pagefind_runs_go_side_by_side_within_the_memory_budget(split_site, tmp_path, monkeypatch):
    site = tmp_path / "site"
    shutil.copytree(split_site, site, copy_function=os.link)
    parts = search_index.plan_parts(site, PART_SIZE)
    current = [len(p.pages) for p in parts if not p.archive]
    budget = current[0] + PART_SIZE  # the first current part fits beside an archive part, not beside the other current part
    assert current[0] + current[1] > budget
    events = _record_runs(monkeypatch)
    monkeypatch.setattr(search_index, "PAGES_AT_ONCE", budget)
    search_index.index_site(site, PART_SIZE)
    seen = _side_by_side(events)
    assert len(seen) == len(parts) and all(sum(pages) <= budget for pages in seen)
    # The second current part does not hold the runs up: an archive part goes beside the first at once.
    assert sorted(seen[1]) == sorted([current[0], len(parts[len(current)].pages)])
    assert max(len(pages) for pages in seen) == 2


def test_a_failed_pagefind_run_stops_the_others_and_is_reported(split_site, tmp_path, monkeypatch):
    site = tmp_path / "site"
    shutil.copytree(split_site, site, copy_function=os.link)
    started = []

    def run(tree: Path, output: Path) -> str:
        started.append(tree.name)
        if tree.name == "1":
            raise search_index.SearchIndexError("Pagefind 建立搜索索引失败：测试")
        time.sleep(0.2)
        return ""

    monkeypatch.setattr(search_index, "_run", run)
    with pytest.raises(search_index.SearchIndexError, match="测试"):
        search_index.index_site(site, PART_SIZE)
    assert len(started) < len(search_index.plan_parts(site, PART_SIZE))
    assert not list(tmp_path.glob(".lvyin-search-*"))  # the parts' trees are gone


def search(page, query: str) -> list[str]:
    page.fill("#lv-q", query)
    page.press("#lv-q", "Enter")
    page.wait_for_function("q => { const m = document.getElementById('lv-search-message').textContent;"
                           " return m.includes(q) && !m.startsWith('正在'); }", arg=query)
    return page.eval_on_selector_all("#lv-results a.lv-title", "els => els.map(e => new URL(e.href).pathname)")


def test_search_finds_pages_of_every_part_and_older_lectures_when_asked(split_site, browser):
    parts = search_index.plan_parts(split_site, PART_SIZE)
    pages = [p for part in parts for p in part.pages]
    titles = Counter(title(split_site / p) for p in pages)
    archive_urls = [f"/pagefind-parts/{n}/" for n, part in enumerate(parts) if part.archive]
    with serve(split_site) as url:
        for number, part in enumerate(parts):
            # A page of this part whose title no other page has: searching it must find that page.
            unique = [p for p in part.pages if titles[title(split_site / p)] == 1 and len(title(split_site / p)) >= 4]
            assert unique, f"part {number} has no page with a title of its own"
            page_path = unique[len(unique) // 2]
            wanted = "/" + page_path.parent.as_posix() + "/"
            query = title(split_site / page_path)
            page = browser.page()
            fetched: list[str] = []
            page.context.on("request", lambda request: fetched.append(request.url))  # noqa: B023
            page.goto(url + "search/")
            page.wait_for_selector("#lv-search[data-loaded]")
            found = search(page, query)
            archive_loaded = any(a in u for u in fetched for a in archive_urls)
            if not part.archive:
                assert wanted in found, f"part {number}: {query} not found in {found}"
                assert not archive_loaded, "the archive was downloaded without being asked for"
                continue
            # An older lecture: not searched until the parent asks, then found.
            assert wanted not in found and not archive_loaded
            note = page.locator("#lv-archive")
            assert note.is_visible() and "的往期讲座" in note.inner_text()
            note.get_by_role("button", name="也搜索这些往期讲座").click()
            page.wait_for_function("q => { const m = document.getElementById('lv-search-message').textContent;"
                                   " return m.includes(q) && !m.startsWith('正在'); }", arg=query)
            found = page.eval_on_selector_all("#lv-results a.lv-title", "els => els.map(e => new URL(e.href).pathname)")
            assert wanted in found, f"archive part {number}: {query} not found in {found}"
            assert not page.locator("#lv-archive").is_visible()
            page.context.close()
    assert browser.foreign_requests == []


def test_the_past_filter_searches_the_older_lectures_too(split_site, browser):
    with serve(split_site) as url:
        page = browser.page()
        page.goto(url + "search/?时间=往期")
        page.wait_for_selector("#lv-search[data-loaded]")
        page.wait_for_function("() => document.getElementById('lv-search-message').textContent.startsWith('找到')")
        total = int(re.search(r"找到 (\d+) 条", page.locator("#lv-search-message").inner_text())[1])
        # Every past lecture, the archive's included (and nothing left to load).
        assert total >= sum(len(p.pages) for p in search_index.plan_parts(split_site, PART_SIZE) if p.archive)
        assert not page.locator("#lv-archive").is_visible()
        page.context.close()
