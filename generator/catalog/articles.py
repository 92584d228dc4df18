"""The knowledge base for parents: Markdown articles with YAML front matter.

Articles live in `articles/` beside the catalogue folder (`catalog/../articles`),
one `<id>.md` file each; the file name becomes the URL `/articles/<id>/`.  The
front matter is read with the catalogue's strict YAML reader and checked with
a pydantic model, so a typo gets the same Chinese `path:line:col: 错误: …`
message as a catalogue entry; topic ids must exist in `topics.yaml`.

The body is Markdown, rendered by `richtext.render_article` like every other
text editors write (raw HTML shown as text, only safe links); what it would not
show as written (HTML tags, `javascript:` links, images …) is an error here,
at its line and column, so validate and build agree.  Everything from the front
matter is rendered through the Jinja environment and escaped.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from generator.catalog.checks import privacy_problem
from generator.catalog.privacy import PrivateValues
from generator.errors import CatalogInvalid, Problem, suggest
from generator.model.entries import well_formed
from generator.model.fields import Id, Text, WebUrl, fail
from generator.model.messages import validation_problems
from generator.source.folders import display as _display
from generator.source.folders import listing, refusal
from generator.source.markdown import article_problems
from generator.source.reader import read_bytes, read_text
from generator.source.text import ReadError, decode

ARTICLES_FOLDER = "articles"
SECTION = "articles"
_FILE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_FENCE = "---"


def _not_empty(items: list[Any]) -> list[Any]:
    if not items:
        raise fail("至少要写一项", "请按说明写成列表，每项一行、以“- ”开头")
    return items


class SourceLink(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Text = Field(title="文件或网页名称")
    url: WebUrl = Field(title="链接", description="官方网站上的地址，https://…")


class ArticleMeta(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Text = Field(title="标题")
    summary: Text = Field(title="摘要", description="一两句话，显示在文章列表和主题页上")
    topics: Annotated[list[Id], AfterValidator(_not_empty)] = Field(title="主题", description="topics.yaml 中的主题编号列表")
    sources: Annotated[list[SourceLink], AfterValidator(_not_empty)] = Field(title="依据和来源", description="每项写 name 和 url")


@dataclass(frozen=True)
class Article:
    id: str
    path: str  # as shown in messages
    title: str
    summary: str
    topics: list[str]
    sources: list[SourceLink]
    body: str  # Markdown, without the front matter

    @property
    def page_path(self) -> str:
        return f"{SECTION}/{self.id}.md"


def articles_folder(catalog_dir: Path | str) -> Path:
    """Where a catalogue's articles live: the `articles/` folder beside it."""
    return Path(catalog_dir).resolve().parent / ARTICLES_FOLDER


def load_articles(folder: Path | str, topics: Collection[str] | None, private: PrivateValues | None = None) -> list[Article]:
    """Every article of `folder` (none if it does not exist), sorted by id; or `CatalogInvalid`.
    `topics`: the topic ids there are (None when the catalogue could not tell: then not checked);
    `private`: the catalogue's private values, which no line of an article may hold."""
    folder = Path(folder)
    linked = refusal(folder, _display(folder))
    if linked:
        raise CatalogInvalid([linked])
    if not folder.is_dir():
        return []
    problems: list[Problem] = []
    articles: list[Article] = []
    for path in listing(folder, folder, problems):
        if path.name.startswith(".") or path.name == "README.md" or not path.is_file():
            continue
        display = _display(path)
        if path.suffix != ".md":
            problems.append(Problem(display, 1, 1, "", f"不认识的文件“{path.name}”", "文章文件夹里只能放 .md 文章"))
            continue
        if not _FILE_ID.fullmatch(path.stem) or path.stem == "index":
            problems.append(Problem(display, 1, 1, "", f"文件名“{path.name}”不能用作网址",
                                    "文件名只能用小写英文字母、数字和连字符“-”，例如 reading-together.md，且不能是 index.md"))
            continue
        try:
            text = decode(read_bytes(path, display, folder), display)
        except ReadError as error:
            problems.extend(error.problems)
            continue
        if private is not None:
            problems.extend(_private_lines(text, display, private))
        article = parse_article(path.stem, text, display, topics, problems)
        if article:
            articles.append(article)
    if problems:
        raise CatalogInvalid(problems)
    return articles


def _private_lines(text: str, display: str, private: PrivateValues) -> Iterator[Problem]:
    """A problem at each line of an article (front matter or body: all of it is published) that
    holds a private value or an identity-card number; the value itself is never quoted."""
    for number, line in enumerate(text.removeprefix("\ufeff").splitlines(), 1):
        if private.may_be_in(line):
            found = privacy_problem(line, private, lecturer=False)
            if found:
                yield Problem(display, number, 1, "", *found)


def parse_article(article_id: str, text: str, display: str, topics: Collection[str] | None, problems: list[Problem]) -> Article | None:
    """One article from its text; problems are appended (positions are those of the whole file)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != _FENCE:
        problems.append(Problem(display, 1, 1, "", "文章开头缺少 front matter",
                                "第一行请写“---”，接着写 title、summary、topics、sources，再用一行“---”结束"))
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == _FENCE)
    except StopIteration:
        problems.append(Problem(display, 1, 1, "", "front matter 没有结束", "请在 sources 之后加一行“---”，正文写在它下面"))
        return None
    shift = 1  # the YAML starts on the second line of the file

    def moved(found: list[Problem]) -> list[Problem]:
        return [dataclasses.replace(p, line=p.line + shift) for p in found]

    try:
        doc = read_text("\n".join(lines[1:end]) + "\n", display)
    except ReadError as error:
        problems.extend(moved(error.problems))
        return None
    yaml_problems = list(doc.problems)
    if not isinstance(doc.data, dict):
        yaml_problems.append(doc.problem((), "", "front matter 应为若干“字段: 值”", "请写 title、summary、topics 和 sources"))
        problems.extend(moved(yaml_problems))
        return None
    meta: ArticleMeta | None = None
    try:
        meta = ArticleMeta.model_validate(doc.data)
        named = list(enumerate(meta.topics))
    except ValidationError as error:  # its sound topics and its body are still checked
        yaml_problems += validation_problems(error, doc, (), ArticleMeta, doc.data)
        values, items = well_formed(ArticleMeta, doc.data)
        named = items.get("topics", list(enumerate(values.get("topics", []))))
    if topics is not None:
        for i, topic in named:
            if topic not in topics:
                yaml_problems.append(doc.problem(("topics", i), f"topics[{i}]", f"找不到编号为“{topic}”的主题",
                                                 suggest(topic, topics) or "请使用 catalog/topics.yaml 中的主题编号"))
    body_problems: list[Problem] = []  # positions in the whole file already
    body = "\n".join(lines[end + 1 :]).strip("\n")
    if not body.strip():
        body_problems.append(Problem(display, end + 1, 1, "", "文章没有正文", "请在第二个“---”下面写文章内容"))
    else:
        first = next(i for i in range(end + 1, len(lines)) if lines[i].strip())
        if re.match(r"#\s", lines[first]):
            body_problems.append(Problem(display, first + 1, 1, "", "正文不要再写一级标题",
                                         "标题已由 front matter 的 title 给出，正文从小标题（## …）写起"))
        body_problems.extend(Problem(display, end + 2 + p.line, p.column + 1, "", p.message, p.hint)
                             for p in article_problems("\n".join(lines[end + 1 :])))
    if yaml_problems or body_problems or meta is None:
        problems.extend(moved(yaml_problems) + body_problems)
        return None
    return Article(article_id, display, meta.title, meta.summary, list(meta.topics), list(meta.sources), body + "\n")
