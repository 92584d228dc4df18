"""Search on the real demo site, in headless Chromium, as a parent uses it."""

from __future__ import annotations

import os
import re
from datetime import date
from urllib.parse import quote

import pytest
from browser import serve
from conftest import DEMO_TODAY, follow_instantly

from generator.model.kinds import PLACE_SECTIONS
from generator.render.search_terms import TERMS_MARK, title_pinyin

pytestmark = pytest.mark.browser


def search(page, query: str) -> list[str]:
    """Type `query` into the search page; return the paths of every result (all pages of results)."""
    page.wait_for_selector("#lv-search[data-loaded]")
    page.fill("#lv-q", query)
    page.press("#lv-q", "Enter")
    wait_for_results(page, query)
    return all_results(page)


def wait_for_results(page, query: str = "") -> None:
    """While searching the message says 正在搜索; then it counts the results for the query."""
    page.wait_for_function("q => { const m = document.getElementById('lv-search-message').textContent;"
                           " return m.includes(q) && !m.startsWith('正在'); }", arg=query)


def all_results(page) -> list[str]:
    page.wait_for_timeout(200)
    while page.locator("#lv-more:visible").count():
        count = page.locator("#lv-results > li").count()
        page.click("#lv-more")
        page.wait_for_function("n => document.querySelectorAll('#lv-results > li').length > n", arg=count)
    return page.eval_on_selector_all("#lv-results a.lv-title", "els => els.map(e => new URL(e.href).pathname)")


def entry_path(prefix: str, section: str, entry_id: str) -> str:
    return f"{prefix}{section}/{entry_id}/"


def test_library_query_finds_every_library(browser, site_url, catalog):
    page = browser.page()
    page.goto(site_url + "search/")
    found = search(page, "图书馆")
    libraries = {entry_path("/", "venues", v.id) for v in catalog.venues.values() if v.kind == "library"}
    assert len(libraries) >= 3
    assert libraries <= set(found), sorted(libraries - set(found))
    titles = page.eval_on_selector_all("#lv-results a.lv-title", "els => els.map(e => e.textContent)")
    assert any("图书馆" in t for t in titles[:3])


@pytest.mark.parametrize("word", ["青春期", "青少年"])
def test_a_word_the_index_cuts_finds_every_lecture_and_place_named_with_it(browser, site_url, catalog, word):
    """Pagefind 1.5 indexes 青春期 as 青春 + 期, while the browser keeps it whole in the query."""
    page = browser.page()
    page.goto(site_url + "search/")
    found = search(page, word)
    named = {entry_path("/", "lectures", l.id) for l in catalog.lectures.values() if word in l.title}
    named |= {entry_path("/", PLACE_SECTIONS[catalog.place_kind(p.id)], p.id) for p in catalog.places.values() if word in p.name}
    assert len(named) >= 3
    assert named <= set(found), sorted(named - set(found))


def test_lecturer_name_finds_the_lecturer_and_their_lectures(browser, site_url, catalog):
    person = next(p for p in sorted(catalog.lecturers.values(), key=lambda p: p.id) if len(catalog.lectures_by_lecturer.get(p.id, [])) >= 2)
    page = browser.page()
    page.goto(site_url + "search/")
    found = search(page, person.name)
    assert found[0] == entry_path("/", "lecturers", person.id)
    lectures = {entry_path("/", "lectures", l.id) for l in catalog.lectures_by_lecturer[person.id]}
    assert lectures <= set(found), sorted(lectures - set(found))


def test_a_past_lecture_has_lighter_search_terms_yet_is_found_by_part_of_its_title_and_its_lecturers_pinyin(
        browser, site_url, catalog, demo_site):
    """Past lectures (the archive parts of a big site's index) carry extra terms for their title and
    lecturers only: no tails or pinyin of their place, district, topics, nor words of their text."""
    today = date.fromisoformat(DEMO_TODAY)
    han = re.compile(r"[\u3400-\u9fff]+")

    def terms(lecture) -> list[str]:
        html = (demo_site / "lectures" / lecture.id / "index.html").read_text(encoding="utf-8")
        return html.split(TERMS_MARK, 1)[1].split("</p>", 1)[0].split()

    def place_name(lecture) -> str:
        return han.findall(catalog.places[lecture.venue].name)[0]

    def place_sound(lecture) -> str:  # the pinyin of its place's name, e.g. baojishitushuguan
        return title_pinyin(place_name(lecture)).split()[0]

    at_places = [l for l in catalog.lectures_in_order if l.venue and l.lecturers]
    upcoming = next(l for l in at_places if l.date >= today)
    past = next(l for l in at_places if l.date < today and max(map(len, han.findall(l.title))) >= 5
                and place_name(l)[1:] not in l.title)
    assert place_sound(upcoming) in terms(upcoming)
    assert place_sound(past) not in terms(past)

    page = browser.page()
    page.goto(site_url + "search/")
    fragment = max(han.findall(past.title), key=len)[1:5]  # from its second character: only the title's tails hold it
    assert entry_path("/", "lectures", past.id) in search(page, fragment)
    lecturer = catalog.lecturers[past.lecturers[0]]
    pinyin = title_pinyin(lecturer.name).split()[0]  # full pinyin, e.g. zhanghuimin
    assert entry_path("/", "lectures", past.id) in search(page, pinyin)


def test_a_past_lectures_description_is_not_searched_an_upcoming_ones_is(browser, site_url, catalog, demo_site):
    """A past lecture's description stays out of the index (a third of Pagefind's time on the archive)."""
    today = date.fromisoformat(DEMO_TODAY)
    pages = {p: p.read_text(encoding="utf-8") for p in demo_site.rglob("*.html") if "pagefind" not in p.parts[0]}

    def own_phrase(lecture) -> str | None:
        """A phrase of the lecture's description that no other page has (nor its own title or facts)."""
        own = demo_site / "lectures" / lecture.id / "index.html"
        before_text = pages[own].split('id="about"', 1)[0]
        for phrase in sorted(re.findall(r"[\u3400-\u9fff]{4,8}", lecture.description or ""), key=len, reverse=True):
            if phrase not in before_text and not any(phrase in html for path, html in pages.items() if path != own):
                return phrase
        return None

    upcoming = next((l, p) for l in catalog.lectures_in_order if l.date >= today and (p := own_phrase(l)))
    past = next((l, p) for l in catalog.lectures_in_order if l.date < today and (p := own_phrase(l)))
    page = browser.page()
    page.goto(site_url + "search/")
    assert entry_path("/", "lectures", upcoming[0].id) in search(page, upcoming[1])
    # The index itself: the search page would still list it further down, by some of the words (its title's).
    indexed = page.evaluate("""async q => {
      const pf = await import(new URL('../pagefind/pagefind.js', location.href).href);
      await pf.options({ baseUrl: new URL('../', location.href).pathname });
      const found = await pf.search(q);
      return Promise.all(found.results.map(r => r.data().then(d => new URL(d.url, location.href).pathname)));
    }""", past[1])
    assert entry_path("/", "lectures", past[0].id) not in indexed
    assert entry_path("/", "lectures", past[0].id) in search(page, past[0].title)


def test_a_place_whose_name_matches_comes_before_past_lectures_whose_names_match(browser, site_url, catalog):
    """qingtongqi (青铜器): the bronze museum before last autumn's talks on bronzes, though those
    short archive pages score higher in Pagefind."""
    today = date.fromisoformat(DEMO_TODAY)
    past = {entry_path("/", "lectures", l.id) for l in catalog.lectures_in_order if l.date < today}
    page = browser.page()
    page.goto(site_url + "search/")
    found = search(page, "qingtongqi")
    named_past = [i for i, path in enumerate(found) if path in past and "青铜器" in catalog.lectures[path.split("/")[2]].title]
    assert named_past, found  # the demo has past lectures named with 青铜器
    assert found.index("/venues/baoji-bronze-museum/") < min(named_past), found


def test_district_filter_keeps_only_that_district(browser, site_url, catalog):
    district = catalog.districts["weibin"]
    page = browser.page(width=1280, height=900)
    page.goto(site_url + "search/")
    unfiltered = search(page, "家庭教育")
    # A parent opens the 区县 group and taps the district's name.
    page.click("details[data-facet='区县'] > summary")
    page.click(f"details[data-facet='区县'] label:has-text('{district.name}')")
    assert page.is_checked(f"input[name='区县'][value='{district.name}']")
    page.wait_for_function("() => location.search.includes('%E5%8C%BA%E5%8E%BF')")  # 区县 in the URL
    wait_for_results(page, "家庭教育")
    filtered = all_results(page)
    assert filtered and len(filtered) < len(unfiltered)
    in_district = set()
    for kind, section in PLACE_SECTIONS.items():
        in_district |= {entry_path("/", section, p.id) for p in catalog.places.values() if p.district == district.id and catalog.place_kind(p.id) == kind}
    in_district |= {entry_path("/", "lectures", l.id) for l in catalog.lectures_by_district.get(district.id, [])}
    in_district |= {entry_path("/", "lecturers", p.id) for p in catalog.lecturers_by_district.get(district.id, [])}
    in_district.add(entry_path("/", "districts", district.id))
    assert set(filtered) <= in_district, sorted(set(filtered) - in_district)


def test_home_search_box_leads_to_results(browser, site_url):
    page = browser.page()
    page.goto(site_url)
    page.fill("#lv-home-q", "图书馆")
    page.press("#lv-home-q", "Enter")
    page.wait_for_selector("#lv-results > li")
    assert "/search/" in page.url and quote("图书馆") in page.url
    assert page.input_value("#lv-q") == "图书馆"


def test_search_works_after_instant_navigation(browser, instant_site_url):
    page = browser.page(width=1280, height=900)
    page.goto(instant_site_url + "about/")
    follow_instantly(page, "a.md-tabs__link:has-text('搜索')", "**/search/")
    found = search(page, "图书馆")
    assert any(path.startswith("/venues/") for path in found)


def test_search_works_when_the_site_lives_under_a_sub_path(browser, demo_site, tmp_path_factory, catalog):
    root = tmp_path_factory.mktemp("subpath")
    os.symlink(demo_site, root / "jiating")
    with serve(root) as url:
        page = browser.page()
        page.goto(url + "jiating/search/")
        found = search(page, "图书馆")
        library = next(v for v in catalog.venues.values() if v.kind == "library")
        assert entry_path("/jiating/", "venues", library.id) in found
        page.click(f"#lv-results a.lv-title[href$='/venues/{library.id}/']")
        page.wait_for_url(f"**/jiating/venues/{library.id}/")
        assert page.locator("h1").first.inner_text() == library.name
