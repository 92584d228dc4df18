"""Printable station schedules: standalone A4 sheets, printed to PDF by Chromium and read back."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from browser import require_browser, serve
from bs4 import BeautifulSoup
from conftest import BASE_FILES, DEMO_CATALOG, ROOT, build_site, write_catalog

from generator.cli.main import main as lvyin

SITE_URL = "https://jtjy.example.cn/"
A4 = (595.28, 841.89)  # points
MM = 96 / 25.4  # CSS pixels
# The sheets of the test catalogue's months by their number of sessions: none, a poster, cards, a table, compact tables.
SESSIONS = {"2027-02": 0, "2026-05": 1, "2027-06": 3, "2027-03": 6, "2026-12": 12, "2027-04": 14, "2027-01": 30}
HEADER = ["日期", "时间", "课程", "主讲", "适合", "地点", "扫码"]  # the weekday is under the date

# Long titles, to see them wrap inside their cell instead of widening the table or the page.
LONG = "：从睡前故事到亲子共读，祖辈家长和父母一起陪伴孩子养成阅读习惯的十个小方法"


def december_title(day: int) -> str:
    return f"十二月第{day}课" + (LONG if day % 3 == 0 else "：家庭教育微讲堂")


def april_title(day: int) -> str:
    return f"四月第{day}课：亲子沟通小方法"


def january_title(day: int) -> str:
    return f"一月第{day}课" + (LONG if day % 4 == 0 else "：家长课堂")


def _lecture(lecture_id: str, title: str, day: str, start: str = "19:00", end: str = "20:30",
             crowded: bool = False, **extra: str) -> str:
    """A session at the station; a crowded one has two lecturers and three audiences (a taller row)."""
    lines = [f"- id: {lecture_id}", f"  title: {title}", f"  date: {day}", f"  start: {start}", f"  end: {end}",
             "  lecturers: [wang-fang, li-ming]" if crowded else "  lecturers: [wang-fang]", "  venue: qingjiang",
             "  audiences: [primary, junior, grandparents]" if crowded else "  audiences: [primary, grandparents]",
             "  topics: [reading]", "  organizer: 清姜路社区居委会"]
    lines += [f"  {key}: {value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"


DECEMBER = "".join(_lecture(f"dec-{d:02d}", december_title(d), f"2026-12-{d:02d}", crowded=d % 4 == 0,
                            **({"status": "cancelled", "status_note": "场地维修"} if d == 7 else {}))
                   for d in range(1, 13))
JANUARY = "".join(_lecture(f"jan-{d:02d}", january_title(d), f"2027-01-{d:02d}") for d in range(1, 31))
# A month of three sessions with their descriptions, registration and places, one of six and one of fourteen.
JUNE = "".join(_lecture(f"jun-{d:02d}", f"六月第{d}课：青春期孩子的心理变化与亲子沟通", f"2027-06-{d:02d}", crowded=True,
                        registration="电话报名：0917-6224567（学校德育处），额满为止", capacity="150",
                        description="初中生越来越不愿意和父母说话，是正常的吗？老师讲解青春期心理发展特点，教家长用“我信息”代替说教，"
                                    "并回答家长们最常问的十个问题。")
               for d in (5, 12, 26))
# A month of six sessions (Saturday mornings and Wednesday evenings) and one of fourteen.
MARCH = "".join(_lecture(f"mar-{d:02d}", f"三月第{d}课：家庭教育微讲堂", f"2027-03-{d:02d}", *times, crowded=d % 2 == 0)
                for d, times in zip((3, 6, 10, 13, 17, 20), [("19:00", "20:30"), ("09:30", "11:00")] * 3))
APRIL = "".join(_lecture(f"apr-{d:02d}", april_title(d), f"2027-04-{d:02d}", crowded=d % 5 == 0)
                for d in range(1, 29, 2))
# Over long before the build date (2026-11-28): the site keeps no sheet for May, `lvyin print` still prints it.
MAY = _lecture("may-16", "五月亲子阅读课", "2026-05-16", "09:30", "11:00", registration="到社区服务中心现场报名，额满为止",
               capacity="60", description="每天睡前十五分钟，比周末突击阅读更有效。老师分享班级读书会的经验，教家长在家里建一个“阅读角”。")
PRINT_FILES = {
    "lecturers/county.yaml": """
        - id: li-ming
          name: 李明
          title: 心理咨询师
          organization: 渭滨区家庭教育指导中心
          level: county
          district: weibin
        """,
    "stations/weibin.yaml": BASE_FILES["stations/weibin.yaml"] + """
          phone: "0917-3223456"
          hours: 周一至周五 8:30—12:00，14:30—18:00
        """,
}


@pytest.fixture(scope="module")
def catalog(tmp_path_factory) -> Path:
    root = write_catalog(tmp_path_factory.mktemp("print") / "catalog", BASE_FILES)
    write_catalog(root, PRINT_FILES)
    (root / "lectures" / "station-2026-12.yaml").write_text(DECEMBER, encoding="utf-8")
    (root / "lectures" / "station-2027-01.yaml").write_text(JANUARY, encoding="utf-8")
    (root / "lectures" / "station-2026-05.yaml").write_text(MAY, encoding="utf-8")
    (root / "lectures" / "station-2027-03.yaml").write_text(MARCH, encoding="utf-8")
    (root / "lectures" / "station-2027-04.yaml").write_text(APRIL, encoding="utf-8")
    (root / "lectures" / "station-2027-06.yaml").write_text(JUNE, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(catalog) -> Path:
    site = catalog.parent / "site"
    assert build_site(catalog, site) == 0
    return site


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# The PDF's font maps some ideographs to their radical twins: Kangxi radicals (⼤ for 大), which
# NFKC folds back, and CJK radicals supplement (⻓ for 长), which it does not.
RADICALS = str.maketrans("⻓⻔⻢⻛⻜⻅⻋⻚⻝⻩⻬⻉⻰⻘⻤⻥⻦⻨⻮⻣⻌⻍⻎", "长门马风飞见车页饣黄齐贝龙青鬼鱼鸟麦齿骨辶辶辶")


def squash(text: str) -> str:
    """Text as a reader sees it, without white space, for comparing PDF text with the input."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(RADICALS))


def print_pdf(catalog: Path, tmp_path: Path, **period: str) -> Path:
    require_browser()
    pdf = tmp_path / "sheet.pdf"
    (option, value), = period.items()
    assert lvyin(["print", "--catalog", str(catalog), "--station", "qingjiang", f"--{option}", value,
                  "--today", "2026-11-28", "--pdf", str(pdf)]) == 0
    return pdf


@pytest.fixture(scope="module")
def sheets(catalog, tmp_path_factory) -> str:
    """The sheets of SESSIONS' months as `lvyin print` writes them (<month>.html), served on loopback."""
    folder = tmp_path_factory.mktemp("sheets")
    for month in SESSIONS:
        assert lvyin(["print", "--catalog", str(catalog), "--station", "qingjiang", "--month", month,
                      "--today", "2026-11-28", "--out", str(folder / f"{month}.html")]) == 0
    with serve(folder) as url:
        yield url


def pdf_pages(pdf: Path):
    from pypdf import PdfReader

    return PdfReader(str(pdf)).pages


def rendered_pages(pdf: Path, folder: Path, dpi: int) -> list[Path]:
    """The PDF's pages as PNG images, rendered by pdftoppm."""
    if not shutil.which("pdftoppm"):
        message = "找不到 pdftoppm：apt-get install poppler-utils"
        if os.environ.get("LVYIN_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(folder / f"page{dpi}")], check=True)
    return sorted(folder.glob(f"page{dpi}-*.png"))


def qr_codes(pdf: Path, tmp_path: Path) -> list[str]:
    """Every QR code on the sheet's pages, read by zxing-cpp from a 300 dpi rendering."""
    import zxingcpp
    from PIL import Image

    texts: list[str] = []
    for png in rendered_pages(pdf, tmp_path, 300):
        for code in zxingcpp.read_barcodes(Image.open(png)):
            assert code.format == zxingcpp.BarcodeFormat.QRCode
            texts.append(code.text)
    return texts


def test_station_page_links_to_its_printable_schedules(site):
    page = site / "stations" / "qingjiang" / "index.html"
    button = [a for a in soup(page).find_all("a") if a.get_text() == "打印课程表"]
    assert len(button) == 1
    index = (page.parent / button[0]["href"]).resolve() / "index.html"
    assert index == (site / "print" / "stations" / "qingjiang" / "index.html").resolve()
    links = {a.get_text(): a["href"] for a in soup(index).find_all("a")}
    for title, key in [("2026年12月", "2026-12"), ("2027年1月", "2027-01"), ("2026年第四季度", "2026-q4"),
                       ("2027年第一季度", "2027-q1")]:
        assert links[title] == f"{key}/"
        assert (index.parent / key / "index.html").is_file()
    assert "2027年2月" not in links  # no sessions then, no sheet
    # May's session was more than 90 days before the build date: its month and quarter are not on the site.
    assert "2026年5月" not in links and "2026年第二季度" not in links
    assert not (index.parent / "2026-05").exists() and not (index.parent / "2026-q2").exists()
    # The city library is a venue, not a station: no printed schedule.
    assert not (site / "print" / "stations" / "city-library").exists()


def test_sheet_is_standalone_without_the_site_chrome(site):
    path = site / "print" / "stations" / "qingjiang" / "2026-12" / "index.html"
    doc = soup(path)
    assert doc.h1.get_text() == "清姜路社区家庭教育指导服务站"
    assert "2026年12月课程表" in doc.get_text()
    text = doc.get_text()
    assert "清姜路 12 号" in text and "周一至周五 8:30—12:00，14:30—18:00" in text and "0917-3223456" in text
    assert doc.footer.get_text().startswith("主办：宝鸡市妇女联合会　宝鸡市教育局")
    # Nothing of the site around it: no theme header, navigation, search, scripts or stylesheets.
    assert doc.select(".md-header, .md-nav, .md-search, .md-sidebar, [data-md-component]") == []
    assert doc.find("script") is None and doc.find("link", rel="stylesheet") is None
    assert "pagefind" not in path.read_text(encoding="utf-8")
    style = doc.style.get_text()
    assert "size: A4 portrait" in style and "display: table-header-group" in style
    assert [th.get_text() for th in doc.select("thead th")] == HEADER
    rows = doc.select("tbody tr")
    assert [r.select("td")[2].get_text() for r in rows][:2] == [december_title(1), december_title(2)]
    first = [td.get_text() for td in rows[0].select("td")]
    assert first[:2] == ["12月1日周二", "19:00–20:30"]
    assert first[3] == "王芳高级教师" and first[4] == "小学、祖辈家长" and first[5] == "本站点"
    assert "【已取消】场地维修" in rows[6].get_text()
    crowded = [td.get_text() for td in rows[3].select("td")]
    assert crowded[3] == "王芳、李明" and crowded[4] == "小学、初中、祖辈家长"
    assert len(rows) == 12 and len(doc.select("tbody svg")) == 12 and len(doc.select("svg")) == 13


def test_cli_writes_the_same_sheet_as_the_site(catalog, site, tmp_path):
    out = tmp_path / "sheet.html"
    assert lvyin(["print", "--catalog", str(catalog), "--station", "qingjiang", "--month", "2026-12",
                  "--today", "2026-11-28", "--out", str(out)]) == 0
    assert out.read_bytes() == (site / "print" / "stations" / "qingjiang" / "2026-12" / "index.html").read_bytes()


def test_cli_prints_a_month_the_site_no_longer_keeps(catalog, tmp_path):
    out = tmp_path / "may.html"
    assert lvyin(["print", "--catalog", str(catalog), "--station", "qingjiang", "--month", "2026-05",
                  "--today", "2026-11-28", "--out", str(out)]) == 0
    assert soup(out).select_one("tbody tr td.lv-title .lv-t").get_text() == "五月亲子阅读课"


def test_cli_explains_bad_input_in_chinese(catalog, capsys):
    assert lvyin(["print", "--catalog", str(catalog), "--station", "qingjian", "--month", "2026-12"]) == 1
    assert "没有编号为“qingjian”的指导站点。您是不是想写“qingjiang”？" in capsys.readouterr().err
    assert lvyin(["print", "--catalog", str(catalog), "--station", "qingjiang", "--month", "2026-13"]) == 1
    err = capsys.readouterr().err
    assert "月份“2026-13”的写法不对，请写成 年-月，例如 2026-12" in err and "Traceback" not in err


def test_cli_without_chromium_says_how_to_install_it(catalog, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LVYIN_CHROMIUM", str(tmp_path / "no-such-browser"))
    pdf = tmp_path / "sheet.pdf"
    assert lvyin(["print", "--catalog", str(catalog), "--station", "qingjiang", "--month", "2026-12",
                  "--pdf", str(pdf)]) == 1
    assert "找不到 Chromium 浏览器，无法生成 PDF。请先安装（Debian/Ubuntu：apt-get install chromium" in capsys.readouterr().err
    assert not pdf.exists()


# Every piece of text the printed sheet shows, with its computed font size in CSS pixels (12 pt = 16 px).
TEXT_SIZES = """() => {
  const found = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim(), element = walker.currentNode.parentElement;
    if (text && element.getClientRects().length) found.push([text, parseFloat(getComputedStyle(element).fontSize)]);
  }
  return found;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("month", SESSIONS)
def test_printed_sheets_are_readable_from_a_step_away(browser, sheets, month):
    """Print media at A4's width (10 mm margins): no text under 12 pt, the station's name 18 pt or more."""
    page = browser.page(width=round(190 * MM), height=round(277 * MM))
    page.emulate_media(media="print")
    page.goto(f"{sheets}{month}.html")
    sizes = page.evaluate(TEXT_SIZES)
    assert len(page.query_selector_all("tbody tr")) == SESSIONS[month]
    assert "扫码查看本站点全部讲座" in [text for text, _ in sizes]
    small = [(text, size) for text, size in sizes if size < 16]
    assert small == [], f"under 12 pt: {small[:5]}"
    assert page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)") >= 24
    page.context.close()


@pytest.mark.browser
def test_a_phone_shows_each_session_as_a_card(browser, sheets):
    """Opened on a phone, a busy month's sessions stack as cards, not as a table of columns one or two characters
    wide: date and time a third of the screen wide or more, every other line half of it; nothing wider than the
    screen; each session's code beside its text."""
    page = browser.page(width=375, height=667)
    page.goto(f"{sheets}2026-12.html")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    cells = page.evaluate("""() => [...document.querySelectorAll('tbody tr:first-child td:not(.lv-qr)')]
                               .map(td => [td.innerText, td.getBoundingClientRect().width])""")
    assert len(cells) == 6 and all(width >= 375 / 3 for _, width in cells[:2]), cells
    assert all(width >= 375 / 2 for _, width in cells[2:]), cells
    qr = page.evaluate("() => document.querySelector('tbody td.lv-qr svg').getBoundingClientRect().width")
    assert 60 <= qr <= 130
    page.context.close()


@pytest.mark.browser
def test_a_month_of_one_session_fills_the_page_as_a_poster(catalog, tmp_path):
    from PIL import Image

    pdf = print_pdf(catalog, tmp_path, month="2026-05")
    assert len(pdf_pages(pdf)) == 1
    text = squash(pdf_pages(pdf)[0].extract_text())
    for shown in ["5月16日周六", "09:30", "11:00", "五月亲子阅读课", "主讲：王芳高级教师", "适合：小学、祖辈家长", "地点：本站点",
                  "报名：到社区服务中心现场报名，额满为止", "名额：60人", "每天睡前十五分钟"]:
        assert squash(shown) in text, shown
    # From its first dark pixel to its last, the sheet covers 70 % or more of the page's height inside 1 cm margins.
    page, = rendered_pages(pdf, tmp_path, 50)
    image = Image.open(page).convert("L")
    dark = [y for y in range(image.height) if image.crop((0, y, image.width, y + 1)).getextrema()[0] < 128]
    assert (dark[-1] - dark[0]) / image.height * 297 >= 0.7 * 277
    assert sorted(qr_codes(pdf, tmp_path)) == [SITE_URL + "lectures/may-16/", SITE_URL + "stations/qingjiang/"]


# A month fits on one page: three large cards; twelve sessions, four with long titles and three with two lecturers; fourteen.
ONE_PAGE = {"2027-06": {f"jun-{d:02d}": f"六月第{d}课：青春期孩子的心理变化与亲子沟通" for d in (5, 12, 26)},
            "2026-12": {f"dec-{d:02d}": december_title(d) for d in range(1, 13)},
        "2027-04": {f"apr-{d:02d}": april_title(d) for d in range(1, 29, 2)}}


@pytest.mark.browser
@pytest.mark.parametrize("month", ONE_PAGE)
def test_a_month_is_one_a4_page_with_readable_qr_codes(catalog, tmp_path, month):
    pdf = print_pdf(catalog, tmp_path, month=month)
    pages = pdf_pages(pdf)
    assert len(pages) == 1
    width, height = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    assert abs(width - A4[0]) < 1.5 and abs(height - A4[1]) < 1.5
    text = squash(pages[0].extract_text())
    for title in ONE_PAGE[month].values():
        assert squash(title) in text, title
    assert squash("清姜路社区家庭教育指导服务站") in text and squash("主办：宝鸡市妇女联合会") in text
    expected = [SITE_URL + "stations/qingjiang/"] + [SITE_URL + f"lectures/{i}/" for i in ONE_PAGE[month]]
    assert sorted(qr_codes(pdf, tmp_path)) == sorted(expected)


@pytest.mark.browser
def test_a_month_of_thirty_sessions_flows_on_with_the_header_repeated(catalog, tmp_path):
    pdf = print_pdf(catalog, tmp_path, month="2027-01")
    pages = pdf_pages(pdf)
    assert 2 <= len(pages) <= 3
    texts = [squash(page.extract_text()) for page in pages]
    for text in texts:
        assert squash("".join(HEADER)) in text  # the table header, on every page
    everything = "".join(texts)
    for day in range(1, 31):
        assert everything.count(squash(january_title(day))) == 1, day
    # Rows are not cut in two: each row's title and time sit on the same page.
    for text in texts:
        for day in range(1, 31):
            if squash(january_title(day)) in text:
                assert squash(f"1月{day}日") in text


@pytest.mark.browser
def test_a_quarter_sheet_holds_the_quarters_sessions(catalog, tmp_path):
    pdf = print_pdf(catalog, tmp_path, quarter="2026-q4")
    text = squash("".join(page.extract_text() for page in pdf_pages(pdf)))
    assert squash("2026年第四季度课程表") in text
    assert all(squash(december_title(d)) in text for d in range(1, 13))
    assert squash("亲子共读的三个方法") not in text  # at the city library, not at this station


def test_the_documented_example_prints_sessions_of_the_demo_catalogue(tmp_path):
    """docs/feeds-and-print.md's `lvyin print` lines name a station, a month and a quarter with sessions in catalog/."""
    text = (ROOT / "docs" / "feeds-and-print.md").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if "lvyin print --station" in line]
    examples = {(re.search(r"--station (\S+)", line)[1], option, value)
                for line in lines for option, value in re.findall(r"--(month|quarter) (\d{4}-\w+)", line)}
    assert {option for _, option, _ in examples} == {"month", "quarter"}
    for station, option, value in sorted(examples):
        out = tmp_path / f"{value}.html"
        assert lvyin(["print", "--catalog", str(DEMO_CATALOG), "--station", station, f"--{option}", value,
                      "--out", str(out)]) == 0
        assert soup(out).select("tbody tr") and "暂无讲座安排" not in out.read_text(encoding="utf-8"), (station, value)
