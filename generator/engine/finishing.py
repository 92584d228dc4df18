"""The last steps of a build, side by side: the link check and the search index.

Both only read the finished site, and neither keeps both cores busy all the way
(Pagefind writes its index on one thread at the end of each run; the link check
lists the files before its workers start), so the link check runs in a forked
process while Pagefind indexes.  The fork happens before the indexing starts
its threads.  Where processes cannot be forked, one runs after the other.
"""

from __future__ import annotations

import multiprocessing
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


def check_and_index(site_dir: Path, check_links: bool = True, search_index: bool = True,
                    search_copies: Path | None = None, cache: BuildCache | None = None, site_key: str = "") -> list[str]:
    """Check the links of `site_dir` and index it for search (from `search_copies` if the build
    left its pages' copies there, see search_index.py); return the link problems.

    With the build `cache`: a site made of the very records of a site checked before is not
    checked again (the records' keys name every file's content); otherwise only the pages that
    changed are checked, and those that linked to a file the site lost (link_index.py, which keeps
    what this check found under `site_key`, the key the site will be kept under).  Index parts
    come from the cache too.  The link check lists the site's files once, for itself, for telling
    which pages changed and for the cache's keeping of the site.

    Raises SearchIndexError (from Pagefind), after the link check has stopped, or LinkCheckFailed."""
    links_key = digest("links", *sorted(cache.used)) if cache else ""
    if check_links and cache and cache.get(links_key) is not None:
        check_links = False
        link_index.carry(cache, site_key)
    checked, pages = _check_and_index(site_dir, check_links, search_index, search_copies, cache)
    if check_links and cache and not checked.problems:
        cache.put(links_key, [])
        link_index.keep(cache, site_key, checked, pages)
    return checked.problems


Found = tuple[Checked, set[str] | None, set[str]]  # what the check found, over which pages, of which files


def _check_and_index(site_dir: Path, check_links: bool, search_index: bool, search_copies: Path | None,
                     cache: BuildCache | None) -> tuple[Checked, set[str] | None]:
    if not check_links:
        if search_index:
            index_site(site_dir, copies=search_copies, cache=cache)
        return Checked(), None
    if not search_index or not lifeline.can_fork():  # one after the other, in this process
        checked, pages, _ = _check(site_dir, cache)
        if search_index:
            index_site(site_dir, copies=search_copies, cache=cache)
        return checked, pages
    receiving, sending = multiprocessing.Pipe(duplex=False)
    checker = lifeline.fork_process(_check_for_parent, (site_dir, sending, cache), "link-check")
    checker.start()
    sending.close()
    try:
        index_site(site_dir, copies=search_copies, cache=cache)
        try:
            found: Found | BaseException = receiving.recv()
        except EOFError:  # it ended without a word: killed, most likely for want of memory
            checker.join()
            raise LinkCheckFailed(f"链接检查进程意外退出（退出码 {checker.exitcode}），可能是内存不足；请重试") from None
    finally:
        checker.kill()  # it has sent its findings, or the indexing failed and they no longer matter
        checker.join()
        receiving.close()
    if isinstance(found, BaseException):
        raise found
    checked, pages, files = found
    if cache:
        cache.listed(site_dir, files)
    return checked, pages


def _check(site_dir: Path, cache: BuildCache | None) -> Found:
    """The link check of the pages to check (with the cache, link_index.py's; all without), from
    one listing of the site's files."""
    files = site_files(site_dir)
    pages = link_index.pages_to_check(cache, site_dir, files) if cache else None
    return check_pages(site_dir, pages, files), pages, files


def _check_for_parent(site_dir: Path, sending, cache: BuildCache | None) -> None:
    progress.detach()  # the parent's progress line belongs to the parent
    try:
        result: Found | BaseException = _check(site_dir, cache)
    except BaseException as error:  # noqa: BLE001 — raised again in the parent
        result = error
    sending.send(result)
    sending.close()
