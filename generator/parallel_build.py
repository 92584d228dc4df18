"""`lvyin build` on every core: the site made in parts that run side by side.

MkDocs builds on one core and keeps every page of a build in memory, so
`lvyin build` cuts the site into parts.  Each part runs in a forked process
(all share the catalogue the parent loaded and checked once), at most one per
core at a time, and writes its own folder:

- the main part: MkDocs over the hand-written pages and every generated page
  except the lecture pages;
- lecture parts: MkDocs over a slice of at most `LECTURES_PER_PART` lecture
  pages, with stand-ins for the navigation's other pages so that the header
  comes out the same (see the plugin's `Handoff`);
- asset parts: each maker of `site.ASSET_MAKERS` writes its files (feeds,
  print sheets, open data …).

The parent then moves the lecture pages and the assets into the main part's
folder, refusing two files at one path, and adds the lecture pages to the
sitemap.  Lecture pages are not in the navigation and come last among the
generated pages, so the site is byte for byte the one a single `mkdocs build`
makes (tests compare).  Link check and search index follow, over the whole site.
"""

from __future__ import annotations

import gc
import math
import multiprocessing
import multiprocessing.connection
import os
import re
import shutil
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path

from . import progress
from .pages import SiteCollision, entry_path, page_url
from .site import ASSET_MAKERS, Site

LECTURES_PER_PART = int(os.environ.get("LVYIN_LECTURES_PER_PART", "3000"))
_SITEMAP_ENTRY = re.compile(r"\n    <url>\n         <loc>([^<]*)</loc>.*?</url>", re.DOTALL)


class PartFailed(Exception):
    """A part's build failed; the message is MkDocs' (its warnings were logged as they came)."""


@dataclass(frozen=True)
class Part:
    name: str
    lecture_pages: frozenset[str] = frozenset()  # a lecture part's pages (docs-tree paths)
    maker: int | None = None  # an asset part's index into ASSET_MAKERS


def plan_parts(site: Site, per_part: int | None = None) -> list[Part]:
    """The parts, longest first: the main part, the asset parts, lecture slices of equal size."""
    per_part = per_part or LECTURES_PER_PART
    lectures = [entry_path("lectures", lecture_id) for lecture_id in site.catalog.lectures]
    count = math.ceil(len(lectures) / per_part)
    size = math.ceil(len(lectures) / count) if count else 0
    slices = [frozenset(lectures[i : i + size]) for i in range(0, len(lectures), size)] if size else []
    return ([Part("main")] + [Part(f"assets-{i}", maker=i) for i in range(len(ASSET_MAKERS))]
            + [Part(f"lectures-{n}", lecture_pages=pages) for n, pages in enumerate(slices, 1)])


def build_in_parts(config_file: str, site: Site, site_dir: Path, workers: int | None = None) -> None:
    """Build `site` into the empty folder `site_dir` (main part) with the other parts beside it, then merge."""
    parts = plan_parts(site)
    all_lectures = frozenset().union(*(p.lecture_pages for p in parts))
    scratch = Path(tempfile.mkdtemp(prefix=".lvyin-parts-", dir=site_dir.parent))
    folders = {part.name: site_dir if part.name == "main" else scratch / part.name for part in parts}
    try:
        _run_all(parts, lambda part: _make_part(config_file, site, part, folders[part.name], all_lectures), workers,
                 scratch)
        progress.stage("正在合并各部分")
        for part in parts[1:]:
            _merge(folders[part.name], site_dir, part)
        _add_to_sitemap(site_dir, [folders[p.name] for p in parts if p.lecture_pages], all_lectures)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _run_all(parts: list[Part], make, workers: int | None, scratch: Path) -> None:
    """Run each part in a forked process, `workers` at a time; raise the first failure."""
    workers = workers or len(os.sched_getaffinity(0))
    fork = multiprocessing.get_context("fork")
    gc.collect()
    gc.freeze()  # the catalogue stays shared with the children instead of being copied page by page
    waiting, running, done = list(parts), {}, 0
    try:
        while waiting or running:
            while waiting and len(running) < workers:
                part = waiting.pop(0)
                process = fork.Process(target=_child, args=(make, part, scratch / f"{part.name}.error"), name=part.name)
                process.start()
                running[process.sentinel] = (process, part)
            ready = multiprocessing.connection.wait(list(running))
            for sentinel in ready:
                process, part = running.pop(sentinel)
                process.join()
                if process.exitcode != 0:
                    error = scratch / f"{part.name}.error"
                    raise PartFailed(error.read_text(encoding="utf-8") if error.is_file() else f"{part.name} 异常退出（{process.exitcode}）")
                done += 1
                progress.stage(f"正在生成网站：已完成 {done}/{len(parts)} 部分")
    finally:
        gc.unfreeze()
        for process, _ in running.values():
            process.kill()
            process.join()


def _child(make, part: Part, error_file: Path) -> None:
    progress.detach()  # the parent's progress line belongs to the parent
    try:
        make(part)
    except BaseException as error:  # noqa: BLE001 — reported to the parent, which raises it
        from mkdocs.exceptions import MkDocsException

        known = isinstance(error, (MkDocsException, SiteCollision))
        error_file.write_text(str(error) if known else traceback.format_exc(), encoding="utf-8")
        os._exit(1)


def _make_part(config_file: str, site: Site, part: Part, folder: Path, all_lectures: frozenset[str]) -> None:
    if part.maker is not None:
        for asset in ASSET_MAKERS[part.maker](site):
            target = folder / asset.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(asset.content)
        return
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from .mkdocs_plugin import Handoff, LvyinPlugin

    config = load_config(config_file, site_dir=str(folder), strict=True)
    plugin = next(p for p in config.plugins.values() if isinstance(p, LvyinPlugin))
    if part.lecture_pages:
        plugin.handoff = Handoff(site, lambda page: page.path in part.lecture_pages, stand_ins=True)
    else:
        plugin.handoff = Handoff(site, lambda page: page.path not in all_lectures, stand_ins=False)
    mkdocs_build(config)


def _merge(folder: Path, site_dir: Path, part: Part) -> None:
    """Move a part's files into the site: a lecture part's lecture pages, an asset part's everything."""
    if part.lecture_pages:
        names = [page_url(path) + "index.html" for path in sorted(part.lecture_pages)]
    else:
        names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    for name in names:
        target = site_dir / name
        if target.exists():
            raise SiteCollision(f"两个文件要写到网站的同一路径 /{name}：请改名或删除与自动生成的文件同名的手写文件")
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(folder / name, target)


def _add_to_sitemap(site_dir: Path, folders: list[Path], lectures: frozenset[str]) -> None:
    """Append the lecture parts' sitemap entries of lecture pages to the main part's sitemap."""
    import gzip
    from datetime import datetime, timezone

    from mkdocs.utils import get_build_date

    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file() or not folders:
        return
    urls = {page_url(path) for path in lectures}  # lectures/<id>/
    entries = [match.group(0) for folder in folders
               for match in _SITEMAP_ENTRY.finditer((folder / "sitemap.xml").read_text(encoding="utf-8"))
               if "lectures/" + match.group(1).rpartition("/lectures/")[2] in urls]
    text = sitemap.read_text(encoding="utf-8")
    end = text.rindex("\n</urlset>")
    text = text[:end] + "".join(entries) + text[end:]
    sitemap.write_text(text, encoding="utf-8")
    gz = site_dir / "sitemap.xml.gz"
    # Dated as MkDocs dates it: the pages' update date at midnight UTC.
    mtime = int(datetime.fromisoformat(get_build_date()).replace(tzinfo=timezone.utc).timestamp())
    with open(gz, "wb") as raw, gzip.GzipFile(fileobj=raw, filename=str(gz), mode="wb", mtime=mtime) as out:
        out.write(text.encode("utf-8"))
