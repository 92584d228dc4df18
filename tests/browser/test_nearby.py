"""/nearby/ (附近) and the 导航 links of place pages, on the real demo site."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, unquote, urlsplit

from bs4 import BeautifulSoup
from conftest import follow_instantly

from generator.plan import geo


def listed(page) -> list[tuple[str, str]]:
    """(path, distance text) of each listed place, in order."""
    return page.eval_on_selector_all("#lv-nearby-list > li", "els => els.map(li => [new URL(li.querySelector('a').href).pathname,"
                                     " (li.querySelector('.lv-distance') || {}).textContent || ''])")


def test_places_json_is_wgs84_and_has_every_located_place(demo_site, catalog):
    data = json.loads((demo_site / "nearby/places.json").read_text(encoding="utf-8"))
    assert data["crs"] == "wgs84"
    located = [p for p in catalog.places.values() if p.location]
    assert len(data["places"]) == len(located) > 50
    library = catalog.venues["city-library"]
    entry = next(p for p in data["places"] if p["url"] == "venues/city-library/")
    expected = geo.gcj02_to_wgs84(library.location.lat, library.location.lng)
    assert geo.distance_km((entry["lat"], entry["lng"]), expected) * 1000 < 1
    # Not the raw GCJ-02 point: that is several hundred metres away.
    assert geo.distance_km((entry["lat"], entry["lng"]), (library.location.lat, library.location.lng)) > 0.3
    assert entry["hours"] == library.hours and entry["admission"] == "free"


def test_nearest_place_by_the_browsers_location(browser, site_url, catalog):
    venue = catalog.venues["city-library"]
    lat, lng = geo.to_wgs84(venue.location.lat, venue.location.lng, venue.location.crs)
    page = browser.page(geolocation={"latitude": lat, "longitude": lng})
    page.goto(site_url + "nearby/")
    page.click("#lv-nearby-locate")
    page.wait_for_function("() => document.querySelector('#lv-nearby-list .lv-distance')")
    rows = listed(page)
    assert rows[0] == ["/venues/city-library/", "0.0 公里"]
    distances = [float(d.split()[0]) for _, d in rows]
    assert distances == sorted(distances)
    first = page.locator("#lv-nearby-list > li").first.inner_text()
    assert venue.hours in first and "免费开放" in first


def test_refused_location_asks_for_district_and_street(browser, site_url, catalog):
    page = browser.page()  # no permission: the browser refuses, as WeChat often does
    page.goto(site_url + "nearby/")
    page.click("#lv-nearby-locate")
    page.wait_for_function("() => document.getElementById('lv-nearby-status').textContent.includes('请选择')")
    station = catalog.stations["jintai-dongfenglu"]
    page.select_option("#lv-nearby-district", "jintai")
    page.select_option("#lv-nearby-street", station.street)
    page.wait_for_function("s => document.getElementById('lv-nearby-status').textContent.includes(s)", arg=station.street)
    rows = listed(page)
    street_stations = [s for s in catalog.stations.values() if s.district == "jintai" and s.street == station.street]
    assert rows[0][0] in {f"/stations/{s.id}/" for s in street_stations}
    # The pick is in the URL: reloading (or sharing) keeps it.
    assert parse_qs(urlsplit(page.url).query) == {"d": ["jintai"], "s": [station.street]}
    page.reload()
    page.wait_for_function("() => document.querySelector('#lv-nearby-list .lv-distance')")
    assert listed(page) == rows
    assert page.input_value("#lv-nearby-street") == station.street


def test_kind_and_free_filters(browser, site_url, catalog):
    page = browser.page()
    page.goto(site_url + "nearby/?d=weibin")
    page.wait_for_selector("#lv-nearby-list .lv-distance")
    page.uncheck("input[name=kind][value=station]")
    page.uncheck("input[name=kind][value=base]")
    page.check("input[name=free]")
    paths = [p for p, _ in listed(page)]
    free = {f"/venues/{v.id}/" for v in catalog.venues.values() if v.admission == "free" and v.location}
    assert paths and set(paths) <= free


def test_without_javascript_the_page_lists_every_place_by_district(browser, site_url, catalog):
    page = browser.page(javascript=False)
    page.goto(site_url + "nearby/")
    assert not page.is_visible("#lv-nearby")
    links = page.eval_on_selector_all("#lv-nearby-static a.lv-title", "els => els.map(e => new URL(e.href).pathname)")
    assert len(links) == len(catalog.places)


def test_place_pages_link_to_three_map_apps_in_their_own_systems(demo_site, catalog):
    venue = catalog.venues["city-library"]
    soup = BeautifulSoup((demo_site / "venues/city-library/index.html").read_text(encoding="utf-8"), "html.parser")
    links = {a.get_text(): a["href"] for a in soup.select("nav.lv-navlinks a")}
    g_lat, g_lng = venue.location.lat, venue.location.lng  # the demo points are GCJ-02
    amap = urlsplit(links["高德地图"])
    q = parse_qs(amap.query)
    assert amap.netloc == "uri.amap.com" and q["coordinate"] == ["gaode"] and q["name"] == [venue.name]
    lng, lat = map(float, q["position"][0].split(","))
    assert geo.distance_km((lat, lng), (g_lat, g_lng)) * 1000 < 1
    baidu = parse_qs(urlsplit(links["百度地图"]).query)
    assert baidu["coord_type"] == ["bd09ll"] and baidu["title"] == [venue.name]
    b_lat, b_lng = map(float, baidu["location"][0].split(","))
    assert geo.distance_km((b_lat, b_lng), geo.gcj02_to_bd09(g_lat, g_lng)) * 1000 < 1
    qq = urlsplit(links["腾讯地图"])
    marker = unquote(parse_qs(qq.query)["marker"][0])
    assert qq.netloc == "apis.map.qq.com" and marker.startswith(f"coord:{g_lat:.6f},{g_lng:.6f};title:{venue.name};")


def test_map_link_names_are_encoded(tmp_path):
    links = dict(geo.map_links("A&B;title:x 馆", 34.35, 107.2, "wgs84", "路 1 号"))
    qq = links["腾讯地图"]
    assert "A%26B%3Btitle%3Ax%20%E9%A6%86" in qq and ";title:A" in qq
    assert "name=A%26B%3Btitle%3Ax%20%E9%A6%86" in links["高德地图"]
    # A WGS-84 point is shifted into GCJ-02 for 高德.
    lng, lat = map(float, parse_qs(urlsplit(links["高德地图"]).query)["position"][0].split(","))
    assert geo.distance_km((lat, lng), geo.wgs84_to_gcj02(34.35, 107.2)) * 1000 < 1


def test_nearby_works_after_instant_navigation(browser, instant_site_url):
    page = browser.page(width=1280, height=900)
    page.goto(instant_site_url + "about/")
    follow_instantly(page, "a.md-tabs__link:has-text('去哪儿')", "**/nearby/")
    page.select_option("#lv-nearby-district", "weibin")
    page.wait_for_selector("#lv-nearby-list .lv-distance")
    assert not page.is_visible("#lv-nearby-static")
