"""Render planned pages to Markdown with one Jinja environment.

Data is always passed to templates as values, never pasted into template
source.  Every value is HTML-escaped on output (autoescape), backticks
included, and templates place data only inside HTML blocks, so nothing an
editor types is read as Markdown or HTML by the site engine.  Undefined
names are errors (StrictUndefined), not empty strings.
"""

from __future__ import annotations

import json
import posixpath
import re
from datetime import date, time
from functools import lru_cache

import jinja2
from markupsafe import Markup, escape

from generator.errors import Problem
from generator.model import kinds, vocab
from generator.model.settings import SiteSettings
from generator.plan import geo
from generator.plan.build_date import RECENT_DAYS
from generator.plan.pages import Page, entry_path, page_url
from generator.render.richtext import render_article, render_rich
from generator.render.search_terms import TERMS_MARK, date_term, terms_for, title_pinyin


def _finalize(value: object) -> object:
    if isinstance(value, str) and not isinstance(value, Markup):
        return Markup(str(escape(value)).replace("`", "&#96;"))
    return value


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def weekday(day: date) -> str:
    return "周" + vocab.WEEKDAYS[day.weekday()]


def hhmm(moment: time) -> str:
    return f"{moment:%H:%M}"


def front_matter(page: Page, description: str = "") -> str:
    """Front matter the engine reads; `title` and `description` are HTML text since themes insert them raw
    (the description comes out of the page's template, escaped there like everything else)."""
    title = str(escape(page.title))
    lines = [f"title: {json.dumps(title, ensure_ascii=False)}"]
    if description:
        lines.append(f"description: {json.dumps(description, ensure_ascii=False)}")
    return "---\n" + "\n".join(lines) + "\ngenerated: true\n---\n"


@jinja2.pass_context
def href(context: jinja2.runtime.Context, target: str) -> str:
    """A link from the page being rendered to `target` (a site URL), relative so the
    site works under any sub-path."""
    here = context["here"]
    relative = posixpath.relpath("/" + target, "/" + here)
    if target.endswith("/") and relative != ".":
        relative += "/"
    return "./" if relative == "." else relative


@jinja2.pass_context
def article_html(context: jinja2.runtime.Context, text: str, page_path: str) -> Markup:
    """An article body (Markdown) as HTML, its links to other pages relative to the page being rendered."""
    return render_article(text, page_path, lambda target: href(context, page_url(target)))


def section_url(section: str, entry_id: str) -> str:
    return page_url(entry_path(section, entry_id))


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.render", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(cn_date=cn_date, weekday=weekday, hhmm=hhmm, rich=render_rich, article_html=article_html)
    env.tests["phone_number"] = lambda text: bool(re.fullmatch(r"\+?[0-9][0-9 -]{4,}", str(text)))
    env.globals.update(href=href, url=section_url, vocab=vocab, kinds=kinds, names=lambda ids, table: [table[i].name for i in ids],
                       terms_for=terms_for, TERMS_MARK=TERMS_MARK, map_links=geo.map_links,
                       title_pinyin=title_pinyin, date_term=date_term, RECENT_DAYS=RECENT_DAYS)
    return env


def render_page(page: Page) -> str:
    """The page's Markdown.  A template may set `description` at its top level (what a search
    engine or a chat app shows of the page); it is rendered and escaped with the body."""
    template = environment().get_template(page.template)
    module = template.make_module({"here": page.url, "page_title": page.title, **page.context})
    description = " ".join(str(getattr(module, "description", "")).split())
    return front_matter(page, description) + str(module)


def render_footer(settings: SiteSettings) -> Markup:
    """Every page's footer, from site.yaml (the theme inserts it as it is)."""
    return Markup(environment().get_template("footer.html.j2").render(settings=settings))


def render_problems(problems: list[Problem]) -> str:
    """The page `lvyin serve` shows at every address while the catalogue has problems (`Problem`s)."""
    return environment().get_template("problems.html.j2").render(problems=problems)
