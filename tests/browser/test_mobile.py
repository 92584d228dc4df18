"""Phone-first: each page kind at 375×667 (no sideways scrolling, 44 px tap targets, readable
text), axe-core's serious and critical rules, the plain lists without JavaScript, page weight."""

from __future__ import annotations

import gzip

import pytest
from conftest import ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# One page of each kind (paths of the demo site).
PAGE_KINDS = {
    "home": "",
    "lecture": "lectures/{lecture}/",
    "cancelled lecture": "lectures/{cancelled}/",
    "lecturer": "lecturers/zhang-huimin/",
    "venue": "venues/city-library/",
    "base": "bases/meixian-kiwi-base/",
    "station": "stations/jintai-dongfenglu/",
    "district": "districts/weibin/",
    "topic": "topics/reading/",
    "series": "series/grandparents-class/",
    "audience": "audiences/junior/",
    "lectures": "lectures/",
    "calendar": "calendar/",
    "month": "calendar/2026-12/",
    "lecturers": "lecturers/",
    "venues": "venues/",
    "districts": "districts/",
    "search": "search/?q=图书馆",
    "nearby": "nearby/?d=weibin",
    "about": "about/",
    "not found": "404.html",
    "open data": "opendata/",
    "stats": "stats/",
}

# What a finger taps: buttons, form controls, list entries, chips; links inside running text are exempt.
TAP_TARGETS = ("main .md-button, main button, main input:not([type=checkbox]), main select, main summary, main label:has(input),"
               " main .lv-title, main .lv-chips a, main .lv-months a, main .lv-jump a, main .lv-navlinks a")


@pytest.fixture(scope="module")
def paths(catalog):
    lecture = next(l for l in catalog.lectures_in_order if l.status == "scheduled" and l.venue and l.description)
    cancelled = next(l for l in catalog.lectures_in_order if l.status == "cancelled")
    return {kind: path.format(lecture=lecture.id, cancelled=cancelled.id) for kind, path in PAGE_KINDS.items()}


def settle(page, kind: str) -> None:
    if kind == "search":
        page.wait_for_selector("#lv-results > li")
    elif kind == "nearby":
        page.wait_for_selector("#lv-nearby-list .lv-distance")


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_fits_a_phone_and_passes_axe(browser, site_url, paths, kind):
    page = browser.page(375, 667)
    page.goto(site_url + paths[kind])
    settle(page, kind)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, f"{kind} scrolls sideways ({width} px)"
    small = page.evaluate("""sel => [...document.querySelectorAll(sel)]
        .filter(e => e.offsetParent !== null && !e.closest('[hidden]'))
        .map(e => [e.tagName + '.' + e.className + ' ' + (e.textContent || e.value || '').trim().slice(0, 20), e.getBoundingClientRect()])
        .filter(([, r]) => r.width > 0 && (r.height < 43.5 || r.width < 24))
        .map(([what, r]) => what + ' ' + Math.round(r.width) + 'x' + Math.round(r.height))""", TAP_TARGETS)
    assert small == [], f"{kind}: tap targets under 44 px: {small[:8]}"
    tiny = page.evaluate("""() => [...document.querySelectorAll('main p, main li, main dd, main dt, main td')]
        .filter(e => e.offsetParent !== null && e.textContent.trim())
        .filter(e => parseFloat(getComputedStyle(e).fontSize) < 12)
        .map(e => e.textContent.trim().slice(0, 20))""")
    assert tiny == [], f"{kind}: text under 12 px: {tiny[:5]}"
    # axe-core (npm, installed by make test) on the same page: no serious or critical violation.
    assert AXE.is_file(), "axe-core is missing: run make test (npm ci) first"
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))""")
    assert violations == [], f"{kind}: {violations}"


@pytest.mark.parametrize("path, section", [("districts/weibin/", "lectures"), ("calendar/2026-12/", "lectures"),
                                           ("topics/reading/", "lectures"), ("nearby/", "venues")])
def test_lists_read_without_javascript(browser, site_url, path, section):
    page = browser.page(375, 667, javascript=False)
    page.goto(site_url + path)
    links = page.eval_on_selector_all(f"main a.lv-title[href*='{section}/']", "els => els.filter(e => e.offsetParent !== null).length")
    assert links >= 3


def test_first_visit_to_a_lecture_page_is_light(browser, site_url, paths):
    """Bytes of a first visit (empty cache) to a lecture page; it must not load the catalogue's data."""
    page = browser.page(375, 667)
    sizes: dict[str, int] = {}

    def record(response):
        try:
            body = response.body()
        except Exception:  # redirects have no body
            return
        sizes[response.url] = len(body)
        bodies[response.url] = body

    bodies: dict[str, bytes] = {}
    page.on("response", record)
    page.goto(site_url + paths["lecture"], wait_until="networkidle")
    urls = list(sizes)
    assert not [u for u in urls if "pagefind" in u or u.endswith((".json", "search.js", "nearby.js"))], urls
    total = sum(sizes.values())
    compressed = sum(len(gzip.compress(b, 9)) for b in bodies.values())
    print(f"\nfirst visit to a lecture page: {len(urls)} files, {total} bytes, {compressed} bytes gzip")
    assert total < 400_000 and compressed < 80_000
