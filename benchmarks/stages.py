"""One benchmark stage in its own process; prints a JSON line of its measurements.

    python benchmarks/stages.py load CATALOG TODAY            read+validate, then page planning+render
    python benchmarks/stages.py build CATALOG TODAY SITE_DIR   the whole `lvyin build`, broken down

`build` runs the real command line and times the pieces it calls (the catalogue
check before MkDocs starts, the plugin's generated files, the link check,
Pagefind) by wrapping them; what is left is MkDocs itself.  Pagefind runs as a
child process, so its CPU time and peak memory come from RUSAGE_CHILDREN.
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


def load(catalog: str, today: str) -> dict:
    from generator.site import load_site, outputs

    timer = Timer()
    with timer.part("load"):
        site = load_site(catalog, today)
    count = size = 0
    with timer.part("render"):
        for _, content in outputs(site):
            count += 1
            size += len(content.encode("utf-8") if isinstance(content, str) else content)
    return {"parts": timer.parts, "files": count, "bytes": size, "lectures": len(site.catalog.lectures)}


def build(catalog: str, today: str, site_dir: str) -> dict:
    import generator.cli as cli
    import generator.mkdocs_plugin as plugin

    timer = Timer()
    timer.wrap(cli, "load_catalog", "precheck")
    timer.wrap(plugin, "load_site", "load")
    timer.wrap(plugin, "outputs", "render", eager=True)
    timer.wrap(plugin, "check_site", "link_check")
    timer.wrap(plugin, "index_site", "pagefind", children=True)
    with timer.part("total"), contextlib.redirect_stdout(sys.stderr):
        code = cli.main(["build", "--catalog", catalog, "--today", today, "--site-dir", site_dir])
    if code:
        raise SystemExit(f"lvyin build failed with exit code {code}")
    return {"parts": timer.parts, "self_rss_mb": _rss_mb(), "children_rss_mb": _rss_mb(resource.RUSAGE_CHILDREN),
            "children_cpu": _cpu(resource.RUSAGE_CHILDREN)}


if __name__ == "__main__":
    os.chdir(ROOT)  # mkdocs.yml, content/ and overrides/ are found from the project root
    sys.path.insert(0, str(ROOT))
    mode, *args = sys.argv[1:]
    result = {"load": load, "build": build}[mode](*args)
    print(json.dumps(result))
