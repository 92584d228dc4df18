"""Rebuilds with the build cache (issue 20), measured in the same run as the clean build.

After the clean build (`--no-cache`, stages.py), each step below changes the synthetic
catalogue (or the date, or a template) the way a deployment sees it and runs the real
`lvyin build` with its cache beside the site, one after the other:

- the first build with an empty cache (a clean build that also fills it);
- nothing changed (the nightly rebuild of a quiet day, or a pull request that only touches docs);
- one lecture edited (its title);
- one lecturer renamed (every page that names them);
- the next day (近期/往期 move on: lists, calendars, feeds, the lectures of that day);
- a template changed (a comment added to a page template: the tools' fingerprint changes,
  so everything is made again, as it may).

Each is timed like the clean build (wall and CPU seconds, the largest process's RSS) and
compared with it in the report.  The site after the last step is compared, file by file,
with a clean build of the same input (a cached build must be byte for byte a clean one).
"""

from __future__ import annotations

import filecmp
import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "generator" / "render" / "templates" / "lecture.md.j2"

STEPS = ["cold cache", "nothing changed", "one lecture edited", "one lecturer renamed", "next day", "template changed"]


def _replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"{path}: {old!r} not found")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_lecture(catalog: Path) -> None:
    source = sorted((catalog / "lectures").glob("*.yaml"))[-1]
    first = yaml.safe_load(source.read_text(encoding="utf-8"))[0]
    _replace_once(source, f"title: {first['title']}", f"title: {first['title']}（更新）")


def rename_lecturer(catalog: Path) -> None:
    source = sorted((catalog / "lecturers").glob("*.yaml"))[0]
    first = yaml.safe_load(source.read_text(encoding="utf-8"))[0]
    _replace_once(source, f"name: {first['name']}", f"name: {first['name']}改")


def run_rebuilds(catalog: Path, site: Path, today: str, log: Path,
                 build: Callable[[list[str], Path], dict]) -> dict[str, dict]:
    """Each step of the module's docstring; `build(args, log)` runs `lvyin build args` and measures it."""
    args = ["build", "--catalog", str(catalog), "--site-dir", str(site)]
    next_day = (date.fromisoformat(today) + timedelta(days=1)).isoformat()
    shutil.rmtree(site.parent / ".lvyin-cache", ignore_errors=True)
    results = {"cold cache": build([*args, "--today", today], log),
               "nothing changed": build([*args, "--today", today], log)}
    edit_lecture(catalog)
    results["one lecture edited"] = build([*args, "--today", today], log)
    rename_lecturer(catalog)
    results["one lecturer renamed"] = build([*args, "--today", today], log)
    results["next day"] = build([*args, "--today", next_day], log)
    template = TEMPLATE.read_text(encoding="utf-8")
    try:
        TEMPLATE.write_text(template + "{# benchmark: a changed template #}\n", encoding="utf-8")
        results["template changed"] = build([*args, "--today", next_day], log)
        clean = site.parent / "clean-site"
        build(["build", "--catalog", str(catalog), "--site-dir", str(clean), "--today", next_day, "--no-cache"], log)
    finally:
        TEMPLATE.write_text(template, encoding="utf-8")
    results["identical"] = {"differences": _differences(site, clean)}
    shutil.rmtree(clean, ignore_errors=True)
    return results


def _differences(a: Path, b: Path) -> int:
    left = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    right = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    return len(left ^ right) + sum(not filecmp.cmp(a / p, b / p, shallow=False) for p in left & right)


def report_rows(results: list[dict]) -> list[str]:
    rows = ["", "## Rebuilds with the build cache (`.lvyin-cache/`), against the clean build of the same run", "",
            "| N lectures | rebuild | wall s | CPU s | peak RSS MB | ÷ clean build (wall) |", "|---:|---|---:|---:|---:|---:|"]
    for r in results:
        if "rebuilds" not in r:
            continue
        clean = r["build_process"]["wall"]
        rows.append(f"| {r['n']:,} | clean build (`--no-cache`) | {clean:,.1f} | {r['build_process']['cpu']:,.1f} | "
                    f"{r['build_process']['rss_mb']:,.0f} | 1.00× |")
        for step in STEPS:
            m = r["rebuilds"][step]
            rows.append(f"| {r['n']:,} | {step} | {m['wall']:,.1f} | {m['cpu']:,.1f} | {m['rss_mb']:,.0f} | "
                        f"{m['wall'] / clean:.2f}× |")
        rows.append(f"| {r['n']:,} | cached site vs a clean build of the same input: differing files | "
                    f"{r['rebuilds']['identical']['differences']} | | | |")
    return rows
