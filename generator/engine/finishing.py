"""The last steps of a build, side by side: the link check and the search index.

Both only read the finished site, and neither keeps both cores busy all the way
(Pagefind writes its index on one thread at the end of each run; the link check
lists the files before its workers start).  `lvyin build` runs each as a part of
its own (parallel_build.py, `Finish`): the index as soon as every page is in the
site, beside the asset parts still running, and the link check once everything
but the index is.  A plain `mkdocs build` and the preview call `check_and_index`,
which forks the link check while Pagefind indexes; the fork happens before the
indexing starts its threads.  Where processes cannot be forked, one runs after
the other.
"""

from __future__ import annotations

import multiprocessing
import pickle
from dataclasses import dataclass
from pathlib import Path

from generator import workers as lifeline
from generator.digests import digest
from generator.engine import link_index, progress
from generator.engine.build_cache import BuildCache
from generator.engine.search_index import index_site
from generator.engine.site_check import Checked, check_pages, site_files
from generator.errors import BuildFailed


class LinkCheckFailed(BuildFailed):
    """The link check's process ended before it could report."""


@dataclass(frozen=True)
class Finish:
    """The last steps of `lvyin build`, as parts of it (parallel_build.py): the index (search_index.py)
    and `check_part`."""

    check_links: bool = True
    search_index: bool = True
    site_key: str = ""  # the key the site will be kept under in the build cache (link_index.py)


def check_part(site_dir: Path, finish: Finish, cache: BuildCache | None, report: Path) -> None:
    """The link check of `site_dir`, whole but for the index, its findings left in `report` for
    `link_problems`.  With the build `cache`: a site made of the very records of a site checked
    before is not checked again (the records' keys name every file's content); otherwise only the
    pages that changed are checked, and those that linked to a file the site lost (link_index.py,
    which keeps what this check found under the key the site will be kept under).  The check lists
    the site's files once, for itself, for telling which pages changed and for the cache's keeping
    of the site."""
    links_key = digest("links", *sorted(cache.used)) if cache else ""
    if cache and cache.get(links_key) is not None:
        link_index.carry(cache, finish.site_key)
        found: tuple[list[str], set[str] | None] = ([], None)
    else:
        checked, pages, files = _check(site_dir, cache)
        if cache and not checked.problems:
            cache.put(links_key, [])
            link_index.keep(cache, finish.site_key, checked, pages)
        found = (checked.problems, files)
    report.write_bytes(pickle.dumps(found))


def link_problems(site_dir: Path, cache: BuildCache | None, report: Path) -> list[str]:
    """What `check_part` found (nothing if it did not run); the files it listed are noted for the `cache`."""
    if not report.is_file():
        return []
    problems, files = pickle.loads(report.read_bytes())  # noqa: S301 — written by this build's own part
    if cache and files is not None:
        cache.listed(site_dir, files)
    return problems


def check_and_index(site_dir: Path, check_links: bool = True, search_index: bool = True,
                    search_copies: Path | None = None) -> list[str]:
    """Check the links of `site_dir` and index it for search (from `search_copies` if the build
    left its pages' copies there, see search_index.py); return the link problems.

    Raises SearchIndexError (from Pagefind), after the link check has stopped, or LinkCheckFailed."""
    if not check_links:
        if search_index:
            index_site(site_dir, copies=search_copies)
        return []
    if not search_index or not lifeline.can_fork():  # one after the other, in this process
        checked, _, _ = _check(site_dir, None)
        if search_index:
            index_site(site_dir, copies=search_copies)
        return checked.problems
    receiving, sending = multiprocessing.Pipe(duplex=False)
    checker = lifeline.fork_process(_check_for_parent, (site_dir, sending), "link-check")
    checker.start()
    sending.close()
    try:
        index_site(site_dir, copies=search_copies)
        try:
            found: Checked | BaseException = receiving.recv()
        except EOFError:  # it ended without a word: killed, most likely for want of memory
            checker.join()
            raise LinkCheckFailed(f"链接检查进程意外退出（退出码 {checker.exitcode}），可能是内存不足；请重试") from None
    finally:
        checker.kill()  # it has sent its findings, or the indexing failed and they no longer matter
        checker.join()
        receiving.close()
    if isinstance(found, BaseException):
        raise found
    return found.problems


Found = tuple[Checked, set[str] | None, set[str]]  # what the check found, over which pages, of which files


def _check(site_dir: Path, cache: BuildCache | None) -> Found:
    """The link check of the pages to check (with the cache, link_index.py's; all without), from
    one listing of the site's files."""
    files = site_files(site_dir)
    pages = link_index.pages_to_check(cache, site_dir, files) if cache else None
    return check_pages(site_dir, pages, files), pages, files


def _check_for_parent(site_dir: Path, sending) -> None:
    progress.detach()  # the parent's progress line belongs to the parent
    try:
        result: Checked | BaseException = _check(site_dir, None)[0]
    except BaseException as error:  # noqa: BLE001 — raised again in the parent
        result = error
    sending.send(result)
    sending.close()
