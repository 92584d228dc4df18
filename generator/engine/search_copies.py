"""What Pagefind is given of each page (its copy), and what the index's plan needs to know of it.

Pagefind parses every byte of a page, and on an entry page the theme's header, navigation and
footer are most of them.  `lvyin build` therefore has its parts write, beside each page, a copy
with only the page's language, title and data-pagefind-body element, less the lists Pagefind
ignores (`indexed_copy`), and indexes those copies: a third less work for Pagefind on the
archive, the same index (tested), and a copy that changes only when what is indexed of the page
does, so that the build cache keeps the parts of the index holding a lecturer's page when only
the lectures it lists changed.

The plan of the index (search_index.py) needs three things of each copy: whether it is a past
lecture and its date, whether it has the mark (`scan`), and for the build cache the digest of its
bytes.  Without a cache they are read from the copies.  With one, every copy of the build is an
object that one of the build's records names (a page made now and one reused alike: reuse.py
keeps each page's copy), so its digest is the object's name, and the rest is kept in the cache
by that name (`cached_pages`): a rebuild at 100,000 lectures plans the index without reading a
copy, the copies of the pages it reused are not even placed, and a part Pagefind indexes again
takes its copies from the cache's objects.
"""

from __future__ import annotations

import re
from pathlib import Path

import pydantic_core

from generator import workers as lifeline
from generator.digests import digest
from generator.engine.build_cache import BuildCache

Page = tuple[Path, str | None, str]  # path, the date of a past lecture or None, the digest of its bytes (or "")

# A past lecture's page (templates/lecture.md.j2): its 时间 filter and its date to sort by.
_PAST = re.compile('data-pagefind-filter="时间">往期<'.encode())
_DATE = re.compile(rb'data-pagefind-sort="date">(\d{4}-\d{2}-\d{2})<')
_SCANNED = digest("search copies scanned")  # the cache's table: object name → [date, marked]
SCAN_SLICE = 20000  # below this many copies one process reads them sooner than starting others


def scan(html: bytes) -> tuple[str | None, bool]:
    """The date of a past lecture's page (None for any other page), and whether the page is marked
    with data-pagefind-body."""
    date = _DATE.search(html) if _PAST.search(html) else None
    return (date[1].decode() if date else None), b"data-pagefind-body" in html


def cached_copies(cache: BuildCache) -> dict[str, str]:
    """The object of each page's copy (by the page's path) that this build's records name."""
    return {path: name for record in cache.used.values() for dest, path, name, *_ in record["files"]
            if dest == "copies"}


def cached_pages(cache: BuildCache, copies: dict[str, str]) -> list[Page]:
    """The `copies` as the index's plan takes them, in the order of their paths, from what the
    cache knows of each object (those it does not know are read, by a process per core when many)."""
    record = cache.get(_SCANNED, keep=False)
    try:
        known = pydantic_core.from_json(cache.read(record)) if record else {}
    except (OSError, ValueError):
        known = {}
    names = sorted(set(copies.values()))
    missing = [name for name in names if not isinstance(known.get(name), list)]
    slices = [missing[i : i + SCAN_SLICE] for i in range(0, len(missing), SCAN_SLICE)]
    for found in lifeline.starmap(_scan_objects, [([str(cache.object_path(name)) for name in part], part)
                                                   for part in slices]):
        known.update(found)
    if missing or len(known) != len(names):  # what this build used, and no more
        cache.put(_SCANNED, [("memo", "table", pydantic_core.to_json({name: known[name] for name in names}))])
    else:
        cache.get(_SCANNED)
    pages = [(Path(path), known[name][0], name, known[name][1])
             for path, name in sorted(copies.items(), key=lambda item: item[0].split("/"))]
    marked = [(path, date, name) for path, date, name, mark in pages if mark]
    return marked or [(path, date, name) for path, date, name, _ in pages]


def _scan_objects(files: list[str], names: list[str]) -> dict[str, list]:
    return {name: list(scan(Path(file).read_bytes())) for file, name in zip(files, names, strict=True)}


def indexed_copy(html: bytes) -> bytes | None:
    """What Pagefind needs of a page: None for a page without data-pagefind-body (not indexed once
    any page has the mark); its language, title and its one marked element without the parts
    Pagefind ignores (`_without_ignored`); or, when the mark is not on one element of the body,
    the whole page.

    A copy thus changes only when what Pagefind indexes of its page does: a lecturer's page whose
    list of lectures changed (data-pagefind-ignore) leaves its index part as it was."""
    mark = html.find(b" data-pagefind-body")
    if mark < 0:
        return None
    body = html.find(b"<body")
    start = html.rfind(b"<", 0, mark)
    if body < 0 or start < body or b">" in html[start:mark] or html.count(b"data-pagefind-body") != 1:
        return html
    end = _element_end(html, start)
    if end is None:
        return html
    html_tag, title = _HTML_TAG.search(html), _TITLE.search(html, 0, body)
    head = (html_tag[0] if html_tag else b"<html>") + b"<head>" + (title[0] if title else b"") + b"</head><body>"
    return head + _without_ignored(html[start:end]) + b"</body></html>"


def _element_end(html: bytes, start: int) -> int | None:
    """Where the element that starts at `start` ends (after its end tag), or None if it is not closed."""
    name = _TAG_NAME.match(html, start)
    if not name:
        return None
    depth = 0
    for tag in re.compile(rb"<(/?)" + re.escape(name[1]) + rb"[\s>]").finditer(html, start):
        depth += -1 if tag[1] else 1
        if depth == 0:  # the element's own end tag
            return html.index(b">", tag.end() - 1) + 1
    return None


def _without_ignored(html: bytes) -> bytes:
    """`html` without the block elements marked data-pagefind-ignore that hold nothing else for
    Pagefind (no filter, meta or sort: those it reads inside ignored elements too), each replaced
    by a line break (the text around it is still split there), and every run of white space with
    a line break as one line break: whether an ignored element is there or not leaves no trace."""
    kept, at = [], 0
    for ignored in _IGNORED.finditer(html):
        if ignored.start() < at:  # inside an element already left out
            continue
        end = _element_end(html, ignored.start())
        if end is None or html.count(b"data-pagefind-", ignored.start(), end) > 1:
            continue
        kept.append(html[at : ignored.start()] + b"\n")
        at = end
    return _LINE_BREAKS.sub(b"\n", b"".join(kept) + html[at:])


_IGNORED = re.compile(rb"<(div|p|ul|ol|dl|h[1-6]|section|nav|aside|table|figure|details)\b[^<>]*\sdata-pagefind-ignore[\s=>]")
_HTML_TAG = re.compile(rb"<html[^>]*>")
_TITLE = re.compile(rb"<title>[^<]*</title>")
_TAG_NAME = re.compile(rb"<([a-zA-Z][a-zA-Z0-9-]*)")
_LINE_BREAKS = re.compile(rb"\s*\n\s*")
