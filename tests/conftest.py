"""Shared fixtures: small catalogues written by the tests, and the real demo site built once."""

from __future__ import annotations

import os
import socket
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.cli.main import main as lvyin

ROOT = Path(__file__).resolve().parent.parent
DEMO_CATALOG = ROOT / "catalog"
# The demo catalogue's "today": lectures before it are past, from it on upcoming.
DEMO_TODAY = "2026-11-28"

BASE_FILES = {
    "districts.yaml": """
        - id: weibin
          name: 渭滨区
          kind: 区
        - id: jintai
          name: 金台区
          kind: 区
        """,
    "topics.yaml": """
        - id: reading
          name: 亲子阅读
          description: 和孩子一起读书。
        - id: safety
          name: 安全监护
          description: 看护好孩子。
        """,
    "venues/libraries.yaml": """
        - id: city-library
          name: 宝鸡市图书馆
          kind: library
          district: weibin
          address: 渭滨区新建路 1 号
          admission: free
          location: {lat: 34.3619, lng: 107.2373}
          audiences: [all]
        """,
    "stations/weibin.yaml": """
        - id: qingjiang
          name: 清姜路社区家庭教育指导服务站
          kind: community
          district: weibin
          street: 清姜街道
          address: 清姜路 12 号
          host: 清姜路社区居委会
        """,
    "lecturers/city.yaml": """
        - id: wang-fang
          name: 王芳
          title: 高级教师
          organization: 宝鸡市实验小学
          level: city
          topics: [reading]
          private:
            phone: "13800000000"
        """,
    "lectures/2026-12.yaml": """
        - id: reading-1205
          title: 亲子共读的三个方法
          date: 2026-12-05
          start: 14:30
          end: 16:00
          lecturers: [wang-fang]
          venue: city-library
          audiences: [primary]
          topics: [reading]
          organizer: 市妇联
        """,
}


def write_catalog(root: Path, files: dict[str, str]) -> Path:
    """Write `files` (path → YAML, dedented) under `root`; a value of None deletes a base file."""
    for name, text in files.items():
        path = root / name
        if text is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def make_catalog(tmp_path):
    """make_catalog(**overrides) → a small valid catalogue, with files replaced or added."""

    def make(files: dict[str, str | None] | None = None) -> Path:
        root = tmp_path / "catalog"
        write_catalog(root, BASE_FILES)
        write_catalog(root, files or {})
        return root

    return make


@pytest.fixture(scope="session")
def catalog():
    """The shipped demo catalogue, loaded."""
    from generator.catalog.load import load_catalog

    return load_catalog(DEMO_CATALOG)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run; fails the run if any page asked another host."""
    from browser import Browser, require_browser

    require_browser()
    chromium = Browser()
    yield chromium
    chromium.close()
    assert chromium.foreign_requests == [], "the site asked another host"


@pytest.fixture(scope="session")
def site_url(demo_site):
    """The demo site served on loopback."""
    from browser import serve

    with serve(demo_site) as url:
        yield url


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The shipped catalogue built into a real site, once per test run."""
    site = tmp_path_factory.mktemp("demo") / "site"
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        assert lvyin(["build", "--site-dir", str(site), "--today", DEMO_TODAY]) == 0
    finally:
        os.chdir(cwd)
    return site


@pytest.fixture(scope="session")
def instant_site_url(tmp_path_factory) -> Iterator[str]:
    """The demo site with Material's instant navigation on (tests/mkdocs-instant.yml), served.

    Material navigates instantly only to pages under `site_url`, so the site is built for
    the very address it is served at."""
    from browser import serve

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    root = tmp_path_factory.mktemp("instant")
    config = root / "mkdocs.yml"
    config.write_text(f"INHERIT: {ROOT / 'tests' / 'mkdocs-instant.yml'}\nsite_url: http://127.0.0.1:{port}/\n"
                      f"docs_dir: {ROOT / 'content'}\ntheme:\n  custom_dir: {ROOT / 'overrides'}\n", encoding="utf-8")
    assert build_site(DEMO_CATALOG, root / "site", "--config", str(config)) == 0
    with serve(root / "site", port) as url:
        yield url


def follow_instantly(page, click: str, url: str) -> None:
    """Click `click`, wait for `url`, and check Material swapped the page in place (no reload)."""
    page.evaluate("window.__lvyinSamePage = true")
    page.click(click)
    page.wait_for_url(url)
    page.wait_for_timeout(300)
    assert page.evaluate("window.__lvyinSamePage === true"), "the page reloaded: instant navigation is off"


def build_site(catalog: Path, site: Path, *extra: str) -> int:
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return lvyin(["build", "--catalog", str(catalog), "--site-dir", str(site), "--today", DEMO_TODAY, *extra])
    finally:
        os.chdir(cwd)
