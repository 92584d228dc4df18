"""Everything the site is made of, for any engine: the loaded inputs and the files they become.

`load_site` reads the catalogue, its settings and the build date; `outputs`
yields each generated file (Markdown pages and other files such as feeds) as
`(site path, content)`.  The MkDocs plugin and `lvyin generate` both use it,
so the two can never differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from generator.catalog.articles import Article, articles_folder, load_articles
from generator.catalog.checks import private_values
from generator.catalog.files import FileCache
from generator.catalog.load import check_catalog
from generator.catalog.tables import Catalog
from generator.errors import CatalogInvalid, Problem
from generator.model.settings import SiteSettings, load_settings
from generator.plan.build_date import build_date
from generator.plan.guide import guide_page
from generator.plan.kept_pages import KeptPages
from generator.plan.pages import Page, plan_pages


@dataclass(frozen=True)
class Site:
    catalog: Catalog
    settings: SiteSettings
    today: date
    articles: tuple[Article, ...] = ()  # the knowledge base, from articles/ beside the catalogue
    kept: KeptPages | None = field(default=None, compare=False)  # entry pages of the last plan (`lvyin serve`)

    @cached_property
    def pages(self) -> list[Page]:
        """Every page, planned once: the parts of a parallel build share this plan."""
        planner = self.kept.planning(self.catalog, self.today, self.settings) if self.kept is not None else None
        # /guide/fields/ (every field of every catalogue file) first: the plan ends with the lecture pages.
        return [guide_page(), *plan_pages(self.catalog, self.today, self.settings, self.articles, planner)]


def load_site(catalog_dir: Path | str, today: str | None = None, cache: FileCache | None = None,
              kept: KeptPages | None = None) -> Site:
    """The site of the catalogue at `catalog_dir`; with a `cache`, files unchanged since it read
    them are not read again, and with `kept` pages, entry pages planned from the same entries are
    not planned again (`lvyin serve`)."""
    catalog_dir = Path(catalog_dir)
    settings, catalog, articles = load_inputs(catalog_dir, cache)
    return Site(catalog, settings, build_date(today, catalog_dir), articles, kept)


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


