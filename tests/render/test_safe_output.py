"""Whatever an editor types renders as the literal text they typed: nothing runs, nothing reshapes the page."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import build_site

HOSTILE_TITLE = '<script>alert(1)</script> {{ 7*7 }} | a `b` {: onclick="alert(2)" }'
HOSTILE_DESCRIPTION = """\
<img src=x onerror=alert(3)> **重点**

[点我](javascript:alert(4)) [回放](https://example.cn/r)

--8<-- "mkdocs.yml"

# 不是标题

---

!!! danger "不是提示框"

```
不是代码块
```
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    from conftest import BASE_FILES, write_catalog

    root = tmp_path_factory.mktemp("hostile")
    catalog = write_catalog(root / "catalog", BASE_FILES)
    description = "\n".join("    " + line for line in HOSTILE_DESCRIPTION.splitlines())
    (catalog / "lectures" / "2026-12.yaml").write_text(
        f"""- id: reading-1205
  title: '{HOSTILE_TITLE}'
  date: 2026-12-05
  start: 14:30
  end: 16:00
  lecturers: [wang-fang]
  venue: city-library
  organizer: '# 市妇联 --- !!! note'
  description: |
{description}
""", encoding="utf-8")
    site = root / "site"
    assert build_site(catalog, site) == 0
    return site


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_title_is_shown_exactly_as_typed(hostile_site):
    doc = page(hostile_site, "lectures/reading-1205")
    article = doc.select_one("article.lv-entry")
    assert article.h1.get_text() == HOSTILE_TITLE
    assert doc.title.get_text() == f"{HOSTILE_TITLE} - 宝鸡市家庭教育公益大讲堂"
    # The lecture is listed on the lecturer's page with the same literal title.
    lecturer = page(hostile_site, "lecturers/wang-fang")
    assert HOSTILE_TITLE in [a.get_text() for a in lecturer.select("a.lv-title")]


def test_nothing_from_data_executes(hostile_site):
    for url in ("lectures/reading-1205", "lecturers/wang-fang", "venues/city-library", ""):
        doc = page(hostile_site, url)
        content = doc.select_one("article.md-content__inner")
        assert content.find("script") is None, url
        assert content.find("img") is None, url
        assert not [tag for tag in content.find_all(True) if any(a.startswith("on") for a in tag.attrs)], url
        assert not [a for a in content.find_all("a") if a.get("href", "").lower().startswith("javascript")], url


def test_markdown_and_engine_syntax_in_values_stay_text(hostile_site):
    doc = page(hostile_site, "lectures/reading-1205")
    rich = doc.select_one(".lv-rich")
    text = rich.get_text()
    assert "<img src=x onerror=alert(3)>" in text
    assert rich.strong.get_text() == "重点"
    assert [a["href"] for a in rich.find_all("a")] == ["https://example.cn/r"]
    assert '--8<-- "mkdocs.yml"' in text and "site_name" not in doc.get_text()
    assert "# 不是标题" in text and "---" in text and '!!! danger "不是提示框"' in text
    assert rich.find(["h1", "h2", "h3", "hr", "pre"]) is None
    assert doc.select_one(".admonition.danger") is None
    assert "49" not in doc.select_one("article.lv-entry h1").get_text()
    facts = {dt.get_text(): dd.get_text() for dt, dd in zip(doc.select(".lv-facts dt"), doc.select(".lv-facts dd"))}
    assert facts["主办"] == "# 市妇联 --- !!! note"


def test_private_fields_never_reach_any_output(tmp_path):
    from conftest import BASE_FILES, write_catalog

    canaries = ["15809173462", "canary-mail-7f3e@example.cn", "610302199001017364", "CANARY-NOTE-机密-7f3e"]
    catalog = write_catalog(tmp_path / "catalog", BASE_FILES)
    (catalog / "lecturers" / "city.yaml").write_text(f"""- id: wang-fang
  name: 王芳
  title: 高级教师
  organization: 宝鸡市实验小学
  level: city
  private:
    phone: "{canaries[0]}"
    email: {canaries[1]}
    id_number: "{canaries[2]}"
    notes: {canaries[3]}
""", encoding="utf-8")
    site = tmp_path / "site"
    assert build_site(catalog, site) == 0
    scanned = decompressed = 0
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":  # Pagefind's fragments and index chunks are gzip-compressed
            data = gzip.decompress(data)
            decompressed += 1
        scanned += 1
        for canary in canaries:
            assert canary.encode() not in data, f"{canary} leaked into {path.relative_to(site)}"
    assert scanned > 20 and decompressed > 5
    # The page itself is there: the check above looked at a real lecturer page.
    assert "王芳" in (site / "lecturers" / "wang-fang" / "index.html").read_text(encoding="utf-8")
