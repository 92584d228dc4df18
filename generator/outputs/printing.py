"""Printable course schedules of the community stations, for their notice boards.

Standalone HTML files (not site pages: no navigation, header or search), one A4
portrait sheet per month and per quarter of a station that has sessions then:

    /print/stations/<id>/            the station's months and quarters
    /print/stations/<id>/2026-12/    a month's sheet
    /print/stations/<id>/2026-q4/    a quarter's sheet

Each sheet has the station's name, address and hours, its sessions, QR codes
(zxing-cpp, inline SVG) to the station's page and to each lecture's, and the
organiser line.  How large the sessions are set depends on how many there are
(`layout`), so a short month fills the notice board's page and a busy one still
fits on one.  `html_to_pdf` prints a sheet with headless Chromium.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import zxingcpp
from markupsafe import Markup

from generator import env
from generator.digests import digest, entry_digest
from generator.errors import LvyinError, suggest
from generator.memo import remembered
from generator.model.entries import Lecture, Station
from generator.outputs.files import Dated, KeyedAsset
from generator.plan.build_date import recent
from generator.render.environment import environment

if TYPE_CHECKING:
    from generator.plan.site import Site

QUARTER_NAMES = "一二三四"
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})-q([1-4])", re.IGNORECASE)
_DARK_RUN = re.compile(rb"\x00+")  # a run of dark modules in a row of the code
QR_BORDER = 3  # modules of quiet zone around a code (the standard asks 4; the sheet's white cell adds more)


class PrintError(LvyinError):
    """A problem the user can fix (unknown station, bad month, no browser); message in Chinese."""


@dataclass(frozen=True)
class Period:
    key: str  # "2026-12" or "2026-q4": the sheet's folder
    title: str  # "2026年12月" or "2026年第四季度"
    months: tuple[int, ...]
    year: int

    def holds(self, day: date) -> bool:
        return day.year == self.year and day.month in self.months


def month_period(text: str) -> Period:
    found = _MONTH.fullmatch(text.strip())
    if not found or not 1 <= int(found[2]) <= 12:
        raise PrintError(f"月份“{text}”的写法不对，请写成 年-月，例如 2026-12")
    year, month = int(found[1]), int(found[2])
    return Period(f"{year:04d}-{month:02d}", f"{year}年{month}月", (month,), year)


def quarter_period(text: str) -> Period:
    found = _QUARTER.fullmatch(text.strip())
    if not found:
        raise PrintError(f"季度“{text}”的写法不对，请写成 年-q季度，例如 2026-q4")
    year, quarter = int(found[1]), int(found[2])
    return Period(f"{year:04d}-q{quarter}", f"{year}年第{QUARTER_NAMES[quarter - 1]}季度",
                  tuple(range(3 * quarter - 2, 3 * quarter + 1)), year)


def periods(lectures: list[Lecture]) -> tuple[list[Period], list[Period]]:
    """The months and the quarters in which there are sessions, in order."""
    months = sorted({(l.date.year, l.date.month) for l in lectures})
    quarters = sorted({(y, (m - 1) // 3 + 1) for y, m in months})
    return ([month_period(f"{y:04d}-{m:02d}") for y, m in months],
            [quarter_period(f"{y:04d}-q{q}") for y, q in quarters])


def layout(sessions: int) -> str:
    """How the sheet sets `sessions` sessions on A4 (classes of print_sheet.html.j2's stylesheet): one
    session as a poster, two or three as large cards with large QR codes, up to eight as a table, more
    as a compact table, every text at 12 pt or more (the 30 sessions of a busy month flow on to a second
    page, the table header repeated)."""
    if sessions == 0:
        return "empty"
    if sessions == 1:
        return "poster"
    if sessions <= 3:
        return "cards"
    return "table" if sessions <= 8 else "compact"


def sheet_dir(station_id: str, key: str | None = None) -> str:
    return f"print/stations/{station_id}/" + (f"{key}/" if key else "")


def qr_svg(url: str) -> Markup:
    """An inline SVG QR code of `url` (error correction M), sized by the stylesheet.

    zxing-cpp encodes it (its C++ encoder picks the best mask and costs a third of a pure-Python
    one: at 100,000 lectures that was two minutes of the build); the SVG draws each row's runs of
    dark modules as strokes, each move relative to the last, as compact as segno's output."""
    return Markup(_qr_svg(url))


@remembered("qr")  # a lecture is on its month's and its quarter's sheet, and on the next build's
def _qr_svg(url: str) -> str:
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = code.to_image(scale=1, add_quiet_zones=False)
    modules = memoryview(image)  # type: ignore[arg-type]  # zxing-cpp's stubs leave out that an Image is a buffer
    size: int = image.shape[0]  # rows (of as many modules each)
    side = size + 2 * QR_BORDER
    # Module (0, 0) is at the quiet zone's inner corner, half a module down: the middle of a stroke.
    d = f"M{QR_BORDER} {QR_BORDER + 0.5}" + _dark_runs(modules.tobytes(), size)
    return f'<svg viewBox="0 0 {side} {side}" class="lv-qr-code"><path stroke="#000" d="{d}"/></svg>'


def _dark_runs(modules: bytes, size: int) -> str:
    """Each row's runs of dark modules as path steps "move, then draw across", each move relative
    to where the last run ended (from module (0, 0) for the first)."""
    steps: list[str] = []
    x, y = 0, 0
    for row in range(size):
        line = row * size
        for run in _DARK_RUN.finditer(modules, line, line + size):
            start, end = run.start() - line, run.end() - line
            steps.append(f"m{start - x} {row - y}h{end - start}")
            x, y = end, row
    return "".join(steps)


def _station(site: Site, station_id: str) -> Station:
    station = site.catalog.stations.get(station_id)
    if station is None:
        raise PrintError(f"没有编号为“{station_id}”的指导站点。{suggest(station_id, site.catalog.stations)}")
    return station


def sheet_html(site: Site, station_id: str, period: Period) -> str:
    """The printable sheet of one station for one month or quarter."""
    station = _station(site, station_id)
    c, settings = site.catalog, site.settings
    sessions = _sessions(site, station, period)
    rows = [{"lecture": l, "url": settings.absolute(f"lectures/{l.id}/"), "qr": qr_svg(settings.absolute(f"lectures/{l.id}/")),
             "lecturers": [c.lecturers[i] for i in l.lecturers]} for l in sessions]
    station_url = settings.absolute(f"stations/{station.id}/")
    return environment().get_template("print_sheet.html.j2").render(
        here=sheet_dir(station.id, period.key), station=station, district=c.districts[station.district],
        period=period, rows=rows, layout=layout(len(rows)), station_url=station_url, station_qr=qr_svg(station_url),
        settings=settings, as_of=as_of(site.today))


def as_of(day: date) -> str:
    """A sheet's "as of" line: the only place it shows the build date (`_restamp` relies on it)."""
    return f"截至 {day.year}年{day.month}月{day.day}日"


def _restamp(site: Site, content: bytes, then: str) -> bytes | None:
    """The sheet of the build of day `then` as this build's: its "as of" line, the last, of today."""
    before, found, after = content.rpartition(as_of(date.fromisoformat(then)).encode("utf-8"))
    return before + as_of(site.today).encode("utf-8") + after if found else None


def site_periods(site: Site, station: Station) -> tuple[list[Period], list[Period]]:
    """The months and quarters whose sheets the site has: those with sessions from
    `build_date.recent_since` on (`lvyin print` prints any other)."""
    return periods(recent(site.catalog.lectures_by_place.get(station.id, []), site.today))


def index_html(site: Site, station_id: str) -> str:
    station = _station(site, station_id)
    months, quarters = site_periods(site, station)
    return environment().get_template("print_index.html.j2").render(
        here=sheet_dir(station.id), station=station, months=months, quarters=quarters, settings=site.settings,
        current=site.today.strftime("%Y-%m"))


def _sessions(site: Site, station: Station, period: Period) -> list[Lecture]:
    return [l for l in site.catalog.lectures_by_place.get(station.id, []) if period.holds(l.date)]


def make_print_sheets(site: Site) -> list[KeyedAsset]:
    """Each station's index of sheets and its sheets, each keyed by what it shows (the build cache
    keeps the others when one lecture changed): its station, sessions and their lecturers, its
    period; the build date (a sheet shows it in its "as of" line only, which the next day's build
    changes in yesterday's sheet: `Dated`; an index marks the month) and the settings."""
    assets: list[KeyedAsset] = []
    for station in site.catalog.stations.values():
        months, quarters = site_periods(site, station)
        assets.append(KeyedAsset(sheet_dir(station.id) + "index.html",
                                 functools.partial(_index_key, site, station, months + quarters),
                                 functools.partial(_encoded, index_html, site, station.id)))
        for period in months + quarters:
            undated = functools.cache(functools.partial(_sheet_key, site, station, period))
            assets.append(KeyedAsset(sheet_dir(station.id, period.key) + "index.html",
                                     functools.partial(_dated_key, site, undated),
                                     functools.partial(_encoded, sheet_html, site, station.id, period),
                                     Dated(undated, functools.partial(_restamp, site))))
    return assets


def _encoded(make: Callable[..., str], *args: Any) -> bytes:
    return make(*args).encode("utf-8")


def _index_key(site: Site, station: Station, periods: list[Period]) -> str:
    return digest("print index", site.today.strftime("%Y-%m"), entry_digest(site.settings), entry_digest(station),  # its month is marked
                  *(period.key for period in periods))


def _dated_key(site: Site, undated: Callable[[], str]) -> str:
    return digest("print sheet", site.today.isoformat(), undated())


def _sheet_key(site: Site, station: Station, period: Period) -> str:
    """What a sheet shows but the build date."""
    c = site.catalog
    lectures = _sessions(site, station, period)
    return digest("print sheet", entry_digest(site.settings), entry_digest(station),
                  entry_digest(c.districts[station.district]), period.key,
                  *(entry_digest(entry) for l in lectures for entry in (l, *(c.lecturers[i] for i in l.lecturers))))


def find_chromium() -> str | None:
    """`LVYIN_CHROMIUM` when set (and only it), else Debian's chromium or one on PATH."""
    chosen = env.chromium()
    candidates = [chosen] if chosen else ["/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"]
    for candidate in candidates:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def html_to_pdf(html: str, pdf: Path) -> None:
    """Print `html` to `pdf` with headless Chromium, honouring the sheet's @page size (A4)."""
    browser = find_chromium()
    if browser is None:
        raise PrintError("找不到 Chromium 浏览器，无法生成 PDF。请先安装（Debian/Ubuntu：apt-get install chromium fonts-noto-cjk），"
                         "或去掉 --pdf，把 HTML 在浏览器中打开后打印")
    pdf = Path(pdf).resolve()
    with tempfile.TemporaryDirectory(prefix="lvyin-print-") as work:
        source = Path(work) / "sheet.html"
        source.write_text(html, encoding="utf-8")
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", f"--user-data-dir={work}/profile",
                   "--no-pdf-header-footer", f"--print-to-pdf={pdf}", source.as_uri()]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PrintError(f"Chromium 生成 PDF 失败：{error}") from None
        if result.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
            raise PrintError(f"Chromium 生成 PDF 失败（退出码 {result.returncode}）：\n{result.stderr.strip()[-2000:]}")
