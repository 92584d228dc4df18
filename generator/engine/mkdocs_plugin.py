"""The MkDocs adapter, glue only: each hook hands its work to the engine (mkdocs_pages.py,
preview.py, finishing.py).  A part of `lvyin build` gets a `Handoff` (parallel_build.py),
`lvyin serve` a `Preview` (preview.py); options come from the command line in code
(options.py), or from mkdocs.yml under a plain `mkdocs build`.
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
from mkdocs.structure.files import Files

from generator.catalog.articles import articles_folder
from generator.engine import mkdocs_pages as pages
from generator.engine.finishing import check_and_index
from generator.engine.options import given_options, of_mkdocs_yml
from generator.engine.plugin_errors import user_errors
from generator.engine.preview import Preview
from generator.engine.search_index import copies_folder
from generator.workers import Scratch

log = logging.getLogger("mkdocs.plugins.lvyin")


class LvyinConfig(Config):
    catalog = c.Type(str, default="catalog")
    today = c.Optional(c.Type((str, date)))  # YAML may already have read it as a date
    search_index = c.Type(bool, default=True)
    check_links = c.Type(bool, default=True)


class LvyinPlugin(BasePlugin[LvyinConfig]):
    handoff: pages.Handoff | None = None
    preview: Preview | None = None
    search_copies: Path | None = None  # where the pages leave their copies for the search index
    _own_copies: Scratch | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # With on_startup MkDocs keeps this plugin from one rebuild to the next, and the preview's caches with it.
        if command == "serve" and dirty:
            self.preview = Preview()

    def on_shutdown(self) -> None:
        if self.preview is not None:
            self.preview.close()

    @user_errors
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.options = given_options() or of_mkdocs_yml(config.config_file_path, **self.config)
        pages.apply_settings(config, self.options.catalog)
        if self.preview is not None:
            self.preview.start_build(config, self.options)
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        if self.handoff is not None:
            self.search_copies = self.handoff.search_copies
        elif self.preview is None and self.options.search_index:  # the preview remakes only some pages
            self._own_copies = copies_folder(Path(config.site_dir).resolve().parent)
            self.search_copies = Path(self._own_copies.name)

    def on_build_error(self, error: Exception) -> None:
        self._drop_copies()

    def _drop_copies(self) -> None:
        if self._own_copies is not None:
            self._own_copies.cleanup()
            self._own_copies = self.search_copies = None

    @user_errors
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if self.preview is not None:
            made = self.preview.pages(config)
        else:
            made = pages.generated(files, config, self.options, self.handoff)
        log.info("lvyin: 由目录生成了 %d 个文件", pages.add_generated(files, made, config))
        stand_ins = self.handoff is not None and self.handoff.stand_ins
        self.stand_in_paths = pages.add_stand_ins(files, config) if stand_ins else set()
        if self.preview is not None:
            self.preview.unshare(files, config)
        return files

    def on_env(self, env, config: MkDocsConfig, files: Files):
        pages.share_blocks(env)
        return env

    def on_post_page(self, output: str, page, config: MkDocsConfig) -> str:
        if self.search_copies is not None and page.file.src_uri not in self.stand_in_paths:
            pages.leave_search_copy(self.search_copies, page, output)
        return output

    def on_serve(self, server, config: MkDocsConfig, builder):
        for folder in (self.options.catalog, articles_folder(self.options.catalog)):
            if folder.is_dir():
                server.watch(str(folder))
        if self.preview is not None:
            self.preview.show_problems(server)
        return server

    @user_errors
    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.handoff is not None:
            return
        if self.preview is not None:
            self.preview.built(Path(config.site_dir))
            return
        try:
            problems = check_and_index(Path(config.site_dir), self.options.check_links, self.options.search_index,
                                       self.search_copies)
        finally:
            self._drop_copies()
        if problems:
            raise PluginError("网站中有错误的链接或外部资源：\n" + "\n".join(problems[:50]))
