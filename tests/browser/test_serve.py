"""`lvyin serve`: an editor's change to the catalogue shows up in the preview."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 60.0, until=lambda text: True) -> str:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                last = response.read().decode("utf-8")
                if until(last):
                    return last
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not show the change in time; last page:\n{last[:500]}")


def gone(url: str, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).close()
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


JANUARY = """
- id: garden-0109
  title: 小小菜园里的劳动课
  date: 2027-01-09
  start: 09:30
  end: 11:00
  lecturers: [wang-fang]
  venue: city-library
  audiences: [primary]
  topics: [reading]
  organizer: 市妇联
"""


@pytest.mark.parametrize("cache", [[], ["--no-cache"]], ids=["from an empty build cache", "without the cache"])
def test_preview_shows_each_edit_and_tells_what_is_wrong(make_catalog, tmp_path, cache):
    catalog = make_catalog({"lectures/2027-01.yaml": JANUARY})
    port = free_port()
    log = tmp_path / "serve.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--catalog", str(catalog), "--dev-addr", f"127.0.0.1:{port}",
         "--today", "2026-11-28", *cache],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log.open("w"),
    )
    site = f"http://127.0.0.1:{port}/"
    try:
        url = site + "lectures/reading-1205/"
        assert "亲子共读的三个方法" in fetch(url)
        # What needs the whole site comes a moment later: calendar feeds, the search index.
        assert "亲子共读的三个方法" in fetch(site + "feeds/all.ics")
        assert "pagefind" in fetch(site + "pagefind/pagefind.js")
        assert "菜园" in fetch(site + "feeds/lectures/garden-0109.ics")

        december = catalog / "lectures" / "2026-12.yaml"
        december.write_text(december.read_text(encoding="utf-8").replace("亲子共读的三个方法", "亲子共读的四个方法"), encoding="utf-8")
        changed = lambda text: "四个方法" in text and "三个方法" not in text  # noqa: E731
        fetch(url, until=changed)
        fetch(site + "calendar/2026-12/", until=changed)  # and the pages that list it,
        fetch(site + "lecturers/wang-fang/", until=changed)  # entry pages included
        fetch(site + "feeds/all.ics", until=changed)

        (catalog / "lectures" / "2027-01.yaml").unlink()
        assert gone(site + "lectures/garden-0109/")
        assert gone(site + "feeds/lectures/garden-0109.ics")  # its 加入日历 file too
        fetch(site + "lecturers/wang-fang/", until=lambda text: "菜园" not in text)

        december.write_text(december.read_text(encoding="utf-8").replace("date: 2026-12-05", "date: 2026-12-55"), encoding="utf-8")
        deadline = time.monotonic() + 60
        while "2026-12.yaml:3" not in log.read_text(encoding="utf-8"):  # where the bad date is, for the editor
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.3)
        december.write_text(december.read_text(encoding="utf-8").replace("date: 2026-12-55", "date: 2026-12-05")
                            .replace("四个方法", "五个方法"), encoding="utf-8")
        fetch(url, until=lambda text: "五个方法" in text)
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_preview_rebuilds_every_page_when_the_site_configuration_changes(make_catalog, tmp_path):
    """A new menu title in mkdocs.yml reaches the entry pages too, which an edit to the catalogue leaves alone."""
    project = tmp_path / "project"
    for folder in ("content", "overrides"):
        shutil.copytree(ROOT / folder, project / folder)
    config = project / "mkdocs.yml"
    shutil.copy(ROOT / "mkdocs.yml", config)
    catalog = make_catalog()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--config", str(config), "--catalog", str(catalog),
         "--dev-addr", f"127.0.0.1:{port}", "--today", "2026-11-28"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/lectures/reading-1205/"
        assert "讲师团" in fetch(url) and "讲师队伍" not in fetch(url)
        text = config.read_text(encoding="utf-8")
        assert "  - 讲师团: lecturers/index.md" in text
        config.write_text(text.replace("  - 讲师团: lecturers/index.md", "  - 讲师队伍: lecturers/index.md"), encoding="utf-8")
        fetch(url, until=lambda page: "讲师队伍" in page)
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_the_browser_shows_what_is_wrong_and_the_site_again_once_fixed(make_catalog, browser, tmp_path):
    """A broken catalogue under `lvyin serve`: the open page reloads into the list of problems (file and
    line, the editor's text escaped), instead of hanging; fixed, it reloads into the site again."""
    catalog = make_catalog()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--catalog", str(catalog), "--dev-addr", f"127.0.0.1:{port}", "--today", "2026-11-28"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=(tmp_path / "serve.log").open("w"),
    )
    url = f"http://127.0.0.1:{port}/lectures/reading-1205/"
    december = catalog / "lectures" / "2026-12.yaml"
    good = december.read_text(encoding="utf-8")
    try:
        fetch(url)
        page = browser.page(width=1000, height=800)
        page.goto(url)
        assert "亲子共读的三个方法" in page.title()

        december.write_text(good.replace("start: 14:30", "start: <b>14:3O</b>"), encoding="utf-8")
        page.wait_for_selector("#problems", timeout=20000)  # the page reloads by itself
        shown = page.inner_text("body")
        assert "目录数据有错误" in shown and "2026-12.yaml:4:10" in shown and "时间“<b>14:3O</b>”的写法不对" in shown
        assert page.locator("li b").count() == 0  # the editor's text is text, not markup
        other = browser.page(width=1000, height=800)  # and so is every other page opened meanwhile
        other.goto(f"http://127.0.0.1:{port}/lecturers/wang-fang/")
        assert "2026-12.yaml:4:10" in other.inner_text("body")

        december.write_text(good, encoding="utf-8")
        page.wait_for_function("document.title.includes('亲子共读的三个方法')", timeout=20000)
        assert page.locator("#problems").count() == 0
    finally:
        server.terminate()
        server.wait(timeout=20)


def _build(catalog, site, today: str) -> str:
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--catalog", str(catalog), "--site-dir", str(site),
                           "--today", today], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _files(root) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def _wait_for_log(log, text: str, timeout: float = 120.0) -> str:
    deadline = time.monotonic() + timeout
    while text not in log.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
        time.sleep(0.3)
    return log.read_text(encoding="utf-8")


def test_preview_starts_from_the_last_build_and_never_writes_into_it(make_catalog, tmp_path):
    """With the build cache of `lvyin build` beside the catalogue, the preview's first site is the
    last build's (hard links, no page rendered); edits show as usual; the published site and the
    cache stay as they were, so the next `lvyin build` reuses the whole site."""
    catalog = make_catalog({"lectures/2027-01.yaml": JANUARY})
    site = tmp_path / "site"
    _build(catalog, site, "2026-11-28")
    published = _files(site)
    port, log = free_port(), tmp_path / "serve.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--catalog", str(catalog), "--dev-addr", f"127.0.0.1:{port}",
         "--today", "2026-11-28"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log.open("w"))
    base = f"http://127.0.0.1:{port}/"
    try:
        assert "亲子共读的三个方法" in fetch(base + "lectures/reading-1205/")
        assert "上次生成的网站，取自构建缓存" in _wait_for_log(log, "预览已就绪")
        assert "亲子共读的三个方法" in fetch(base + "feeds/all.ics")  # the whole site, search index included
        assert "pagefind" in fetch(base + "pagefind/pagefind.js")

        december = catalog / "lectures" / "2026-12.yaml"
        december.write_text(december.read_text(encoding="utf-8").replace("亲子共读的三个方法", "亲子共读的四个方法"),
                            encoding="utf-8")
        changed = lambda text: "四个方法" in text and "三个方法" not in text  # noqa: E731
        fetch(base + "lectures/reading-1205/", until=changed)
        fetch(base + "lecturers/wang-fang/", until=changed)  # an entry page from the cache, its context changed
        fetch(base + "calendar/2026-12/", until=changed)
        fetch(base + "feeds/all.ics", until=changed)
        fetch(base + "api/lectures/2026.json", until=changed)  # a file with a key of its own (a year of open data)
        lecturers = catalog / "lecturers" / "city.yaml"
        lecturers.write_text(lecturers.read_text(encoding="utf-8").replace("name: 王芳", "name: 王芳芳"), encoding="utf-8")
        fetch(base + "lectures/garden-0109/", until=lambda text: "王芳芳" in text)  # what its template looked up changed
        # The second edit's background work starts from what the first kept: both years show the new name.
        fetch(base + "api/lectures/2026.json", until=lambda text: "王芳芳" in text and "四个方法" in text)
        fetch(base + "api/lectures/2027.json", until=lambda text: "王芳芳" in text)
        (catalog / "lectures" / "2027-01.yaml").unlink()
        assert gone(base + "lectures/garden-0109/")
        assert gone(base + "feeds/lectures/garden-0109.ics")
        assert gone(base + "api/lectures/2027.json")
        _wait_for_log(log, "搜索索引已更新")  # the background work has written what it writes
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert _files(site) == published  # nothing written through the hard links into the published site
    (catalog / "lectures" / "2027-01.yaml").write_text(JANUARY.lstrip("\n"), encoding="utf-8")
    december.write_text(december.read_text(encoding="utf-8").replace("四个方法", "三个方法"), encoding="utf-8")
    lecturers.write_text(lecturers.read_text(encoding="utf-8").replace("name: 王芳芳", "name: 王芳"), encoding="utf-8")
    assert "新生成 0 项" in _build(catalog, site, "2026-11-28")  # every object of the cache intact


def test_preview_starts_from_the_cache_of_the_day_before(make_catalog, tmp_path):
    """A cache of yesterday's build: the preview's first site is made in parts from it, for today."""
    catalog = make_catalog()
    _build(catalog, tmp_path / "site", "2026-12-05")
    port, log = free_port(), tmp_path / "serve.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--catalog", str(catalog), "--dev-addr", f"127.0.0.1:{port}",
         "--today", "2026-12-06"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log.open("w"))
    try:
        page = fetch(f"http://127.0.0.1:{port}/lecturers/wang-fang/")
        assert "由构建缓存并行生成" in _wait_for_log(log, "预览已就绪")
        assert page.index("往期讲座") < page.index("亲子共读的三个方法")  # yesterday's upcoming lecture is past today
        _wait_for_log(log, "搜索索引已更新")
        assert "pagefind" in fetch(f"http://127.0.0.1:{port}/pagefind/pagefind.js")
    finally:
        server.terminate()
        server.wait(timeout=20)
