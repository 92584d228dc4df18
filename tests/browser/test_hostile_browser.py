"""A hostile pull request's site in headless Chromium: nothing an editor wrote runs.

The site's settings, a lecture, a lecturer and an article carry scripts of every kind the
site accepts as text (the ones it refuses are tests/hostile/cases/).  Each payload would open
a dialog and set `window.__lvyinRan`.  Every built page that shows a payload, and the 404
page, is opened, and everything with a tooltip hovered: no dialog, nothing set, no link a click
would run, and the payload shown as the text the editor typed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BASE_FILES, build_site, write_catalog


def payload(n: int) -> str:
    return f"alert({n});window.__lvyinRan={n}"


NAME = f'<img src=x onerror="{payload(1)}">绿荫'
FILES = {
    "site.yaml": f"""
        name: '{NAME}'
        organizer: '</footer><script>{payload(2)}</script>'
        """,
    "lectures/2026-12.yaml": f"""
        - id: reading-1205
          title: '<svg onload="{payload(3)}">亲子共读'
          date: 2026-12-05
          start: 14:30
          end: 16:00
          lecturers: [wang-fang]
          venue: city-library
          topics: [reading]
          organizer: '{{: onclick="{payload(4)}" }}'
          description: |
            [点我](javascript:{payload(5)}) <iframe srcdoc="<script>parent.__lvyinRan=6</script>"></iframe>
            [回放](https://example.cn/r "<img src=x onerror={payload(14)}>")
        """,
    "lecturers/city.yaml": f"""
        - id: wang-fang
          name: '<script>{payload(7)}</script>王芳'
          title: 高级教师
          organization: 宝鸡市实验小学
          level: city
          topics: [reading]
        """,
}
ARTICLE = f"""---
title: '<img src=x onerror="{payload(8)}">'
summary: '<script>{payload(9)}</script>'
topics: [reading]
sources:
  - name: '<svg onload="{payload(10)}">'
    url: https://flk.npc.gov.cn/
---

## 小标题 {{onclick={payload(11)}}}

代码 `<script>{payload(12)}</script>` 和转义的 \\<img src=x onerror="{payload(13)}"> 都只是文字。
[亲子阅读](../topics/reading.md "<img src=x onerror={payload(15)}>")
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile-browser")
    catalog = write_catalog(write_catalog(root / "catalog", BASE_FILES), FILES)
    (root / "articles").mkdir()
    (root / "articles" / "scripts.md").write_text(ARTICLE, encoding="utf-8")
    assert build_site(catalog, root / "site") == 0
    return root / "site"


@pytest.mark.browser
def test_no_script_from_the_catalogue_runs_on_any_page(hostile_site, browser):
    from browser import serve

    pages = sorted(str(path.relative_to(hostile_site)) for path in hostile_site.rglob("*.html")
                   if "__lvyinRan" in path.read_text(encoding="utf-8") or path.name == "404.html")
    assert {"index.html", "404.html", "lectures/reading-1205/index.html", "lecturers/wang-fang/index.html",
            "articles/scripts/index.html"} <= set(pages)
    dialogs: list[str] = []
    with serve(hostile_site) as url:
        page = browser.page(width=1280, height=800)
        page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
        for path in pages:
            page.goto(url + path)
            page.wait_for_load_state("load")
            for titled in page.query_selector_all("[title]"):  # the theme's tooltips show a title on hover
                if titled.is_visible():
                    titled.hover()
            page.wait_for_timeout(50)  # onerror and onload handlers run just after load
            assert page.evaluate("window.__lvyinRan") is None, path
            links = page.eval_on_selector_all("a[href], iframe, form", "els => els.map(e => e.href || e.src || e.action)")
            assert not [link for link in links if link.lower().startswith(("javascript:", "data:"))], path
            if page.query_selector(".md-header"):  # the theme's pages (print sheets stand alone)
                assert NAME in page.title() and NAME in page.inner_text(".md-header__topic"), path
        page.goto(url + "articles/scripts/")
        shown = page.inner_text("article")
        assert f"<script>{payload(12)}</script>" in shown and f'<img src=x onerror="{payload(13)}">' in shown
        assert f'<img src=x onerror="{payload(8)}">' == page.inner_text(".lv-article h1")
        page.context.close()
    assert dialogs == []
