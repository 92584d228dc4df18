"""A big site's search index comes in parts; the search page finds pages of every part."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path

import pytest

import generator.search_index as search_index
from browser import require_browser, serve
from conftest import build_site
from generator.synth import TODAY, synthesize

PART_SIZE = 60


@pytest.fixture(scope="module")
def split_site(tmp_path_factory):
    require_browser()
    root = tmp_path_factory.mktemp("parts")
    catalog = synthesize(root, 120, seed=4, stations=30, lecturers=20, venues=10, bases=6)
    saved = search_index.PART_SIZE
    search_index.PART_SIZE = PART_SIZE
    try:
        assert build_site(catalog, root / "site", "--today", TODAY.isoformat()) == 0
    finally:
        search_index.PART_SIZE = saved
    return root / "site"


def title(path: Path) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", path.read_text(encoding="utf-8"), re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", found[1])).strip() if found else ""


def test_the_index_is_split_and_listed(split_site):
    parts = json.loads((split_site / "pagefind" / "parts.json").read_text())
    pages = search_index._pages(split_site)
    assert len(parts) == (len(pages) - 1) // PART_SIZE >= 2
    for part in parts:
        assert (split_site / "pagefind" / part / "pagefind-entry.json").is_file()


def test_search_finds_pages_of_every_part(split_site, browser):
    pages = search_index._pages(split_site)
    chunks = [pages[i : i + PART_SIZE] for i in range(0, len(pages), PART_SIZE)]
    titles = Counter(title(split_site / p) for p in pages)
    with serve(split_site) as url:
        for number, chunk in enumerate(chunks):
            # A page of this part whose title no other page has: searching it must find that page.
            unique = [p for p in chunk if titles[title(split_site / p)] == 1 and len(title(split_site / p)) >= 4]
            assert unique, f"part {number} has no page with a title of its own"
            page_path = unique[len(unique) // 2]
            query = title(split_site / page_path)
            page = browser.page()
            page.goto(url + "search/")
            page.wait_for_selector("#lv-search[data-loaded]")
            page.fill("#lv-q", query)
            page.press("#lv-q", "Enter")
            page.wait_for_function("q => { const m = document.getElementById('lv-search-message').textContent;"
                                   " return m.includes(q) && !m.startsWith('正在'); }", arg=query)
            found = page.eval_on_selector_all("#lv-results a.lv-title", "els => els.map(e => new URL(e.href).pathname)")
            assert "/" + page_path.parent.as_posix() + "/" in found, f"part {number}: {query} not found in {found}"
            page.context.close()
    assert browser.foreign_requests == []
