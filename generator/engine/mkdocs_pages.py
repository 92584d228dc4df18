"""The generated pages as MkDocs sees them: settings, files, page shortcuts, stand-ins, search copies.

What the MkDocs plugin (mkdocs_plugin.py, glue only) does with the files the core makes: hands
the theme the site's settings; adds
them to MkDocs' files, refusing one a hand-written file already holds; turns an entry page
outside the navigation into an `HtmlPage`; under a part of `lvyin build` (`Handoff`) puts
stand-ins for the navigation's pages; makes the theme's shared blocks once; and leaves each
page's copy for the search index.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.toc import get_toc

from generator.engine.options import BuildOptions
from generator.engine.search_copies import indexed_copy
from generator.model.settings import load_settings
from generator.outputs.files import SiteCollision
from generator.outputs.site_files import outputs
from generator.plan.pages import Page
from generator.plan.site import Site, load_site
from generator.render.environment import render_footer


@dataclass(frozen=True)
class Handoff:
    """One part of `lvyin build`: the site it loaded and checked, and which pages this build makes.

    Without assets, link check or search index (the parent does those for the whole site).
    With `stand_ins`, the hand-written pages are left out and the navigation's pages are
    stand-ins, so the header is the same at little cost.  With `search_copies`, each page
    the part makes also leaves there what Pagefind needs of it (`search_copies.indexed_copy`).
    `made`: the part's generated files, rendered already (those the build cache did not have).
    """

    site: Site
    wanted: Callable[[Page], bool]
    stand_ins: bool = False
    search_copies: Path | None = None
    made: list[tuple[str, str | bytes]] | None = None


def apply_settings(config: MkDocsConfig, catalog_dir: Path) -> None:
    """What the theme reads of catalog/site.yaml: the demo banner, the footer, and absolute links
    (canonical, sitemap).  It prints the name raw (header, <title>, aria-label), so it gets the name
    HTML-escaped.  Where the theme escapes it again (the logo's title) that is right too: its
    tooltips insert a title as HTML."""
    settings = load_settings(catalog_dir)
    config.extra["demo"] = settings.demo
    config.extra["lvyin_footer"] = render_footer(settings)
    config.site_url = config.site_url or settings.base_url
    config.site_name = str(escape(settings.name))


def generated(files: Files, config: MkDocsConfig, options: BuildOptions, handoff: Handoff | None) -> Iterator[File]:
    """The generated files of a whole site, or of a part of `lvyin build` (whose hand-written pages
    leave `files` when it has stand-ins)."""
    if handoff is None:
        made = outputs(load_site(options.catalog, options.today.isoformat()))
    else:
        if handoff.stand_ins:
            for file in list(files.documentation_pages()):
                files.remove(file)
        made = iter(handoff.made) if handoff.made is not None else outputs(handoff.site, handoff.wanted,
                                                                              with_assets=False)
    return (File.generated(config, path, content=content) for path, content in made)


def add_generated(files: Files, made: Iterable[File], config: MkDocsConfig) -> int:
    """Add the generated files to MkDocs' `files`; the pages outside the navigation become
    `HtmlPage`s (MkDocs makes the navigation's, which take its titles).  How many were added."""
    count = 0
    in_nav = set(nav_paths(config.nav or []))
    for file in made:
        if files.get_file_from_path(file.src_uri) is not None:
            raise SiteCollision(f"{config.docs_dir}/{file.src_uri} 与自动生成的文件冲突，请改名或删除这个手写文件")
        files.append(file)
        if file.src_uri not in in_nav:
            HtmlPage(None, file, config)
        count += 1
    return count


def add_stand_ins(files: Files, config: MkDocsConfig) -> set[str]:
    """A stand-in for each page the navigation names that `files` lacks; their paths."""
    added = set()
    for path in nav_paths(config.nav or []):
        if files.get_file_from_path(path) is None:
            files.append(File.generated(config, path, content="# …\n"))
            added.add(path)
    return added


def share_blocks(env) -> None:
    """`lvyin_shared` for the theme (overrides/main.html): a block made once for all pages that show it alike."""
    made: dict[tuple[str, str, str], str] = {}

    def shared(part: str, page: MkDocsPage, base_url: str, caller: Callable[[], str]) -> str:
        if not getattr(page, "plain", False):
            return caller()
        key = (part, page.url.rstrip("/").rpartition("/")[0], base_url)  # links are relative to the folder
        if key not in made:
            made[key] = caller()
        return made[key]

    env.globals["lvyin_shared"] = shared


def leave_search_copy(copies: Path, page: MkDocsPage, output: str) -> None:
    """What Pagefind needs of the page, in `copies` at the page's path (nothing for a page it skips)."""
    copy = indexed_copy(output.encode("utf-8"))
    if copy is not None:
        target = copies / page.file.dest_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(copy)


class HtmlPage(MkDocsPage):
    """A generated page outside the navigation.  An entry page's body is one HTML element, which
    Markdown passes through unchanged, so it is not run through Markdown: Python-Markdown parses
    raw HTML twice (for blocks, for anchors), half of MkDocs' time on such a page.  Any other body
    is rendered as usual.

    Such a `plain` page (no table of contents, nothing of it in the navigation) shows the theme's
    sidebar and tabs exactly as every other plain page in its folder does, so the theme makes them
    once (`lvyin_shared`): they were most of the rest.  tests/engine/test_parallel_build.py checks that every page
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


def nav_paths(nav: list) -> Iterator[str]:
    """The docs-tree paths the `nav` setting names."""
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            yield from nav_paths(value)
        elif isinstance(value, str) and value.endswith(".md"):
            yield value
