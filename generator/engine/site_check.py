"""Checks of a built site: every internal link resolves, nothing loads from another host.

A big site's pages are checked in slices by forked processes, one per core.  The check also tells
which pages link to each file (link_index.py keeps that for the next build's check).
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator import workers as lifeline

# Only the tags with an href or src: a page has about 300 tags, a tenth of them with a link.
_TAG = re.compile(r"<(\w+)\b([^>]*?\s(?:href|src)=[^>]*)>", re.IGNORECASE)
_ATTR = re.compile(r"""\s(href|src|rel)=["']([^"']*)["']""", re.IGNORECASE)
# Elements whose href/src the browser fetches by itself (a plain <a> only on a click).
_LOADED = {"script", "img", "iframe", "source", "video", "audio", "embed", "object", "track"}
# <link> relations that make the browser fetch (canonical, alternate … do not).
_LOADED_LINKS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "modulepreload", "prefetch", "manifest"}
_SKIP_SCHEMES = ("mailto:", "tel:", "webcal:", "javascript:", "data:")


# Below this many pages one process is quicker than starting others.
_SLICE = 2000
# A file more pages link to than this (the navigation's pages, the theme's files) is named without them.
WIDE = 64
_files: set[str] = set()  # every file of the site being checked (shared with forked workers)


@dataclass
class Checked:
    """What the check of some pages found."""

    problems: list[str] = field(default_factory=list)
    links: dict[str, list[str]] = field(default_factory=dict)  # a file of the site → the pages linking to it
    wide: set[str] = field(default_factory=set)  # the files more than WIDE of the pages link to

    def add(self, other: Checked) -> None:
        self.problems += other.problems
        for file in other.wide - self.wide:
            self.wide.add(file)
            self.links.pop(file, None)
        for file, pages in other.links.items():
            if file not in self.wide:
                linking = self.links.setdefault(file, [])
                linking += pages
                if len(linking) > WIDE:
                    self.wide.add(file)
                    del self.links[file]


def check_site(site_dir: Path, only: set[str] | None = None) -> list[str]:
    """The problems of the site's pages (of those `only`, if given), against all its files."""
    return check_pages(site_dir, only).problems


def check_pages(site_dir: Path, only: set[str] | None = None, files: set[str] | None = None) -> Checked:
    """`check_site`, with the files each checked page links to (`files`: the site's, if listed already)."""
    global _files
    site_dir = Path(site_dir)
    _files = files if files is not None else site_files(site_dir)
    pages = sorted(f for f in _files if f.endswith(".html") and not f.split("/")[0].startswith("pagefind")
                   and (only is None or f in only))
    slices = [(site_dir, pages[i : i + _SLICE]) for i in range(0, len(pages), _SLICE)]
    checked = Checked()
    try:
        for part in lifeline.starmap(_check_pages, slices):
            checked.add(part)
        return checked
    finally:
        _files = set()


def site_files(site_dir: Path, named: str = "") -> set[str]:
    """Every file's path from the site's root (os.walk: no stat per file, as on 400,000 files it counts);
    with `named`, only those at or below the root's entries whose names start with it."""
    found: set[str] = set()
    root = os.path.normpath(site_dir)
    for folder, folders, names in os.walk(root):
        if folder == root:
            folders[:] = [name for name in folders if name.startswith(named)]
            found.update(name for name in names if name.startswith(named))
        else:
            prefix = folder[len(root) + 1 :] + "/"
            found.update(prefix + name for name in names)
    return found


def _check_pages(site_dir: Path, pages: list[str]) -> Checked:
    files = _files
    problems: list[str] = []
    links: dict[str, list[str]] = {}
    # a link resolves alike wherever its key is alike: (its problem, the file it reaches)
    checked: dict[tuple[str, bool, str, str], tuple[str | None, str | None]] = {}
    for name in pages:
        html = (site_dir / name).read_text(encoding="utf-8")
        folder = name.rpartition("/")[0]
        reached: set[str] = set()
        for tag, attributes in _TAG.findall(html):
            attrs = {key.lower(): value for key, value in _ATTR.findall(attributes)}
            value = attrs.get("href", attrs.get("src"))
            if value is None:
                continue
            tag = tag.lower()
            loaded = tag in _LOADED or (tag == "link" and bool(_LOADED_LINKS & set(attrs.get("rel", "").lower().split())))
            key = (_base_it_needs(folder, value), loaded, tag, value)
            if key not in checked:
                checked[key] = _check_reference(files, name, loaded, tag, value)
            problem, file = checked[key]
            if problem:
                problems.append(f"{name}: {problem}")
            elif file is not None:
                reached.add(file)
        for file in reached:
            links.setdefault(file, []).append(name)
    found = Checked(problems)
    found.add(Checked(links=links))
    return found


def _base_it_needs(folder: str, value: str) -> str:
    """The part of the linking page's folder that `value` resolves against: none for an absolute
    link, less a folder per leading ../ (so lectures/a/ and lectures/b/ share ../../topics/x/)."""
    if value.startswith("/") or ":" in value.split("/", 1)[0]:
        return ""
    ups = 0
    while value.startswith("../", 3 * ups):
        ups += 1
    parts = folder.split("/") if folder else []
    if ups > len(parts):
        return ".."  # above the root: outside the site, whatever the folder
    return "/".join(parts[: len(parts) - ups])


def _check_reference(files: set[str], page: str, loaded: bool, tag: str, value: str) -> tuple[str | None, str | None]:
    """(The problem, or None; the file of the site the link reaches, if it reaches one).
    `files`: every file of the site by its path from the root; `page`: the linking page's."""
    value = value.strip().replace("&amp;", "&")
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") or value.startswith("//"):
        if loaded:
            return f"从其他网站加载资源 <{tag}> {value}（本站不得向其他主机发请求）", None
        return None, None
    if value.lower().startswith(_SKIP_SCHEMES) or not parts.path:
        return None, None
    path = unquote(parts.path)
    base = "" if path.startswith("/") else posixpath.dirname(page)  # the 404 page links from the root
    target = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
    if target == ".." or target.startswith("../"):
        return f"链接指向站点之外：{value}", None
    for file in (target, posixpath.join(target, "index.html")) if target != "." else ("index.html",):
        if file in files:
            return None, file
    return f"链接指向不存在的页面：{value}", None
