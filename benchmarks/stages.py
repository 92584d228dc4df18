"""One benchmark stage in its own process; prints a JSON line of its measurements.

    python benchmarks/stages.py load CATALOG TODAY            read+validate, then page planning+render
    python benchmarks/stages.py build CATALOG TODAY SITE_DIR   the whole `lvyin build` (clean: --no-cache), broken down
    python benchmarks/stages.py build CATALOG TODAY SITE_DIR cache   the same with the build cache (a rebuild)

`build` runs the real command line and times the pieces it calls (reading and
checking the catalogue, the parts built side by side, keeping the cache) by wrapping them.
The parts (pages, assets and MkDocs, the search index and the link check, see
generator/engine/parallel_build.py) run as child processes, so their CPU
time and peak memory come from RUSAGE_CHILDREN, and each part's from its own report.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _cpu(who: int = resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: KiB


class Timer:
    def __init__(self) -> None:
        self.parts: dict[str, dict[str, float]] = {}

    @contextlib.contextmanager
    def part(self, name: str, children: bool = False):
        who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
        wall, cpu = time.perf_counter(), _cpu(who)
        try:
            yield
        finally:
            entry = self.parts.setdefault(name, {"wall": 0.0, "cpu": 0.0, "calls": 0})
            entry["wall"] += time.perf_counter() - wall
            entry["cpu"] += _cpu(who) - cpu
            entry["calls"] += 1
            entry["rss_mb"] = _rss_mb(who)

    def wrap(self, module, name: str, part: str, *, children: bool = False, eager: bool = False) -> None:
        original = getattr(module, name, None)
        if original is None:
            return

        def wrapped(*args, **kwargs):
            with self.part(part, children):
                result = original(*args, **kwargs)
                return list(result) if eager else result

        setattr(module, name, wrapped)


class PeakOfEachRun:
    """`subprocess` for search_index: the peak RSS of Pagefind's own runs, from wait4
    (RUSAGE_CHILDREN keeps only the largest child so far, which may be a forked reader).  The
    runs are started by the search index's part, a forked process: each peak goes to a file."""

    def __init__(self) -> None:
        import subprocess
        import tempfile

        self.subprocess = subprocess
        self.peaks = Path(tempfile.mkstemp(prefix="pagefind-peaks-")[1])

    @property
    def peak_mb(self) -> float:
        return max((float(line) for line in self.peaks.read_text().split()), default=0.0)

    def __getattr__(self, name: str):
        return getattr(self.subprocess, name)

    def run(self, cmd, capture_output=False, text=False, **kwargs):
        import tempfile

        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            proc = self.subprocess.Popen(cmd, stdout=out, stderr=err, **kwargs)
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            with self.peaks.open("a") as peaks:
                peaks.write(f"{usage.ru_maxrss / 1024}\n")
            out.seek(0), err.seek(0)
            stdout, stderr = out.read(), err.read()
        if text:
            stdout, stderr = stdout.decode(), stderr.decode()
        return self.subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)


def load(catalog: str, today: str) -> dict:
    from generator.outputs.site_files import outputs
    from generator.plan.site import load_site

    timer = Timer()
    with timer.part("load"):
        site = load_site(catalog, today)
    count = size = 0
    with timer.part("render"):
        for _, content in outputs(site):
            count += 1
            size += len(content.encode("utf-8") if isinstance(content, str) else content)
    return {"parts": timer.parts, "files": count, "bytes": size, "lectures": len(site.catalog.lectures)}


def build(catalog: str, today: str, site_dir: str, cache: str = "") -> dict:
    import generator.engine.parallel_build as parallel_build
    import generator.engine.search_index as search_index
    from generator.cli import main as cli

    timer = Timer()
    costs: list[dict] = []  # what each part of the parallel build cost, as it reports
    build_in_parts = parallel_build.build_in_parts

    def in_parts(*args, **kwargs):
        built = build_in_parts(*args, **kwargs)
        costs.extend(built.costs)
        return built

    parallel_build.build_in_parts = in_parts
    timer.wrap(cli, "load_site", "load")
    timer.wrap(parallel_build, "build_in_parts", "parts", children=True)
    timer.wrap(cli, "_reuse", "open cache")
    from generator.engine.build_cache import BuildCache

    timer.wrap(BuildCache, "keep_site", "keep the site in the cache")
    timer.wrap(BuildCache, "save", "save the cache")
    search_index.subprocess = pagefind_runs = PeakOfEachRun()
    begun = time.perf_counter()
    with timer.part("total"), contextlib.redirect_stdout(sys.stderr):
        code = cli.main(["build", "--catalog", catalog, "--today", today, "--site-dir", site_dir,
                         *([] if cache == "cache" else ["--no-cache"])])
    if code:
        raise SystemExit(f"lvyin build failed with exit code {code}")
    for cost in costs:  # when each part started, in seconds from the command's start
        cost["started"] -= begun
    # The last steps are parts of their own (their CPU: theirs and their processes').
    by_name = {cost["name"]: cost for cost in costs}
    for part, stage in ((parallel_build.INDEX, "pagefind"), (parallel_build.LINKS, "link check")):
        if part in by_name:
            timer.parts[stage] = {"wall": by_name[part]["wall"], "cpu": by_name[part]["cpu"], "calls": 1,
                                  "rss_mb": by_name[part]["rss_mb"]}
    if "pagefind" in timer.parts:
        timer.parts["pagefind"]["rss_mb"] = pagefind_runs.peak_mb
    pagefind_runs.peaks.unlink()
    return {"parts": timer.parts, "part_costs": costs, "self_rss_mb": _rss_mb(), "children_rss_mb": _rss_mb(resource.RUSAGE_CHILDREN),
            "children_cpu": _cpu(resource.RUSAGE_CHILDREN)}


if __name__ == "__main__":
    os.chdir(ROOT)  # mkdocs.yml, content/ and overrides/ are found from the project root
    sys.path.insert(0, str(ROOT))
    mode, *args = sys.argv[1:]
    result = {"load": load, "build": build}[mode](*args)
    print(json.dumps(result))
