"""Which pages link to which files, kept in the build cache so that the link check of a rebuild
that lost files checks only the pages that changed and the pages that linked to a lost file.

The link check of a cached build checks only the pages that changed since the last build: the
others' links held then, and reach the same files.  That holds only while those files are still
there, and a site loses files every day: a lecture's calendar file (feeds/lectures/<id>.ics) goes
when the lecture leaves the recent window.  So each check leaves its index, kept under the key of
the site it checked: for each file that at most `site_check.WIDE` pages link to, those pages;
the files more pages link to (the navigation's pages, the theme's files) by name alone, and when
one of those goes every page is checked again.  An index is used only for the very site it
describes (the last build's), and a check that did not cover every page (nor had the last site's
index to add to) leaves none.
"""

from __future__ import annotations

from pathlib import Path

import pydantic_core

from generator.digests import digest
from generator.engine.build_cache import BuildCache, Record
from generator.engine.site_check import Checked


def pages_to_check(cache: BuildCache, site: Path, files: set[str]) -> set[str] | None:
    """The pages of `site` (whose `files` these are) whose links must be checked again (and the
    files it lost); None: every page."""
    found = cache.changed_pages(site, files)
    if found is None:
        return None
    changed, gone = found
    if not gone:
        return changed
    last = _last_index(cache)
    if last is None or gone & last.wide:
        return None
    return changed | gone | {page for file in gone for page in last.links.get(file, ())}


def keep(cache: BuildCache, site_key: str, checked: Checked, pages: set[str] | None) -> None:
    """Keep the index of the site under `site_key`, whose link check found `checked` over
    `pages` (`pages_to_check`'s: None for every page) and nothing wrong."""
    index = checked
    if pages is not None:  # the last site's index, less the pages checked again or gone, and what they link to now
        last = _last_index(cache)
        if last is None:
            return
        index = Checked(wide=set(last.wide))
        for file, linking in last.links.items():
            if kept := [page for page in linking if page not in pages]:
                index.links[file] = kept
        index.add(checked)
    table = pydantic_core.to_json({"links": index.links, "wide": sorted(index.wide)})
    cache.put(_key(site_key), [("links", "index", table)])


def carry(cache: BuildCache, site_key: str) -> None:
    """Keep the last site's index for the site under `site_key`, which is made of the very same records."""
    record = _last_record(cache)
    if record is not None:
        cache.put(_key(site_key), [("links", "index", cache.read(record))])


def _last_record(cache: BuildCache) -> Record | None:
    """The record of the last site's index, if it is whole (not kept by this build unless `keep` puts it again)."""
    last_key = cache.last_site_key()
    return cache.get(_key(last_key), keep=False) if last_key else None


def _last_index(cache: BuildCache) -> Checked | None:
    record = _last_record(cache)
    if record is None:
        return None
    try:
        table = pydantic_core.from_json(cache.read(record))
        return Checked(links=table["links"], wide=set(table["wide"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _key(site_key: str) -> str:
    return digest("link index", site_key)
