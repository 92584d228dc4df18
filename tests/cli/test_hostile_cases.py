"""Hostile pull requests, as data: each folder of tests/hostile/cases/ is run through the real CLI.

A case folder holds `case.yaml` (what it tries and what must come of it) and the files the pull
request adds or replaces: `catalog/…` and `articles/…`, laid over a small valid repository (the
catalogue of conftest.BASE_FILES).  Beside the repository lies `outside/`, with a venue file and an
article whose canary text must never reach the site; a case may point symlinks there.

case.yaml:
  about: what an attacker or a careless editor tries (one line)
  expect: refused | harmless
  # refused: `lvyin validate` exits 1, names each problem, and `lvyin build` refuses too
  problems:
    - at: catalog/site.yaml:2:7     # path:line:column as printed (paths from the repository root)
      says: 不能包含                  # a piece of the Chinese message on that line
  only_these: true                  # optional: these are all the problems (one run names them all, none follows from another)
  # harmless: validate passes, the build succeeds, and
  never_in_markup: ["<img src=x onerror"]   # none of these is in a page a browser renders (.html .xml .svg)
  never_anywhere: ["13912345678"]          # none of these is in any built file (feeds, data, index too)
  present: ["&lt;img"]                      # each of these is in some built file
  remove: [catalog/lectures/2026-12.yaml]   # optional: base files the pull request deletes
  # optional, either expectation:
  never_in_output: ["13912345678"]          # none of these is in what validate (text and --format github) or build prints
  make_fifo: [catalog/venues/pipe.yaml]     # named pipes made in the repository (git cannot store them)
  stats: ["[/bold]王芳"]                    # optional: `lvyin stats` also runs, succeeds and prints each of these

Every run must take at most TIME_LIMIT seconds of processor time (its processes' own, so that a busy
machine does not fail a case; HANG_LIMIT bounds the wall time) and MEMORY_LIMIT bytes, with no traceback.  In every
site built, no cell of a CSV starts with what a spreadsheet reads as a formula (FORMULA_STARTS).
"""

from __future__ import annotations

import csv
import io
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import BASE_FILES, DEMO_TODAY, ROOT, write_catalog

CASES = ROOT / "tests" / "hostile" / "cases"
TIME_LIMIT = 10  # seconds of processor time (user + system, the command and all it started), each command
HANG_LIMIT = 60  # seconds of wall time, each command
MEMORY_LIMIT = 1024**3  # bytes, the largest process of a case
CANARY = "OUTSIDE-CANARY-不应发布"
MARKUP = {".html", ".xml", ".svg"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP's list for CSV injection

OUTSIDE_FILES = {
    "secret.yaml": f"""
        - id: outside-venue
          name: 外部场馆{CANARY}
          kind: library
          district: weibin
          address: {CANARY}
          admission: free
        """,
    "secret.md": f"""
        ---
        title: 外部文章{CANARY}
        summary: {CANARY}
        topics: [reading]
        ---
        {CANARY}
        """,
}


def _cases() -> list[Path]:
    return sorted(path for path in CASES.iterdir() if (path / "case.yaml").is_file())


def _repository(case: Path, tmp: Path) -> Path:
    repo = tmp / "repo"
    write_catalog(repo / "catalog", BASE_FILES)
    write_catalog(tmp / "outside", OUTSIDE_FILES)
    for part in ("catalog", "articles"):
        if (case / part).exists():
            shutil.copytree(case / part, repo / part, symlinks=True, dirs_exist_ok=True)
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    for name in spec.get("remove", []):
        (repo / name).unlink()
    for name in spec.get("make_fifo", []):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(repo / name)
    return repo


def _run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = subprocess.run([sys.executable, "-m", "generator", *args], cwd=repo, capture_output=True, text=True,
                         timeout=HANG_LIMIT, env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    assert seconds <= TIME_LIMIT, f"{args[0]} took {seconds:.1f} s of processor time"
    peak = after.ru_maxrss * 1024
    assert peak <= max(MEMORY_LIMIT, before.ru_maxrss * 1024), f"{args[0]} used {peak / 1e6:.0f} MB"
    output = run.stdout + run.stderr
    assert "Traceback" not in output, output
    return run


@pytest.mark.parametrize("case", _cases(), ids=lambda path: path.name)
def test_hostile_case(case: Path, tmp_path: Path) -> None:
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    assert spec.get("about") and spec["expect"] in ("refused", "harmless"), f"{case.name}/case.yaml"
    repo = _repository(case, tmp_path)
    site = repo / "site"
    validate = _run(repo, "validate", "--catalog", "catalog")
    build = _run(repo, "build", "--catalog", "catalog", "--site-dir", str(site), "--today", DEMO_TODAY,
                 "--config", str(ROOT / "mkdocs.yml"))
    if spec.get("never_in_output"):
        printed = [validate, build, _run(repo, "validate", "--catalog", "catalog", "--format", "github")]
        for text in spec["never_in_output"]:
            assert not any(text in run.stdout + run.stderr for run in printed), f"“{text}” was printed"
    if spec["expect"] == "refused":
        lines = validate.stdout.splitlines() + validate.stderr.splitlines()
        assert validate.returncode == 1, validate.stdout + validate.stderr
        for problem in spec["problems"]:
            assert any(line.startswith(problem["at"] + ":") and problem["says"] in line for line in lines), (
                f"no “{problem['says']}” at {problem['at']} in:\n" + "\n".join(lines))
        if spec.get("only_these"):
            assert f"共发现 {len(spec['problems'])} 处错误" in validate.stderr, "\n".join(lines)
        assert build.returncode == 1 and not site.exists(), build.stdout + build.stderr
        return
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert build.returncode == 0, build.stdout + build.stderr
    built = {path: path.read_bytes() for path in site.rglob("*") if path.is_file()}
    markup = [data for path, data in built.items() if path.suffix in MARKUP]
    for text in spec.get("never_in_markup", []):
        assert not any(text.encode() in data for data in markup), f"“{text}” reached a page"
    for text in spec.get("never_anywhere", []):
        assert not any(text.encode() in data for data in built.values()), f"“{text}” reached the site"
    for text in spec.get("present", []):
        assert any(text.encode() in data for data in built.values()), f"“{text}” is not on the site"
    for path, data in built.items():
        if path.suffix == ".csv":
            cells = [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row]
            assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)], f"{path.name}: a cell is a formula"
    if "stats" in spec:
        stats = _run(repo, "stats", "--catalog", "catalog", "--today", DEMO_TODAY)
        assert stats.returncode == 0, stats.stdout + stats.stderr
        for text in spec["stats"]:
            assert text in stats.stdout, f"“{text}” is not in what lvyin stats printed:\n{stats.stdout}"


def test_every_case_folder_has_its_case_file() -> None:
    assert len(_cases()) == sum(1 for path in CASES.iterdir() if path.is_dir())
