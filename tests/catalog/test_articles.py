"""The knowledge base for parents: articles built with the site, their sources,
their upcoming lectures, their links, and front-matter errors in Chinese."""

from __future__ import annotations

import re
import textwrap
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import DEMO_CATALOG, DEMO_TODAY, ROOT

from generator.catalog.articles import articles_folder, load_articles
from generator.cli.main import main as lvyin
from generator.engine.site_check import check_site
from generator.errors import CatalogInvalid
from generator.outputs.site_files import outputs
from generator.plan.site import load_site

ARTICLES = ROOT / "articles"
# The plan's themes (issue 7), each covered by at least one article: the topic ids that stand for them.
THEMES = ["reading", "physical-exercise", "eyesight", "housework", "internet-addiction", "safety", "mental-health",
          "anti-bullying", "children-in-need", "left-behind", "grandparenting", "family-tradition", "home-school",
          "social-practice", "law-education"]
OFFICIAL_HOSTS = ("npc.gov.cn", "moe.gov.cn", "gov.cn", "baoji.gov.cn", "nhc.gov.cn", "mca.gov.cn", "women.org.cn", "nppa.gov.cn")


@pytest.fixture(scope="module")
def articles(catalog):
    return load_articles(ARTICLES, catalog.topics)


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def han_count(text: str) -> int:
    return len(re.findall(r"[\u3400-\u9fff]", text))


def test_at_least_fifteen_articles_cover_the_plans_themes(articles):
    assert len(articles) >= 15
    covered = {t for a in articles for t in a.topics}
    assert set(THEMES) <= covered, set(THEMES) - covered
    assert articles_folder(DEMO_CATALOG) == ARTICLES


def test_every_article_is_a_page_of_the_built_site(demo_site, articles, catalog):
    for article in articles:
        doc = page(demo_site, f"articles/{article.id}")
        body = doc.select_one("div.lv-article[data-pagefind-body]")
        assert body is not None, article.id
        assert body.h1.get_text() == article.title
        text = body.get_text()
        # 800–2,000 字 of the authors' text (the body, without the generated parts).
        own = text.split("依据和来源")[0]
        assert 800 <= han_count(own) <= 2000, (article.id, han_count(own))
        # A title from the front matter, written once, and the theme's filters for search.
        assert doc.title.get_text().startswith(article.title)
        filters = {(s["data-pagefind-filter"], s.get_text()) for s in body.select("[data-pagefind-filter]")}
        assert ("类别", "文章") in filters
        assert {v for k, v in filters if k == "主题"} == {catalog.topics[t].name for t in article.topics}


def test_every_article_names_and_links_its_official_sources(demo_site, articles):
    for article in articles:
        assert article.sources, article.id
        doc = page(demo_site, f"articles/{article.id}")
        heading = doc.find("h2", id="sources")
        links = heading.find_next("ul").select("a")
        assert [a.get_text() for a in links] == [s.name for s in article.sources]
        for a in links:
            host = urlsplit(a["href"]).hostname or ""
            assert host.endswith(OFFICIAL_HOSTS), (article.id, a["href"])
            assert "《" in a.get_text() or "网" in a.get_text()
        # The city's plan is cited by every article.
        assert any("宝鸡市建设全国学校家庭社会协同育人实验区实施方案" in s.name for s in article.sources), article.id


def test_upcoming_lectures_of_each_article_match_the_catalogue(demo_site, articles, catalog):
    today = date.fromisoformat(DEMO_TODAY)
    for article in articles:
        wanted = set(article.topics)
        expected = [l for l in sorted(catalog.lectures.values(), key=lambda l: (l.date, l.start, l.id))
                    if l.date >= today and l.status in ("scheduled", "done") and wanted & set(l.topics)]
        doc = page(demo_site, f"articles/{article.id}")
        section = doc.select_one("section.lv-article-lectures")
        shown = [a["href"] for a in section.select("a.lv-title")]
        assert shown == [f"../../lectures/{l.id}/" for l in expected[:8]], article.id
        more = section.select_one(".lv-more")
        if len(expected) > 8:
            assert f"共 {len(expected)} 场" in more.get_text()
        else:
            assert more is None
        # Cancelled and postponed lectures are never offered to a reader of an article.
        assert not section.select(".lv-badge")


def test_articles_link_only_to_pages_that_exist(demo_site, articles):
    assert check_site(demo_site) == []
    for article in articles:
        path = demo_site / "articles" / article.id / "index.html"
        doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        internal = [a["href"] for a in doc.select("article a[href]") if not urlsplit(a["href"]).scheme and not a["href"].startswith("#")]
        assert internal, article.id
        for href in internal:
            target = (path.parent / urlsplit(href).path).resolve()
            target = target / "index.html" if target.is_dir() else target
            assert target.is_file(), (article.id, href)
        # The authors' Markdown links (to .md files) became links to pages.
        assert not [h for h in internal if h.endswith(".md")], article.id


def test_topic_pages_show_articles_lectures_and_lecturers(demo_site, articles, catalog):
    for topic in catalog.topics.values():
        doc = page(demo_site, f"topics/{topic.id}")
        expected = {f"../../articles/{a.id}/" for a in articles if topic.id in a.topics}
        section = doc.find("h2", id="articles")
        shown = {a["href"] for a in section.find_next("ul").select("a")} if section else set()
        assert shown == expected, topic.id
        if catalog.lectures_by_topic.get(topic.id):
            assert doc.find("h2", id="upcoming") is not None
        if catalog.lecturers_by_topic.get(topic.id):
            assert doc.find("h2", id="lecturers") is not None


def test_the_knowledge_index_lists_every_article_once(demo_site, articles):
    doc = page(demo_site, "articles")
    links = [a["href"] for a in doc.select("a.lv-title")]
    assert sorted(links) == sorted(f"{a.id}/" for a in articles)


def test_policy_about_and_campaign_pages(demo_site, catalog):
    policy = page(demo_site, "policy").get_text()
    assert "每年至少组织 4 次" in policy and "宝鸡市建设全国学校家庭社会协同育人实验区实施方案" in policy
    assert "12355" in policy
    about = page(demo_site, "about")
    assert about.h1.get_text() == "关于绿荫计划"
    for campaign, prefix, months in (("family-education-week", "family-education-week-", {5}),
                                     ("visit-homes", "visit-homes-", {9, 10})):
        expected = {l.id for l in catalog.lectures.values() if l.series and l.series.startswith(prefix) and l.date.month in months}
        assert expected, campaign
        doc = page(demo_site, f"campaigns/{campaign}")
        shown = {a["href"].split("/")[-2] for a in doc.select("a.lv-title")}
        assert shown == expected, campaign


def test_generate_writes_the_same_article_pages(tmp_path, catalog):
    out = tmp_path / "md"
    assert lvyin(["generate", "--catalog", str(DEMO_CATALOG), "--out", str(out), "--today", DEMO_TODAY,
                  "--content", str(ROOT / "content")]) == 0
    site = load_site(DEMO_CATALOG, DEMO_TODAY)
    generated = dict(outputs(site))
    for article in site.articles:
        written = (out / "articles" / f"{article.id}.md").read_text(encoding="utf-8")
        assert written == generated[f"articles/{article.id}.md"]
        heading = article.body.strip().splitlines()[0]  # every article starts with a "## " heading
        assert f"<h2>{heading.removeprefix('## ')}</h2>" in written


# ---------------------------------------------------------------- front-matter errors

GOOD = """\
---
title: 测试文章
summary: 一句话摘要。
topics: [reading]
sources:
  - name: 《中华人民共和国家庭教育促进法》
    url: https://flk.npc.gov.cn/
---

## 小标题

正文。
"""


def write_article(make_catalog, name: str, text: str) -> Path:
    catalog = make_catalog()
    folder = catalog.parent / "articles"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return catalog


def errors_of(catalog: Path) -> list[str]:
    with pytest.raises(CatalogInvalid) as caught:
        load_site(catalog, DEMO_TODAY)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("text, where, words", [
    (GOOD.replace("[reading]", "[reading, safty]"), "4:19", ["topics[1]", "找不到编号为“safty”的主题", "safety"]),
    (GOOD.replace("title: 测试文章\n", ""), "2:1", ["缺少必填字段“title”"]),
    (GOOD.replace("https://flk.npc.gov.cn/", "flk.npc.gov.cn"), "7:10", ["sources[0].url"]),
    (GOOD.replace("summary:", "sumary:"), "3:1", ["没有“sumary”这个字段", "summary"]),
    (GOOD.replace("topics: [reading]", "topics: []"), "4:9", ["至少要写一项"]),
    (GOOD.replace("topics: [reading]", "topics: [reading"), "4:9", ["“[”没有配对"]),  # the YAML reader's, moved to the file's line
    (GOOD.replace("## 小标题", "# 又一个标题"), "10:1", ["正文不要再写一级标题"]),
    (GOOD.replace("---\ntitle", "title", 1), "1:1", ["缺少 front matter"]),
])
def test_front_matter_errors_are_reported_in_chinese_with_position(make_catalog, text, where, words):
    catalog = write_article(make_catalog, "bad-one.md", text)
    problems = errors_of(catalog)
    message = next((p for p in problems if words[0] in p), None)
    assert message is not None, problems
    assert f"articles/bad-one.md:{where}: 错误: " in message, message
    for word in words:
        assert word in message, message


def test_article_file_names_become_urls(make_catalog):
    catalog = write_article(make_catalog, "Bad Name.md", GOOD)
    assert any("Bad Name.md:1:1: 错误: 文件名“Bad Name.md”不能用作网址" in p for p in errors_of(catalog))


def test_cli_reports_article_errors_without_traceback(make_catalog, tmp_path, capsys):
    catalog = write_article(make_catalog, "bad-one.md", GOOD.replace("[reading]", "[readng]"))
    for command in (["validate"], ["generate", "--out", str(tmp_path / "out")], ["build", "--site-dir", str(tmp_path / "site")]):
        assert lvyin([command[0], "--catalog", str(catalog), *command[1:]]) == 1
        err = capsys.readouterr().err
        assert "articles/bad-one.md:4:10: 错误: topics[0]: 找不到编号为“readng”的主题 — 您是不是想写“reading”？" in err, err
        assert "Traceback" not in err
    assert not (tmp_path / "out").exists() and not (tmp_path / "site").exists()


def test_a_good_article_in_a_small_site(make_catalog):
    catalog = write_article(make_catalog, "good-one.md", GOOD)
    site = load_site(catalog, DEMO_TODAY)
    generated = dict(outputs(site))
    text = generated["articles/good-one.md"]
    doc = BeautifulSoup(text.split("---", 2)[2], "html.parser")
    # The one reading lecture of the small catalogue (2026-12-05) is upcoming on 2026-11-28.
    assert [a["href"] for a in doc.select("section.lv-article-lectures a.lv-title")] == ["../../lectures/reading-1205/"]
    assert "<h2>小标题</h2>" in text and "## 小标题" not in text  # rendered here, not by the site engine
    topic = BeautifulSoup(generated["topics/reading.md"].split("---", 2)[2], "html.parser")
    assert [a["href"] for a in topic.find("h2", id="articles").find_next("ul").select("a")] == ["../../articles/good-one/"]


@pytest.mark.browser
def test_search_finds_articles_under_the_article_category(site_url, articles, browser):
    """A parent searches 留守 and keeps only 类别=文章: the article on left-behind families, no lectures."""
    from urllib.parse import quote

    from test_search_browser import all_results, wait_for_results

    page = browser.page(width=390, height=844)
    page.goto(f"{site_url}search/?q={quote('留守')}&{quote('类别')}={quote('文章')}")
    page.wait_for_selector("#lv-search[data-loaded]")
    wait_for_results(page, "留守")
    found = all_results(page)
    assert browser.foreign_requests == []
    assert "/articles/left-behind-families/" in found, found
    assert not [p for p in found if p.startswith(("/lectures/", "/stations/", "/topics/"))], found
