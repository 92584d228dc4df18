"""Limited Markdown for `description` and `bio`: paragraphs, lists, emphasis, links.

Editors' text is rendered to HTML here, with raw HTML shown as text, links
limited to http(s), tel: and mailto:, and no headings, images, code blocks or
rules.  The result is placed in the page as an HTML block, where the site
engine's own Markdown extensions (attribute lists, snippets, admonitions …)
never see it.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_SCHEMES = ("http://", "https://", "tel:", "mailto:")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["heading", "lheading", "code", "fence", "hr", "image", "html_block", "html_inline", "reference"])
    md.validateLink = lambda url: url.strip().lower().startswith(ALLOWED_SCHEMES)
    return md


def render_rich(text: str | None) -> Markup:
    if not text:
        return Markup("")
    html = _parser().render(text)
    # A backtick at the start of a line would open a fenced code block for the
    # site engine's preprocessors, which run before HTML blocks are set aside.
    return Markup(html.replace("`", "&#96;").strip())
