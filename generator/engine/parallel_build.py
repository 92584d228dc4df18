"""`lvyin build` on every core: the site made in parts that run side by side.

MkDocs builds on one core and keeps every page of a build in memory, so
`lvyin build` cuts the site into parts.  Each part runs in a forked process
(all share the catalogue the parent loaded and checked once), at most one per
core at a time, and writes its own folder:

- the main part: MkDocs over the hand-written pages and every generated page
  except the pages outside the navigation that grow with the catalogue
  (`pages.grown_paths`: the lists of a district, an age group and a month;
  series, lecturers, places, lectures: "entry pages" below);
- entry parts: MkDocs over a slice of at most `PAGES_PER_PART` of those, with
  stand-ins for the navigation's pages so that the header comes out the same
  (see the plugin's `Handoff`);
- asset parts: each maker of `site_files.ASSET_MAKERS` writes its files (feeds,
  print sheets, open data …).

The heaviest asset parts start first, one a core: while they run, the parent
plans the pages (6 s at 100,000 lectures, which no asset maker needs), then
starts the main part and the entry parts, and the other asset parts as cores
come free.
As each part finishes, the parent moves what it made (the main part's
everything, an entry part's entry pages, an asset part's files) into the site,
refusing two files at one path, while the other parts run; the entry pages an
entry part takes from the build cache it puts into the site itself.
Entry pages are not in the navigation and come last among the generated pages,
so the site is byte for byte the one a single `mkdocs build` makes (tests
compare).  The last steps are parts too (finishing.py, `Finish`): the search
index starts as soon as every page is in the site, beside the asset parts still
running (after one edit at 100,000 lectures, Pagefind over the changed part of
the index takes half a minute on one core, and the asset makers as long on the
other), and the link check once all but the index is.  The parent adds the
entry pages to the main part's sitemap as it merges that part, and once the
link check is done, has the build cache keep the site but the index while the
index is made (half of what keeping the site cost at the end).
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from generator import env
from generator import workers as lifeline
from generator.digests import digest
from generator.engine.build_cache import BuildCache, open_cache
from generator.engine.fingerprints import tree_digest
from generator.engine.finishing import Finish, check_part, link_problems
from generator.engine.mkdocs_pages import Handoff
from generator.engine.options import BuildOptions
from generator.engine.part_runner import run_parts
from generator.engine.reuse import (
    assets_key,
    begin_memo,
    cached_entry_pages,
    keep_assets,
    keep_entry_pages,
    keep_folder,
    keep_memo,
    main_key,
    memo_key,
    reuse_assets,
)
from generator.engine.search_index import index_site
from generator.outputs.files import SiteCollision
from generator.outputs.site_files import ASSET_MAKERS, outputs
from generator.plan.pages import Page, grown_paths, page_url
from generator.plan.site import Site

PAGES_PER_PART = 3000
HEAVY_FIRST = ("make_open_data", "make_print_sheets", "make_feeds")  # the asset makers that take longest
_SITEMAP_ENTRY = re.compile(r"\n    <url>\n         <loc>([^<]*)</loc>.*?</url>", re.DOTALL)


@dataclass(frozen=True)
class Reuse:
    """What lets the parts take what did not change from the build cache (build_cache.py, reuse.py)."""

    cache: BuildCache
    inputs: str  # the digest of the catalogue and the articles, which the asset makers read

    def whole_site_key(self, options: BuildOptions) -> str:
        """The key of a whole site: the same catalogue, articles, date and checks make the same site."""
        return digest("site", self.inputs, options.today.isoformat(), str(env.source_date_epoch() or ""),
                      str(options.check_links), str(options.search_index))

    def place_site(self, options: BuildOptions, folder: Path, published: Path | None = None) -> bool:
        """Put the last build's site into `folder` if this build's input is the very same as its
        (`whole_site_key`), and keep every record of it for the next build.  With `published`,
        the ids.json of the site in place now, only if that is the last build's own: the same input
        was checked against it then (a site another build published was not)."""
        record = self.cache.get(self.whole_site_key(options))
        if record is None:
            return False
        if published is not None and published.is_file():
            own = next((name for dest, path, name, *_ in record["files"] if dest == "site" and path == "ids.json"), None)
            if own != digest(published.read_bytes()):
                return False
        self.cache.place(record, folder)
        self.cache.keep_last()
        return True


def open_reuse(folder: Path, config_file: Path, catalog: Path) -> Reuse | str:
    """The build cache in `folder` with the digest of the catalogue and articles at `catalog`, or
    why there is none this time (build_cache.open_cache)."""
    from generator.catalog.articles import articles_folder

    catalog = catalog.resolve()
    cache = open_cache(folder, config_file, catalog)
    if isinstance(cache, str):
        return cache
    return Reuse(cache, tree_digest({"catalog": catalog, "articles": articles_folder(catalog)}))


@dataclass(frozen=True)
class Part:
    name: str
    entry_pages: frozenset[str] = frozenset()  # an entry part's pages (docs-tree paths)
    maker: int | None = None  # an asset part's index into ASSET_MAKERS
    pages: tuple[Page, ...] = ()  # an entry part's pages, in plan order
    after: frozenset[str] = frozenset()  # the parts that must be in the site before this one starts


@dataclass(frozen=True)
class Built:
    costs: list[dict]  # what each part cost: name, wall and CPU seconds, peak RSS in MB (for the benchmark)
    problems: list[str]  # what the link check found


MAIN = "main"  # every page but the entry pages, by MkDocs
INDEX, LINKS = "search-index", "link-check"  # the parts of `Finish`


def asset_parts() -> list[Part]:
    """A part for each asset maker, the heaviest first."""
    rank = {name: i for i, name in enumerate(HEAVY_FIRST)}
    makers = sorted(enumerate(ASSET_MAKERS), key=lambda maker: rank.get(maker[1].__name__, len(rank)))
    return [Part(f"assets-{make.__name__}", maker=i) for i, make in makers]


def page_parts(site: Site, per_part: int | None = None) -> list[Part]:
    """The main part, then entry slices of equal size in plan order (the pages planned here)."""
    per_part = per_part or PAGES_PER_PART
    entries = [page for page in site.pages if page.grown]  # as grown_paths
    count = math.ceil(len(entries) / per_part)
    size = math.ceil(len(entries) / count) if count else 0
    slices = [tuple(entries[i : i + size]) for i in range(0, len(entries), size)] if size else []
    return [Part(MAIN)] + [Part(f"entries-{n}", frozenset(page.path for page in pages), pages=pages)
                             for n, pages in enumerate(slices, 1)]


def finishing_parts(finish: Finish | None, pages: list[Part], assets: list[Part]) -> tuple[list[Part], list[Part]]:
    """The search index, once the `pages` are in the site, and the link check, once the `assets` are too."""
    if finish is None:
        return [], []
    index = [Part(INDEX, after=frozenset(part.name for part in pages))] if finish.search_index else []
    links = [Part(LINKS, after=frozenset(part.name for part in pages + assets))] if finish.check_links else []
    return index, links


def build_in_parts(config_file: str, site: Site, site_dir: Path, workers: int | None = None,
                   search_copies: Path | None = None, reuse: Reuse | None = None, finish: Finish | None = None) -> Built:
    """Build `site` into the empty folder `site_dir`: each part in a folder of its own beside it, merged
    into it as it finishes, but for the entry pages an entry part takes from the build cache (`reuse`),
    which it puts straight into `site_dir` (nearly all of them in a rebuild: moving 100,000 page folders
    again cost the parent 6 s).  The folders above the entry pages are made first, so that a merge
    never races a part for one; a file that two parts put at one path fails the build either way
    (`_move`, placing.py).  With `search_copies`, the pages' copies for the search index go there
    (see search_index.py).  With `reuse`, each part takes what the build cache has and keeps what it made.
    With `finish`, the search index and the link check run as parts too (finishing.py): the index
    as soon as the pages are in the site, beside the asset parts still running."""
    assets = asset_parts()
    first = workers or lifeline.cores()
    parts = assets[:first]  # the heaviest, one a core, while the parent plans the pages
    if reuse:
        reuse.cache.objects_kept  # noqa: B018  (indexed here, once, for every part)
    all_entries: frozenset[str] = frozenset()
    scratch = lifeline.new_folder(".lvyin-parts-", site_dir.parent)  # deletes the parts of killed builds
    cache = reuse.cache if reuse else None

    def plan_pages() -> list[Part]:
        """While the first asset parts run: the pages planned, once, for every part, and the
        folders above the entry pages made; then the parts in the order they are to start."""
        nonlocal all_entries
        pages = page_parts(site)
        if reuse:
            reuse.cache.by_path  # noqa: B018  (indexed here, once, for every part)
        all_entries = frozenset().union(*(p.entry_pages for p in pages))
        for folder in sorted({str(Path(page_url(path)).parent) for path in all_entries} - {"."}):
            (site_dir / folder).mkdir(parents=True, exist_ok=True)
        index, links = finishing_parts(finish, pages, assets)
        more = pages + index + assets[first:] + links
        parts.extend(more)
        return more

    problems: list[str] = []

    def merge(part: Part) -> None:
        """Move a finished part into the site while the others run; the main part's sitemap gets
        the entry pages.  The index's records join the build's once the link check has its key
        (from the records of the site but the index).  Once the link check is done, the site but
        the index is final: while the index is made, the cache keeps it (the site's key is known)."""
        nonlocal problems
        if reuse and (scratch / f"{part.name}.cache").is_file() and part.name != INDEX:
            reuse.cache.add_journal(scratch / f"{part.name}.cache")
        if part.name not in (INDEX, LINKS):
            _merge(scratch / part.name, site_dir, part)
        if part.name == MAIN:
            _add_to_sitemap(site_dir, grown_paths(site.pages))
        if part.name == LINKS:
            problems = link_problems(site_dir, cache, scratch / f"{LINKS}.found")
            if cache and finish and finish.site_key and not problems:
                cache.keep_listed(site_dir)

    try:
        run_parts(list(parts), plan_pages, lambda part: _make_part(config_file, site, part, scratch / part.name, site_dir,
                                                                   all_entries, search_copies, reuse, finish),
                  workers, scratch, merge, cache)
        if cache:
            cache.add_journal(scratch / f"{INDEX}.cache")
        return Built([json.loads((scratch / f"{part.name}.cost").read_text()) for part in parts], problems)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _make_part(config_file: str, site: Site, part: Part, folder: Path, site_dir: Path, all_entries: frozenset[str],
               search_copies: Path | None, reuse: Reuse | None, finish: Finish | None) -> None:
    cache = reuse.cache if reuse else None
    if finish and part.name == INDEX:
        index_site(site_dir, copies=search_copies, cache=cache)
        return
    if finish and part.name == LINKS:
        check_part(site_dir, finish, cache, folder.with_suffix(".found"))
        return
    if part.maker is not None:
        make = ASSET_MAKERS[part.maker]
        key = assets_key(make.__name__, site.today.isoformat(), reuse.inputs) if reuse else ""
        record = cache.get(key) if cache else None
        if record is not None:
            cache.place(record, folder)
            cache.get(memo_key(make.__name__))  # kept for the next build that makes them
            reuse_assets(cache, record)
            return
        if cache:
            begin_memo(cache, make.__name__)
        assets = make(site)
        if cache:  # written once, into the cache, and placed from there
            cache.place(keep_assets(cache, key, assets, site.today.isoformat()), folder)
            keep_memo(cache, make.__name__)
            return
        for asset in assets:
            target = folder / asset.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(asset.content)
        return
    if part.entry_pages:
        if cache:
            found, made, traced = cached_entry_pages(cache, list(part.pages))
        else:
            found, made, traced = [], list(outputs(site, lambda page: page.path in part.entry_pages, False)), {}
        if made:  # MkDocs for the pages the cache lacks (it empties `folder` first)
            _mkdocs(config_file, Handoff(site, lambda page: page.path in part.entry_pages, True, search_copies, made),
                    folder)
        if cache:
            keep_entry_pages(cache, made, traced, folder, search_copies)
            cache.place_all(found, site_dir)  # not their copies: the index takes those from the cache
        return
    made = list(outputs(site, lambda page: page.path not in all_entries, with_assets=False))
    from mkdocs.utils import get_build_timestamp

    key = main_key(made, str(get_build_timestamp()))  # the sitemap's date, and its .gz file's time
    record = cache.get(key) if cache else None
    if record is not None:
        cache.place(record, folder)
        return
    _mkdocs(config_file, Handoff(site, lambda page: page.path not in all_entries, False, search_copies, made), folder)
    if cache:
        keep_folder(cache, key, folder, search_copies)


def _mkdocs(config_file: str, handoff: Handoff, folder: Path) -> None:
    """MkDocs over one part's pages, into `folder`."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(config_file, site_dir=str(folder), strict=True)
    plugin = config.plugins["lvyin"]  # mkdocs_plugin.LvyinPlugin, by the name mkdocs.yml gives it
    plugin.handoff = handoff
    plugin.preview = None  # MkDocs hands a part forked by `lvyin serve` the preview's own plugin (preview_start.py)
    mkdocs_build(config)


def _merge(folder: Path, site_dir: Path, part: Part) -> None:
    """Move a part's files into the site: the entry pages an entry part made (not those it took from
    the cache: they are in the site already), any other part's everything.

    A folder the site does not have yet moves whole (one rename for /feeds/ and its 100,000
    files), so merging costs the folders, not the files."""
    if part.entry_pages:
        moved: set[str] = set()
        for name in sorted(page_url(path).rstrip("/") for path in part.entry_pages):
            steps = name.split("/")
            if not any("/".join(steps[:i]) in moved for i in range(1, len(steps))) and (folder / name).exists():
                _move(folder, site_dir, name)
                moved.add(name)
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
        raise SiteCollision.at(name)


def _add_to_sitemap(site_dir: Path, entries: list[str]) -> None:
    """Add the entry pages to the main part's sitemap, each as MkDocs writes a page there: like
    its home page's entry (the shortest address, the site's own), at the entry page's address."""
    import gzip
    from datetime import datetime

    from markupsafe import escape
    from mkdocs.utils import get_build_date

    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file() or not entries:
        return
    text = sitemap.read_text(encoding="utf-8")
    found = list(_SITEMAP_ENTRY.finditer(text))
    if not found:  # no site address (site_url): MkDocs lists no page
        return
    home = min(found, key=lambda match: len(match.group(1)))
    before, after = home.group(0)[: home.start(1) - home.start()], home.group(0)[home.end(1) - home.start():]
    added = [before + str(escape(home.group(1) + page_url(path))) + after
             for path in entries]
    end = text.rindex("\n</urlset>")
    text = text[:end] + "".join(added) + text[end:]
    sitemap.unlink()  # not written through: it may be a hard link to the build cache
    sitemap.write_text(text, encoding="utf-8")
    gz = site_dir / "sitemap.xml.gz"
    gz.unlink(missing_ok=True)
    # Dated as MkDocs dates it: the pages' update date at midnight UTC.
    mtime = int(datetime.fromisoformat(get_build_date()).replace(tzinfo=UTC).timestamp())
    with open(gz, "wb") as raw, gzip.GzipFile(fileobj=raw, filename=str(gz), mode="wb", mtime=mtime) as out:
        out.write(text.encode("utf-8"))
