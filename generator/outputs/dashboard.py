"""The outputs of `plan/stats.py`: one CSV and one SVG chart per table for `/stats/`, and the terminal tables.

CSVs are written by `spreadsheet.csv_bytes` (for Excel, safe from formula
injection).  The terminal tables show editors' names as plain text, never as
rich's console markup.  Charts are plain SVG written by a Jinja
template (escaped like every page), with no script and nothing from another
host; the page shows each beside its table.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from generator.catalog.tables import Catalog
from generator.outputs.files import Asset
from generator.outputs.spreadsheet import csv_bytes
from generator.plan.stats import Stats, Table, compute
from generator.render.environment import environment

if TYPE_CHECKING:
    from rich.console import Console

SECTION = "stats"
# Chart geometry (SVG user units).  Each label stands on its own line above its bar, so the chart
# is narrow whatever the names: 400 units shown across a 375 px phone's 343 px column keep its
# 13-unit text at 11 px.
WIDTH = 400
FONT = 13
BAR = 14
ROW = FONT + 4 + BAR + 10
VALUE_AREA = 70
BAR_AREA = WIDTH - VALUE_AREA
LABEL_CHARS = (WIDTH - 8) // FONT  # longer labels are shortened (the table beside has them whole)


def chart_svg(table: Table) -> str:
    chart = table.chart
    assert chart is not None
    labels = [_short(str(row[chart.label])) for row in table.rows]
    values = [_count(row[chart.value]) for row in table.rows]
    scale = chart.maximum or max([*values, chart.target or 0, 1])
    bars = [(label, value, round(BAR_AREA * value / scale, 1), 20 + i * ROW) for i, (label, value) in enumerate(zip(labels, values))]
    target_x = round(BAR_AREA * chart.target / scale, 1) if chart.target else None
    return environment().get_template("chart.svg.j2").render(
        table=table, chart=chart, bars=bars, width=WIDTH, height=24 + len(bars) * ROW, font=FONT, bar=BAR, target_x=target_x)


def _count(cell: str | int) -> int:
    assert isinstance(cell, int), "a chart's value column holds counts"
    return cell


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def stats_assets(catalog: Catalog, today: date) -> list[Asset]:
    stats = compute(catalog, today)
    assets = [Asset(f"{SECTION}/{t.key}.csv", csv_bytes(t.columns, t.rows)) for t in stats.tables]
    assets += [Asset(f"{SECTION}/{t.key}.svg", chart_svg(t).encode("utf-8")) for t in stats.tables if t.chart]
    return assets


def print_tables(stats: Stats, console: Console | None = None) -> None:
    """`lvyin stats`: the page's tables in the terminal."""
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    console = console or Console()
    console.print(f"[bold]绿荫计划数据统计[/bold]　{stats.period.label}（{stats.period.start} 至 {stats.period.end}），统计日期 {stats.today}", highlight=False)
    console.print(f"达标站点 {stats.stations_on_target} / {stats.stations} 个（每站每年至少 {stats.target} 次）；"
                  f"站点活动已举办 {stats.held} 场，已安排 {stats.scheduled} 场", highlight=False)
    for table in stats.tables:
        out = RichTable(title=table.title, caption=table.note, title_justify="left", caption_justify="left", highlight=False)
        for i, column in enumerate(table.columns):
            numeric = bool(table.rows) and all(isinstance(row[i], int) for row in table.rows)
            out.add_column(column, justify="right" if numeric else "left", overflow="fold")
        for row in table.rows:
            out.add_row(*(Text(str(v)) for v in row))
        console.print()
        console.print(out)
