"""A killed `lvyin build` hurts nothing: `kill -9` (or the kernel out of memory) at any point.

Each test runs the real `lvyin build` in a subprocess, with a few lines put in front of it by
`python -c` that wrap one function of the build so that the build is killed right there
(SIGKILL, which nothing can catch).  Then: `site/` is a whole site, the previous one or the new
one, byte for byte; no process the build started is left running; the next build deletes what
the killed one left (`.site.new-*`, `.lvyin-parts-*`, its folders in /dev/shm) and still
compares the catalogue with the ids the site it replaces published.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path

import pytest
from conftest import BASE_FILES, DEMO_TODAY, ROOT, build_site, write_catalog
from test_cli import snapshot

from generator import workers

# Put before the build: helpers for the lines each test adds.
PRELUDE = """\
import os, signal, sys, threading, time
from pathlib import Path
os.sched_getaffinity = lambda pid: {0, 1}  # two cores, as the parts and readers side by side need

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def after(module, name, then):
    real = getattr(module, name)
    def wrapped(*args, **kwargs):
        result = real(*args, **kwargs)
        then()
        return result
    setattr(module, name, wrapped)
"""
RUN = "\nfrom generator.cli.main import main\nsys.exit(main(sys.argv[1:]))\n"
TITLE = "亲子共读的三个方法"


def kill_build(catalog: Path, site: Path, injected: str) -> int:
    """Run `lvyin build` with `injected` wrapping some of it; it must die of SIGKILL. Its pid."""
    mark = uuid.uuid4().hex  # in the environment of every process it starts
    memory = f"import generator.workers\ngenerator.workers.IN_MEMORY = Path({str(workers.IN_MEMORY)!r})\n"
    err = site.parent / "kill-test.err"  # a file: a pipe would be held open by what outlives the build
    with err.open("wb") as stderr:
        build = subprocess.Popen(
            [sys.executable, "-c", PRELUDE + memory + textwrap.dedent(injected) + RUN, "build", "--catalog",
             str(catalog), "--site-dir", str(site), "--today", DEMO_TODAY],
            cwd=ROOT, env={**os.environ, "LVYIN_KILL_TEST": mark}, stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        build.wait(timeout=120)
    finally:
        build.kill()
    assert build.returncode == -signal.SIGKILL, err.read_text(encoding="utf-8")
    err.unlink()
    time.sleep(1)  # a short wait: what outlives the build now would stay
    survivors = _processes_with(mark)
    for pid in survivors:  # leave nothing running after the test
        os.kill(pid, signal.SIGKILL)
    assert survivors == {}, "processes of the killed build still run"
    return build.pid


def _processes_with(mark: str) -> dict[int, str]:
    found = {}
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and f"LVYIN_KILL_TEST={mark}".encode() in (proc / "environ").read_bytes():
                state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z":  # ended, only not yet reaped
                    found[int(proc.name)] = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:200]
        except OSError:
            continue
    return found


def leftovers(pid: int, beside: Path) -> list[str]:
    """The folders of the build with process id `pid`, beside the site and in memory."""
    return sorted(str(p) for place in (beside, workers.IN_MEMORY) for p in place.iterdir()
                  if re.search(rf"(lvyin|site)\S*-{pid}-", p.name))


def all_gone(found, seconds: float = 20) -> list:
    """`found()` once it is empty (deletion goes on in the background), or as it still is."""
    deadline = time.monotonic() + seconds
    while (left := found()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def rename_lecture(catalog: Path, title: str) -> None:
    lectures = catalog / "lectures" / "2026-12.yaml"
    text = lectures.read_text(encoding="utf-8")
    lectures.write_text(re.sub(r"title: .*", f"title: {title}", text, count=1), encoding="utf-8")


def drop_lecture(catalog: Path) -> str:
    """Remove the published lecture; return the file as it was."""
    lectures = catalog / "lectures" / "2026-12.yaml"
    before = lectures.read_text(encoding="utf-8")
    lectures.write_text("[]\n", encoding="utf-8")
    return before


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Path:
    """A catalogue and its site (`previous`); the catalogue then changed, and the site it makes (`new`)."""
    root = tmp_path_factory.mktemp("sites")
    catalog = write_catalog(root / "catalog", BASE_FILES)
    assert build_site(catalog, root / "previous") == 0
    rename_lecture(catalog, "亲子共读的四个方法")
    assert build_site(catalog, root / "new") == 0
    return root


@pytest.fixture
def built(sites, tmp_path, monkeypatch):
    """The changed catalogue and the previous site, to build the new one over; the snapshots of both sites.

    The builds' folders "in memory" go to a folder of this test's own in /dev/shm, where no other
    build on the machine deletes or adds any (and in memory, as Pagefind's page order and so the
    index's bytes depend on the file system)."""
    shm = workers.IN_MEMORY
    memory = Path(tempfile.mkdtemp(prefix="kills-test-", dir=shm if os.access(shm, os.W_OK) else tmp_path))
    monkeypatch.setattr(workers, "IN_MEMORY", memory)
    catalog = shutil.copytree(sites / "catalog", tmp_path / "catalog")
    site = shutil.copytree(sites / "previous", tmp_path / "out" / "site")
    yield catalog, site, snapshot(site), snapshot(sites / "new")
    shutil.rmtree(memory, ignore_errors=True)


def test_killed_while_a_second_process_reads_the_catalogue(built):
    catalog, site, previous, _ = built
    kill_build(catalog, site, """
        import generator.catalog.files as catalog
        catalog.READ_IN_TWO_FROM = 0  # read in two however small
        parent, real = os.getpid(), catalog._read_entries
        def read(*args):
            if os.getpid() != parent:
                time.sleep(60)  # the second reader is still at it
            else:
                time.sleep(0.5)
                die()
            return real(*args)
        catalog._read_entries = read
        """)
    assert snapshot(site) == previous


def test_killed_while_the_parts_are_built(built):
    catalog, site, previous, _ = built
    pid = kill_build(catalog, site, """
        import generator.engine.parallel_build as parallel_build
        real = parallel_build._make_part
        def make(config_file, site, part, *rest):
            if part.name != "main":
                time.sleep(60)  # parts still running
            real(config_file, site, part, *rest)
            os.kill(os.getppid(), signal.SIGKILL)  # the build dies once the main part is made
        parallel_build._make_part = make
        """)
    assert snapshot(site) == previous
    left = leftovers(pid, site.parent)
    assert any(".site.new-" in p for p in left) and any(".lvyin-parts-" in p for p in left)

    assert build_site(catalog, site) == 0
    assert all_gone(lambda: leftovers(pid, site.parent)) == []


def test_killed_while_the_links_are_checked_and_the_site_indexed(built, tmp_path):
    catalog, site, previous, _ = built
    pagefind = tmp_path / "slow-pagefind"
    pagefind.write_text("#!/bin/sh\nexec sleep 60\n", encoding="utf-8")
    pagefind.chmod(0o755)
    checking, index_pid = tmp_path / "checking", tmp_path / "index-pid"
    pid = kill_build(catalog, site, f"""
        import generator.engine.finishing as finishing, generator.engine.search_index as search_index
        def check_pages(site_dir, only=None, files=None):  # the link check still running
            Path({str(checking)!r}).touch()
            time.sleep(60)
        finishing.check_pages = check_pages
        search_index.pagefind_binary = lambda: {str(pagefind)!r}  # Pagefind still running
        real = search_index._run
        def run(site, output):  # in the index's own part: the build dies once the link check runs too
            Path({str(index_pid)!r}).write_text(str(os.getpid()))
            def kill_the_build():
                while not Path({str(checking)!r}).exists():
                    time.sleep(0.1)
                os.kill(os.getppid(), signal.SIGKILL)
            threading.Thread(target=kill_the_build, daemon=True).start()
            return real(site, output)
        search_index._run = run
        """)
    assert snapshot(site) == previous
    left, index_part = leftovers(pid, site.parent), int(index_pid.read_text())
    assert any("copies-" in p for p in left) and any("/.lvyin-search-" in p for p in leftovers(index_part, site.parent))

    assert build_site(catalog, site) == 0
    assert all_gone(lambda: leftovers(pid, site.parent) + leftovers(index_part, site.parent)) == []


def test_killed_right_after_the_new_site_took_the_place_of_the_old(built, capsys):
    catalog, site, _, new = built
    pid = kill_build(catalog, site, """
        import generator.engine.swap as swap
        after(swap, "_exchange", die)
        """)
    assert snapshot(site) == new
    assert leftovers(pid, site.parent)  # the old site, under the new one's name

    kept = drop_lecture(catalog)  # the new site published it
    assert build_site(catalog, site) == 1
    assert "讲座“reading-1205”已经发布过" in capsys.readouterr().err
    (catalog / "lectures" / "2026-12.yaml").write_text(kept, encoding="utf-8")
    assert build_site(catalog, site) == 0
    assert snapshot(site) == new
    assert all_gone(lambda: leftovers(pid, site.parent)) == []


def test_killed_between_the_two_renames_where_the_site_cannot_be_exchanged(built, capsys):
    catalog, site, previous, new = built
    pid = kill_build(catalog, site, """
        import generator.engine.swap as swap
        swap._exchange = lambda a, b: False  # renameat2 missing, or the file system refuses it
        after(swap, "_set_aside", die)
        """)
    # The one moment without a site (see generator/engine/swap.py): the old one is set aside whole.
    assert not site.exists()
    [aside] = [Path(p) / "site" for p in leftovers(pid, site.parent) if ".site.old-" in p]
    assert snapshot(aside) == previous

    kept = drop_lecture(catalog)
    assert build_site(catalog, site) == 1  # the site is back, and its ids are compared
    assert "讲座“reading-1205”已经发布过" in capsys.readouterr().err
    assert snapshot(site) == previous
    (catalog / "lectures" / "2026-12.yaml").write_text(kept, encoding="utf-8")
    assert build_site(catalog, site) == 0
    assert snapshot(site) == new
    assert all_gone(lambda: leftovers(pid, site.parent)) == []


def test_only_the_folders_of_ended_builds_are_deleted(tmp_path):
    ended = subprocess.Popen(["true"])
    ended.wait()
    names = {
        "killed": f".lvyin-parts-{ended.pid}-a1b2c3d4",
        "running": f".lvyin-parts-{os.getppid()}-e5f6g7h8",  # another build, still going
        "older version": ".lvyin-parts-x9y8z7w6",
        "same id, not ours": f".lvyin-parts-{os.getpid()}-q1w2e3r4",  # a killed build's, in a fresh container
    }
    for name in names.values():
        (tmp_path / name / "entries-1").mkdir(parents=True)
    hour_ago = time.time() - 3600
    os.utime(tmp_path / names["older version"], (hour_ago, hour_ago))
    (tmp_path / ".lvyin-parts-k3j4h5g6").mkdir()  # an older version's build, still going
    mine = workers.new_folder(".lvyin-parts-", tmp_path)
    kept = {names["running"], ".lvyin-parts-k3j4h5g6", mine.name}
    assert all_gone(lambda: sorted({p.name for p in tmp_path.iterdir()} - kept)) == []
    assert {p.name for p in tmp_path.iterdir()} == kept
    assert workers.abandoned(".lvyin-parts-", tmp_path) == []
