"""The Markdown editors may write: the parsers of both flavours, the links each lets through, and
whatever in an article body would not be shown as written, named at its line and column."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline, autolink, html_inline, image, link
from markdown_it.token import Token

from generator.errors import shown

ALLOWED_SCHEMES = ("http://", "https://", "tel:", "mailto:")


_LIMITED_OFF = ["heading", "lheading", "code", "fence", "hr", "image", "html_block", "html_inline", "reference"]


# A link with no scheme and no host of its own: a path on this site (`../topics/reading.md`, `#top`).
_RELATIVE = re.compile(r"(?![/\\]{2})[^:/?#]*(?:[/?#]|$)")


# Python-Markdown's attribute lists: `{: onclick=… }` after a paragraph or heading.
_ATTR_LIST = re.compile(r"\{:[^}\n]*\}")


_TAG = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9-]*)")


_HINT_MARKDOWN = "请删除；文章正文只能用 Markdown 写：## 小标题、**加粗**、[文字](链接)、列表和表格"


def safe_link(url: str) -> bool:
    return url.strip().lower().startswith(ALLOWED_SCHEMES)


def _article_link(url: str) -> bool:
    return safe_link(url) or bool(_RELATIVE.match(url))


class _LinkRuledMarkdown(MarkdownIt):
    """CommonMark whose link targets are let through by `allowed` (markdown-it asks `validateLink`)."""

    def __init__(self, html: bool, allowed: Callable[[str], bool]):
        super().__init__("commonmark", {"html": html, "linkify": False, "typographer": False})
        self._allowed = allowed

    def validateLink(self, url: str) -> bool:
        return self._allowed(url)


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    md = _LinkRuledMarkdown(False, safe_link)
    md.disable(_LIMITED_OFF)
    return md


@lru_cache(maxsize=1)
def article_parser() -> MarkdownIt:
    md = _LinkRuledMarkdown(False, _article_link).enable("table")
    md.disable(["image"])
    return md


@lru_cache(maxsize=1)
def _inspecting_parser() -> MarkdownIt:
    """The article parser with raw HTML, images and every link let through, each token marked with
    where it starts (`meta["at"]`, an offset in its block's text), so each can be named."""
    md = _LinkRuledMarkdown(True, lambda url: True).enable("table")
    for name, rule in (("link", link), ("image", image), ("autolink", autolink), ("html_inline", html_inline)):
        md.inline.ruler.at(name, _marking_start(rule))
    return md


def _marking_start(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    def marked(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        found = rule(state, silent)
        if found and not silent:  # the first new token may be the text before it, flushed
            made = next((t for t in state.tokens[count:] if t.type != "text"), None)
            if made is not None:
                made.meta["at"] = start
        return found
    return marked


@dataclass(frozen=True)
class MarkupProblem:
    line: int  # 0-based, in the text given
    column: int  # 0-based
    message: str
    hint: str


def article_problems(text: str) -> list[MarkupProblem]:
    """What in an article body `render_article` would not show as written, in the order it appears."""
    lines = text.split("\n")
    found: list[MarkupProblem] = []
    for token in _inspecting_parser().parse(text):
        if token.type == "html_block" and token.map:
            first = lines[token.map[0]]
            found.append(MarkupProblem(token.map[0], len(first) - len(first.lstrip()), *_html_problem(token.content)))
        elif token.type == "inline" and token.map:
            found.extend(_inline_problems(token, token.map[0], lines))
    unique = {(p.line, p.message): p for p in reversed(found)}  # a tag opened and closed on one line: once
    return sorted(unique.values(), key=lambda p: (p.line, p.column))


def _inline_problems(token: Token, first_line: int, lines: list[str]) -> list[MarkupProblem]:
    def at(offset: int, message: str, hint: str) -> MarkupProblem:
        before = token.content[:offset]
        line = first_line + before.count("\n")
        content_line = token.content.split("\n")[before.count("\n")]
        start = max(lines[line].find(content_line), 0) if line < len(lines) else 0
        return MarkupProblem(line, start + len(before) - (before.rfind("\n") + 1), message, hint)

    found: list[MarkupProblem] = []
    searched = 0
    for child in token.children or []:
        if child.type == "html_inline":
            found.append(at(child.meta.get("at", 0), *_html_problem(child.content)))
        elif child.type == "image":
            found.append(at(child.meta.get("at", 0), "文章里不能插入图片", "请删除图片；需要配图时请联系网站管理员"))
        elif child.type == "link_open" and not _article_link(str(child.attrGet("href"))):
            found.append(at(child.meta.get("at", 0), f"不允许的链接“{shown(str(child.attrGet('href')))}”",
                            "链接只能以 http://、https://、mailto:、tel: 开头，或写本站页面的相对路径，例如 ../topics/reading.md"))
        elif child.type == "text" and (attr_list := _ATTR_LIST.search(child.content)):
            offset = token.content.find(attr_list.group(), searched)
            searched = max(offset, searched)
            found.append(at(max(offset, 0), "不支持 {: …} 属性写法", "请删除这段花括号；文章的样式由网站统一设定"))
    return found


def _html_problem(html: str) -> tuple[str, str]:
    if html.lstrip().startswith("<!--"):
        return "不允许使用 HTML 注释 <!-- … -->", "请删除；不想发布的内容请直接删掉"
    tag = _TAG.match(html.lstrip())
    if tag:
        return f"不允许使用 <{tag[1].lower()}> 标签", _HINT_MARKDOWN
    return f"不允许使用 HTML 写法“{shown(html.strip(), 20)}”", _HINT_MARKDOWN
