"""What a parent sees who opens the site from a group chat, on a phone (375×667, WeChat's browser):
the share card of a forwarded lecture, 全学段 lectures in every age list, a short home page, a
Chinese 404, the footer, taps of 44 px, readable charts, no calendar for a moved lecture."""

from __future__ import annotations

import re

from browser import WECHAT_UA
from bs4 import BeautifulSoup
from conftest import DEMO_CATALOG, DEMO_TODAY, build_site

from generator.model.settings import load_settings
from generator.model.vocab import AUDIENCES, STAGES
from generator.outputs.dashboard import FONT
from generator.render.environment import cn_date

SCREEN = 667


def html(site, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def meta(doc: BeautifulSoup, name: str) -> str:
    tag = doc.find("meta", attrs={"property": name}) or doc.find("meta", attrs={"name": name})
    assert tag is not None, name
    return tag["content"]


def upcoming(catalog, **where):
    return [l for l in catalog.lectures_in_order if l.date.isoformat() >= DEMO_TODAY
            and all(getattr(l, k) == v for k, v in where.items())]


# Built HTML

def test_a_lecture_page_has_its_own_share_card(demo_site, catalog):
    settings = load_settings(DEMO_CATALOG)
    lecture = next(l for l in upcoming(catalog, status="scheduled") if l.venue)
    place = catalog.places[lecture.venue]
    doc = html(demo_site, f"lectures/{lecture.id}")
    assert meta(doc, "og:title") == lecture.title
    description = meta(doc, "og:description")
    assert cn_date(lecture.date) in description and f"{lecture.start:%H:%M}" in description
    assert place.name in description and place.address in description
    assert all(AUDIENCES[a] in description for a in lecture.audiences)
    assert meta(doc, "description") == description
    assert meta(doc, "og:url") == settings.absolute(f"lectures/{lecture.id}/")
    image = meta(doc, "og:image")
    assert image == settings.absolute("assets/share.png")
    assert (demo_site / "assets" / "share.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_each_page_describes_itself(demo_site, catalog):
    pages = ["", "lectures/", "calendar/", "audiences/primary/", "districts/weibin/", "venues/city-library/",
             "lecturers/zhang-huimin/", "topics/reading/", "about/", "search/", "opendata/"]
    descriptions = [meta(html(demo_site, p.rstrip("/")), "og:description") for p in pages]
    assert len(set(descriptions)) == len(pages), descriptions
    assert catalog.venues["city-library"].address in descriptions[pages.index("venues/city-library/")]


def test_every_stage_lists_the_lectures_for_all_stages(demo_site, catalog):
    for_all = upcoming(catalog, status="scheduled")
    for_all = [l for l in for_all if l.audiences == ["all"]]
    assert for_all, "the demo catalogue has upcoming lectures for 全学段 only"
    first = for_all[0]
    for stage in STAGES:
        links = {a["href"] for a in html(demo_site, f"audiences/{stage}").select("a.lv-title")}
        assert f"../../lectures/{first.id}/" in links, stage


def test_ages_are_in_school_order_wherever_a_lecture_names_them(demo_site, catalog):
    order = list(AUDIENCES.values())
    doc = html(demo_site, "audiences")
    assert [a.strong.get_text() for a in doc.select(".lv-grid a")] == order
    for lecture in list(catalog.lectures.values())[:200]:
        assert lecture.audiences == [a for a in AUDIENCES if a in lecture.audiences]


def test_postponed_and_cancelled_lectures_offer_no_calendar_entry(demo_site, catalog):
    moved = [l for l in upcoming(catalog) if l.status in ("cancelled", "postponed")]
    held = [l for l in upcoming(catalog, status="scheduled")]
    assert moved and held
    for lecture in moved:
        assert "加入日历" not in html(demo_site, f"lectures/{lecture.id}").get_text(), lecture.id
    assert "加入日历" in html(demo_site, f"lectures/{held[0].id}").get_text()


def test_open_data_words_stay_off_the_parents_lists(demo_site):
    for page in ("calendar", "lectures", ""):
        text = html(demo_site, page).select_one(".md-content").get_text()
        assert not re.search(r"Atom|JSON|Schema", text), page
    assert "JSON Schema" in html(demo_site, "opendata").select_one(".md-content").get_text()


def test_one_demo_notice_on_the_home_page(demo_site):
    assert html(demo_site, "").get_text().count("演示数据") == 1


def test_the_footer_names_organiser_contact_and_icp_record(make_catalog, tmp_path):
    catalog = make_catalog({"site.yaml": "name: 大讲堂\nurl: https://jtjy.example.cn/\norganizer: 宝鸡市妇联\n"
                                         "contact: 0917-3212345\nicp: 陕ICP备12345678号-1\n"})
    assert build_site(catalog, tmp_path / "site") == 0
    footer = html(tmp_path / "site", "").select_one("footer .md-copyright")
    text = footer.get_text(" ", strip=True)
    assert "主办：宝鸡市妇联" in text and "0917-3212345" in text and "陕ICP备12345678号-1" in text
    assert footer.select_one("a[href='tel:0917-3212345']")
    assert footer.select_one("a[href='https://beian.miit.gov.cn/']").get_text() == "陕ICP备12345678号-1"
    assert "Material" not in text


# In WeChat's browser on a phone

def phone(browser):
    return browser.page(375, SCREEN, user_agent=WECHAT_UA)


def test_the_404_page_is_chinese_with_a_search_box(browser, site_url):
    page = phone(browser)
    page.goto(site_url + "404.html")  # what the server sends for an address it has no page for
    assert "找不到" in page.inner_text("main h1")
    assert "Not found" not in page.inner_text("body")
    page.fill("main input[name=q]", "图书馆")
    page.press("main input[name=q]", "Enter")
    page.wait_for_url("**/search/?q=*")
    page.wait_for_selector("#lv-results > li")
    links = page.eval_on_selector_all("main .lv-chips a", "els => els.map(e => new URL(e.href).pathname)")
    assert {"/lectures/", "/audiences/", "/districts/", "/nearby/"} <= set(links)


def test_the_home_page_shows_lectures_in_its_first_two_screens_and_chips_wrap(browser, site_url, catalog):
    page = phone(browser)
    page.goto(site_url)
    first = page.eval_on_selector_all(".lv-home .lv-lecture", "els => els.slice(0, 3).map(e => e.getBoundingClientRect().bottom)")
    assert len(first) == 3 and first[-1] <= 2 * SCREEN, first
    for chips in page.query_selector_all(".lv-home .lv-chips"):
        rows = chips.eval_on_selector_all("li", "els => new Set(els.map(e => Math.round(e.getBoundingClientRect().top))).size")
        count = chips.eval_on_selector_all("li", "els => els.length")
        assert rows * 2 <= count, f"{count} chips on {rows} rows"
    # Everything before the long lists (the lectures, then the chips) fits in two screens.
    assert page.eval_on_selector("#upcoming", "e => e.getBoundingClientRect().top") < 2 * SCREEN


def links_under_44px(page) -> list[str]:
    return page.evaluate("""() => [...document.querySelectorAll('main a, main button, body > nav a, body > ul a')]
        .filter(e => e.offsetParent !== null)
        .map(e => [e.textContent.trim().slice(0, 20), e.getBoundingClientRect()])
        .filter(([, r]) => r.width > 0 && r.height < 43.5).map(([t, r]) => t + ' ' + Math.round(r.height))""")


def test_every_link_on_a_lecture_page_and_the_print_index_is_44_px_tall(browser, site_url, catalog):
    lecture = next(l for l in upcoming(catalog, status="scheduled") if l.venue and len(l.audiences) > 1)
    station = next(iter(catalog.stations))
    for path in (f"lectures/{lecture.id}/", f"print/stations/{station}/"):
        page = phone(browser)
        page.goto(site_url + path)
        assert page.eval_on_selector_all("main a, body a", "els => els.length") > 3, path
        assert links_under_44px(page) == [], path


def test_chart_labels_are_at_least_11_px_on_a_phone(browser, site_url):
    page = phone(browser)
    page.goto(site_url + "stats/")
    sizes = []
    for img in page.query_selector_all("figure.lv-chart img"):
        img.scroll_into_view_if_needed()
        img.evaluate("i => i.decode()")
        sizes.append(img.evaluate("i => i.getBoundingClientRect().width / i.naturalWidth") * FONT)
    assert sizes and min(sizes) >= 11, sizes
