"""The build date that decides what is "upcoming": reproducible, never the clock
unless nothing else is known.

In order: an explicit `--today`, `SOURCE_DATE_EPOCH`, the date of the last
commit touching the catalogue, and only then today's date.  All in Asia/Shanghai.
"""

from __future__ import annotations

import os
import subprocess
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def parse_day(text: str) -> date:
    return date.fromisoformat(text)


def build_date(explicit: str | None, catalog: Path) -> date:
    if explicit:
        return parse_day(explicit)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), SHANGHAI).date()
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
