"""Everything the site is made of, for any engine: the loaded inputs and the files they become.

`load_site` reads the catalogue, its settings and the build date; `outputs`
yields each generated file (Markdown pages and other files such as feeds) as
`(site path, content)`.  The MkDocs plugin and `lvyin generate` both use it,
so the two can never differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterator

from .articles import Article, articles_folder, load_articles
from .build_date import build_date
from .catalog import Catalog, FileCache, check_catalog, private_values
from .dashboard import stats_assets
from .feeds import make_feeds
from .nearby import nearby_assets
from .opendata import make_open_data
from .pages import Asset, Page, SiteCollision, plan_pages
from .guide import guide_page
from .published import published_files
from .printing import make_print_sheets
from .problems import CatalogInvalid, Problem
from .render import render_page
from .settings import SiteSettings, load_settings


@dataclass(frozen=True)
class Site:
    catalog: Catalog
    settings: SiteSettings
    today: date
    articles: tuple[Article, ...] = ()  # the knowledge base, from articles/ beside the catalogue

    @cached_property
    def pages(self) -> list[Page]:
        """Every page, planned once: the parts of a parallel build share this plan."""
        # /guide/fields/ (every field of every catalogue file) first: the plan ends with the lecture pages.
        return [guide_page(), *plan_pages(self.catalog, self.today, self.settings, self.articles)]


def load_site(catalog_dir: Path | str, today: str | None = None, cache: FileCache | None = None) -> Site:
    """The site of the catalogue at `catalog_dir`; with a `cache`, files unchanged since it read
    them are not read again (`lvyin serve`)."""
    catalog_dir = Path(catalog_dir)
    settings, catalog, articles = load_inputs(catalog_dir, cache)
    return Site(catalog, settings, build_date(today, catalog_dir), articles)


def load_inputs(catalog_dir: Path | str, cache: FileCache | None = None) -> tuple[SiteSettings, Catalog, tuple[Article, ...]]:
    """The settings, catalogue and articles at `catalog_dir`; or `CatalogInvalid` with the problems
    of all three at once (the articles' topics are checked against the topics there are)."""
    problems: list[Problem] = []
    settings = SiteSettings()
    try:
        settings = load_settings(catalog_dir)
    except CatalogInvalid as error:
        problems += error.problems
    catalog, known, found = check_catalog(catalog_dir, cache)
    problems += found
    articles: tuple[Article, ...] = ()
    try:
        articles = tuple(load_articles(articles_folder(catalog_dir), known.sure_ids("topic"), private_values(catalog)))
    except CatalogInvalid as error:
        problems += error.problems
    if problems:
        raise CatalogInvalid(problems)
    return settings, catalog, articles


def stats_files(site: Site) -> list[Asset]:
    return stats_assets(site.catalog, site.today)  # /stats/ CSV and SVG


# Makers of non-page files (feeds, open data …): each takes the site and returns assets.
ASSET_MAKERS: list[Callable[[Site], list[Asset]]] = [nearby_assets, stats_files]
ASSET_MAKERS += [make_feeds, make_open_data, make_print_sheets]  # /feeds/, /api/, /print/stations/

ASSET_MAKERS.append(published_files)  # /ids.json and pages at renamed ids' old addresses


def outputs(site: Site, wanted: Callable[[Page], bool] | None = None, with_assets: bool = True,
            render: Callable[[Page], str] = render_page) -> Iterator[tuple[str, str | bytes]]:
    """Every generated file; or only the `wanted` pages, and no assets without `with_assets`
    (a part of a parallel build, see parallel_build.py).  `render` may be a `RenderCache`'s
    (`lvyin serve`, see incremental.py)."""
    pages = site.pages
    assets = [asset for make in ASSET_MAKERS for asset in make(site)] if with_assets else []
    seen: dict[str, str] = {}
    for path, what in [(p.path, p.title) for p in pages] + [(a.path, a.path) for a in assets]:
        if path in seen:
            raise SiteCollision(f"两个生成的文件要写到同一路径 {path}：{seen[path]} 与 {what}")
        seen[path] = what
    for page in pages:
        if wanted is None or wanted(page):
            yield page.path, render(page)
    for asset in assets:
        yield asset.path, asset.content
