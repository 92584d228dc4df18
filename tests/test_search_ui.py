"""The search page's own UI over Pagefind: forgiving queries, ranking, filters in the URL, fallbacks."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from conftest import DEMO_TODAY
from test_search_browser import all_results, search, wait_for_results

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
            assert entry is not None and "junior" in entry.audiences, path
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
    page.click("details[data-facet='类别'] label:has-text('场馆')")
    page.wait_for_function("() => new URLSearchParams(location.search).get('类别') === '场馆'")
    wait_for_results(page, "图书馆")
    assert all(p.startswith("/venues/") for p in all_results(page))
    page.reload()
    page.wait_for_selector("#lv-search[data-loaded]")
    assert page.is_checked("input[name='类别'][value='场馆']") and page.input_value("#lv-q") == "图书馆"


@pytest.mark.parametrize("how", ["no-javascript", "no-segmenter"])
def test_search_falls_back_to_the_lists(browser, site_url, how):
    page = browser.page(javascript=how != "no-javascript")
    if how == "no-segmenter":  # like the Android WeChat browser
        page.add_init_script("delete Intl.Segmenter")
    page.goto(site_url + "search/?q=图书馆")
    page.wait_for_timeout(500)
    assert page.is_visible("#lv-search-fallback") and not page.is_visible("#lv-search-app")
    links = page.eval_on_selector_all("#lv-search-fallback a", "els => els.map(e => new URL(e.href).pathname)")
    assert {"/districts/", "/calendar/", "/topics/", "/nearby/"} <= set(links)
