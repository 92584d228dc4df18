"""The search page's own UI over Pagefind: forgiving queries, ranking, filters in the URL, fallbacks."""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pytest
from browser import WECHAT_UA
from conftest import DEMO_TODAY, ROOT
from test_search_browser import all_results, search, wait_for_results

from generator.model.vocab import AUDIENCES, audiences_served

pytestmark = pytest.mark.browser


def open_search(browser, site_url, **params):
    page = browser.page()
    query = urlencode(params, doseq=True)
    page.goto(site_url + "search/" + ("?" + query if query else ""))
    page.wait_for_selector("#lv-search[data-loaded]")
    wait_for_results(page, params.get("q", ""))
    return page


@pytest.mark.parametrize("query", ["书馆", "tushuguan", "tsg"])
def test_word_parts_and_pinyin_find_the_libraries(browser, site_url, catalog, query):
    page = browser.page()
    page.goto(site_url + "search/")
    found = search(page, query)
    libraries = {f"/venues/{v.id}/" for v in catalog.venues.values() if v.kind == "library"}
    assert set(found[:5]) <= libraries, found[:5]


def test_exact_name_ranks_first_and_excerpts_hide_the_extra_terms(browser, site_url, catalog):
    page = browser.page()
    page.goto(site_url + "search/")
    found = search(page, "宝鸡市图书馆")
    assert found[0] == "/venues/city-library/"
    text = page.inner_text("#lv-results")
    assert "〔检索词〕" not in text and "baojishitushuguan" not in text


def test_upcoming_lectures_rank_above_past_ones(browser, site_url, catalog):
    today = DEMO_TODAY
    person = max(catalog.lecturers.values(), key=lambda p: (
        min(sum(l.date.isoformat() >= today for l in catalog.lectures_by_lecturer.get(p.id, [])),
            sum(l.date.isoformat() < today for l in catalog.lectures_by_lecturer.get(p.id, []))), p.id))
    page = browser.page()
    page.goto(site_url + "search/")
    found = search(page, person.name)
    dates = {f"/lectures/{l.id}/": l.date.isoformat() for l in catalog.lectures.values()}
    flags = [dates[p] >= today for p in found if p in dates]
    assert True in flags and False in flags
    assert flags == sorted(flags, reverse=True), "a past lecture ranks above an upcoming one"


def test_results_show_when_where_district_audience(browser, site_url, catalog):
    lecture = next(l for l in catalog.lectures_in_order if l.date.isoformat() >= DEMO_TODAY and l.venue and l.status == "scheduled")
    page = open_search(browser, site_url, q=lecture.title)
    first = page.locator("#lv-results > li").first
    assert first.locator("a.lv-title").get_attribute("href").endswith(f"/lectures/{lecture.id}/")
    text = first.inner_text()
    place = catalog.places[lecture.venue]
    assert f"{lecture.date.month}月{lecture.date.day}日" in text and f"{lecture.start:%H:%M}" in text
    assert place.name in text and catalog.districts[place.district].name in text


def test_cancelled_lectures_are_marked(browser, site_url, catalog):
    lecture = next(l for l in catalog.lectures_in_order if l.status == "cancelled")
    page = open_search(browser, site_url, q=lecture.title)
    item = page.locator("#lv-results > li", has=page.locator(f"a[href$='/lectures/{lecture.id}/']"))
    assert "已取消" in item.locator(".lv-badge").inner_text()


def test_a_shared_filtered_url_restores_query_and_filters(browser, site_url, catalog):
    page = open_search(browser, site_url, q="家庭教育", 类别="讲座", 时间="近期", 区县="金台区")
    assert page.input_value("#lv-q") == "家庭教育"
    for name, value in [("类别", "讲座"), ("时间", "近期"), ("区县", "金台区")]:
        assert page.is_checked(f"input[name='{name}'][value='{value}']")
    found = all_results(page)
    expected = {f"/lectures/{l.id}/" for l in catalog.lectures_by_district["jintai"] if l.date.isoformat() >= DEMO_TODAY}
    assert found and set(found) <= expected


@pytest.mark.parametrize("name, value", [("适合年龄", "初中"), ("门票", "免费开放"), ("主题", "防止网络沉迷"), ("时间", "往期")])
def test_each_filter_keeps_only_matching_entries(browser, site_url, catalog, name, value):
    page = open_search(browser, site_url, **{name: value})
    found = all_results(page)
    assert found
    lectures = {f"/lectures/{l.id}/": l for l in catalog.lectures.values()}
    venues = {f"/venues/{v.id}/": v for v in catalog.venues.values()}
    topic = next((t.id for t in catalog.topics.values() if t.name == value), None)
    for path in found:
        entry = lectures.get(path) or venues.get(path)
        if name == "适合年龄":
            assert entry is not None and "junior" in audiences_served(entry.audiences), path  # 全学段 too
        elif name == "门票":
            assert path in venues and entry.admission == "free", path
        elif name == "主题":
            assert path.startswith(("/lectures/", "/lecturers/", "/topics/", "/articles/")), path
            if path in lectures:
                assert topic in entry.topics, path
        else:
            assert path in lectures and entry.date.isoformat() < DEMO_TODAY, path


def test_ticking_a_filter_puts_it_in_the_url(browser, site_url):
    page = open_search(browser, site_url, q="图书馆")
    page.click("details[data-facet='类别'] > summary")
    page.click("details[data-facet='类别'] label:has-text('开放场馆')")
    page.wait_for_function("() => new URLSearchParams(location.search).get('类别') === '开放场馆'")
    wait_for_results(page, "图书馆")
    assert all(p.startswith("/venues/") for p in all_results(page))
    page.reload()
    page.wait_for_selector("#lv-search[data-loaded]")
    assert page.is_checked("input[name='类别'][value='开放场馆']") and page.input_value("#lv-q") == "图书馆"


@pytest.mark.parametrize("how", ["no-javascript", "old-browser"])
def test_search_falls_back_to_the_lists_and_says_why(browser, site_url, how):
    page = browser.page(javascript=how != "no-javascript", user_agent=WECHAT_UA)
    if how == "old-browser":  # a browser without fetch: the page cannot load the index
        page.add_init_script("delete window.fetch")
    page.goto(site_url + "search/?q=图书馆")
    page.wait_for_timeout(500)
    assert page.is_visible("#lv-search-fallback") and not page.is_visible("#lv-search-app")
    links = page.eval_on_selector_all("#lv-search-fallback a", "els => els.map(e => new URL(e.href).pathname)")
    assert {"/districts/", "/calendar/", "/topics/", "/nearby/"} <= set(links)
    why = page.inner_text("#lv-search-fallback")
    if how == "no-javascript":
        assert "JavaScript" in why
    else:  # JavaScript runs: the message does not blame it, and the typed query stays in the box
        assert "JavaScript" not in why and "较旧" in why
        assert page.input_value("#lv-q") == "图书馆"


@pytest.mark.parametrize("query, wanted", [("亲子阅读", "亲子阅读"), ("图书馆", "图书馆"), ("孩子玩手机", "手机")])
def test_search_works_without_intl_segmenter(browser, site_url, catalog, query, wanted):
    """Older in-app browsers (Android WeChat) have no Intl.Segmenter: the page cuts the query itself."""
    page = browser.page(user_agent=WECHAT_UA)
    page.add_init_script("delete Intl.Segmenter")
    page.goto(site_url + "search/?q=" + query)
    page.wait_for_selector("#lv-search[data-loaded]")
    wait_for_results(page, query)
    assert page.input_value("#lv-q") == query
    assert not page.is_visible("#lv-search-fallback")
    titles = page.eval_on_selector_all("#lv-results a.lv-title", "els => els.map(e => e.textContent)")
    assert titles and any(wanted in t for t in titles[:5]), titles[:5]


def test_results_show_date_place_and_audience_as_lines_of_their_own(browser, site_url, catalog):
    page = open_search(browser, site_url, q="亲子阅读", 时间="近期")
    lecture = page.locator("#lv-results > li").filter(has=page.locator("a.lv-title[href*='/lectures/']")).first
    path = lecture.locator("a.lv-title").evaluate("a => new URL(a.href).pathname")
    entry = catalog.lectures[path.split("/")[2]]
    place = catalog.places[entry.venue]
    when = lecture.locator(".lv-line-when").inner_text()
    assert when.startswith("时间：") and f"{entry.date.year}年{entry.date.month}月{entry.date.day}日" in when
    assert lecture.locator(".lv-line-place").inner_text().startswith("地点：" + place.name)
    assert lecture.locator(".lv-line-audience").inner_text().startswith("适合：")
    # No run of labelled facts cut anywhere (“形式线下 适合初中… 名额2”): any text is a whole sentence.
    text = lecture.inner_text()
    assert "形式" not in text and "名额" not in text
    excerpt = lecture.locator(".lv-excerpt")
    if excerpt.count():
        assert excerpt.inner_text().endswith(("。", "！", "？", "…")), excerpt.inner_text()


def test_age_filter_lists_ages_in_school_order(browser, site_url):
    page = open_search(browser, site_url, q="家长")
    ages = page.eval_on_selector_all("details[data-facet='适合年龄'] input", "els => els.map(e => e.value)")
    assert ages == [label for label in AUDIENCES.values() if label in ages]
    assert ages[:4] == ["学前", "小学", "初中", "高中"]


def test_search_page_knows_the_ages_in_the_order_of_the_vocabulary():
    script = (ROOT / "content" / "assets" / "search.js").read_text(encoding="utf-8")
    assert json.loads(re.search(r"var AGES = (\[.*?\]);", script).group(1)) == list(AUDIENCES.values())
