"""The search page reads what a query names besides words (content/assets/search_query.js) and ranks
by it: dates, ages, a kind of entry, a district, a topic; and it does not give up on a query that
only some pages answer in part. On the real demo site, in headless Chromium."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import DEMO_TODAY
from test_search_browser import search

from generator.model import vocab

pytestmark = pytest.mark.browser

CASES = yaml.safe_load((Path(__file__).resolve().parent.parent / "search_understands.yaml").read_text(encoding="utf-8"))
BUILT = date.fromisoformat(DEMO_TODAY)


def search_page(browser, site_url, day: date | None = None):
    """The search page on a phone whose clock reads 10:00 in Beijing on `day`."""
    page = browser.page()
    if day:
        page.clock.set_fixed_time(f"{day.isoformat()}T10:00:00+08:00")
    page.goto(site_url + "search/")
    page.wait_for_selector("#lv-search[data-loaded]")
    return page


def lecture_paths(lectures) -> list[str]:
    return [f"/lectures/{l.id}/" for l in lectures]


def in_time_order(catalog, lectures, today: date) -> list[str]:
    """Upcoming lectures from the soonest, then past ones from the latest (a day's in any order)."""
    upcoming = sorted((l for l in lectures if l.date >= today), key=lambda l: l.date)
    past = sorted((l for l in lectures if l.date < today), key=lambda l: l.date, reverse=True)
    return lecture_paths(upcoming + past)


def days_of(catalog, paths: list[str]) -> list[date]:
    return [catalog.lectures[p.split("/")[2]].date for p in paths]


def test_the_query_is_read_as_the_data_file_says(browser, site_url):
    page = search_page(browser, site_url)
    districts = ["渭滨区", "金台区", "陈仓区", "凤翔区", "岐山县", "扶风县", "眉县", "陇县", "千阳县", "麟游县", "凤县", "太白县", "高新区"]
    wrong = []
    for case in CASES["cases"]:
        got = page.evaluate("([q, today, d]) => window.lvyinQuery.understand(q, today, {districts: d})",
                            [str(case["q"]), str(CASES["today"]), districts])
        days = got["days"]
        read = {"days": [days[0], days[-1], len(days)] if days else None, "stages": got["stages"],
                "kind": got["kind"], "district": got["district"], "text": got["text"]}
        want = {"days": [d if isinstance(d, int) else str(d) for d in case["days"]] if "days" in case else None, "stages": case.get("stages"), "kind": case.get("kind"),
                "district": case.get("district"), "text": case["text"]}
        if read != want:
            wrong.append(f"{case['q']}: {read} != {want}")
    assert not wrong, "\n".join(wrong)


def test_a_month_lists_its_lectures_by_date_and_nothing_else(browser, site_url, catalog):
    """12月: December's lectures (not those at 12:00 of other months, nor pages that mention 12), soonest first."""
    page = search_page(browser, site_url)
    found = search(page, "12月")
    december = [l for l in catalog.lectures.values() if l.date.month == 12]
    assert len(december) >= 10
    assert found == in_time_order(catalog, december, BUILT) or days_of(catalog, found) == days_of(
        catalog, in_time_order(catalog, december, BUILT)), found[:8]
    assert "日期：12月" in page.inner_text("#lv-search-message")


@pytest.mark.parametrize("today, query, first, last", [
    (date(2026, 12, 2), "周六", date(2026, 12, 5), date(2026, 12, 5)),
    (date(2026, 12, 4), "明天", date(2026, 12, 5), date(2026, 12, 5)),
    (date(2026, 12, 2), "本周", date(2026, 12, 2), date(2026, 12, 6)),
    (date(2026, 12, 2), "下周", date(2026, 12, 7), date(2026, 12, 13)),
])
def test_days_named_by_the_readers_clock(browser, site_url, catalog, today, query, first, last):
    """The phone's clock is days after the site was built (28 November 2026)."""
    page = search_page(browser, site_url, today)
    wanted = [l for l in catalog.lectures.values() if first <= l.date <= last]
    assert wanted, "the demo has lectures on those days"
    found = search(page, query)
    assert sorted(found) == sorted(lecture_paths(wanted)), found
    assert days_of(catalog, found) == sorted(days_of(catalog, found))


def test_an_age_lists_that_stages_lectures_first_with_those_for_every_stage(browser, site_url, catalog):
    """8岁 → 小学: the upcoming lectures for primary-school parents (全学段 too), soonest first."""
    page = search_page(browser, site_url)
    found = search(page, "8岁")
    for_primary = {f"/lectures/{l.id}/": l for l in catalog.lectures.values() if "primary" in vocab.audiences_served(l.audiences)}
    head = found[:20]
    assert all(p in for_primary for p in head), head
    assert any("all" in for_primary[p].audiences for p in head), "a 全学段 lecture counts for 小学"
    dates = [for_primary[p].date for p in head]
    assert dates == sorted(dates) and dates[0] >= BUILT
    assert "适合：小学" in page.inner_text("#lv-search-message")


def test_a_district_and_a_kind_list_that_districts_entries_of_that_kind_first(browser, site_url, catalog):
    """金台区 讲座: 金台区's upcoming lectures, soonest first, before its stations and museums."""
    page = search_page(browser, site_url)
    found = search(page, "金台区 讲座")
    jintai = [l for l in catalog.lectures_by_district["jintai"]]
    upcoming = in_time_order(catalog, [l for l in jintai if l.date >= BUILT], BUILT)
    assert len(upcoming) >= 5
    assert found[:len(upcoming)] == upcoming or sorted(found[:len(upcoming)]) == sorted(upcoming), found[:len(upcoming)]
    assert days_of(catalog, found[:len(upcoming)]) == sorted(days_of(catalog, upcoming))


def test_a_topics_pinyin_lists_the_topic_and_its_upcoming_lectures_first(browser, site_url, catalog):
    page = search_page(browser, site_url)
    found = search(page, "qinziyuedu")
    assert found[0] == "/topics/reading/"
    upcoming = [l for l in catalog.lectures_by_topic["reading"] if l.date >= BUILT]
    head = found[1:1 + len(upcoming)]
    assert sorted(head) == sorted(lecture_paths(upcoming)), head
    assert days_of(catalog, head) == sorted(days_of(catalog, head))


def test_a_one_character_word_is_searched_and_the_few_whole_matches_stay_first(browser, site_url, catalog):
    """家里吵: one article holds every word; the talk on parents' quarrels (吵架) follows it, found by 吵 alone."""
    page = search_page(browser, site_url)
    found = search(page, "家里吵")
    quarrels = {f"/lectures/{l.id}/" for l in catalog.lectures.values() if "吵" in l.title}
    assert quarrels and quarrels & set(found[:5]), found[:5]
    assert found[0].startswith("/articles/")
