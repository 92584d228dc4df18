"""The MkDocs adapter: catalogue pages as generated files, search index after the build.

Only glue lives here; reading, checking, planning and rendering are the core's
and work without MkDocs (see `lvyin generate`).
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .build_date import build_date
from .catalog import load_catalog
from .pages import SiteCollision, plan_pages
from .problems import CatalogInvalid
from .render import render_page
from .search_index import SearchIndexError, index_site
from .site_check import check_site

log = logging.getLogger("mkdocs.plugins.lvyin")


class LvyinConfig(Config):
    catalog = c.Type(str, default="catalog")
    today = c.Optional(c.Type((str, date)))  # YAML may already have read it as a date
    search_index = c.Type(bool, default=True)
    check_links = c.Type(bool, default=True)


class LvyinPlugin(BasePlugin[LvyinConfig]):
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        self.catalog_dir = (root / self.config.catalog).resolve()
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        try:
            catalog = load_catalog(self.catalog_dir)
            pages = plan_pages(catalog, build_date(str(self.config.today) if self.config.today else None, self.catalog_dir))
        except CatalogInvalid as error:
            raise PluginError("目录数据有错误，网站没有生成：\n" + error.report()) from None
        except SiteCollision as error:
            raise PluginError(str(error)) from None
        for page in pages:
            existing = files.get_file_from_path(page.path)
            if existing is not None:
                raise PluginError(f"content/{page.path} 与自动生成的页面 /{page.url} 冲突，请改名或删除这个手写页面")
            files.append(File.generated(config, page.path, content=render_page(page)))
        log.info("lvyin: 由目录生成了 %d 个页面", len(pages))
        return files

    def on_serve(self, server, config: MkDocsConfig, builder):
        server.watch(str(self.catalog_dir))
        return server

    def on_post_build(self, config: MkDocsConfig) -> None:
        site = Path(config.site_dir)
        if self.config.check_links:
            problems = check_site(site)
            if problems:
                raise PluginError("网站中有错误的链接或外部资源：\n" + "\n".join(problems[:50]))
        if self.config.search_index:
            try:
                index_site(site)
            except SearchIndexError as error:
                raise PluginError(str(error)) from None
