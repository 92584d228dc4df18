"""Parser events → plain data (every scalar text) with the position of every key and value."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Protocol

import yaml
import yaml.cyaml  # noqa: F401  (absent without libyaml; guarded by __with_libyaml__)
from yaml import events as ev
from yaml.error import Mark

from generator.errors import Position, Problem, field_label, shown
from generator.source.syntax import (
    _bare_colon_problem,
    _escape_problem,
    _flow_question_problem,
    _fullwidth_problem,
    _key_of,
    _needs_quotes,
    _tag_problem,
    _too_deep,
)
from generator.source.text import Loc, _Source

if TYPE_CHECKING:
    from generator.source.reader import Document


MAX_NODES = 100_000


MAX_DEPTH = 40


NULL_WORDS = {"", "~", "null", "Null", "NULL"}


def _label(loc: Loc) -> str:
    """The field path as messages name it: relative to its entry when the file is a list."""
    return field_label(loc[1:] if loc and isinstance(loc[0], int) else loc)


class _Stop(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems


_COMMENT_AFTER = re.compile(r" +(#[^\r\n]*)")


_ASCII_KEY_FULLWIDTH = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*：")


_ITEM = re.compile(r"\s*- ")


_BARE_COLON = re.compile(r" *:(?=[,\]}])")


# A block scalar header as PyYAML reads it: `|` or `>`, indicators, then a space or the line end.
_BLOCK_HEADER = re.compile(r"[|>](?:[-+][1-9]?|[1-9][-+]?)?(?=[ \r\n]|$)")


# What a double-quoted value may hold once its escapes are decoded (tabs and line breaks are fine).
_UNWANTED_IN_VALUE = re.compile("[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)


_SHORT_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "e": "\x1b", "f": "\f", "v": "\v", "N": "\x85", "L": "\u2028", "P": "\u2029"}


def _unescape(escape: str) -> str:
    """The character a double-quoted escape (without its backslash) stands for."""
    if len(escape) > 1:
        code = int(escape[1:], 16)
        return chr(code) if code <= 0x10FFFF else "\0"
    return _SHORT_ESCAPES.get(escape, escape)


class EventParser(Protocol):
    """What the composer asks of a parser: libyaml's `CParser` and PyYAML's `Parser` alike."""

    def check_event(self, *choices: type[ev.Event]) -> bool: ...

    def peek_event(self) -> ev.Event: ...

    def get_event(self) -> ev.Event: ...


class _Composer:
    """Builds plain data from parser events, recording positions."""

    def __init__(self, parser: EventParser, doc: Document, source: _Source):
        self.parser = parser
        self.doc = doc
        self.source = source
        self.problems: list[Problem] = []
        self.nodes = 0
        self.flow = 0  # how many [ ] or { } the current node is inside

    def _fail(self, mark: Mark, message: str, hint: str = "", field: str = "") -> None:
        raise _Stop([Problem(self.doc.path, mark.line + 1, mark.column + 1, field, message, hint)])

    def run(self) -> None:
        p = self.parser
        p.get_event()  # StreamStart
        if p.check_event(ev.StreamEndEvent):
            return  # empty: whether it may be is for the reader of the file to say (data None)
        p.get_event()  # DocumentStart (directives were refused before parsing)
        self.doc.data = self._node((), 0)
        p.get_event()  # DocumentEnd
        if not p.check_event(ev.StreamEndEvent):
            self._fail(p.peek_event().start_mark, "一个文件只能有一个 YAML 文档",
                       "删除“---”分隔线及其后的第二部分，或把它移到另一个文件")
        self.doc.problems.extend(self.problems)

    def _check_node(self, event: ev.NodeEvent, loc: Loc) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self._fail(event.start_mark, f"文件中的内容太多（超过 {MAX_NODES} 项）", "请拆分成几个文件")
        quote = "；如果它是文字的一部分，请给整个值加引号"
        if isinstance(event, ev.AliasEvent):
            self._fail(event.start_mark, f"不支持引用（*{shown(event.anchor)}）",
                       "请把内容直接写出来，不要使用 & 和 * 引用" + quote, _label(loc))
        if event.anchor is not None:
            self._fail(event.start_mark, f"不支持锚点（&{shown(event.anchor)}）",
                       "请把内容直接写出来，不要使用 & 和 * 引用" + quote, _label(loc))
        if event.tag is not None:  # named like the syntax errors of malformed tags, which only one parser raises
            line, column = event.start_mark.line, event.start_mark.column
            raise _Stop([_tag_problem(self.doc.path, self.source, line, column, _key_of(self.source.line(line)))])

    def _node(self, loc: Loc, depth: int) -> Any:
        event = self.parser.get_event()
        self._check_node(event, loc)
        if depth > MAX_DEPTH:
            raise _Stop([_too_deep(self.doc.path, event.start_mark.line + 1, event.start_mark.column + 1)])
        self.doc.values[loc] = Position(event.start_mark.line + 1, event.start_mark.column + 1)
        if isinstance(event, ev.ScalarEvent):
            return self._scalar(event, loc)
        self.flow += bool(event.flow_style)
        if isinstance(event, ev.SequenceStartEvent):
            items: list[Any] = []
            while not self.parser.check_event(ev.SequenceEndEvent):
                items.append(self._node(loc + (len(items),), depth + 1))
            self.parser.get_event()
            result: Any = items
        else:
            result = self._mapping(loc, depth)
        self.flow -= bool(event.flow_style)
        return result

    def _scalar(self, event: ev.ScalarEvent, loc: Loc) -> str | None:
        self._check_text(event)
        if event.style in ("|", ">"):
            self._check_block_header(event)
        if not event.style:  # plain (None in PyYAML, "" in libyaml): typed without quotes
            self._check_cut_comment(event, loc)
            self._check_continuation(event, loc)
            if event.value in NULL_WORDS:
                return None
        value: str = event.value
        return value

    def _check_text(self, event: ev.ScalarEvent) -> None:
        """For keys and values alike: text libyaml and PyYAML would read differently."""
        if event.style == '"' and _UNWANTED_IN_VALUE.search(event.value):
            self._fail_escape(event)
        if self.flow and not event.style:
            self._check_flow_question_mark(event)

    def _fail_escape(self, event: ev.ScalarEvent) -> None:
        """An escape such as "\\x07" or "\\ud800" wrote a character no page may hold.

        libyaml refuses surrogate escapes itself, with a syntax error at the
        backslash; the same message at the same backslash is given here.
        """
        start = self.source.offset(event.start_mark.line, event.start_mark.column)
        end = self.source.offset(event.end_mark.line, event.end_mark.column)
        line, column = event.start_mark.line, event.start_mark.column
        for found in _ESCAPE.finditer(self.source.text, start, end):
            if _UNWANTED_IN_VALUE.search(_unescape(found.group(1))):
                line, column = self.source.where(found.start())
                break
        # Named from the line, as the syntax error libyaml raises for the same escape is.
        raise _Stop([_escape_problem(self.doc.path, self.source, line, column, _key_of(self.source.line(line)))])

    def _check_flow_question_mark(self, event: ev.ScalarEvent) -> None:
        """libyaml reads `[a?b]` as the text "a?b"; PyYAML ends the text at "?" and fails."""
        start = self.source.offset(event.start_mark.line, event.start_mark.column)
        end = self.source.offset(event.end_mark.line, event.end_mark.column)
        found = self.source.text.find("?", start + 1, end)
        if found >= 0:
            raise _Stop([_flow_question_problem(self.doc.path, self.source, *self.source.where(found))])

    def _check_flow_bare_colon(self, event: ev.ScalarEvent) -> None:
        """libyaml refuses `[a:]` (a colon then a bracket or comma); PyYAML reads {a: null}."""
        end = self.source.offset(event.end_mark.line, event.end_mark.column)
        found = _BARE_COLON.match(self.source.text, end)
        if found:
            raise _Stop([_bare_colon_problem(self.doc.path, self.source, *self.source.where(found.end() - 1))])

    def _check_block_header(self, event: ev.ScalarEvent) -> None:
        """libyaml takes `|#…` as a block scalar with a comment; PyYAML refuses it."""
        mark = event.start_mark
        if not _BLOCK_HEADER.match(self.source.text, self.source.offset(mark.line, mark.column)):
            raise _Stop([_needs_quotes(self.doc.path, self.source, mark.line, mark.column)])

    def _check_cut_comment(self, event: ev.ScalarEvent, loc: Loc) -> None:
        """A plain value followed by ` #…` on its line lost that text to a comment."""
        end = event.end_mark
        found = _COMMENT_AFTER.match(self.source.text, self.source.offset(end.line, end.column))
        if not found or not event.value:
            return
        cut, value = shown(found.group(1)), shown(event.value)
        example = f"{loc[-1]}: \"{value} {cut}\"" if loc and isinstance(loc[-1], str) else f"\"{value} {cut}\""
        self.problems.append(Problem(
            self.doc.path, end.line + 1, found.start(1) - self.source.starts[end.line] + 1, _label(loc),
            f"“{value}”后面的“{cut}”被当作注释忽略了",
            f"如果“{cut}”是内容，请给整个值加引号，例如 {example}；如果是注释，请把它单独写在上一行",
        ))

    def _check_continuation(self, event: ev.ScalarEvent, loc: Loc) -> None:
        """Lines that silently joined the value above them: `title：…` or a `- item`."""
        for number in range(event.start_mark.line + 1, event.end_mark.line + 1):
            line = self.source.line(number)
            found = _ASCII_KEY_FULLWIDTH.match(line)
            if found:
                self.problems.append(_fullwidth_problem(self.doc.path, number, line, found.group(1)))
            elif _ITEM.match(line):
                self.problems.append(Problem(
                    self.doc.path, number + 1, line.index("-") + 1, _label(loc),
                    "这一行的“- ”被接到了上一行的值后面，没有成为列表的一项",
                    "写列表时字段名后面不写值，例如 topics: 下一行起写“  - 第一项”；如果是文字，请给整个值加引号"))

    def _mapping(self, loc: Loc, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_seen: dict[str, Position] = {}
        while not self.parser.check_event(ev.MappingEndEvent):
            key_event = self.parser.get_event()
            self._check_node(key_event, loc)
            if not isinstance(key_event, ev.ScalarEvent):
                self._fail(key_event.start_mark, "字段名必须是一个词，不能是列表或多层结构",
                           "请写成“字段名: 值”的形式；如果值以“[”或“{”开头，请给它加引号", _label(loc))
            self._check_text(key_event)
            if self.flow and not key_event.style:
                self._check_flow_bare_colon(key_event)
            key = key_event.value
            key_pos = Position(key_event.start_mark.line + 1, key_event.start_mark.column + 1)
            if not key_event.style and key == "<<":
                self._fail(key_event.start_mark, "不支持合并键（<<）", "请把需要的字段逐个写出来", _label(loc))
            if not key.strip():
                self.problems.append(Problem(self.doc.path, key_pos.line, key_pos.column, _label(loc),
                                             "缺少字段名", "请写成“字段名: 值”的形式"))
            if key in first_seen:
                before = first_seen[key]
                self.problems.append(Problem(
                    self.doc.path, key_pos.line, key_pos.column, _label(loc + (key,)),
                    f"字段重复：第 {before.line} 行已经写过“{shown(key)}”",
                    f"删除第 {before.line} 行或第 {key_pos.line} 行中的一个"))
            first_seen.setdefault(key, key_pos)
            # The last of duplicate keys wins, as their recorded positions do.
            self.doc.keys[loc + (key,)] = key_pos
            out[key] = self._node(loc + (key,), depth + 1)
        self.parser.get_event()
        return out
