"""Run Pagefind (the extended build, which segments Chinese) over a built site.

Pagefind holds the whole index in memory while it builds (about 0.25 MB per
page), so a big site is indexed in parts, each by its own Pagefind run: peak
memory depends on the part size and not on the archive.

- *Current* parts hold every page that is not a past lecture, about
  `2 * part_size` pages each at most: the search page loads all of them for a
  parent's first query, and each part costs the phone its own Pagefind runtime.
  They are as few as that allows.  The upcoming lectures (and the other pages
  under /lectures/) change every day, as lectures leave for the archive, and the
  other pages (lecturers, places, lists, articles) seldom: where it takes no
  more parts, each of the two has parts of its own, so that the next day, or an
  edited upcoming lecture, has Pagefind index again the lectures' parts and not
  the others (a parent's phone is never given a part more for the build's sake).
  A part ends at a page its path marks near its even share
  (`_even_chunks`), so the lectures of a day that leave for the archive change
  the part that held them, not the boundaries of the others.
- *Archive* parts hold the past lectures from the newest back, about
  `part_size` pages each; the search page loads them only when a parent asks
  for older lectures (so a phone does not download the index of five years of
  history for every search).  Where one part ends is decided by its pages
  themselves (a part ends after a page whose path's digest is a multiple of
  `part_size / 2`, once it holds half a part; at one and a half parts at the
  latest), so a lecture that joins the archive the next day, or one edited,
  changes its own part and not every part after it: the build cache (build_cache.py)
  keeps each part, keyed by its pages' copies, and the next build reuses those
  whose pages did not change.

Two runs go side by side (Pagefind keeps about one core busy) while their
pages together stay within `PAGES_AT_ONCE`, each taking the first waiting part
that fits beside the other (`_Schedule`).  The first part is the usual
bundle at `/pagefind/`; the others go to `/pagefind-parts/<n>/`, and
`/pagefind/parts.json` lists them (`{"current": [url …], "archive": [{"url",
"from", "to", "pages"} …]}`, dates ISO) for the search page to merge with
Pagefind's `mergeIndex`.  A site of up to `2 * part_size` pages gets one run
and nothing to merge.

`lvyin build` indexes a copy of each page with only what Pagefind reads of it
(search_copies.py).  The copies live in memory when the machine has room
(`copies_folder`).  Without copies
(`mkdocs build`, the preview) the site's pages are indexed whole.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator import workers as lifeline
from generator.digests import digest
from generator.engine import progress, search_copies
from generator.engine.build_cache import BuildCache
from generator.engine.search_bundle import canonicalize
from generator.engine.search_copies import Page
from generator.errors import BuildFailed

# Pages of an archive part (a current part holds up to twice as many).
PART_SIZE = 5000
# Pages that the Pagefind runs side by side may hold at once: about 3.5 GB.
PAGES_AT_ONCE = 14000
RUNS_AT_ONCE = 2
# The folder of the current pages that change every day, indexed apart from the others.
DAILY = "lectures"
# Where a current part may end, about so many times in its size (see `_even_chunks`).
MARKS_PER_PART = 32
BUNDLE = "pagefind"
PARTS_DIR = "pagefind-parts"
PARTS_FILE = "parts.json"


class SearchIndexError(BuildFailed):
    """Pagefind is missing or failed."""


def pagefind_binary() -> str:
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise SearchIndexError(
            "找不到 Pagefind 扩展版（中文分词需要它）。请运行 pip install 'pagefind[extended]'，或用 make site 安装全部依赖。"
        ) from None
    return str(get_executable())


def _run(site: Path, output: Path) -> str:
    result = subprocess.run(
        lifeline.command([pagefind_binary(), "--site", str(site), "--output-path", str(output), "--quiet"]),
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind 建立搜索索引失败：\n{result.stdout}\n{result.stderr}")
    canonicalize(output)  # the same pages give the same bundle, byte for byte
    return result.stdout.strip()


@dataclass(frozen=True)
class IndexPart:
    pages: list[Path]
    archive: bool = False  # past lectures only, loaded on request
    dates: tuple[str, str] | None = None  # an archive part's oldest and newest lecture
    key: str = ""  # what the part is made of: its pages' paths and contents (the build cache's key)


IN_MEMORY_ROOM = 2 << 30  # bytes free there for the copies of 100,000 lectures (about 0.5 GB)
# The folders' names (workers.py: those of killed builds are deleted by the next build; in memory,
# they would hold it until the machine restarts).  No name starts with another.
COPIES_IN_MEMORY, COPIES_ON_DISK, TREES = "lvyin-search-copies-", ".lvyin-copies-", ".lvyin-search-"


def copies_folder(beside: Path) -> lifeline.Scratch:
    """A new folder for the pages' copies (and the index parts' trees, made of hard links to
    them): in memory when there is room, else `beside` the site."""
    return (lifeline.in_memory(COPIES_IN_MEMORY, IN_MEMORY_ROOM, also=[TREES])
            or lifeline.temporary(COPIES_ON_DISK, beside))


def _pages(site_dir: Path, keyed: bool) -> list[Page]:
    """The pages Pagefind would index, in a stable order, each with its date if it is a past lecture
    and (`keyed`: for the build cache) the digest of its content.

    Once any page marks its content with data-pagefind-body, Pagefind indexes only such
    pages; a part must keep that rule even when none of its own pages has the mark.
    A big site's pages are read by forked processes, one per core (at 100,000 lectures
    there are 200,000 pages, 4 GB, to read).
    """
    paths = sorted(_html_files(site_dir), key=lambda path: path.split("/"))  # as Paths sort
    slices = [paths[i : i + search_copies.SCAN_SLICE] for i in range(0, len(paths), search_copies.SCAN_SLICE)]
    found = lifeline.starmap(_scan, [(site_dir, part, keyed) for part in slices])
    pages = [(Path(path), date, content) for part in found for path, date, _, content in part]
    marked = [(Path(path), date, content) for part in found for path, date, mark, content in part if mark]
    return marked or pages


def _html_files(site_dir: Path) -> Iterator[str]:
    """Every HTML file's path from the site's root, but Pagefind's own (os.walk: no stat per file)."""
    for folder, folders, names in os.walk(site_dir):
        if folder == str(site_dir):
            folders[:] = [f for f in folders if not f.startswith(BUNDLE)]
        prefix = os.path.relpath(folder, site_dir)
        yield from (name if prefix == "." else f"{prefix}/{name}" for name in names if name.endswith(".html"))


def _scan(site_dir: Path, paths: list[str], keyed: bool) -> list[tuple[str, str | None, bool, str]]:
    """(path, date of a past lecture or None, marked with data-pagefind-body, digest if `keyed`
    else "") of each page."""
    found = []
    for path in paths:
        html = (site_dir / path).read_bytes()
        found.append((path, *search_copies.scan(html), digest(html) if keyed else ""))
    return found


def plan_parts(site_dir: Path, part_size: int | None = None, keyed: bool = False) -> list[IndexPart]:
    """The parts of the index, the first one the main bundle (see the module's docstring); `keyed`:
    each with its key for the build cache (without, no page's content is digested)."""
    return _plan(_pages(Path(site_dir), keyed), part_size, keyed)


def _plan(pages: list[Page], part_size: int | None, keyed: bool) -> list[IndexPart]:
    part_size = part_size or PART_SIZE
    if len(pages) <= 2 * part_size:
        return [_part(pages, keyed)]
    current = [page for page in pages if page[1] is None]
    past = sorted((page for page in pages if page[1] is not None), key=lambda page: (page[1], page[0].as_posix()))
    daily = [page for page in current if page[0].parts[0] == DAILY]
    steady = [page for page in current if page[0].parts[0] != DAILY]
    most = 2 * part_size
    apart = math.ceil(len(daily) / most) + math.ceil(len(steady) / most) <= math.ceil(len(current) / most)
    parts = [_part(chunk, keyed) for group in ((daily, steady) if apart else (current,)) for chunk in _even_chunks(group, most)]
    for chunk in reversed(list(_chunks_by_content(past, part_size))):  # the newest first
        parts.append(_part(chunk, keyed, (chunk[0][1], chunk[-1][1])))
    return parts


def _part(pages: list[Page], keyed: bool, dates: tuple[str, str] | None = None) -> IndexPart:
    key = digest("search", str(dates), *(part for path, _, content in pages for part in (path.as_posix(), content))) if keyed else ""
    return IndexPart([path for path, _, _ in pages], dates is not None, dates, key)


def _even_chunks(pages: list[Page], most: int) -> Iterator[list]:
    """`pages` in as few chunks of about `most` as possible, of about equal size: each ends at the
    first page from its even share on that its path marks (`_marks`, about `MARKS_PER_PART` in
    `most` pages; or at its share if none is near), so that fewer pages more or less than lie
    between two marks (at 100,000 lectures, a day's lectures gone to the archive are about 55, and
    marks about 300 pages apart) move no boundary: the chunks without them stay as they were."""
    if not pages:
        return
    count, spacing = math.ceil(len(pages) / most), max(2, most // MARKS_PER_PART)
    ends: list[int] = []
    for number in range(1, count):
        share = round(number * len(pages) / count)
        end = next((i + 1 for i in range(share - 1, min(share - 1 + spacing, len(pages))) if _marks(pages[i][0], spacing)),
                   share)
        ends.append(min(max(end, ends[-1] + 1 if ends else 1), len(pages) - (count - number)))  # none empty
    for start, end in zip([0, *ends], [*ends, len(pages)], strict=True):
        yield pages[start:end]


def _marks(path: Path, spacing: int) -> bool:
    """Whether a chunk may end after the page at `path`: true of about one page in `spacing`, by its path alone."""
    return int(digest(path.as_posix())[:12], 16) % spacing == 0


def _chunks_by_content(pages: list[Page], size: int) -> Iterator[list]:
    """`pages` in chunks of about `size`, each ending where its pages say (see the module's docstring)."""
    half, chunk = max(1, size // 2), []
    for page in pages:
        chunk.append(page)
        if len(chunk) >= 3 * half or (len(chunk) >= half and _marks(page[0], half)):
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def index_site(site_dir: Path, part_size: int | None = None, copies: Path | None = None,
               cache: BuildCache | None = None) -> str:
    """Index `site_dir` in place, from the `indexed_copy` of its pages in `copies` (same paths) if
    any; return Pagefind's summary.  With the build `cache` (and `copies`), the pages' copies are
    those its records name (search_copies.py), and parts it has are taken from it."""
    site_dir = Path(site_dir)
    if cache is not None and copies is not None:
        objects = search_copies.cached_copies(cache)
        parts = _plan(search_copies.cached_pages(cache, objects), part_size, keyed=True)
        source = Path(copies)  # the trees go beside it, in memory when it is
        copy_of = {path: cache.object_path(name) for path, name in objects.items()}
    else:
        source = Path(copies) if copies and any(Path(copies).iterdir()) else site_dir
        parts = plan_parts(source, part_size, keyed=cache is not None)
        copy_of = {}
    total = sum(len(part.pages) for part in parts)
    # Each part is a tree of hard links (same paths, so the same URLs; copies where the files are
    # on another file system) that Pagefind indexes alone, made in the part's order: Pagefind
    # numbers pages in the order the file system lists them, which in memory is the order they
    # were made in (the copies come from parts side by side).
    scratch = lifeline.new_folder(TREES, source.parent)
    schedule = _Schedule([len(part.pages) for part in parts], PAGES_AT_ONCE)
    summaries: dict[int, str] = {}

    def run(number: int) -> None:
        output = site_dir / BUNDLE if number == 0 else site_dir / PARTS_DIR / str(number)
        shutil.rmtree(output, ignore_errors=True)  # made anew: the last one's files may be hard links (the preview's)
        record = cache.get(parts[number].key) if cache else None
        if cache:
            cache.placed[parts[number].key] = output.relative_to(site_dir).as_posix()
        if record is not None:
            cache.place(record, output, under=cache.placed[parts[number].key])
            summaries[number] = ""
        else:
            tree = scratch / str(number)
            for rel in parts[number].pages:
                (tree / rel).parent.mkdir(parents=True, exist_ok=True)
                _link_or_copy(source / rel, copy_of.get(rel.as_posix()), tree / rel)
            summaries[number] = _run(tree, output)
            shutil.rmtree(tree)
            if cache:
                cache.put(parts[number].key, [("site", path.relative_to(output).as_posix(), path)
                                              for path in sorted(output.rglob("*")) if path.is_file()])
        progress.stage(f"正在建立搜索索引：已完成 {len(summaries)}/{len(parts)} 部分（共 {total} 个页面）")

    progress.stage(f"正在建立搜索索引：{len(parts)} 部分（共 {total} 个页面）")
    try:
        with ThreadPoolExecutor(RUNS_AT_ONCE) as pool:  # the threads only wait for Pagefind
            for runner in [pool.submit(schedule.work, run) for _ in range(RUNS_AT_ONCE)]:
                runner.result()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    listing: dict[str, list] = {"current": [], "archive": []}  # the first part is the bundle itself
    for number, part in enumerate(parts):
        url = f"../{PARTS_DIR}/{number}/"
        if part.archive:
            listing["archive"].append({"url": url, "from": part.dates[0], "to": part.dates[1], "pages": len(part.pages)})
        elif number:
            listing["current"].append(url)
    _write_listing(site_dir, listing)
    return "\n".join(summaries[n] for n in sorted(summaries) if summaries[n])


def _link_or_copy(copy: Path, kept: Path | None, target: Path) -> None:
    """`target` as a hard link to the page's `copy` (made by this build), or else to the copy the
    build cache `kept`, or else (another file system: the cache on disk, the tree in memory) a copy of it."""
    try:
        os.link(copy, target)
        return
    except FileNotFoundError:
        if kept is None:
            raise
    try:
        os.link(kept, target)
    except OSError:
        shutil.copyfile(kept, target)


class _Schedule:
    """Which part Pagefind indexes next: the first waiting one whose pages fit in memory beside
    the runs going on (one larger than the whole budget runs alone).  A current part too big to
    go beside the other current part thus goes beside archive parts instead of waiting."""

    def __init__(self, sizes: list[int], budget: int):
        self.sizes = [min(size, budget) for size in sizes]
        self.waiting = list(range(len(sizes)))
        self.free = budget
        self.changed = threading.Condition()

    def work(self, run) -> None:
        """`run(number)` the parts this thread is given, until none is left (or one failed)."""
        while (number := self._take()) is not None:
            try:
                run(number)
            except BaseException:
                with self.changed:
                    self.waiting.clear()  # the other threads stop after their current part
                raise
            finally:
                with self.changed:
                    self.free += self.sizes[number]
                    self.changed.notify_all()

    def _take(self) -> int | None:
        with self.changed:
            while self.waiting:
                fitting = next((n for n in self.waiting if self.sizes[n] <= self.free), None)
                if fitting is not None:
                    self.waiting.remove(fitting)
                    self.free -= self.sizes[fitting]
                    return fitting
                self.changed.wait()
            return None


def _write_listing(site_dir: Path, listing: dict) -> None:
    (site_dir / BUNDLE / PARTS_FILE).unlink(missing_ok=True)  # not written through a hard link
    (site_dir / BUNDLE / PARTS_FILE).write_text(json.dumps(listing, ensure_ascii=False), encoding="utf-8")
