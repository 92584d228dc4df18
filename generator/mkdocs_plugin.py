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

from .articles import articles_folder
from .pages import SiteCollision
from .problems import CatalogInvalid
from .settings import load_settings
from .site import load_site, outputs
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
        try:
            settings = load_settings(self.catalog_dir)
        except CatalogInvalid as error:
            raise PluginError(error.report()) from None
        # The theme reads these: the demo banner, and absolute links (canonical, sitemap).
        config.extra["demo"] = settings.demo
        config.site_url = config.site_url or settings.base_url
        config.site_name = settings.name
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        today = str(self.config.today) if self.config.today else None
        count = 0
        try:
            for path, content in outputs(load_site(self.catalog_dir, today)):
                if files.get_file_from_path(path) is not None:
                    raise PluginError(f"{config.docs_dir}/{path} 与自动生成的文件冲突，请改名或删除这个手写文件")
                files.append(File.generated(config, path, content=content))
                count += 1
        except CatalogInvalid as error:
            raise PluginError("目录数据有错误，网站没有生成：\n" + error.report()) from None
        except SiteCollision as error:
            raise PluginError(str(error)) from None
        log.info("lvyin: 由目录生成了 %d 个文件", count)
        return files

    def on_serve(self, server, config: MkDocsConfig, builder):
        server.watch(str(self.catalog_dir))
        if articles_folder(self.catalog_dir).is_dir():
            server.watch(str(articles_folder(self.catalog_dir)))
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
