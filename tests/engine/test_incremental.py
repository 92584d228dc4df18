"""The preview's incremental plan and render: after any edit an editor can make, every page is exactly
what a fresh render gives, and only the pages the edit touches are rendered again."""

from __future__ import annotations

import gc
import operator
import os
import shutil
import weakref
from pathlib import Path

import pytest
from conftest import DEMO_CATALOG

from generator.catalog.files import FileCache
from generator.catalog.load import load_catalog
from generator.engine.incremental import RenderCache
from generator.errors import CatalogInvalid
from generator.outputs.site_files import outputs
from generator.plan.kept_pages import KeptPages
from generator.plan.site import load_site

TODAY = "2026-11-28"
LECTURE = "lectures/2026-12-01-phone-down-ball-up.md"  # by gao-zhiqiang at qishan-caijiapo-school


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


NEW_LECTURE = """
- id: 2026-12-30-new-year-talk
  title: 新年家庭会议怎么开
  date: 2026-12-30
  start: 19:00
  end: 20:00
  lecturers: [zhang-huimin]
  venue: baoji-art-center
  format: offline
  audiences: [primary]
  topics: [reading]
  organizer: 宝鸡市群众艺术馆
  status: scheduled
  description: 和孩子一起回顾这一年，商量新一年的家庭约定。
"""


def drop_first_lecture(root: Path) -> None:
    path = root / "lectures" / "2026-12.yaml"
    text = path.read_text(encoding="utf-8")
    first, second = text.index("- id: 2026-12-01-phone-down-ball-up"), text.index("- id:", text.index("- id:") + 1)
    path.write_text(text[:first] + text[second:], encoding="utf-8")


# (what an editor does, a page it must change, a page it must leave alone)
EDITS = {
    "lecture title": (lambda root: replace_in(root / "lectures" / "2026-12.yaml", "放下手机，拿起球拍", "放下手机，拿起羽毛球拍"),
                      ["calendar/2026-12.md", LECTURE, "lecturers/gao-zhiqiang.md"], "lecturers/zhang-huimin.md"),
    # Only read through the catalogue by the lecture page's template: the recorded lookup catches it.
    "lecturer name": (lambda root: replace_in(root / "lecturers" / "county.yaml", "name: 高志强", "name: 高志刚"),
                      ["lecturers/gao-zhiqiang.md", LECTURE], "lecturers/zhang-huimin.md"),
    "district name": (lambda root: replace_in(root / "districts.yaml", "name: 岐山县", "name: 岐山"),
                      ["districts/qishan.md", LECTURE, "districts/index.md"], "districts/weibin.md"),
    "topic name": (lambda root: replace_in(root / "topics.yaml", "name: 亲子阅读", "name: 亲子共读"),
                   ["topics/reading.md", "topics/index.md"], "lecturers/gao-zhiqiang.md"),
    # A session of a series: the other sessions' pages list it, from files not read again.
    "session title": (lambda root: replace_in(root / "lectures" / "2026-12.yaml", "青铜器里的家国情怀", "青铜器里的家与国"),
                      ["lectures/2026-12-13-gp-bronze-stories.md", "lectures/2027-01-30-gp-reading-guide.md",
                       "series/grandparents-class.md"], LECTURE),
    "lecture moved a month": (lambda root: replace_in(root / "lectures" / "2026-12.yaml", "date: 2026-12-01", "date: 2027-01-05"),
                              ["calendar/2026-12.md", "calendar/2027-01.md", LECTURE], "lecturers/zhang-huimin.md"),
    "lecture added": (lambda root: (root / "lectures" / "2026-12.yaml").open("a", encoding="utf-8").write(NEW_LECTURE),
                      ["lectures/2026-12-30-new-year-talk.md", "lecturers/zhang-huimin.md", "calendar/2026-12.md"], LECTURE),
    "lecture removed": (drop_first_lecture, ["calendar/2026-12.md", "lecturers/gao-zhiqiang.md"], "lecturers/zhang-huimin.md"),
    # The demo notice is the theme's banner now; the site's address is in the calendar links.
    "site settings": (lambda root: replace_in(root / "site.yaml", "https://jtjy.example.cn/", "https://lvyin.example.cn/"),
                      ["districts/weibin.md", "stations/jintai-dongfenglu.md"], None),
}


@pytest.fixture
def demo(tmp_path) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(DEMO_CATALOG, root)
    articles = DEMO_CATALOG.resolve().parent / "articles"
    if articles.is_dir():
        shutil.copytree(articles, tmp_path / "articles")
    return root


def fresh(root: Path, today: str = TODAY) -> dict[str, str | bytes]:
    return dict(outputs(load_site(root, today), with_assets=False))


class Preview:
    """What `lvyin serve` keeps between edits: the files read, the pages planned and rendered."""

    def __init__(self) -> None:
        self.files, self.kept, self.renders = FileCache(), KeptPages(), RenderCache()
        self.shown: dict[str, str | bytes] = {}  # every page's Markdown after the last pass

    @property
    def rendered(self) -> list[str]:
        return self.renders.rendered


def incremental(root: Path, preview: Preview, today: str = TODAY) -> dict[str, str | bytes]:
    """A pass as `lvyin serve` makes it: the pages kept as they were are not even looked at."""
    site = load_site(root, today, preview.files, preview.kept)
    preview.renders.new_pass(site.catalog)
    same = preview.renders.unchanged_paths(site.pages)
    pages = {path: preview.shown[path] for path in same}
    pages.update(outputs(site, lambda page: page.path not in same, with_assets=False, render=preview.renders.render))
    preview.renders.forget_others(pages)
    preview.shown = pages
    return pages


@pytest.mark.parametrize("edit", list(EDITS))
def test_after_an_edit_every_page_is_what_a_fresh_render_gives(demo, edit):
    preview = Preview()
    before = incremental(demo, preview)
    assert len(preview.rendered) == len(before)  # the first time, everything
    change, touched, untouched = EDITS[edit]
    change(demo)
    after = incremental(demo, preview)
    assert after == fresh(demo)
    for path in touched:
        assert path in preview.rendered, f"{edit}: {path} not rendered again"
        assert after.get(path) != before.get(path), f"{edit}: {path} did not change"
    if untouched:
        assert untouched not in preview.rendered
    if edit != "site settings":  # every page shows the site's settings
        assert len(preview.rendered) < len(after) / 2


LECTURE_TABLES = ("lectures_in_order", "lectures_by_lecturer", "lectures_by_place", "lectures_by_topic", "lectures_by_series",
                  "lectures_by_audience", "lectures_by_month", "lectures_by_district", "lectures_near")


@pytest.mark.parametrize("edit", list(EDITS))
def test_after_an_edit_the_catalogues_tables_are_those_of_a_fresh_reading(demo, edit):
    """A catalogue read after an edit derives its lectures' tables from the one before (catalog.tables):
    each is what a fresh reading gives, and each list of the very lectures of before is the very list
    of before (the lectures of a file read again are new objects)."""
    files = FileCache()
    before = load_catalog(demo, files)
    tables = {name: getattr(before, name) for name in LECTURE_TABLES}
    EDITS[edit][0](demo)
    after, fresh = load_catalog(demo, files), load_catalog(demo)
    for name in LECTURE_TABLES:
        assert getattr(after, name) == getattr(fresh, name), name
    untouched = 0
    for name in ("lectures_by_place", "lectures_by_lecturer", "lectures_by_month"):
        for key, lectures in getattr(after, name).items():
            then = tables[name].get(key)
            if then is not None and len(then) == len(lectures) and all(map(operator.is_, then, lectures)):
                assert lectures is then, (name, key)
                untouched += 1
    assert untouched


def test_a_file_saved_unchanged_renders_nothing(demo):
    preview = Preview()
    incremental(demo, preview)
    path = demo / "lectures" / "2026-12.yaml"
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # surely a new modification time
    again = incremental(demo, preview)
    assert preview.rendered == []
    assert again == fresh(demo)


def test_edits_one_after_another_stay_exact(demo):
    preview = Preview()
    incremental(demo, preview)
    for edit in ("lecture title", "lecturer name", "lecture added", "lecture moved a month", "district name"):
        EDITS[edit][0](demo)
        assert incremental(demo, preview) == fresh(demo), edit


def test_an_edit_undone_after_a_pass_left_half_way_is_undone_on_every_page(demo):
    """A pass that stopped half way (a newer edit came) rendered some pages from a catalogue that the
    next pass never compares with: those pages are checked again, not taken as they were."""
    preview = Preview()
    incremental(demo, preview)
    county = demo / "lecturers" / "county.yaml"
    before = county.read_text(encoding="utf-8")
    EDITS["lecturer name"][0](demo)
    site = load_site(demo, TODAY, preview.files, preview.kept)
    preview.renders.new_pass(site.catalog)
    lecture = next(page for page in site.pages if page.path == LECTURE)
    assert "高志刚" in preview.renders.render(lecture)  # and no more of that pass
    county.write_text(before, encoding="utf-8")
    assert incremental(demo, preview) == fresh(demo)


def test_an_edit_read_with_a_broken_file_shows_once_the_file_is_mended(demo):
    """The catalogue that the next plan is read after may be one that was never planned (it had problems):
    what changed since the last plan is told from the last plan's catalogue, not from that one."""
    preview = Preview()
    incremental(demo, preview)
    topics = demo / "topics.yaml"
    good = topics.read_text(encoding="utf-8")
    topics.write_text(good + "\n- id: [\n", encoding="utf-8")
    EDITS["lecture title"][0](demo)
    with pytest.raises(CatalogInvalid):
        incremental(demo, preview)
    unplanned = preview.files.catalog  # alive, as anything might keep it: the next catalogue is read after it
    topics.write_text(good, encoding="utf-8")
    assert incremental(demo, preview) == fresh(demo)
    assert preview.files.catalog.previous is unplanned


def test_the_next_day_plans_every_page_for_it(demo):
    preview = Preview()
    incremental(demo, preview)
    assert incremental(demo, preview, "2026-12-02") == fresh(demo, "2026-12-02")  # the day after LECTURE


def test_pages_kept_from_an_edit_ago_do_not_keep_its_catalogue(demo):
    """The preview keeps each page as it was planned, but not the catalogue it was planned from:
    at 100,000 lectures every edit would otherwise keep one more catalogue and its tables alive."""
    preview = Preview()
    site = load_site(demo, TODAY, preview.files, preview.kept)
    before = dict(outputs(site, with_assets=False, render=preview.renders.render))
    first = weakref.ref(site.catalog)
    del site
    EDITS["lecture title"][0](demo)
    assert incremental(demo, preview) != before
    gc.collect()
    assert first() is None
