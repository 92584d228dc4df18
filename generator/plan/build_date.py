"""The build date that decides what is "upcoming": reproducible, never the clock
unless nothing else is known.

In order: an explicit `--today`, `SOURCE_DATE_EPOCH`, the date of the last
commit touching the catalogue, and only then today's date.  All in Asia/Shanghai.

The build date also bounds what the site keeps of lectures that are over: the
calendar feeds one subscribes to, the Atom feed, each lecture's own calendar
file (加入日历) and the stations' printable sheets cover the lectures from
`RECENT_DAYS` before it on (`recent_since`).  A phone downloads a subscribed
calendar again every day, and nobody adds a lecture of three years ago to a
calendar or pins last year's schedule to a notice board: with five years of
lectures these files were most of the build.  `/api/lectures.json` holds the same
lectures; pages and the yearly files `/api/lectures/<year>.json` keep every lecture.
"""

from __future__ import annotations

import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from generator import env

SHANGHAI = ZoneInfo("Asia/Shanghai")
RECENT_DAYS = 90


def recent_since(today: date) -> date:
    """The first day of the lectures that have calendar files and printable sheets (see above)."""
    return today - timedelta(days=RECENT_DAYS)


def recent(lectures: list[Any], today: date) -> list[Any]:
    """Those of `lectures` (in their order) from `recent_since(today)` on."""
    since = recent_since(today)
    return [lecture for lecture in lectures if lecture.date >= since]


def parse_day(text: str) -> date:
    return date.fromisoformat(text)


def build_date(explicit: str | None, catalog: Path) -> date:
    if explicit:
        return parse_day(explicit)
    epoch = env.source_date_epoch()
    if epoch is not None:
        return datetime.fromtimestamp(epoch, SHANGHAI).date()
    committed = _last_commit(catalog)
    if committed is not None:
        return datetime.fromtimestamp(committed, SHANGHAI).date()
    return datetime.now(SHANGHAI).date()


def _last_commit(catalog: Path) -> int | None:
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct", "--", "."], cwd=catalog,
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    stamp = out.stdout.strip()
    return int(stamp) if out.returncode == 0 and stamp.isdigit() else None
