"""The scale benchmark: synthesise catalogues of N lectures, build them, measure every stage.

    .venv/bin/python benchmarks/run.py                  # N = 1,000, 10,000 and 100,000
    .venv/bin/python benchmarks/run.py -n 1000 -n 10000 # chosen sizes (make bench N="1000 10000")

For each N: `lvyin synth` writes a catalogue; one process times read+validate
and page planning+render; one process runs the whole `lvyin build` with its
pieces timed (see stages.py); rebuilds with the build cache after each kind of change
(rebuilds.py); headless Chromium opens /search/ on a phone-sized
screen, types a query and counts the bytes it downloads; and, for comparison up
to N = 20,000 (`BARE_LIMIT`), a bare `mkdocs build` (without the lvyin plugin)
plus one Pagefind run over the Markdown that `lvyin generate` writes.  Wall and CPU seconds, peak RSS (the
largest process of the stage, Pagefind included) come from wait4/getrusage.

Results: benchmarks/results.md (printed too) and benchmarks/results.json; the summary
of a full run, with what made the build scale, is in docs/performance.md (written by hand).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from rebuilds import report_rows, run_rebuilds

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
TODAY = "2027-03-01"  # generator.bench.synth.TODAY: inside the synthetic archive's last school year
QUERY = "亲子阅读"
DEFAULT_SIZES = [1_000, 10_000, 100_000]
# Bare Pagefind over one site holds its whole index (about 0.25 MB a page): past this it would
# need more memory than the machine has, so the comparison stops here.
BARE_LIMIT = 20_000
# `lvyin serve` is timed up to the size its target names (issue 20: at 100,000, from a warm cache).
SERVE_LIMIT = 100_000


def measure(cmd: list[str], log: Path, env: dict | None = None) -> dict:
    """Run `cmd`; wall seconds, CPU seconds and peak RSS of it and every process it waited for."""
    with open(log, "ab") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=out, cwd=ROOT, env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}; see {log}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}


def stage_json(mode: str, args: list[str], log: Path) -> tuple[dict, dict]:
    out = log.with_suffix(f".{mode}.json")
    with open(out, "wb") as sink, open(log, "ab") as err:
        start = time.perf_counter()
        proc = subprocess.Popen([PYTHON, str(HERE / "stages.py"), mode, *args], stdout=sink, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"stage {mode} failed; see {log}")
    whole = {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}
    return json.loads(out.read_text().strip().splitlines()[-1]), whole


def tree_size(root: Path) -> tuple[int, int]:
    count = size = 0
    for path in root.rglob("*"):
        if path.is_file():
            count += 1
            size += path.stat().st_size
    return count, size


def lecture_page_bytes(site: Path) -> int:
    """The median size of a lecture page's HTML (each page alone; the same at any N if pages do not grow)."""
    sizes = [p.stat().st_size for p in (site / "lectures").glob("*/index.html")]
    return int(statistics.median(sizes)) if sizes else 0


def search_download(site: Path, query: str = QUERY) -> dict:
    """Bytes a phone (375×667, cold cache) downloads: opening /search/, then the first query until results show."""
    sys.path.insert(0, str(ROOT / "tests"))
    from browser import CHROMIUM, CHROMIUM_ARGS, serve  # the test suite's Chromium settings
    from playwright.sync_api import sync_playwright

    with serve(site) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 375, "height": 667}, locale="zh-CN", service_workers="block")
        page = context.new_page()
        page.set_default_timeout(120_000)
        # Context-wide: Pagefind fetches its index from a Web Worker, which a page-level listener misses.
        finished: list = []
        context.on("requestfinished", lambda request: finished.append(request))
        page.goto(url + "search/")
        page.wait_for_selector("#lv-search[data-loaded]")
        page.wait_for_load_state("networkidle")
        opened = len(finished)
        page.fill("#lv-q", query)
        page.press("#lv-q", "Enter")
        page.wait_for_function("q => { const m = document.getElementById('lv-search-message').textContent;"
                               " return m.includes(q) && !m.startsWith('正在'); }", arg=query)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
        results = page.locator("#lv-results > li").count()
        got = []
        for request in finished:
            sizes = request.sizes()
            got.append((request.url, max(0, sizes["responseBodySize"]) + sizes["responseHeadersSize"]))
        browser.close()
    load, first = got[:opened], got[opened:]
    pagefind = [size for u, size in got if "/pagefind/" in u]
    largest = max((size for u, size in got if "/pagefind/" in u), default=0)
    sitemap = sum(size for u, size in got if u.split("?")[0].endswith("sitemap.xml"))
    return {"sitemap_bytes": sitemap, "page_bytes": sum(s for _, s in load), "query_bytes": sum(s for _, s in first),
            "total_bytes": sum(s for _, s in got), "pagefind_bytes": sum(pagefind), "largest_pagefind_file": largest,
            "requests": len(got), "results_shown": results}


def serve_edit(catalog: Path, site: Path, log: Path, edits: int = 1) -> dict:
    """`lvyin serve` from a warm build cache (preview_start.py): a `lvyin build` of the catalogue
    first fills the cache beside it; then seconds until the preview first shows a lecture page,
    until an edit to that lecture's title (in its YAML file) shows on the page, and the peak
    memory of the preview and every process it started meanwhile (their PSS, summed)."""
    measure([PYTHON, "-m", "generator", "build", "--catalog", str(catalog), "--site-dir", str(site),
             "--today", TODAY], log)
    return _serve_and_edit(catalog, log, edits)


def _serve_and_edit(catalog: Path, log: Path, edits: int = 1) -> dict:
    """Start `lvyin serve` and time its first page, then `edits` edits one after another (15 s apart,
    for the background work each starts): `edit_shown` is the first, `edits_shown` all of them."""
    import socket
    import threading
    import urllib.request

    import yaml

    source = sorted((catalog / "lectures").glob("*.yaml"))[0]
    first = yaml.safe_load(source.read_text(encoding="utf-8"))[0]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/lectures/{first['id']}/"

    def wait_for(text: str, timeout: float = 3600) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    if text in response.read().decode("utf-8"):
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"lvyin serve did not show {text!r} at {url}; see {log}")

    with open(log, "ab") as out:
        server = subprocess.Popen([PYTHON, "-m", "generator", "serve", "--catalog", str(catalog), "--today", TODAY,
                                   "--dev-addr", f"127.0.0.1:{port}"], cwd=ROOT, stdout=out, stderr=out)
    peak = [0.0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.25):
            peak[0] = max(peak[0], _tree_pss_mb(server.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        start = time.perf_counter()
        wait_for(str(first["title"]))
        first_build = time.perf_counter() - start
        text = source.read_text(encoding="utf-8")
        shown = []
        for number in range(edits):
            if number:
                time.sleep(15)
            edited = f"{first['title']}（改{number or ''}）"
            source.write_text(text.replace(f"title: {first['title']}", f"title: {edited}", 1), encoding="utf-8")
            start = time.perf_counter()
            wait_for(edited)
            shown.append(time.perf_counter() - start)
        time.sleep(5)  # the background work the edit started (feeds, index) counts for the memory too
        result = {"first_build": first_build, "edit_shown": shown[0], "edits_shown": shown, "peak_mb": peak[0]}
        start = time.perf_counter()
        server.terminate()  # as Ctrl-C
        server.wait(timeout=600)
        return {**result, "stopped": time.perf_counter() - start}
    finally:
        stop.set()
        source.write_text(text, encoding="utf-8")
        if server.poll() is None:
            server.kill()
            server.wait()


def _tree_pss_mb(pid: int) -> float:
    """The proportional set size of a process and its descendants, MB (shared pages counted once)."""
    total, waiting = 0.0, [pid]
    while waiting:
        current = waiting.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) / 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                waiting += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue  # gone meanwhile
    return total


def bare_config(md: Path, site: Path, target: Path) -> None:
    """mkdocs.yml without the lvyin plugin, reading the generated Markdown."""
    import yaml
    from mkdocs.utils.yaml import yaml_load

    with open(ROOT / "mkdocs.yml", encoding="utf-8") as f:
        config = yaml_load(f)
    config["plugins"] = [p for p in config.get("plugins", []) if p != "lvyin" and not (isinstance(p, dict) and "lvyin" in p)]
    config.update(docs_dir=str(md), site_dir=str(site), strict=False, site_url="https://jtjy.example.cn/")
    theme = config.get("theme", {})
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str(ROOT / theme["custom_dir"])
    config.setdefault("extra", {})["demo"] = True
    target.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def run_one(n: int, work: Path, seed: int, browser: bool, bare: bool, serve: bool = True,
            rebuild: bool = True) -> dict:
    from generator.engine.search_index import pagefind_binary

    base = work / f"n{n}"
    if base.exists():
        shutil.rmtree(base)
    base.mkdir(parents=True)
    log = base / "log.txt"
    result: dict = {"n": n}
    print(f"[N={n}] synthesising …", file=sys.stderr, flush=True)
    result["synth"] = measure([PYTHON, "-m", "generator", "synth", "--lectures", str(n), "--seed", str(seed), "--out", str(base)], log)
    catalog = str(base / "catalog")
    print(f"[N={n}] read+validate, planning+render …", file=sys.stderr, flush=True)
    result["load"], result["load_process"] = stage_json("load", [catalog, TODAY], log)
    print(f"[N={n}] lvyin build …", file=sys.stderr, flush=True)
    site = base / "site"
    result["build"], result["build_process"] = stage_json("build", [catalog, TODAY, str(site)], log)
    result["output_files"], result["output_bytes"] = tree_size(site)
    result["lecture_page_bytes"] = lecture_page_bytes(site)
    if rebuild:
        print(f"[N={n}] rebuilds with the build cache …", file=sys.stderr, flush=True)
        result["rebuilds"] = run_rebuilds(base / "catalog", site, TODAY, log,
                                          lambda args, log: measure([PYTHON, "-m", "generator", *args], log))
    if browser:
        print(f"[N={n}] phone search in Chromium …", file=sys.stderr, flush=True)
        result["search"] = search_download(site)
    if serve and n <= SERVE_LIMIT:
        print(f"[N={n}] lvyin serve: first build, then an edit …", file=sys.stderr, flush=True)
        result["serve"] = serve_edit(base / "catalog", site, log)
    if bare and n <= BARE_LIMIT:
        print(f"[N={n}] bare mkdocs build + Pagefind …", file=sys.stderr, flush=True)
        md, bare_site = base / "md", base / "bare-site"
        result["generate"] = measure([PYTHON, "-m", "generator", "generate", "--catalog", catalog, "--today", TODAY, "--out", str(md)], log)
        bare_config(md, bare_site, base / "bare-mkdocs.yml")
        result["bare_mkdocs"] = measure([PYTHON, "-m", "mkdocs", "build", "-q", "-f", str(base / "bare-mkdocs.yml")], log)
        result["bare_pagefind"] = measure([pagefind_binary(), "--site", str(bare_site), "--output-subdir", "pagefind", "--quiet"], log)
        shutil.rmtree(md, ignore_errors=True)
        shutil.rmtree(bare_site, ignore_errors=True)
    return result


def machine() -> dict:
    from importlib.metadata import version

    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), platform.processor())
    mem = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return {"cores": os.cpu_count(), "cpu": cpu, "memory_gb": round(mem / 1024 / 1024), "python": platform.python_version(),
            "mkdocs": version("mkdocs"), "material": version("mkdocs-material"), "pagefind": version("pagefind"),
            "commit": commit, "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}


# ---------------------------------------------------------------- report

def _s(x: float | None) -> str:
    return "—" if x is None else f"{x:,.1f}"


def _mb(x: float | None) -> str:
    return "—" if x is None else f"{x:,.0f}"


def _kb(x: float | None) -> str:
    return "—" if x is None else f"{x / 1024:,.0f} KB"


def stage_rows(r: dict) -> list[tuple[str, dict | None]]:
    load, parts = r["load"]["parts"], r["build"]["parts"]
    pagefind = parts.get("pagefind")
    return [
        ("read+validate", load["load"]),
        ("page planning+render (outputs), on one core", load["render"]),
        ("in `lvyin build`: read+validate", parts.get("load")),
        ("in `lvyin build`: pages, assets and MkDocs in parts, side by side (CPU of all parts; RSS of the largest)",
         parts.get("parts")),
        ("in `lvyin build`: of them the search index (Pagefind in parts; RSS: Pagefind's largest run)", pagefind),
        ("in `lvyin build`: of them the link check", parts.get("link check")),
        ("**total `lvyin build`** (peak RSS: its largest process)", dict(r["build_process"])),
    ] + ([("bare `mkdocs build` of the generated Markdown", r["bare_mkdocs"]),
          ("bare Pagefind over that site", r["bare_pagefind"])] if "bare_mkdocs" in r else [])


def report(results: list[dict], info: dict) -> str:
    lines = ["# Benchmark results", "",
             f"Machine: {info['cores']} cores ({info['cpu']}), {info['memory_gb']} GB RAM; Python {info['python']}, "
             f"MkDocs {info['mkdocs']}, Material {info['material']}, Pagefind {info['pagefind']}; commit {info['commit']}, {info['date']}.",
             "Rerun: `make bench` (or `.venv/bin/python benchmarks/run.py -n 1000 -n 10000`).", "",
             "## Stages", "",
             "| N lectures | stage | wall s | CPU s | peak RSS MB | CPU ms per lecture |", "|---:|---|---:|---:|---:|---:|"]
    for r in results:
        for name, m in stage_rows(r):
            if m is None:
                continue
            lines.append(f"| {r['n']:,} | {name} | {_s(m['wall'])} | {_s(m['cpu'])} | {_mb(m.get('rss_mb'))} | {m['cpu'] * 1000 / r['n']:.1f} |")
    lines += ["", "## Output and downloads", "",
              "| N lectures | files | output size | one lecture page (median HTML) | phone: open /search/ (of it sitemap.xml) | phone: first query “" + QUERY + "” | largest Pagefind file | build ÷ bare (mkdocs+Pagefind), wall / CPU |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        s = r.get("search", {})
        ratio = "—"
        if "bare_mkdocs" in r:
            ratio = (f"{r['build_process']['wall'] / (r['bare_mkdocs']['wall'] + r['bare_pagefind']['wall']):.2f}× / "
                     f"{r['build_process']['cpu'] / (r['bare_mkdocs']['cpu'] + r['bare_pagefind']['cpu']):.2f}×")
        lines.append(f"| {r['n']:,} | {r['output_files']:,} | {r['output_bytes'] / 2**20:,.0f} MB | {r['lecture_page_bytes']:,} B | "
                     f"{_kb(s.get('page_bytes'))} ({_kb(s.get('sitemap_bytes'))}) | {_kb(s.get('query_bytes'))} | {_kb(s.get('largest_pagefind_file'))} | {ratio} |")
    lines += ["", "## The parts of `lvyin build`, side by side on the cores", "",
              "| N lectures | part | wall s | CPU s | peak RSS MB |", "|---:|---|---:|---:|---:|"]
    for r in results:
        costs = r["build"].get("part_costs", [])
        entries = [c for c in costs if c["name"].startswith("entries-")]
        for c in costs:
            if c not in entries:
                lines.append(f"| {r['n']:,} | {c['name']} | {_s(c['wall'])} | {_s(c['cpu'])} | {_mb(c['rss_mb'])} |")
        if entries:
            lines.append(f"| {r['n']:,} | {len(entries)} entry parts (lecturers, places, lectures; sum, the largest RSS) | {_s(sum(c['wall'] for c in entries))} | "
                         f"{_s(sum(c['cpu'] for c in entries))} | {_mb(max(c['rss_mb'] for c in entries))} |")
    lines += report_rows(results)
    served = [r for r in results if "serve" in r]
    if served:
        lines += ["", "## `lvyin serve` from a warm build cache: an edit to one lecture's title", "",
                  "| N lectures | start until the page shows, s | edit until the page shows it, s | peak memory (PSS of all its processes), MB | Ctrl-C until it ends, s |",
                  "|---:|---:|---:|---:|---:|"]
        lines += [f"| {r['n']:,} | {_s(r['serve']['first_build'])} | {_s(r['serve']['edit_shown'])} | "
                  f"{_mb(r['serve'].get('peak_mb'))} | {_s(r['serve'].get('stopped'))} |" for r in served]
    if len(results) >= 2 and results[-1]["n"] < 100_000:
        a, b = results[-2], results[-1]
        lines += ["", f"## Extrapolation to 100,000 lectures (straight line through N = {a['n']:,} and {b['n']:,})", "",
                  "| stage | CPU s | peak RSS MB |", "|---|---:|---:|"]
        build_peak = 0.0
        for (name, ma), (_, mb) in zip(stage_rows(a), stage_rows(b)):
            if not ma or not mb:
                continue
            slope = (mb["cpu"] - ma["cpu"]) / (b["n"] - a["n"])
            rslope = (mb.get("rss_mb", 0) - ma.get("rss_mb", 0)) / (b["n"] - a["n"])
            value = mb.get("rss_mb", 0) + rslope * (100_000 - b["n"])
            rss = f"{value:,.0f}"
            if "of them the search index" in name:  # Pagefind runs over parts of at most PART_SIZE pages
                value = max(ma.get("rss_mb", 0), mb.get("rss_mb", 0))
                rss = f"{value:,.0f} (bounded: index in parts)"
            if name.startswith("in `lvyin build`"):
                build_peak = max(build_peak, value)
            if name.startswith("**total"):
                rss = f"{build_peak:,.0f} (largest of its stages)"
            lines.append(f"| {name} | {mb['cpu'] + slope * (100_000 - b['n']):,.0f} | {rss} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--lectures", type=int, action="append", help="catalogue size; repeat for several (default 1000, 10000, 100000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", default=None, help="working folder (default: a fresh folder under /tmp, removed afterwards)")
    parser.add_argument("--keep", action="store_true", help="keep the working folder (catalogues and sites)")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium download measurement")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare mkdocs build + Pagefind comparison")
    parser.add_argument("--no-serve", action="store_true", help="skip timing an edit under lvyin serve")
    parser.add_argument("--no-rebuilds", action="store_true", help="skip the rebuilds with the build cache")
    parser.add_argument("--out", default=str(HERE / "results.md"))
    parser.add_argument("--report", metavar="JSON", help="only rewrite the Markdown table from an earlier results.json")
    args = parser.parse_args(argv)
    if args.report:
        saved = json.loads(Path(args.report).read_text(encoding="utf-8"))
        text = report(saved["results"], saved["machine"])
        Path(args.out).write_text(text, encoding="utf-8")
        print(text)
        return 0
    sizes = args.lectures or [int(x) for x in os.environ.get("N", "").split()] or DEFAULT_SIZES
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="lvyin-bench-"))
    info = machine()
    results = []
    try:
        for n in sizes:
            results.append(run_one(n, work, args.seed, not args.no_browser, not args.no_bare, not args.no_serve,
                                   not args.no_rebuilds))
            text = report(results, info)
            Path(args.out).write_text(text, encoding="utf-8")
            Path(args.out).with_suffix(".json").write_text(json.dumps({"machine": info, "results": results}, indent=1), encoding="utf-8")
    finally:
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print(report(results, info))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
