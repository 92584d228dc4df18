"""`lvyin build` on every core: the site made in parts that run side by side.

MkDocs builds on one core and keeps every page of a build in memory, so
`lvyin build` cuts the site into parts.  Each part runs in a forked process
(all share the catalogue the parent loaded and checked once), at most one per
core at a time, and writes its own folder:

- the main part: MkDocs over the hand-written pages and every generated page
  except the entry pages that grow with the catalogue (`pages.grown_paths`:
  lecturers, places, lectures);
- entry parts: MkDocs over a slice of at most `PAGES_PER_PART` of those, with
  stand-ins for the navigation's pages so that the header comes out the same
  (see the plugin's `Handoff`);
- asset parts: each maker of `site_files.ASSET_MAKERS` writes its files (feeds,
  print sheets, open data …).

As each part finishes (once the main part has), the parent moves its entry
pages or assets into the main part's folder, refusing two files at one path,
while the other parts run; at the end it adds the entry pages to the sitemap.
Entry pages are not in the navigation and come last among the generated pages,
so the site is byte for byte the one a single `mkdocs build` makes (tests
compare).  Link check and search index follow, over the whole site.
"""

from __future__ import annotations

import json
import math
import multiprocessing.connection
import os
import re
import resource
import shutil
import time
import traceback
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from generator import workers as lifeline
from generator.engine import progress
from generator.errors import BuildFailed, LvyinError
from generator.outputs.files import SiteCollision
from generator.outputs.site_files import ASSET_MAKERS
from generator.plan.pages import grown_paths, page_url
from generator.plan.site import Site

PAGES_PER_PART = 3000
_SITEMAP_ENTRY = re.compile(r"\n    <url>\n         <loc>([^<]*)</loc>.*?</url>", re.DOTALL)


class PartFailed(BuildFailed):
    """A part's build failed; the message is MkDocs' (its warnings were logged as they came)."""


class PartCrashed(Exception):
    """A part died of a bug, not of the user's data: the message is the part's traceback."""


@dataclass(frozen=True)
class Part:
    name: str
    entry_pages: frozenset[str] = frozenset()  # an entry part's pages (docs-tree paths)
    maker: int | None = None  # an asset part's index into ASSET_MAKERS


def plan_parts(site: Site, per_part: int | None = None) -> list[Part]:
    """The parts, the longest ones first: the main part, the asset parts, entry slices of equal size in plan order."""
    per_part = per_part or PAGES_PER_PART
    entries = grown_paths(site.catalog)
    count = math.ceil(len(entries) / per_part)
    size = math.ceil(len(entries) / count) if count else 0
    slices = [frozenset(entries[i : i + size]) for i in range(0, len(entries), size)] if size else []
    return ([Part("main")] + [Part(f"assets-{make.__name__}", maker=i) for i, make in enumerate(ASSET_MAKERS)]
            + [Part(f"entries-{n}", entry_pages=pages) for n, pages in enumerate(slices, 1)])


def build_in_parts(config_file: str, site: Site, site_dir: Path, workers: int | None = None,
                   search_copies: Path | None = None) -> list[dict]:
    """Build `site` into the empty folder `site_dir` (main part) with the other parts beside it, then merge.
    With `search_copies`, the pages' copies for the search index go there (see search_index.py).

    Returns what each part cost: name, wall and CPU seconds, peak RSS in MB (for the benchmark)."""
    parts = plan_parts(site)
    site.pages  # noqa: B018  (planned here, once, for every part)
    all_entries = frozenset().union(*(p.entry_pages for p in parts))
    scratch = lifeline.new_folder(".lvyin-parts-", site_dir.parent)  # deletes the parts of killed builds
    folders = {part.name: site_dir if part.name == "main" else scratch / part.name for part in parts}
    main_done = False
    held: list[Part] = []  # parts done before the main part

    def merge(part: Part) -> None:
        """Move a finished part into the site while the others run; those done before the main part
        wait for it (MkDocs empties its folder as it starts, and a collision shows only against its files)."""
        nonlocal main_done
        if part.name == "main":
            main_done = True
        else:
            held.append(part)
        if main_done:
            for done in held:
                _merge(folders[done.name], site_dir, done)
            held.clear()

    try:
        _run_all(parts, lambda part: _make_part(config_file, site, part, folders[part.name], all_entries,
                                                search_copies), workers, scratch, merge)
        progress.stage("正在写站点地图")
        _add_to_sitemap(site_dir, [folders[p.name] for p in parts if p.entry_pages], all_entries)
        return [json.loads((scratch / f"{part.name}.cost").read_text()) for part in parts]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _run_all(parts: list[Part], make, workers: int | None, scratch: Path, done) -> None:
    """Run each part in a forked process, `workers` at a time, and hand each that succeeds to
    `done`; raise the first failure.  Where processes cannot be forked, one after the other here."""
    if not lifeline.can_fork():
        for finished, part in enumerate(parts, 1):
            _make_and_cost(make, part, scratch)
            done(part)
            progress.stage(f"正在生成网站：已完成 {finished}/{len(parts)} 部分")
        return
    workers = workers or lifeline.cores()
    waiting, running, finished = list(parts), {}, 0
    try:
        with lifeline.frozen_for_children():
            while waiting or running:
                while waiting and len(running) < workers:
                    part = waiting.pop(0)
                    process = lifeline.fork_process(_child, (make, part, scratch), part.name)
                    process.start()
                    running[process.sentinel] = (process, part)
                ready = multiprocessing.connection.wait(list(running))
                for sentinel in ready:
                    process, part = running.pop(sentinel)
                    process.join()
                    if process.exitcode != 0:
                        _raise_failure(part, process.exitcode, scratch)
                    done(part)
                    finished += 1
                    progress.stage(f"正在生成网站：已完成 {finished}/{len(parts)} 部分")
    finally:
        for process, _ in running.values():
            process.kill()
            process.join()


def _raise_failure(part: Part, exitcode: int | None, scratch: Path) -> None:
    error, crash = scratch / f"{part.name}.error", scratch / f"{part.name}.crash"
    if crash.is_file():
        raise PartCrashed(crash.read_text(encoding="utf-8"))
    raise PartFailed(error.read_text(encoding="utf-8") if error.is_file() else f"{part.name} 异常退出（{exitcode}）")


def _child(make, part: Part, scratch: Path) -> None:
    """Make one part; leave its cost (or its error) in `scratch` for the parent."""
    progress.detach()  # the parent's progress line belongs to the parent
    try:
        _make_and_cost(make, part, scratch)
    except BaseException as error:  # noqa: BLE001 — reported to the parent, which raises it
        from mkdocs.exceptions import MkDocsException

        if isinstance(error, (MkDocsException, LvyinError)):
            (scratch / f"{part.name}.error").write_text(str(error), encoding="utf-8")
        else:  # a bug: its traceback, for the parent to show as one
            (scratch / f"{part.name}.crash").write_text(f"{part.name}:\n{traceback.format_exc()}", encoding="utf-8")
        os._exit(1)


def _make_and_cost(make, part: Part, scratch: Path) -> None:
    """Make one part; leave what it cost in `scratch` (its own process's CPU and peak RSS when forked)."""
    start = time.perf_counter()
    make(part)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cost = {"name": part.name, "wall": time.perf_counter() - start, "cpu": usage.ru_utime + usage.ru_stime,
            "rss_mb": usage.ru_maxrss / 1024}
    (scratch / f"{part.name}.cost").write_text(json.dumps(cost), encoding="utf-8")


def _make_part(config_file: str, site: Site, part: Part, folder: Path, all_entries: frozenset[str],
               search_copies: Path | None) -> None:
    if part.maker is not None:
        for asset in ASSET_MAKERS[part.maker](site):
            target = folder / asset.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(asset.content)
        return
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from generator.engine.mkdocs_pages import Handoff
    from generator.engine.mkdocs_plugin import LvyinPlugin

    config = load_config(config_file, site_dir=str(folder), strict=True)
    plugin = next(p for p in config.plugins.values() if isinstance(p, LvyinPlugin))
    if part.entry_pages:
        plugin.handoff = Handoff(site, lambda page: page.path in part.entry_pages, True, search_copies)
    else:
        plugin.handoff = Handoff(site, lambda page: page.path not in all_entries, False, search_copies)
    mkdocs_build(config)


def _merge(folder: Path, site_dir: Path, part: Part) -> None:
    """Move a part's files into the site: an entry part's entry pages, an asset part's everything.

    A folder the site does not have yet moves whole (one rename for /feeds/ and its 100,000
    files), so merging costs the folders, not the files."""
    if part.entry_pages:
        for path in sorted(part.entry_pages):
            _move(folder, site_dir, page_url(path).rstrip("/"))
    else:
        for child in sorted(folder.iterdir()):
            _move(folder, site_dir, child.name)


def _move(source_root: Path, target_root: Path, name: str) -> None:
    """Move `name` (a file or folder, relative to both roots) from one tree into the other; two
    files at one path are refused."""
    source, target = source_root / name, target_root / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
    elif source.is_dir() and target.is_dir():
        for child in sorted(source.iterdir()):
            _move(source_root, target_root, f"{name}/{child.name}")
    else:
        raise SiteCollision(f"两个文件要写到网站的同一路径 /{name}：请改名或删除与自动生成的文件同名的手写文件")


def _add_to_sitemap(site_dir: Path, folders: list[Path], entries: frozenset[str]) -> None:
    """Append the entry parts' sitemap entries of their entry pages to the main part's sitemap."""
    import gzip
    from datetime import datetime

    from mkdocs.utils import get_build_date

    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file() or not folders:
        return
    urls = {page_url(path) for path in entries}  # <section>/<id>/
    added = [match.group(0) for folder in folders
             for match in _SITEMAP_ENTRY.finditer((folder / "sitemap.xml").read_text(encoding="utf-8"))
             if "/".join(match.group(1).rstrip("/").split("/")[-2:]) + "/" in urls]
    text = sitemap.read_text(encoding="utf-8")
    end = text.rindex("\n</urlset>")
    text = text[:end] + "".join(added) + text[end:]
    sitemap.write_text(text, encoding="utf-8")
    gz = site_dir / "sitemap.xml.gz"
    # Dated as MkDocs dates it: the pages' update date at midnight UTC.
    mtime = int(datetime.fromisoformat(get_build_date()).replace(tzinfo=UTC).timestamp())
    with open(gz, "wb") as raw, gzip.GzipFile(fileobj=raw, filename=str(gz), mode="wb", mtime=mtime) as out:
        out.write(text.encode("utf-8"))
