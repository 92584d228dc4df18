"""A strict YAML reader that keeps every value as the editor typed it.

PyYAML's usual loaders guess types ("14:30" becomes 870, "0917" becomes 917,
"no" becomes False) and forget where values came from.  This reader walks the
parser's *events* itself: every scalar stays text (the models decide what a
field means), every key and value keeps its `line:column`, and the YAML
features editors never need and that hide mistakes (anchors, aliases, merge
keys, tags, several documents, duplicate keys) are errors.

The implicit type resolver is never called, so its quadratic regular
expressions cannot be triggered.  The same events come from libyaml when it
is installed and from pure-Python PyYAML otherwise; both give the same result.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
import yaml.cyaml  # noqa: F401  (absent without libyaml; guarded by __with_libyaml__)
from yaml import events as ev

from .problems import Position, Problem

Loc = tuple[Any, ...]

MAX_DEPTH = 40
NULL_WORDS = {"", "~", "null", "Null", "NULL"}
_FULLWIDTH_KEY = re.compile(r"^\s*(?:-\s+)?([^\s:#'\"-][^:#'\"]*?)：")


@dataclass
class Document:
    """One YAML file: plain data (dicts, lists, str, None) plus positions."""

    path: str
    data: Any
    values: dict[Loc, Position] = field(default_factory=dict)
    keys: dict[Loc, Position] = field(default_factory=dict)
    # Problems that do not stop the file being read (its entries are still checked).
    problems: list[Problem] = field(default_factory=list)

    def position(self, loc: Loc, *, key: bool = False) -> Position:
        """Where `loc` is; falls back to the nearest enclosing value."""
        loc = tuple(loc)
        while loc:
            table = self.keys if key else self.values
            if loc in table:
                return table[loc]
            if loc in self.values:
                return self.values[loc]
            loc = loc[:-1]
        return self.values.get((), Position(1, 1))

    def problem(self, loc: Loc, field: str, message: str, hint: str = "", *, key: bool = False) -> Problem:
        pos = self.position(loc, key=key)
        return Problem(self.path, pos.line, pos.column, field, message, hint)


class ReadError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def _use_libyaml() -> bool:
    return yaml.__with_libyaml__ and os.environ.get("LVYIN_PURE_YAML") != "1"


class _PureParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    def __init__(self, text: str):
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


def _parser(text: str):
    return yaml.cyaml.CParser(text) if _use_libyaml() else _PureParser(text)


def decode(raw: bytes, path: str) -> str:
    """Bytes → text; a non-UTF-8 file gets an error at its first bad byte."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ReadError([Problem(path, 1, 1, "", "文件以 UTF-16 标记开头，但内容无法按 UTF-16 读取", "请用编辑器另存为 UTF-8 编码")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        try:
            raw.decode("gb18030")
            looks = "（看起来是 GBK）"
        except UnicodeDecodeError:
            looks = ""
        raise ReadError([Problem(path, line, column, "", f"文件不是 UTF-8 编码{looks}，请另存为 UTF-8", "在记事本或 VS Code 中选择“另存为”，编码选 UTF-8")])


def read_file(path: Path, display: str | None = None) -> Document:
    display = display or str(path)
    return read_text(decode(path.read_bytes(), display), display)


def read_text(text: str, path: str) -> Document:
    """Parse one YAML document; raise `ReadError` with every problem found."""
    doc = Document(path=path, data=None)
    text = text.lstrip("\ufeff")
    try:
        _Composer(_parser(text), doc, text).run()
    except yaml.MarkedYAMLError as exc:
        raise ReadError([_syntax_problem(exc, text, path)]) from None
    except _Stop as stop:
        raise ReadError(stop.problems) from None
    return doc


class _Stop(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems


class _Composer:
    """Builds plain data from parser events, recording positions."""

    def __init__(self, parser, doc: Document, text: str):
        self.parser = parser
        self.doc = doc
        self.lines = text.splitlines()
        self.problems: list[Problem] = []

    def _fail(self, mark, message: str, hint: str = "") -> None:
        raise _Stop([Problem(self.doc.path, mark.line + 1, mark.column + 1, "", message, hint)])

    def run(self) -> None:
        p = self.parser
        p.get_event()  # StreamStart
        if p.check_event(ev.StreamEndEvent):
            self._fail(p.peek_event().start_mark, "文件是空的", "请写入一个列表（每项以“- ”开头），或删除这个文件")
        p.get_event()  # DocumentStart
        self.doc.data = self._node((), 0)
        p.get_event()  # DocumentEnd
        if not p.check_event(ev.StreamEndEvent):
            self._fail(p.peek_event().start_mark, "一个文件只能有一个 YAML 文档", "删除“---”分隔线及其后的第二部分，或把它移到另一个文件")
        self.doc.problems.extend(self.problems)

    def _check_node(self, event) -> None:
        if isinstance(event, ev.AliasEvent):
            self._fail(event.start_mark, f"不支持引用（*{event.anchor}）", "请把内容直接写出来，不要使用 & 和 * 引用")
        if event.anchor is not None:
            self._fail(event.start_mark, f"不支持锚点（&{event.anchor}）", "请把内容直接写出来，不要使用 & 和 * 引用")
        if event.tag not in (None, "!"):
            self._fail(event.start_mark, f"不支持类型标签（{event.tag}）", "删除以 ! 开头的标签，文字如需原样保留请加引号")

    def _node(self, loc: Loc, depth: int) -> Any:
        event = self.parser.get_event()
        self._check_node(event)
        if depth > MAX_DEPTH:
            self._fail(event.start_mark, "嵌套层次过深", "目录文件最多只需要两三层缩进，请检查缩进")
        self.doc.values[loc] = Position(event.start_mark.line + 1, event.start_mark.column + 1)
        if isinstance(event, ev.ScalarEvent):
            return self._scalar(event)
        if isinstance(event, ev.SequenceStartEvent):
            items = []
            while not self.parser.check_event(ev.SequenceEndEvent):
                items.append(self._node(loc + (len(items),), depth + 1))
            self.parser.get_event()
            return items
        if isinstance(event, ev.MappingStartEvent):
            return self._mapping(loc, depth)
        self._fail(event.start_mark, "无法识别的 YAML 结构")  # pragma: no cover

    def _scalar(self, event) -> str | None:
        if not event.style:  # plain (None in PyYAML, "" in libyaml): typed without quotes
            self._check_cut_comment(event)
            if event.value in NULL_WORDS:
                return None
        return event.value

    def _check_cut_comment(self, event) -> None:
        """A plain value followed by ` #…` on its line lost that text to a comment."""
        end = event.end_mark
        if end.line >= len(self.lines):
            return
        rest = self.lines[end.line][end.column :]
        if re.match(r"\s+#", rest) and event.value:
            cut = rest.strip()
            self.problems.append(
                Problem(
                    self.doc.path, end.line + 1, end.column + rest.index("#") + 1, "",
                    f"“{event.value}”后面的“{cut}”被当作注释忽略了",
                    f"如果“{cut}”是内容，请给整个值加引号，例如 \"{event.value} {cut}\"；如果是注释，请把它单独写在上一行",
                )
            )

    def _mapping(self, loc: Loc, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_seen: dict[str, Position] = {}
        while not self.parser.check_event(ev.MappingEndEvent):
            key_event = self.parser.get_event()
            self._check_node(key_event)
            if not isinstance(key_event, ev.ScalarEvent):
                self._fail(key_event.start_mark, "字段名必须是一个词", "请写成“字段名: 值”的形式")
            key = key_event.value
            key_pos = Position(key_event.start_mark.line + 1, key_event.start_mark.column + 1)
            if key == "<<" and not key_event.style:
                self._fail(key_event.start_mark, "不支持合并键（<<）", "请把需要的字段逐个写出来")
            if key in first_seen:
                before = first_seen[key]
                self.problems.append(
                    Problem(self.doc.path, key_pos.line, key_pos.column, key,
                            f"字段重复：第 {before.line} 行已经写过“{key}”",
                            f"删除第 {before.line} 行或第 {key_pos.line} 行中的一个")
                )
            first_seen.setdefault(key, key_pos)
            self.doc.keys[loc + (key,)] = key_pos
            value = self._node(loc + (key,), depth + 1)
            out.setdefault(key, value)
        self.parser.get_event()
        return out


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, path: str) -> Problem:
    """Turn PyYAML's (or libyaml's) English message into a Chinese one."""
    mark = exc.problem_mark or exc.context_mark
    line, column = mark.line, mark.column
    lines = text.splitlines()
    problem = exc.problem or ""

    # A full-width colon after a field name is the most common slip: name its own line.
    for number in range(min(line, len(lines) - 1), -1, -1):
        found = _FULLWIDTH_KEY.match(lines[number])
        if found:
            col = lines[number].index("：")
            return Problem(path, number + 1, col + 1, found.group(1).strip(),
                           "用了全角冒号“：”", f"请改成半角冒号加空格，例如“{found.group(1).strip()}: ”")
        if number < line - 3:
            break

    if "\t" in problem or "tab" in problem:
        return Problem(path, line + 1, column + 1, "", "用了 Tab 键缩进", "YAML 只能用空格缩进，请把 Tab 换成空格")
    if problem.startswith("mapping values are not allowed"):
        key = lines[line].split(":", 1)[0].strip(" -") if line < len(lines) else ""
        return Problem(path, line + 1, column + 1, key, "值里含有“: ”（冒号加空格）",
                       f"请把这个值用引号括起来，例如 {key}: \"…\"")
    if "unexpected end of stream" in problem and "quoted" in (exc.context or ""):
        start = exc.context_mark
        return Problem(path, start.line + 1, start.column + 1, "", "引号没有配对", "请补上结尾的引号")
    if "expected <block end>" in problem or "did not find expected" in problem or "could not find expected" in problem:
        return Problem(path, line + 1, column + 1, "", "缩进或格式不正确",
                       "同一层的字段必须左对齐；列表中的每一项以“- ”开头；字段写成“字段名: 值”（冒号后有空格）")
    return Problem(path, line + 1, column + 1, "", f"YAML 格式错误（{problem}）", "请检查这一行及上一行的缩进、冒号和引号")
