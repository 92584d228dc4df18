"""Editors' Markdown, rendered to HTML safely: the one way editors' Markdown reaches a page.

Two flavours share one parser set-up (CommonMark, raw HTML shown as text, links
limited to http(s), tel:, mailto:):

- `render_rich`: limited Markdown for `description` and `bio`: paragraphs,
  lists, emphasis, links; no headings, images, code blocks or rules.
- `render_article`: the body of an article (`articles/*.md`): that, plus
  headings, code, quotes, rules, tables and relative links to other pages
  (`../topics/reading.md`, turned into the page's address); no images.
  `article_problems` names, at their line and column, whatever in a body the
  renderer would not show as written (raw HTML, other links, images, `{: …}`
  attribute lists), so `lvyin validate` refuses it rather than the site
  changing it silently.

The result is placed in the page as an HTML block, where the site engine's own
Markdown extensions (attribute lists, snippets, admonitions …) never see it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from generator.memo import remembered
from generator.source.markdown import article_parser, markdown_parser, safe_link


def _as_block(html: str) -> Markup:
    # A backtick at the start of a line would open a fenced code block for the
    # site engine's preprocessors, which run before HTML blocks are set aside.
    return Markup(html.replace("`", "&#96;").strip())


def _render(md: MarkdownIt, text: str, link: Callable[[str], str] = str) -> Markup:
    """`text` rendered by `md`; each link's href passed through `link`.  A link's title is escaped
    once more: the theme's tooltips (content.tooltips) insert a title attribute as HTML."""
    tokens = md.parse(text)
    for token in tokens:
        for child in token.children or []:
            if child.type == "link_open":
                child.attrSet("href", link(str(child.attrGet("href"))))
                if child.attrGet("title"):
                    child.attrSet("title", str(escape(child.attrGet("title"))))
    return _as_block(md.renderer.render(tokens, md.options, {}))


def render_rich(text: str | None) -> Markup:
    return Markup(_rich_html(text)) if text else Markup("")


@remembered("rich")
def _rich_html(text: str) -> str:
    return str(_render(markdown_parser(), text))


def render_article(text: str, page_path: str, page_link: Callable[[str], str]) -> Markup:
    """An article body as HTML.  A relative link to a `.md` file (`../topics/reading.md`, relative to
    `page_path`, the article's docs-tree path) becomes `page_link(docs-tree path of the target)`."""
    def link(href: str) -> str:
        path, mark, anchor = href.partition("#")
        if not path.endswith(".md") or safe_link(href):
            return href
        return page_link(posixpath.normpath(posixpath.join(posixpath.dirname(page_path), path))) + mark + anchor

    return _render(article_parser(), text, link)


