"""Is one revision of the generator slower than another?  `lvyin build` of each, taking turns.

    python benchmarks/compare_speed.py REV [REV …] [--lectures 10000] [--runs 2] [--today 2027-03-01]

Each revision (a git revision, checked out into a temporary worktree, or a folder holding a
checkout) synthesises its own catalogue (`lvyin synth --lectures N --seed 1`) and builds it; the
revisions take turns, `--runs` times, so that a machine that gets busier or quieter on the way
weighs on all alike.  Printed for each build: wall and CPU seconds (of the build and every process
it waited for) and the peak RSS of its largest process.  A revision that knows `--no-cache`
(issue 20) builds clean.  Issue 17's figures in docs/performance.md were measured so.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from compare_builds import REPO, checkout, entry_points


def timed(tree: Path, meta: Path, log: Path, *args: str) -> dict:
    target = tomllib.loads((tree / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]["lvyin"]
    module, function = target.split(":")
    code = f"import sys; from {module} import {function} as main; sys.exit(main(sys.argv[1:]))"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tree), str(meta)])}
    start = time.perf_counter()
    with open(log, "ab") as out:
        process = subprocess.Popen([sys.executable, "-c", code, *args], cwd=tree, env=env, stdout=out, stderr=out)
        _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"{tree}: lvyin {' '.join(args)} failed; see {log}")
    return {"wall": time.perf_counter() - start, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}


def _knows_no_cache(tree: Path) -> bool:
    cli = tree / "generator" / "cli" / "main.py"
    return cli.is_file() and "--no-cache" in cli.read_text(encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("revisions", nargs="+", help="git revisions or folders")
    parser.add_argument("--lectures", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--today", default="2027-03-01")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="lvyin-speed-"))
    log = scratch / "log.txt"
    trees = [checkout(spec, scratch) for spec in args.revisions]
    try:
        metas = [entry_points(tree, scratch) for tree in trees]
        for n, (tree, meta) in enumerate(zip(trees, metas)):
            timed(tree, meta, log, "synth", "--lectures", str(args.lectures), "--seed", "1", "--out", str(scratch / f"synth-{n}"))
        print("| revision | run | wall s | CPU s | peak RSS MB |\n|---|---:|---:|---:|---:|")
        for run in range(1, args.runs + 1):
            for n, (spec, tree, meta) in enumerate(zip(args.revisions, trees, metas)):
                clean = ["--no-cache"] if _knows_no_cache(tree) else []
                m = timed(tree, meta, log, "build", "--catalog", str(scratch / f"synth-{n}" / "catalog"),
                          "--site-dir", str(scratch / f"site-{n}"), "--today", args.today, *clean)
                print(f"| {spec} | {run} | {m['wall']:.1f} | {m['cpu']:.1f} | {m['rss_mb']:,.0f} |", flush=True)
        return 0
    finally:
        for tree in trees:
            if tree.is_relative_to(scratch):
                subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)], check=False)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
