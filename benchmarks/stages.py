"""One benchmark stage in its own process; prints a JSON line of its measurements.

    python benchmarks/stages.py load CATALOG TODAY            read+validate, then page planning+render
    python benchmarks/stages.py build CATALOG TODAY SITE_DIR   the whole `lvyin build` (clean: --no-cache), broken down
    python benchmarks/stages.py build CATALOG TODAY SITE_DIR cache   the same with the build cache (a rebuild)

`build` runs the real command line and times the pieces it calls (reading and
checking the catalogue, the parts built side by side, the link check and
Pagefind side by side, and Pagefind alone) by wrapping them.  The parts (pages, assets and MkDocs, see
generator/engine/parallel_build.py) and Pagefind run as child processes, so their CPU
time and peak memory come from RUSAGE_CHILDREN.
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
    (RUSAGE_CHILDREN keeps only the largest child so far, which may be a part of the build)."""

    def __init__(self) -> None:
        import subprocess

        self.subprocess = subprocess
        self.peak_mb = 0.0

    def __getattr__(self, name: str):
        return getattr(self.subprocess, name)

    def run(self, cmd, capture_output=False, text=False, **kwargs):
        import tempfile

        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            proc = self.subprocess.Popen(cmd, stdout=out, stderr=err, **kwargs)
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            self.peak_mb = max(self.peak_mb, usage.ru_maxrss / 1024)
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
    import generator.engine.finishing as finishing
    import generator.engine.parallel_build as parallel_build
    import generator.engine.search_index as search_index
    from generator.cli import main as cli

    timer = Timer()
    costs: list[dict] = []  # what each part of the parallel build cost, as it reports
    build_in_parts = parallel_build.build_in_parts
    parallel_build.build_in_parts = lambda *a, **k: costs.extend(build_in_parts(*a, **k)) or costs
    timer.wrap(cli, "load_site", "load")
    timer.wrap(parallel_build, "build_in_parts", "parts", children=True)
    # The link check runs in a forked process beside the indexing: its cost is in "finish" (both).
    timer.wrap(finishing, "check_and_index", "finish", children=True)
    timer.wrap(finishing, "index_site", "pagefind", children=True)
    timer.wrap(cli, "_reuse", "open cache")
    from generator.engine.build_cache import BuildCache

    timer.wrap(BuildCache, "keep_site", "keep the site in the cache")
    timer.wrap(BuildCache, "save", "save the cache")
    search_index.subprocess = pagefind_runs = PeakOfEachRun()
    with timer.part("total"), contextlib.redirect_stdout(sys.stderr):
        code = cli.main(["build", "--catalog", catalog, "--today", today, "--site-dir", site_dir,
                         *([] if cache == "cache" else ["--no-cache"])])
    if code:
        raise SystemExit(f"lvyin build failed with exit code {code}")
    if "pagefind" in timer.parts:
        timer.parts["pagefind"]["rss_mb"] = pagefind_runs.peak_mb
    return {"parts": timer.parts, "part_costs": costs, "self_rss_mb": _rss_mb(), "children_rss_mb": _rss_mb(resource.RUSAGE_CHILDREN),
            "children_cpu": _cpu(resource.RUSAGE_CHILDREN)}


if __name__ == "__main__":
    os.chdir(ROOT)  # mkdocs.yml, content/ and overrides/ are found from the project root
    sys.path.insert(0, str(ROOT))
    mode, *args = sys.argv[1:]
    result = {"load": load, "build": build}[mode](*args)
    print(json.dumps(result))
