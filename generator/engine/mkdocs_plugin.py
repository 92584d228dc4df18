"""The MkDocs adapter: catalogue pages as generated files, search index after the build.

Only glue lives here; reading, checking, planning and rendering are the core's
and work without MkDocs (see `lvyin generate`).  Under `mkdocs build` and
`lvyin serve` the plugin makes the whole site; `lvyin build` hands each part
of its parallel build a `Handoff` instead (see parallel_build.py), and
`lvyin serve` (MkDocs' dirty mode) a `Preview` that remakes only what an edit
changed (see preview.py).
"""

from __future__ import annotations

import functools
import logging
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from markupsafe import escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.toc import get_toc

from generator.catalog.articles import articles_folder
from generator.engine.finishing import check_and_index
from generator.engine.options import BuildOptions, given_options
from generator.engine.preview import Preview
from generator.engine.search_index import copies_folder, indexed_copy
from generator.errors import BUG_NOTE, CatalogInvalid, LvyinError
from generator.model.settings import load_settings
from generator.outputs.files import SiteCollision
from generator.outputs.site_files import outputs
from generator.plan.build_date import build_date
from generator.plan.pages import Page
from generator.plan.site import Site, load_site
from generator.render.environment import render_footer

log = logging.getLogger("mkdocs.plugins.lvyin")


class LvyinConfig(Config):
    catalog = c.Type(str, default="catalog")
    today = c.Optional(c.Type((str, date)))  # YAML may already have read it as a date
    search_index = c.Type(bool, default=True)
    check_links = c.Type(bool, default=True)


@dataclass(frozen=True)
class Handoff:
    """One part of `lvyin build`: the site it loaded and checked, and which pages this build makes.

    Without assets, link check or search index (the parent does those for the whole site).
    With `stand_ins`, the hand-written pages are left out and the navigation's pages are
    stand-ins, so the header is the same at little cost.  With `search_copies`, each page
    the part makes also leaves there what Pagefind needs of it (`search_index.indexed_copy`).
    """

    site: Site
    wanted: Callable[[Page], bool]
    stand_ins: bool = False
    search_copies: Path | None = None


def _user_errors(hook: Callable[..., Any]) -> Callable[..., Any]:
    """The plugin's one catch: a user error (`LvyinError`) stops MkDocs with its Chinese report, and
    under `lvyin serve` the browser shows the catalogue's problems; any other exception is a bug
    and keeps its traceback, with a line saying so."""

    @functools.wraps(hook)
    def caught(self: LvyinPlugin, *args: Any, **kwargs: Any) -> Any:
        try:
            return hook(self, *args, **kwargs)
        except LvyinError as error:
            if not isinstance(error, CatalogInvalid):
                raise PluginError(str(error)) from None
            if self.preview is not None:
                self.preview.problems = error
            raise PluginError("目录数据有错误，网站没有生成：\n" + error.report()) from None
        except MkDocsException:
            raise
        except Exception:
            log.error(BUG_NOTE)
            raise

    return caught


class LvyinPlugin(BasePlugin[LvyinConfig]):
    handoff: Handoff | None = None
    preview: Preview | None = None
    search_copies: Path | None = None  # where the pages leave their copies for the search index
    _own_copies: tempfile.TemporaryDirectory | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # With on_startup MkDocs keeps this plugin from one rebuild to the next, and the preview's caches with it.
        if command == "serve" and dirty:
            self.preview = Preview()

    def on_shutdown(self) -> None:
        if self.preview is not None:
            self.preview.close()

    @_user_errors
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.options = given_options() or self._options_of(config)
        self.catalog_dir = self.options.catalog
        settings = load_settings(self.catalog_dir)
        # The theme reads these: the demo banner, and absolute links (canonical, sitemap).  It prints
        # the name raw (header, <title>, aria-label), so it gets the name HTML-escaped.  Where the theme
        # escapes it again (the logo's title) that is right too: its tooltips insert a title as HTML.
        config.extra["demo"] = settings.demo
        config.extra["lvyin_footer"] = render_footer(settings)
        config.site_url = config.site_url or settings.base_url
        config.site_name = str(escape(settings.name))
        if self.preview is not None:
            self.preview.start_build(config)
        return config

    def _options_of(self, config: MkDocsConfig) -> BuildOptions:
        """The options of a plain `mkdocs build`: what mkdocs.yml says."""
        root = Path(config.config_file_path or ".").resolve().parent
        catalog = (root / self.config.catalog).resolve()
        today = build_date(str(self.config.today) if self.config.today else None, catalog)
        return BuildOptions(catalog, today, check_links=self.config.check_links, search_index=self.config.search_index)

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

    @_user_errors
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        count = 0
        in_nav = set(_nav_paths(config.nav or []))
        for file in self._generated(files, config):
            if files.get_file_from_path(file.src_uri) is not None:
                raise SiteCollision(f"{config.docs_dir}/{file.src_uri} 与自动生成的文件冲突，请改名或删除这个手写文件")
            files.append(file)
            if file.src_uri not in in_nav:  # MkDocs makes the navigation's pages (they take its titles)
                HtmlPage(None, file, config)
            count += 1
        log.info("lvyin: 由目录生成了 %d 个文件", count)
        self.stand_in_paths: set[str] = set()
        if self.handoff and self.handoff.stand_ins:
            for path in _nav_paths(config.nav or []):
                if files.get_file_from_path(path) is None:
                    files.append(File.generated(config, path, content="# …\n"))
                    self.stand_in_paths.add(path)
        return files

    def _generated(self, files: Files, config: MkDocsConfig) -> Iterator[File]:
        today = self.options.today.isoformat()
        if self.preview is not None:
            self.site = self.preview.load(self.catalog_dir, today)
            return self.preview.pages(self.site, config)
        if self.handoff is None:
            made = outputs(load_site(self.catalog_dir, today))
        else:
            if self.handoff.stand_ins:
                for file in list(files.documentation_pages()):
                    files.remove(file)
            made = outputs(self.handoff.site, self.handoff.wanted, with_assets=False)
        return (File.generated(config, path, content=content) for path, content in made)

    def on_env(self, env, config: MkDocsConfig, files: Files):
        made: dict[tuple[str, str, str], str] = {}

        def shared(part: str, page: MkDocsPage, base_url: str, caller: Callable[[], str]) -> str:
            """A block of the theme (overrides/main.html) made once for all pages that show it alike."""
            if not getattr(page, "plain", False):
                return caller()
            key = (part, page.url.rstrip("/").rpartition("/")[0], base_url)  # links are relative to the folder
            if key not in made:
                made[key] = caller()
            return made[key]

        env.globals["lvyin_shared"] = shared
        return env

    def on_post_page(self, output: str, page: MkDocsPage, config: MkDocsConfig) -> str:
        copies = self.search_copies
        if copies is not None and page.file.src_uri not in self.stand_in_paths:
            copy = indexed_copy(output.encode("utf-8"))
            if copy is not None:
                target = copies / page.file.dest_uri
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(copy)
        return output

    def on_serve(self, server, config: MkDocsConfig, builder):
        server.watch(str(self.catalog_dir))
        if articles_folder(self.catalog_dir).is_dir():
            server.watch(str(articles_folder(self.catalog_dir)))
        if self.preview is not None:
            self.preview.show_problems(server)
        return server

    @_user_errors
    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.handoff is not None:
            return
        if self.preview is not None:
            self.preview.built()
            self.preview.finish(self.site, Path(config.site_dir), self.options.check_links, self.options.search_index)
            return
        try:
            problems = check_and_index(Path(config.site_dir), self.options.check_links, self.options.search_index,
                                       self.search_copies)
        finally:
            self._drop_copies()
        if problems:
            raise PluginError("网站中有错误的链接或外部资源：\n" + "\n".join(problems[:50]))


class HtmlPage(MkDocsPage):
    """A generated page outside the navigation.  An entry page's body is one HTML element, which
    Markdown passes through unchanged, so it is not run through Markdown: Python-Markdown parses
    raw HTML twice (for blocks, for anchors), half of MkDocs' time on such a page.  Any other body
    is rendered as usual.

    Such a `plain` page (no table of contents, nothing of it in the navigation) shows the theme's
    sidebar and tabs exactly as every other plain page in its folder does, so the theme makes them
    once (`lvyin_shared`): they were most of the rest.  tests/test_parallel_build.py checks that every page
    comes out byte for byte as without these shortcuts.
    """

    plain = False

    def render(self, config: MkDocsConfig, files: Files) -> None:
        body = (self.markdown or "").strip()
        if not is_one_html_block(body):
            return super().render(config, files)
        self.content = body
        self.toc = get_toc([])
        self._title_from_render = None
        self.present_anchor_ids = set(_ID.findall(body))
        self.plain = not self.meta.get("hide")


_ID = re.compile(r'<[a-zA-Z][^>]*?\sid="([^"]*)"')


def is_one_html_block(body: str) -> bool:
    """Whether Markdown would keep `body` as it is: one <article> with no Markdown inside."""
    return (body.startswith("<article") and body.endswith("</article>")
            and body.count("</article>") == 1 and "markdown=" not in body)


def _nav_paths(nav: list) -> Iterator[str]:
    """The docs-tree paths the `nav` setting names."""
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            yield from _nav_paths(value)
        elif isinstance(value, str) and value.endswith(".md"):
            yield value
