"""The home page's finder, 附近's lectures and the reader's own date, on the demo site at 375×667 with
WeChat's user agent: what is on soon, for my child, near me, true on the day the page is read."""

from __future__ import annotations

import gzip
import json
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import DEMO_TODAY

from generator.model import vocab
from generator.model.kinds import PLACE_SECTIONS
from generator.plan import geo

pytestmark = pytest.mark.browser

WECHAT = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN")
BUILT = date.fromisoformat(DEMO_TODAY)


def phone(browser, day: date | None = None, **options):
    """A 375×667 WeChat page whose clock reads 10:00 in Beijing on `day`."""
    page = browser.page(375, 667, **options)
    page.context.set_extra_http_headers({"User-Agent": WECHAT})
    if day:
        page.clock.set_fixed_time(f"{day.isoformat()}T10:00:00+08:00")
    return page


def wanted(catalog, since: date, until: date, stage: str, district: str | None = None) -> list[str]:
    """What the finder must list: the lectures for `stage` (全学段 too) from `since` to `until` in
    `district` (online ones without a place count everywhere), by date and time."""
    found = []
    for l in catalog.lectures_in_order:
        place = catalog.places.get(l.venue) if l.venue else None
        if since <= l.date <= until and stage in vocab.audiences_served(l.audiences) and (
                district is None or place is None or place.district == district):
            found.append(f"/lectures/{l.id}/")
    return found


def shown(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "els => els.filter(e => e.offsetParent !== null)"
                                     ".map(e => new URL(e.href).pathname)")


def days(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "els => els.filter(e => e.offsetParent !== null)"
                                     ".map(e => e.getAttribute('datetime').slice(0, 10))")


def test_stage_district_and_this_week_list_the_soonest_first(browser, site_url, catalog):
    monday = date(2026, 12, 14)
    page = phone(browser, monday)
    page.goto(site_url)
    assert "nearby/places.json" not in [urlsplit(u).path[1:] for u in page.evaluate("performance.getEntries().map(e => e.name)")]
    page.click("#lv-finder label:has-text('小学')")
    page.select_option("#lv-finder select[name=d]", "jintai")
    page.wait_for_selector("#lv-finder-list li")
    expected = wanted(catalog, monday, monday + timedelta(days=6), "primary", "jintai")
    assert expected and shown(page, "#lv-finder-list .lv-title") == expected
    # 全学段 counts for 小学: this week's only lecture in 金台区 is one for every stage.
    assert any("primary" not in catalog.lectures[p.split("/")[2]].audiences for p in expected)
    assert "本周" in page.inner_text("#lv-finder-status") and "12月14日–12月20日" in page.inner_text("#lv-finder-status")
    # The choices are in the address, and kept on the phone for the next visit.
    assert parse_qs(urlsplit(page.url).query) == {"age": ["primary"], "d": ["jintai"], "when": ["week"]}
    page.goto(site_url)
    page.wait_for_selector("#lv-finder-list li")
    assert shown(page, "#lv-finder-list .lv-title") == expected
    # 近期全部: every upcoming one, still soonest first.
    page.click("#lv-finder label:has-text('近期全部')")
    page.wait_for_function("() => document.querySelectorAll('#lv-finder-list li').length > 3")
    assert shown(page, "#lv-finder-list .lv-title") == wanted(catalog, monday, BUILT + timedelta(days=183), "primary", "jintai")


def test_two_taps_with_location_show_distances_nearer_first_on_a_day(browser, site_url, catalog):
    # A Saturday with lectures for 小学 at two places: the parent stands at one of them.
    day = date(2026, 12, 5)
    lectures = [l for l in catalog.lectures_in_order if l.date == day and l.venue and "primary" in vocab.audiences_served(l.audiences)]
    far = lectures[0] if catalog.places[lectures[0].venue].district != "jintai" else lectures[-1]
    near = next(l for l in lectures if catalog.places[l.venue].district == "jintai")
    place = catalog.places[near.venue]
    lat, lng = geo.to_wgs84(place.location.lat, place.location.lng, place.location.crs)
    page = phone(browser, day - timedelta(days=1), geolocation={"latitude": lat, "longitude": lng})
    page.goto(site_url)
    page.click("#lv-finder label:has-text('小学')")      # tap one
    page.click("#lv-finder-locate")                      # tap two
    page.wait_for_selector("#lv-finder-list .lv-distance")
    page.select_option("#lv-finder select[name=r]", "50")
    page.wait_for_function("() => document.querySelectorAll('#lv-finder-list .lv-distance').length > 1")
    rows = page.eval_on_selector_all("#lv-finder-list > li", "els => els.map(li => [new URL(li.querySelector('a').href).pathname,"
                                     " li.querySelector('time').getAttribute('datetime').slice(0, 10),"
                                     " parseFloat((li.querySelector('.lv-distance') || {}).textContent)])")
    dates = [d for _, d, _ in rows]
    assert dates == sorted(dates) and dates[0] >= (day - timedelta(days=1)).isoformat()
    for d in set(dates):
        same_day = [km for _, when, km in rows if when == d]
        assert same_day == sorted(same_day), f"{d}: {same_day}"
    paths = [p for p, _, _ in rows]
    if geo.distance_km((lat, lng), geo.to_wgs84(catalog.places[far.venue].location.lat, catalog.places[far.venue].location.lng,
                                                  catalog.places[far.venue].location.crs)) <= 50:
        assert paths.index(f"/lectures/{near.id}/") < paths.index(f"/lectures/{far.id}/")
    assert parse_qs(urlsplit(page.url).query)["near"] == ["1"]


def test_ten_days_after_the_build_nothing_over_shows_as_upcoming(browser, site_url, catalog):
    later = BUILT + timedelta(days=10)
    page = phone(browser, later)
    page.goto(site_url)
    upcoming = days(page, "ul[data-lv-when=upcoming] time")
    assert upcoming and min(upcoming) >= later.isoformat()
    # The home page still lists eight: the next ones, by the phone's date.
    soonest = [f"/lectures/{l.id}/" for l in catalog.lectures_in_order if l.date >= later][:8]
    assert shown(page, "ul[data-lv-when=upcoming] .lv-title") == soonest
    # … and its count of upcoming lectures is the phone's day's.
    still = sum(1 for l in catalog.lectures_in_order if l.date >= later)
    assert page.inner_text("[data-lv-upcoming-count]") == str(still)
    page.goto(site_url + "lectures/")
    assert min(days(page, "ul[data-lv-when=upcoming] time")) >= later.isoformat()
    assert page.inner_text("h2#upcoming") == f"近期讲座（{still} 场）"
    # An age group's page: what is over moved to 往期, newest first.
    page.goto(site_url + "audiences/primary/")
    assert min(days(page, "ul[data-lv-when=upcoming] time")) >= later.isoformat()
    past = days(page, "ul[data-lv-when=past] time")
    assert past[0] < later.isoformat() and past[0] > DEMO_TODAY and past == sorted(past, reverse=True)
    # The finder's 本周 and 附近's lectures start on the phone's day.
    page.goto(site_url + "?age=primary&when=week")
    page.wait_for_selector("#lv-finder-list li")
    week = days(page, "#lv-finder-list time")
    assert min(week) >= later.isoformat() and max(week) <= (later + timedelta(days=6 - later.weekday())).isoformat()
    page.goto(site_url + "nearby/?d=jintai&view=lectures&r=50")
    page.wait_for_selector("#lv-nearby-list .lv-distance")
    assert min(days(page, "#lv-nearby-list time")) >= later.isoformat()
    # The calendar's 本月 moves with the phone's month.
    page = phone(browser, date(2027, 1, 3))
    page.goto(site_url + "calendar/")
    assert page.inner_text("li.lv-current").startswith("2027年1月") and "本月" in page.inner_text("li.lv-current")
    assert page.locator(".lv-this-month:visible").count() == 1


def test_nearby_places_show_their_next_lectures(browser, site_url, catalog):
    page = phone(browser, BUILT)
    page.goto(site_url + "nearby/?d=jintai")
    page.wait_for_selector("#lv-nearby-list .lv-distance")
    first = page.locator("#lv-nearby-list > li").first
    place_url = first.locator("a.lv-title").get_attribute("href")
    place_id = place_url.rstrip("/").split("/")[-1]
    coming = [l for l in catalog.lectures_by_place.get(place_id, []) if l.date >= BUILT][:2]
    assert [f"/lectures/{l.id}/" for l in coming] == [urlsplit(h).path for h in
                                                       first.locator(".lv-nearby-next a").evaluate_all("els => els.map(a => a.href)")]


def test_first_two_screens_hold_the_finder_and_the_first_lectures(browser, site_url):
    page = phone(browser, BUILT)
    page.goto(site_url)
    finder = page.locator(".lv-finder").bounding_box()
    first = page.locator("ul[data-lv-when=upcoming] > li").first.bounding_box()
    assert finder["y"] < 667 and finder["y"] + finder["height"] <= 2 * 667
    assert first["y"] + first["height"] <= 2 * 667


def test_first_visit_to_the_home_page_is_light(browser, site_url):
    page = phone(browser, BUILT)
    bodies: dict[str, bytes] = {}

    def record(response):
        try:
            bodies[response.url] = response.body()
        except Exception:  # redirects have no body
            pass

    page.on("response", record)
    page.goto(site_url, wait_until="networkidle")
    assert not [u for u in bodies if "pagefind" in u or u.endswith(".json")], list(bodies)
    compressed = sum(len(gzip.compress(b, 9)) for b in bodies.values())
    print(f"\nfirst visit to the home page: {len(bodies)} files, {sum(map(len, bodies.values()))} bytes, {compressed} bytes gzip")
    assert compressed < 80_000


def test_without_javascript_the_finder_leads_to_static_lists(browser, site_url, catalog):
    page = phone(browser, javascript=False)
    page.goto(site_url)
    page.click(".lv-finder a:has-text('小学')")
    page.wait_for_url("**/audiences/primary/")
    page.click("#by-district + ul a:has-text('金台区')")
    page.wait_for_url("**/audiences/primary/jintai/")
    listed = shown(page, "ul[data-lv-when=upcoming] .lv-title")
    assert listed == wanted(catalog, BUILT, date(2100, 1, 1), "primary", "jintai")[:len(listed)] and len(listed) >= 5
    assert "日程更新于 2026年11月28日" in page.inner_text("main")


def test_places_json_holds_the_coming_lectures(demo_site, catalog):
    data = json.loads((demo_site / "nearby/places.json").read_text(encoding="utf-8"))
    ids = [l["id"] for l in data["lectures"]]
    assert ids == [l.id for l in catalog.lectures_in_order if BUILT <= l.date <= BUILT + timedelta(days=183)]
    everyone = next(l for l in data["lectures"] if "all" in l["a"])
    assert set(vocab.STAGES) <= set(everyone["a"])
    located = next(l for l in data["lectures"] if "p" in l)
    assert data["places"][located["p"]]["url"] == f"{PLACE_SECTIONS[catalog.place_kind(catalog.lectures[located['id']].venue)]}/{catalog.lectures[located['id']].venue}/"
