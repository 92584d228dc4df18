"""`lvyin build` in parts on every core: the very site one MkDocs build makes, and as safe."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DEMO_CATALOG, DEMO_TODAY, ROOT, build_site
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.structure.pages import Page as MkDocsPage

from generator.cli.main import _parser, _plugin_settings
from generator.engine import parallel_build
from generator.engine.mkdocs_pages import HtmlPage, is_one_html_block
from generator.errors import BUG_NOTE
from generator.model import vocab
from generator.outputs import site_files as site_module
from generator.outputs.files import SiteCollision
from generator.plan.pages import grown_paths, plan_pages
from generator.plan.site import load_site


def snapshot(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def plain_mkdocs_build(catalog: Path, site: Path) -> None:
    """One `mkdocs build`, where the plugin makes the whole site (as under `lvyin serve`)."""
    args = _parser().parse_args(["build", "--catalog", str(catalog), "--today", DEMO_TODAY])
    with _plugin_settings(args):
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=ROOT, env=env, check=True)


def test_the_pages_built_in_slices_are_the_end_of_the_plan():
    site = load_site(DEMO_CATALOG, DEMO_TODAY)
    planned = [page.path for page in plan_pages(site.catalog, site.today, site.settings, site.articles)]
    grown = grown_paths(site.pages)
    c, ages, months = site.catalog, len(vocab.AUDIENCES), len({l.date.strftime("%Y-%m") for l in site.catalog.lectures.values()})
    # The lists of districts, age groups, months and age groups in districts; series, lecturers, venues,
    # bases, stations, lectures.
    assert len(grown) == len(c.districts) + ages + months + ages * len(c.districts) + 5 + 32 + 29 + 12 + 38 + 254
    assert planned[-len(grown):] == grown and not set(grown) & set(planned[: -len(grown)])


# Run as `python -c`: a machine without os.fork and os.sched_getaffinity, where forking would fail.
ONE_PROCESS = """\
import os, sys
del os.sched_getaffinity, os.fork
import generator.catalog.files as catalog_files
import generator.engine.parallel_build as parallel_build
import generator.workers as workers
def refused(*args, **kwargs):
    raise AssertionError("a process was forked")
workers.fork_process = workers.fork_pool = refused
parallel_build.PAGES_PER_PART = 100  # the parts one after the other, here
catalog_files.READ_IN_TWO_FROM = 0  # the catalogue read by one process however big
assert workers.cores() == 1
from generator.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def test_where_processes_cannot_be_forked_validate_and_build_run_in_one_process_to_the_same_site(tmp_path):
    """macOS has no `os.sched_getaffinity`, Windows no `os.fork` either: there `lvyin validate` and
    `lvyin build` run in one process, and the site is byte for byte the one the parts make.
    (In its own process: builds one after the other in one process would share MkDocs' state with the other tests.)"""
    assert build_site(DEMO_CATALOG, tmp_path / "parts") == 0
    for args in (["validate", "--catalog", str(DEMO_CATALOG)],
                 ["build", "--catalog", str(DEMO_CATALOG), "--site-dir", str(tmp_path / "alone"), "--today", DEMO_TODAY]):
        run = subprocess.run([sys.executable, "-c", ONE_PROCESS, *args], cwd=ROOT, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
    assert snapshot(tmp_path / "alone") == snapshot(tmp_path / "parts")


def test_a_build_in_many_parts_is_byte_for_byte_one_mkdocs_build(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel_build, "PAGES_PER_PART", 40)
    site = load_site(DEMO_CATALOG, DEMO_TODAY)
    slices = [p.entry_pages for p in parallel_build.page_parts(site) if p.entry_pages]
    grown = grown_paths(site.pages)
    assert len(slices) == -(-len(grown) // 40) > 10 and sum(map(len, slices)) == len(set().union(*slices)) == len(grown)
    assert build_site(DEMO_CATALOG, tmp_path / "parts") == 0
    plain_mkdocs_build(DEMO_CATALOG, tmp_path / "plain")

    parts_site, plain_site = snapshot(tmp_path / "parts"), snapshot(tmp_path / "plain")
    assert sorted(set(parts_site) ^ set(plain_site)) == []
    assert [name for name in plain_site if parts_site[name] != plain_site[name]] == []
    # Pages of the first and the last slice made it into the site and its sitemap.
    sitemap = (tmp_path / "parts" / "sitemap.xml").read_text(encoding="utf-8")
    for page in (sorted(slices[0])[0], sorted(slices[-1])[-1]):
        assert (tmp_path / "parts" / page.removesuffix(".md") / "index.html").is_file()
        assert f"/{page.removesuffix('.md')}/</loc>" in sitemap


def test_entry_pages_skip_markdown_and_share_the_sidebar_yet_come_out_as_markdown_makes_them(tmp_path, monkeypatch):
    plain_mkdocs_build(DEMO_CATALOG, tmp_path / "shortcuts")
    # Now every page through Markdown, every sidebar made for its page.
    through_markdown: list[str] = []

    def render(page, config, files):
        if isinstance(page, HtmlPage) and is_one_html_block(page.markdown.strip()):
            through_markdown.append(page.file.src_uri)
        MkDocsPage.render(page, config, files)

    monkeypatch.setattr(HtmlPage, "render", render)
    args = _parser().parse_args(["build", "--catalog", str(DEMO_CATALOG), "--today", DEMO_TODAY])
    with _plugin_settings(args):
        mkdocs_build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "markdown")))

    assert set(grown_paths(load_site(DEMO_CATALOG, DEMO_TODAY).pages)) <= set(through_markdown)
    shortcuts, markdown = snapshot(tmp_path / "shortcuts"), snapshot(tmp_path / "markdown")
    assert sorted(set(shortcuts) ^ set(markdown)) == []
    assert [name for name in markdown if shortcuts[name] != markdown[name]] == []


def test_merging_moves_a_new_folder_whole_and_refuses_a_file_at_a_taken_path(tmp_path):
    site, part = tmp_path / "site", tmp_path / "part"
    (site / "feeds").mkdir(parents=True)
    (site / "feeds" / "all.ics").write_text("site", encoding="utf-8")
    (part / "feeds" / "lectures").mkdir(parents=True)
    (part / "feeds" / "lectures" / "a.ics").write_text("a", encoding="utf-8")
    (part / "print" / "stations" / "s").mkdir(parents=True)
    (part / "print" / "stations" / "s" / "index.html").write_text("sheet", encoding="utf-8")
    folder = (part / "print").stat().st_ino
    assets = parallel_build.Part("assets-test", maker=0)

    parallel_build._merge(part, site, assets)
    assert (site / "feeds" / "lectures" / "a.ics").read_text(encoding="utf-8") == "a"
    assert (site / "feeds" / "all.ics").read_text(encoding="utf-8") == "site"
    assert (site / "print").stat().st_ino == folder  # one rename, not a copy file by file
    assert (site / "print" / "stations" / "s" / "index.html").read_text(encoding="utf-8") == "sheet"

    (part / "feeds").mkdir(exist_ok=True)  # emptied by the merge
    (part / "feeds" / "all.ics").write_text("part", encoding="utf-8")
    with pytest.raises(SiteCollision, match="/feeds/all.ics"):
        parallel_build._merge(part, site, assets)
    assert (site / "feeds" / "all.ics").read_text(encoding="utf-8") == "site"


def test_a_hand_written_page_at_a_lecture_address_fails_the_build_and_keeps_the_old_site(make_catalog, tmp_path, capsys):
    content = tmp_path / "content"
    subprocess.run(["cp", "-r", str(ROOT / "content"), str(content)], check=True)
    (content / "lectures").mkdir()
    (content / "lectures" / "reading-1205.md").write_text("# 手写\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {content}\ntheme:\n  custom_dir: {ROOT / 'overrides'}\n",
                      encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("上一次的网站", encoding="utf-8")
    capsys.readouterr()

    assert build_site(make_catalog(), site, "--config", str(config)) == 1
    error = capsys.readouterr().err
    assert "保持不变" in error and "/lectures/reading-1205/index.html" in error
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "上一次的网站"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".") and p.name != ".lvyin-cache"]  # no half-built parts left behind


def test_a_part_that_crashes_fails_the_build_and_keeps_the_old_site(make_catalog, tmp_path, monkeypatch, capsys):
    def broken(site):
        raise RuntimeError("打印表坏了")

    monkeypatch.setattr(site_module, "ASSET_MAKERS", [*site_module.ASSET_MAKERS, broken])
    monkeypatch.setattr(parallel_build, "ASSET_MAKERS", site_module.ASSET_MAKERS)
    catalog = make_catalog()
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("上一次的网站", encoding="utf-8")
    capsys.readouterr()

    assert build_site(catalog, site) == 1
    error = capsys.readouterr().err
    # A bug, not the editors' data: the part's traceback, and a line saying so.
    assert "Traceback" in error and 'RuntimeError: 打印表坏了' in error and error.rstrip().endswith(BUG_NOTE)
    assert "网站生成失败" not in error
    assert [p.name for p in site.iterdir()] == ["index.html"]


@pytest.mark.parametrize("forked", [True, False], ids=["forked", "one-process"])
def test_a_part_waits_for_the_parts_it_comes_after_and_the_others_keep_their_order(tmp_path, monkeypatch, forked):
    """The search index waits for the pages and the link check for everything else; a part that cannot
    start yet lets the next one go first (as the asset parts go while the index waits)."""
    from generator import workers
    from generator.engine.part_runner import run_parts

    if not forked:
        monkeypatch.setattr(workers, "can_fork", lambda: False)
    Part = parallel_build.Part
    pages = [Part("main"), Part("entries-1")]
    index = Part("search-index", after=frozenset({"main", "entries-1"}))
    assets = [Part("assets-a"), Part("assets-b")]
    links = Part("link-check", after=frozenset({"main", "entries-1", "assets-a", "assets-b"}))
    done: list[str] = []
    made = tmp_path / "made"

    def make(part) -> None:  # in its own process when forked: what it saw is left in a file
        (made / part.name).write_text(",".join(sorted(p.name for p in made.iterdir())), encoding="utf-8")

    made.mkdir()
    run_parts([assets[0]], lambda: [links, index, *pages, assets[1]], make, 1, tmp_path, lambda part: done.append(part.name),
              None)
    assert done == ["assets-a", "main", "entries-1", "search-index", "assets-b", "link-check"]
    assert set((made / "search-index").read_text(encoding="utf-8").split(",")) == {"assets-a", "main", "entries-1"}

    with pytest.raises(RuntimeError, match="never come"):
        run_parts([], lambda: [Part("link-check", after=frozenset({"missing"}))], make, 1, tmp_path, done.append, None)
